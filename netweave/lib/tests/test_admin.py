import pytest
from django.contrib import admin
from django.urls import reverse

from netweave.accounts.models import User


@pytest.mark.django_db
class AdminTests:
    def test_every_registered_model_has_a_working_changelist_and_add_page(self, cast, client):
        superuser = User.objects.create_superuser(email="root@example.org", password="x")
        client.force_login(superuser)
        for model in admin.site._registry:
            info = (model._meta.app_label, model._meta.model_name)
            assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200, (
                info
            )
            add = client.get(reverse("admin:{}_{}_add".format(*info)))
            assert add.status_code in (200, 403), info

    def test_the_people_models_are_registered(self):
        names = {m._meta.label for m in admin.site._registry}
        assert {
            "networks.Network",
            "people.Person",
            "people.Membership",
            "people.Invitation",
        } <= names

    def test_memberships_cannot_be_deleted_from_the_admin(self, cast, client):
        from netweave.people.models import Membership

        superuser = User.objects.create_superuser(email="root@example.org", password="x")
        client.force_login(superuser)
        membership = Membership.objects.first()
        url = reverse("admin:people_membership_delete", args=[membership.pk])
        assert client.get(url).status_code == 403
