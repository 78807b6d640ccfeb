"""CSV in and out for small, synchronous jobs: the directory export and bulk invitations.
(Member and organization imports, with dry runs and progress, live in importing.py; reading
and neutralizing cells is netweave/lib/csvimport.py's.)"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from netweave.lib.csvimport import csv_cell, decode_upload
from netweave.people.models import Membership

__all__ = ["EXPORT_COLUMNS", "directory_rows", "parse_invitation_csv"]

EXPORT_COLUMNS = [
    "name", "email", "organization", "title", "role", "status", "joined", "country", "city",
    "languages", "expertise", "interests", "offers", "seeks", "map_consent",
]  # fmt: skip


def directory_rows(memberships: Iterable[Membership]) -> Iterator[list[str]]:
    yield EXPORT_COLUMNS
    for membership in memberships:
        person = membership.person
        affiliation = person.primary_affiliation
        row = [
            person.name,
            person.email,
            affiliation.organization.name if affiliation else "",
            affiliation.title if affiliation else "",
            membership.role,
            membership.status,
            membership.joined_at.date().isoformat() if membership.joined_at else "",
            str(person.country or ""),
            person.city,
            ";".join(person.languages or []),
            ";".join(person.expertise or []),
            ";".join(person.interests or []),
            person.offers,
            person.seeks,
            person.map_consent,
        ]
        yield [csv_cell(v) for v in row]


def parse_invitation_csv(
    content: bytes, *, allowed_roles: list[str]
) -> tuple[list[dict[str, str]], list[str]]:
    """Rows to invite and every problem, by line number. Nothing is sent when any row is bad."""
    try:
        text = decode_upload(content)
    except ValueError as error:
        return [], [str(error)]
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "email" not in fields:
        return [], [_("The file needs a header row with an “email” column.")]
    reader.fieldnames = fields
    rows: list[dict[str, str]] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        email = row.get("email", "").lower()
        role = (row.get("role") or "member").lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Line %(line)d: “%(email)s” is not an email address.")
                % {"line": line, "email": email}
            )
            continue
        if role not in allowed_roles:
            errors.append(
                _("Line %(line)d: you cannot invite someone as “%(role)s”.")
                % {"line": line, "role": role}
            )
            continue
        if email in seen:
            errors.append(
                _("Line %(line)d: %(email)s is already on line %(first)d.")
                % {"line": line, "email": email, "first": seen[email]}
            )
            continue
        seen[email] = line
        rows.append(
            {
                "email": email,
                "name": row.get("name", ""),
                "role": role,
                "message": row.get("message", ""),
            }
        )
    if not rows and not errors:
        errors.append(_("The file has no rows to invite."))
    return rows, errors
