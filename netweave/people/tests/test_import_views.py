"""The import pages: upload, progress and report, commit; only for coordinators."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from netweave.lib.testing import Cast
from netweave.people.models import ImportJob, Membership, Person

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    b"name,email,organization,country\n"
    b"Amara Okafor,amara@example.org,Lagos Health Lab,NG\n"
    b"Bruno Silva,bruno@example.org,Fiocruz,Brazil\n"
)
BAD_CSV = b"name,email,country\nAmara Okafor,amara@example.org,NG\nBruno,bruno-at-example,BR\n"


def client_for(cast: Cast, who: str) -> Client:
    client = Client()
    user = cast.user(who)
    if user is not None:
        client.force_login(user)
    return client


def start_url(cast: Cast) -> str:
    return reverse("people:import_start", args=[cast.network.slug])


def detail_url(cast: Cast, job: ImportJob) -> str:
    return reverse("people:import_detail", args=[cast.network.slug, job.pk])


def upload(client: Client, cast: Cast, content: bytes, name: str = "members.csv", kind="people"):  # type: ignore[no-untyped-def]
    return client.post(
        start_url(cast), {"kind": kind, "file": SimpleUploadedFile(name, content, "text/csv")}
    )


class ImportPageAccessTests:
    @pytest.mark.parametrize("who", ["steward", "member", "observer", "other_member", "outsider"])
    def test_it_is_forbidden_to_everyone_but_coordinators(self, cast: Cast, who: str) -> None:
        job = ImportJob.objects.create(network=cast.network, kind="people", filename="m.csv",
                                       content=GOOD_CSV)  # fmt: skip
        client = client_for(cast, who)

        for response in (
            client.get(start_url(cast)),
            client.get(detail_url(cast, job)),
            client.post(reverse("people:import_commit", args=[cast.network.slug, job.pk])),
        ):
            assert response.status_code == 403

    def test_an_anonymous_visitor_is_sent_to_sign_in(self, cast: Cast) -> None:
        response = Client().get(start_url(cast))

        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_another_networks_job_is_not_found(self, cast: Cast) -> None:
        job = ImportJob.objects.create(network=cast.other_network, kind="people",
                                       filename="m.csv", content=GOOD_CSV)  # fmt: skip
        client = client_for(cast, "coordinator")

        assert client.get(detail_url(cast, job)).status_code == 404
        commit = reverse("people:import_commit", args=[cast.network.slug, job.pk])
        assert client.post(commit).status_code == 404


class ImportPageTests:
    def test_a_coordinator_sees_the_upload_form(self, cast: Cast) -> None:
        response = client_for(cast, "coordinator").get(start_url(cast))

        assert response.status_code == 200
        assert b'type="file"' in response.content
        assert b'enctype="multipart/form-data"' in response.content

    def test_an_upload_is_checked_and_the_report_shown_without_writing(
        self, cast: Cast, django_capture_on_commit_callbacks
    ) -> None:  # type: ignore[no-untyped-def]
        client = client_for(cast, "coordinator")
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(client, cast, GOOD_CSV)

        job = ImportJob.objects.get(network=cast.network)
        assert response.status_code == 302
        assert response["Location"] == detail_url(cast, job)
        assert (job.dry_run, job.status, job.created_by) == (True, "checked", cast.coordinator)
        assert not Person.objects.filter(email="amara@example.org").exists()

        page = client.get(detail_url(cast, job)).content.decode()
        assert '<progress id="import-progress-' in page
        assert 'value="100"' in page and "aria-label=" in page
        assert "Import for real" in page
        assert "hx-trigger" not in page  # finished: no more polling
        assert "Amara Okafor" in page

    def test_the_report_lists_every_bad_row_and_offers_no_commit(
        self, cast: Cast, django_capture_on_commit_callbacks
    ) -> None:  # type: ignore[no-untyped-def]
        client = client_for(cast, "coordinator")
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(client, cast, BAD_CSV)

        page = client.get(response["Location"]).content.decode()
        assert "Rows to fix" in page
        assert '<td class="num">3</td>' in page and "<td>email</td>" in page
        assert "is not an email address" in page
        assert "Import for real" not in page

    def test_a_running_job_polls_its_progress_partial(self, cast: Cast) -> None:
        job = ImportJob.objects.create(network=cast.network, kind="people", filename="m.csv",
                                       content=GOOD_CSV, status="running", processed=1,
                                       total=4)  # fmt: skip
        client = client_for(cast, "coordinator")

        partial = client.get(detail_url(cast, job), headers={"HX-Request": "true"})

        text = partial.content.decode()
        assert "<html" not in text
        assert 'hx-trigger="every 1s"' in text
        assert f'hx-get="{detail_url(cast, job)}"' in text
        assert 'value="25"' in text
        assert "1 of 4" in text

    def test_the_commit_button_imports_the_file(
        self, cast: Cast, django_capture_on_commit_callbacks
    ) -> None:  # type: ignore[no-untyped-def]
        client = client_for(cast, "coordinator")
        with django_capture_on_commit_callbacks(execute=True):
            upload(client, cast, GOOD_CSV)
        dry = ImportJob.objects.get(network=cast.network)
        commit = reverse("people:import_commit", args=[cast.network.slug, dry.pk])

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(commit)

        job = ImportJob.objects.exclude(pk=dry.pk).get()
        assert response["Location"] == detail_url(cast, job)
        assert (job.dry_run, job.status) == (False, "done")
        assert Membership.objects.filter(
            network=cast.network, person__email="bruno@example.org", status="active"
        ).exists()
        page = client.get(detail_url(cast, job)).content.decode()
        assert "Imported: every row was written." in page
        assert client.get(commit).status_code == 405

    def test_a_file_with_bad_rows_cannot_be_committed(
        self, cast: Cast, django_capture_on_commit_callbacks
    ) -> None:  # type: ignore[no-untyped-def]
        client = client_for(cast, "coordinator")
        with django_capture_on_commit_callbacks(execute=True):
            upload(client, cast, BAD_CSV)
        dry = ImportJob.objects.get(network=cast.network)

        response = client.post(
            reverse("people:import_commit", args=[cast.network.slug, dry.pk]), follow=True
        )

        assert ImportJob.objects.count() == 1
        assert "Fix the bad rows" in response.content.decode()
        assert not Person.objects.filter(email="amara@example.org").exists()

    def test_it_refuses_a_file_over_the_size_limit_before_storing_it(
        self, cast: Cast, settings
    ) -> None:  # type: ignore[no-untyped-def]
        settings.NETWEAVE_IMPORT_MAX_BYTES = 20
        response = upload(client_for(cast, "coordinator"), cast, GOOD_CSV)

        assert response.status_code == 400
        assert "limit" in response.content.decode()
        assert not ImportJob.objects.exists()

    def test_a_vcard_must_be_imported_as_members(self, cast: Cast) -> None:
        response = upload(
            client_for(cast, "coordinator"), cast, b"BEGIN:VCARD\r\n", "c.vcf", "organizations"
        )

        assert response.status_code == 400
        assert not ImportJob.objects.exists()
