"""Every login has a person: link or create it when someone signs up or signs in."""

from typing import Any

from allauth.account.signals import user_logged_in, user_signed_up
from django.dispatch import receiver


@receiver(user_signed_up)
@receiver(user_logged_in)
def ensure_person(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from netweave.people.services import person_ensure_for_user

    person_ensure_for_user(user=user)
