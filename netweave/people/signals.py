"""Keep the directory's search text current when an organization is renamed."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from netweave.people.models import Organization


@receiver(post_save, sender=Organization)
def reindex_people_of_renamed_organization(
    sender: Any, instance: Organization, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    if created or kwargs.get("raw"):
        return
    from netweave.people.services import person_reindex

    for affiliation in instance.affiliations.select_related("person"):
        person_reindex(person=affiliation.person)
