"""The French and Spanish translations: complete catalogs, compiled, and pages that render in them.

The .mo files are build products (gitignored, compiled by `make install`); the `compiled_catalogs`
fixture compiles them when they are missing or older than their .po files, so these tests also work
on a fresh clone. msgfmt and xgettext come from Debian's gettext package, which `make test` installs.
"""

from __future__ import annotations

import ast
import datetime as dt
import fcntl
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.management import call_command
from django.core.signals import setting_changed
from django.test import Client
from django.test import signals as test_signals  # noqa: F401 - connects the receivers used below
from django.utils import translation
from django.utils.translation import gettext

from netweave.lib.required_parts import missing_part
from netweave.lib.testing import Cast
from netweave.people.models import Membership, Person

ROOT = Path(settings.BASE_DIR)
LOCALE_DIR = ROOT / "netweave" / "locale"
LANGUAGES = ["fr", "es"]
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);", "es": "nplurals=2; plural=(n != 1);"}


def need_gettext_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        missing_part(f"{name} is missing: install Debian's gettext package")
    return path


# --- a small reader for .po files ------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def read_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """The header's fields and every live (not obsolete) entry of a .po file."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int | None] | None = None

    def close() -> None:
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            close()
        elif line.startswith("#~"):
            continue  # obsolete entries are not compiled
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert target is not None, f"{path}:{number}: a string continues nothing"
            append(entry, target, ast.literal_eval(line))
        else:
            match = _KEYWORD.match(line)
            assert match, f"{path}:{number}: cannot read {line!r}"
            keyword, index, text = match.groups()
            if keyword in {"msgctxt", "msgid"} and target is not None and target[0] == "msgstr":
                close()
            if not entry.line:
                entry.line = number
            target = (
                ("msgstr", int(index or 0)) if keyword.startswith("msgstr") else (keyword, None)
            )
            append(entry, target, ast.literal_eval(text))
    close()
    header_entries = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    header: dict[str, str] = {}
    if header_entries:
        for item in header_entries[0].msgstr.get(0, "").splitlines():
            name, _sep, value = item.partition(":")
            header[name.strip()] = value.strip()
    return header, [e for e in entries if e.msgid or e.msgctxt is not None]


def append(entry: Entry, target: tuple[str, int | None], text: str) -> None:
    kind, index = target
    if kind == "msgstr":
        entry.msgstr[index or 0] = entry.msgstr.get(index or 0, "") + text
    else:
        setattr(entry, kind, (getattr(entry, kind) or "") + text)


def untranslated_or_fuzzy(entries: list[Entry]) -> list[str]:
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy, {entry.label}")
        forms = 2 if entry.msgid_plural is not None else 1
        if any(not entry.msgstr.get(i, "").strip() for i in range(forms)):
            problems.append(f"untranslated, {entry.label}")
    return problems


# Python named and positional placeholders, Django template variables, and HTML tags.
_PLACEHOLDER = re.compile(
    r"%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]|%[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]"
    r"|\{\{\s*[\w.]+\s*\}\}|</?[a-zA-Z][^>]*>"
)


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text.replace("%%", "")))


def placeholder_mismatches(entries: list[Entry]) -> list[str]:
    problems = []
    for entry in entries:
        if entry.msgid_plural is None:
            pairs = [(entry.msgid, entry.msgstr.get(0, ""))]
        else:  # every form must keep what the English plural keeps (the count included)
            pairs = [(entry.msgid_plural, text) for text in entry.msgstr.values()]
        for source, translated in pairs:
            if "python-format" not in entry.flags and "<" not in source:
                continue
            if placeholders(source) != placeholders(translated):
                problems.append(
                    f"{entry.label} keeps {placeholders(translated)}, "
                    f"not {placeholders(source)}: {translated!r}"
                )
    return problems


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


# --- compiling -------------------------------------------------------------------------------------


def reset_translation_caches() -> None:
    """Forget catalogs and 'is this language available' answers read before the .mo existed.

    Django's own test machinery does this when LANGUAGES or LOCALE_PATHS change.
    """
    for name in ("LOCALE_PATHS", "LANGUAGES"):
        setting_changed.send(
            sender=settings._wrapped.__class__,
            setting=name,
            value=getattr(settings, name),
            enter=False,
        )


@pytest.fixture(scope="session")
def compiled_catalogs() -> None:
    stale = [
        po
        for po in LOCALE_DIR.glob("*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if not stale:
        return
    need_gettext_tool("msgfmt")
    # pytest-xdist workers may get here together: one compiles while the others wait.
    lock_path = Path(tempfile.gettempdir()) / f"netweave-compilemessages-{os.getuid()}.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            call_command(
                "compilemessages",
                locale=sorted({po.parents[1].name for po in stale}),
                ignore_patterns=[".venv", "node_modules", ".git", "data", "frontend"],
                verbosity=0,
            )
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    reset_translation_caches()


# --- the catalogs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
class CatalogTests:
    def test_it_has_a_catalog_with_the_right_plural_forms(self, language: str) -> None:
        header, entries = read_po(po_path(language))
        assert header.get("Language") == language
        assert header.get("Plural-Forms") == PLURAL_FORMS[language]
        assert header.get("Content-Type") == "text/plain; charset=UTF-8"
        assert len(entries) > 300, "the catalog lost most of its strings"

    def test_every_entry_is_translated_and_none_is_fuzzy(self, language: str) -> None:
        _header, entries = read_po(po_path(language))
        assert untranslated_or_fuzzy(entries) == []

    def test_every_translation_keeps_the_placeholders_and_tags_of_its_english(
        self, language: str
    ) -> None:
        _header, entries = read_po(po_path(language))
        assert placeholder_mismatches(entries) == []

    def test_msgfmt_accepts_the_catalog_and_counts_nothing_untranslated(
        self, language: str
    ) -> None:
        msgfmt = need_gettext_tool("msgfmt")
        result = subprocess.run(
            [msgfmt, "--check", "--statistics", "-o", os.devnull, str(po_path(language))],
            capture_output=True,
            text=True,
            env={**os.environ, "LC_ALL": "C"},
        )
        assert result.returncode == 0, result.stderr
        assert re.fullmatch(r"\d+ translated messages?\.", result.stderr.strip()), result.stderr


class ReaderTests:
    """The checks above would pass on anything if the reader saw nothing: they must see faults."""

    def test_it_reports_untranslated_fuzzy_and_broken_placeholder_entries(
        self, tmp_path: Path
    ) -> None:
        po = tmp_path / "django.po"
        po.write_text(
            'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
            'msgid "Fine"\nmsgstr "Bien"\n\n'
            'msgid "Empty"\nmsgstr ""\n\n'
            '#, fuzzy\nmsgid "Guess"\nmsgstr "Devinette"\n\n'
            '#, python-format\nmsgid "Hello %(name)s"\nmsgstr "Bonjour %(nom)s"\n\n'
            'msgid "Go <a>here</a>"\nmsgstr "Allez ici"\n\n'
            '#, python-format\nmsgid "%(n)s member"\nmsgid_plural "%(n)s members"\n'
            'msgstr[0] "%(n)s membre"\nmsgstr[1] ""\n\n'
            '#~ msgid "Old"\n#~ msgstr ""\n',
            encoding="utf-8",
        )
        header, entries = read_po(po)
        assert header == {"Language": "fr"}
        assert [e.msgid for e in entries] == [
            "Fine",
            "Empty",
            "Guess",
            "Hello %(name)s",
            "Go <a>here</a>",
            "%(n)s member",
        ]
        assert len(untranslated_or_fuzzy(entries)) == 3
        mismatches = placeholder_mismatches(entries)
        assert [m.split(":")[0] for m in mismatches] == ["line 16", "line 19", "line 23"]


@pytest.mark.slow
def test_the_catalogs_hold_every_translatable_string_of_the_code(tmp_path: Path) -> None:
    """makemessages on a copy of the code, merged into copies of the catalogs, adds nothing new.

    When this fails, run `make messages`, translate the new entries in netweave/locale/*/, and
    check that this test passes.
    """
    need_gettext_tool("xgettext")
    copy = tmp_path / "src"
    skip = shutil.ignore_patterns("__pycache__", "*.mo", "vendor", "node_modules")
    for part in ["config", "netweave"]:
        shutil.copytree(ROOT / part, copy / part, ignore=skip)
    shutil.copy2(ROOT / "manage.py", copy / "manage.py")
    # A string only the copy has: proves the extraction read the copy and merged into its catalogs.
    canary = "A string added after the catalogs were translated"
    (copy / "netweave" / "templates" / "_translation_canary.html").write_text(
        "{% load i18n %}{% translate '" + canary + "' %}", encoding="utf-8"
    )
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--domain django" in makefile, "the Makefile no longer extracts messages this way"
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--domain", "django", "--verbosity", "0"]
        + [f"--locale={language}" for language in LANGUAGES]
        + [f"--ignore={pattern}" for pattern in [".venv", "frontend", "data", "bench", "docs"]],
        cwd=copy,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONPATH": ""},
    )
    assert result.returncode == 0, result.stderr
    for language in LANGUAGES:
        merged = copy / "netweave" / "locale" / language / "LC_MESSAGES" / "django.po"
        _header, entries = read_po(merged)
        problems = untranslated_or_fuzzy(entries)
        assert any(canary in problem for problem in problems), f"{language}: {result.stderr}"
        assert [p for p in problems if canary not in p] == [], language


# --- pages ------------------------------------------------------------------------------------------


@pytest.fixture
def translated(compiled_catalogs: None) -> Iterator[None]:
    yield
    translation.activate(settings.LANGUAGE_CODE)


def translated_text(language: str, english: str) -> str:
    with translation.override(language):
        text = gettext(english)
    assert text != english, f"no {language} translation of {english!r} is loaded"
    return text


def get(client: Client, path: str, *, accept: str | None = None, cookie: str | None = None):  # type: ignore[no-untyped-def]
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.usefixtures("translated")
class TranslatedPageTests:
    # One string that each page shows, in English.
    PAGES = [
        ("/", "Networks on this site"),
        ("/n/cast/", "The network in numbers"),
        ("/n/cast/members/", "Member directory"),
    ]

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_pages_follow_the_browsers_accept_language_header(
        self, cast: Cast, client: Client, language: str
    ) -> None:
        client.force_login(cast.member.user)
        for path, english in self.PAGES:
            html = get(client, path, accept=f"{language},en;q=0.5")
            assert f'<html lang="{language}">' in html, path
            assert translated_text(language, english) in html, path
            assert english not in html, path
            # Shared chrome and model choices are translated too.
            assert translated_text(language, "Sign out") in html, path

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_pages_follow_the_language_cookie_over_the_header(
        self, cast: Cast, client: Client, language: str
    ) -> None:
        html = get(client, "/n/cast/", accept="en", cookie=language)
        assert f'<html lang="{language}">' in html
        assert translated_text(language, "The network in numbers") in html
        assert translated_text(language, "Learning network") in html  # a model choice

    def test_english_stays_the_default(self, cast: Cast, client: Client) -> None:
        html = get(client, "/n/cast/")
        assert '<html lang="en">' in html
        assert "The network in numbers" in html

    def test_the_language_switcher_sets_the_language_for_the_next_pages(
        self, cast: Cast, client: Client
    ) -> None:
        html = get(client, "/n/cast/")
        assert 'action="/i18n/setlang/"' in html
        for code, _name in settings.LANGUAGES:
            assert f'<option value="{code}" lang="{code}"' in html
        assert ">Français</option>" in html
        assert ">Español</option>" in html

        response = client.post("/i18n/setlang/", {"language": "es", "next": "/n/cast/"})
        assert response.status_code == 302
        assert response["Location"] == "/n/cast/"
        html = get(client, "/n/cast/")
        assert '<html lang="es">' in html
        assert translated_text("es", "The network in numbers") in html
        assert '<option value="es" lang="es" selected>' in html

    def test_the_switcher_does_not_redirect_to_another_site(
        self, cast: Cast, client: Client
    ) -> None:
        response = client.post(
            "/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"}
        )
        assert response.status_code == 302
        assert "evil.example" not in response["Location"]

    @pytest.mark.parametrize(
        ("language", "date_text"),
        # Django's own long date formats for each language (DATE_FORMAT).
        [("en", "March 14, 2025"), ("fr", "14 mars 2025"), ("es", "14 de marzo de 2025")],
    )
    def test_dates_are_written_the_languages_way(
        self, cast: Cast, client: Client, language: str, date_text: str
    ) -> None:
        Membership.objects.filter(network=cast.network, person=cast.member).update(
            joined_at=dt.datetime(2025, 3, 14, 10, 0, tzinfo=dt.UTC)
        )
        client.force_login(cast.member.user)
        html = get(client, f"/n/cast/people/{cast.member.pk}/", accept=language)
        label = "Member since" if language == "en" else translated_text(language, "Member since")
        assert f"<dt>{label}</dt><dd>{date_text}</dd>" in html

    @pytest.mark.parametrize("language", ["en", *LANGUAGES])
    def test_numbers_are_grouped_the_languages_way(
        self, cast: Cast, client: Client, language: str
    ) -> None:
        people = Person.objects.bulk_create(
            Person(name=f"Bulk member {i}", email=f"bulk{i}@example.org") for i in range(1200)
        )
        Membership.objects.bulk_create(
            Membership(network=cast.network, person=person, status=Membership.Status.ACTIVE)
            for person in people
        )
        count = Membership.objects.filter(network=cast.network, status="active").count()
        with translation.override(language):
            grouped = intcomma(count)
        with translation.override("en"):
            english = intcomma(count)
        assert grouped != str(count), "the count is too small to be grouped"
        html = get(client, "/", accept=language)
        assert f"<dd>{grouped}</dd>" in html
        if language != "en":
            assert grouped != english
            assert f"<dd>{english}</dd>" not in html
