"""Keep the library's search text current when an author is renamed (it holds their names),
as people/signals.py does for the directory when an organization is renamed."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from netweave.people.models import Organization, Person


@receiver(post_save, sender=Person)
@receiver(post_save, sender=Organization)
def reindex_resources_of_renamed_author(
    sender: Any,
    instance: Person | Organization,
    created: bool,
    update_fields: Any = None,
    **kwargs: Any,
) -> None:
    if created or kwargs.get("raw"):
        return
    if update_fields is not None and "name" not in update_fields:
        return
    ids = list(instance.resources.values_list("pk", flat=True))
    if ids:
        from netweave.library.search import resources_reindex

        resources_reindex(ids=ids)
