"""Members are on their network's member list: an active membership subscribes the person's
address to it (method "member"), a lapsed or ended one takes it off ("membership ended").

Connected by `connect()`, which the outreach app's `ready()` calls once. Only a new membership or
a change of its status counts: saving a membership whose status stays as it was loaded (a role
change, joining again while active) changes nothing, so someone who erased their subscriber data
is not put back on the list by an unrelated save. Someone who left the member list themselves
is not put back on it either."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save

DISPATCH_UID = "netweave.outreach.member_list"
# The status the membership had in the database before this save (kept on the instance).
STATUS_BEFORE = "_outreach_status_before"


def membership_saving(sender: Any, instance: Any, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if kwargs.get("raw") or instance.pk is None:
        before = None
    elif update_fields is not None and "status" not in update_fields:
        before = None  # the status is not written: membership_saved ignores this save
    else:
        before = sender.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    instance.__dict__[STATUS_BEFORE] = before


def membership_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    from netweave.outreach.subscriptions import member_joined, member_left
    from netweave.people.models import Membership

    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "status" not in update_fields and not created:
        return  # a role or note changed: the list is as it was
    before = instance.__dict__.pop(STATUS_BEFORE, None)
    if not created and before == instance.status:
        return  # saved again with the same status: the list is as it was
    if instance.status == Membership.Status.ACTIVE:
        member_joined(network=instance.network, person=instance.person)
    elif instance.status in (Membership.Status.LAPSED, Membership.Status.LEFT):
        member_left(network=instance.network, person=instance.person)


def connect() -> None:
    from netweave.people.models import Membership

    pre_save.connect(membership_saving, sender=Membership, dispatch_uid=DISPATCH_UID)
    post_save.connect(membership_saved, sender=Membership, dispatch_uid=DISPATCH_UID)
