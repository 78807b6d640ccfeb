"""Uploads: limits of size and type, content that must match the name, files stored through the
storage API under the network's own folder, and served only to whoever may see the resource."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from netweave.lib.testing import Cast
from netweave.library.models import Resource
from netweave.library.services import UploadRejected, resource_set_status, resource_update
from netweave.library.tests.test_resources_support import PDF, PNG, make_resource, pdf

pytestmark = pytest.mark.django_db


def client_for(cast: Cast, role: str) -> Client:
    client = Client()
    user = cast.user(role)
    if user is not None:
        client.force_login(user)
    return client


def form(**extra):  # type: ignore[no-untyped-def]
    return {"title": "Annual report", "kind": "report", "visibility": "network", **extra}


class UploadLimitTests:
    def test_a_file_over_the_size_limit_is_refused_with_the_limit(
        self, cast: Cast, settings
    ) -> None:
        settings.NETWEAVE_LIBRARY_MAX_UPLOAD_BYTES = 1000
        big = SimpleUploadedFile("big.pdf", PDF + b"0" * 2000, content_type="application/pdf")
        response = client_for(cast, "member").post(
            reverse("library:submit", args=["cast"]), form(file=big)
        )
        assert response.status_code == 400
        assert "files can be at most 1.0 kB" in response.content.decode()
        assert not Resource.objects.exists()

    def test_a_type_that_is_not_allowed_is_refused_with_the_allowed_ones(self, cast: Cast) -> None:
        script = SimpleUploadedFile(
            "tool.exe", b"MZ\x90\x00", content_type="application/x-msdownload"
        )
        response = client_for(cast, "member").post(
            reverse("library:submit", args=["cast"]), form(file=script)
        )
        html = response.content.decode()
        assert response.status_code == 400
        assert "Files of this type cannot be uploaded. Allowed types:" in html
        assert ".pdf" in html

    def test_content_that_does_not_match_the_name_is_refused(self, cast: Cast) -> None:
        fake = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>")
        response = client_for(cast, "member").post(
            reverse("library:submit", args=["cast"]), form(file=fake)
        )
        assert response.status_code == 400
        assert "is not a .pdf file" in response.content.decode()

    def test_a_png_named_as_text_is_refused(self, cast: Cast) -> None:
        with pytest.raises(UploadRejected, match="does not match its name"):
            make_resource(cast.network, cast.member, file=pdf("notes.txt", PNG))

    def test_an_empty_file_is_refused(self, cast: Cast) -> None:
        with pytest.raises(UploadRejected, match="empty"):
            make_resource(cast.network, cast.member, file=pdf("empty.pdf", b""))

    def test_the_api_answers_400_with_the_reason(self, cast: Cast, settings) -> None:
        settings.NETWEAVE_LIBRARY_MAX_UPLOAD_BYTES = 100
        resource = make_resource(cast.network, cast.member, status=None)
        client = client_for(cast, "member")
        url = f"/api/v1/networks/cast/resources/{resource.pk}/file"
        big = SimpleUploadedFile("big.pdf", PDF + b"0" * 200)
        response = client.post(url, {"file": big})
        assert response.status_code == 400
        assert "at most" in response.json()["error"]
        wrong = SimpleUploadedFile("photo.png", PDF)
        response = client.post(url, {"file": wrong})
        assert response.status_code == 400
        assert "is not a .png file" in response.json()["error"]
        assert client.post(url, {}).status_code == 400


class StorageTests:
    def test_a_file_is_stored_under_the_networks_folder_with_its_checked_type(
        self, cast: Cast
    ) -> None:
        upload = SimpleUploadedFile("Annual Report.pdf", PDF, content_type="text/html")
        response = client_for(cast, "member").post(
            reverse("library:submit", args=["cast"]), form(file=upload)
        )
        assert response.status_code == 302
        resource = Resource.objects.get()
        assert resource.file.name.startswith(f"library/{cast.network.pk}/")
        assert resource.file.name.endswith("/Annual_Report.pdf")
        assert resource.file_type == "application/pdf"  # not what the browser claimed
        assert resource.file_size == len(PDF)
        assert default_storage.exists(resource.file.name)

    def test_replacing_a_file_keeps_the_old_one_for_the_history(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member, file=pdf("v1.pdf"))
        first = resource.file.name
        resource_update(resource=resource, by=cast.steward, file=pdf("v2.pdf"))
        assert resource.file.name != first
        assert default_storage.exists(first)
        revision = resource.revisions.order_by("-number").first()
        assert revision is not None
        assert revision.changed == ["file"]  # same size and type


class DownloadTests:
    def test_the_file_is_served_with_its_type_and_safe_headers(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member, file=pdf("guide.pdf"))
        response = client_for(cast, "anonymous").get(
            reverse("library:resource_file", args=["cast", resource.pk])
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert 'filename="guide.pdf"' in response["Content-Disposition"]
        assert "sandbox" in response["Content-Security-Policy"]
        assert response.getvalue() == PDF

    def test_a_spreadsheet_downloads_as_an_attachment(self, cast: Cast) -> None:
        resource = make_resource(
            cast.network, cast.member, file=pdf("figures.csv", b"year,amount\n2024,3\n")
        )
        response = client_for(cast, "member").get(
            reverse("library:resource_file", args=["cast", resource.pk])
        )
        assert response["Content-Type"] == "text/csv"
        assert response["Content-Disposition"].startswith("attachment;")

    @pytest.mark.parametrize(
        ("visibility", "status", "allowed"),
        [
            (
                "public",
                "published",
                {
                    "anonymous",
                    "outsider",
                    "other_member",
                    "observer",
                    "member",
                    "steward",
                    "coordinator",
                },
            ),
            ("network", "published", {"observer", "member", "steward", "coordinator"}),
            ("coordinators", "published", {"steward", "coordinator"}),
            ("public", "submitted", {"member", "steward", "coordinator"}),  # member submitted it
        ],
    )
    def test_only_those_who_may_see_the_resource_get_its_file(
        self, cast: Cast, visibility: str, status: str, allowed: set[str]
    ) -> None:
        resource = make_resource(
            cast.network, cast.member, file=pdf(), visibility=visibility, status=status
        )
        url = reverse("library:resource_file", args=["cast", resource.pk])
        for role in (
            "anonymous",
            "outsider",
            "other_member",
            "observer",
            "member",
            "steward",
            "coordinator",
        ):
            expected = 200 if role in allowed else 404
            assert client_for(cast, role).get(url).status_code == expected, role

    def test_a_file_of_another_network_is_never_reachable(self, cast: Cast) -> None:
        theirs = make_resource(cast.other_network, cast.other_member, file=pdf("secret.pdf"))
        coordinator = client_for(cast, "coordinator")
        # Their resource's id under this network's address: not found.
        assert (
            coordinator.get(reverse("library:resource_file", args=["cast", theirs.pk])).status_code
            == 404
        )
        # A resource of this network made to point at their file (e.g. a row edited by hand)
        # is not served either: the path must lie in this network's own folder.
        ours = make_resource(cast.network, cast.member, file=pdf("ours.pdf"))
        Resource.objects.filter(pk=ours.pk).update(file=theirs.file.name)
        assert (
            coordinator.get(reverse("library:resource_file", args=["cast", ours.pk])).status_code
            == 404
        )
        # Nothing is served from MEDIA_URL.
        assert coordinator.get("/media/" + theirs.file.name).status_code == 404

    def test_a_resource_without_a_file_has_no_download(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member)
        response = client_for(cast, "member").get(
            reverse("library:resource_file", args=["cast", resource.pk])
        )
        assert response.status_code == 404

    def test_an_archived_resource_keeps_its_file_from_members(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.coordinator, file=pdf())
        resource_set_status(resource=resource, by=cast.steward, status="archived")
        url = reverse("library:resource_file", args=["cast", resource.pk])
        assert client_for(cast, "member").get(url).status_code == 404
        assert client_for(cast, "steward").get(url).status_code == 200
