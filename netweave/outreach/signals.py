"""Members are on their network's member list: an active membership subscribes the person's
address to it (method "member"), a lapsed or ended one takes it off ("membership ended").

Connected by `connect()`, which the outreach app's `ready()` calls once; the receivers are
idempotent, so saving a membership twice changes nothing. Someone who left the member list
themselves is not put back on it."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

DISPATCH_UID = "netweave.outreach.member_list"


def membership_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    from netweave.outreach.subscriptions import member_joined, member_left
    from netweave.people.models import Membership

    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "status" not in update_fields and not created:
        return  # a role or note changed: the list is as it was
    if instance.status == Membership.Status.ACTIVE:
        member_joined(network=instance.network, person=instance.person)
    elif instance.status in (Membership.Status.LAPSED, Membership.Status.LEFT):
        member_left(network=instance.network, person=instance.person)


def connect() -> None:
    from netweave.people.models import Membership

    post_save.connect(membership_saved, sender=Membership, dispatch_uid=DISPATCH_UID)
