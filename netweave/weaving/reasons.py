"""The recommender's reasons (`details`, data) worded for one reader, in the active language.

The library words its reasons in English from the first person's point of view ("you both know
…"). A page shows them to that person, an email to the other one, and the weaving board to a
coordinator about both; each needs its own sentence, translated, and the names of third people
(shared contacts, a hub) only where the reader may see them (map consent)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Reader = Literal["source", "target", "coordinator"]


def people_in(details_lists: Iterable[list[dict[str, Any]]]) -> set[int]:
    """Every person id the reasons name (shared contacts, hubs), to look their names up once."""
    found: set[int] = set()
    for details in details_lists:
        for detail in details or []:
            for person_id in detail.get("people", []):
                found.add(int(person_id))
            if detail.get("hub") is not None:
                found.add(int(detail["hub"]))
    return found


def _join(words: list[str]) -> str:
    if len(words) < 2:
        return "".join(words)
    return format_lazy("{} {} {}", ", ".join(words[:-1]), _("and"), words[-1])  # type: ignore[return-value]


def _phrase(text: str) -> str:
    """A profile's "can offer" line inside a sentence: no final full stop, and no capital
    on its first word unless that is an acronym ("HIV" keeps its capitals)."""
    text = text.strip().rstrip(".").strip()
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        text = text[0].lower() + text[1:]
    return text


def _groups(groups: list[str]) -> str:
    labels = {
        "organizations": _("organizations"),
        "sectors": _("sectors"),
        "countries": _("countries"),
    }
    return str(_join([labels[group] for group in groups if group in labels]))


def reason_texts(
    details: list[dict[str, Any]],
    *,
    reader: Reader,
    source: str,
    target: str,
    names: Mapping[int, str] | None = None,
) -> list[str]:
    """The sentences for `reader`: "source" (the person the suggestion is for), "target" (the
    person suggested) or "coordinator" (about both, by name). `names` maps the person ids the
    reasons mention to the name the reader may see ("" or absent: not named)."""
    names = names or {}
    texts = [_one(detail, reader, source, target, names) for detail in details or []]
    return [text for text in texts if text]


def _one(
    detail: dict[str, Any], reader: Reader, source: str, target: str, names: Mapping[int, str]
) -> str:
    code = detail.get("code")
    values = {"source": source, "target": target}
    if code == "weaver":
        if reader == "source":
            return (
                _("you are new here, and %(target)s connects several groups of the network")
                % values
            )
        if reader == "target":
            return (
                _("%(source)s is new here, and you connect several groups of the network") % values
            )
        return (
            _("%(source)s is new here, and %(target)s connects several groups of the network")
            % values
        )
    if code == "shared":
        count = int(detail.get("count", 0))
        known = [names[int(i)] for i in detail.get("people", []) if names.get(int(i))]
        if known:
            others = count - len(known)
            listed = str(_join(known))
            if others > 0:
                listed = ngettext(
                    "%(names)s and %(count)d other", "%(names)s and %(count)d others", others
                ) % {"names": listed, "count": others}
            if reader == "coordinator":
                return _("they both know %(names)s") % {"names": listed}
            return _("you both know %(names)s") % {"names": listed}
        if reader == "coordinator":
            return ngettext(
                "they have %(count)d contact in common",
                "they have %(count)d contacts in common",
                count,
            ) % {"count": count}
        return ngettext(
            "you have %(count)d contact in common", "you have %(count)d contacts in common", count
        ) % {"count": count}
    if code == "topic":
        topic = {"topic": detail.get("topic", "")}
        if reader == "coordinator":
            return _("both work on %(topic)s") % topic
        return _("you both work on %(topic)s") % topic
    if code in ("they_offer", "you_offer"):
        # they_offer: the target offers what the source looks for; you_offer the other way.
        giver, seeker = ("target", "source") if code == "they_offer" else ("source", "target")
        phrase = _phrase(str(detail.get("phrase", "")))
        if reader == "coordinator":
            return _("%(giver)s can offer %(phrase)s, which %(seeker)s is looking for") % {
                "giver": values[giver],
                "seeker": values[seeker],
                "phrase": phrase,
            }
        if reader == giver:
            return _("you can offer %(phrase)s, which they are looking for") % {"phrase": phrase}
        return _("they can offer %(phrase)s, which you are looking for") % {"phrase": phrase}
    if code == "differ":
        groups = {"groups": _groups(list(detail.get("groups", [])))}
        if reader == "coordinator":
            return _("they come from different %(groups)s") % groups
        return _("you come from different %(groups)s") % groups
    if code == "bridge":
        if reader == "coordinator":
            return _("they are in different clusters of the network")
        return _("you are in different clusters of the network")
    if code == "core":
        if reader == "source":
            return _("they are at the core of the network and can bring you closer in")
        if reader == "target":
            return _("you are at the core of the network and can bring them closer in")
        return (
            _("%(target)s is at the core of the network and can bring %(source)s closer in")
            % values
        )
    if code == "core_pair":
        # A weaver's goal (strengthen the core), not a reason a member weighs: in a dense
        # network most pairs of core members would carry it.
        if reader == "coordinator":
            return _("both are at the core of the network; a tie between them makes it stronger")
        return ""
    if code == "relief":
        hub = names.get(int(detail["hub"])) if detail.get("hub") is not None else ""
        hub = hub or _("one member")
        if reader == "source":
            return _(
                "today you reach the network mainly through %(hub)s; "
                "this would give you a second way in"
            ) % {"hub": hub}
        if reader == "target":
            return _(
                "today they reach the network mainly through %(hub)s; "
                "you would give them a second way in"
            ) % {"hub": hub}
        return _(
            "today %(source)s reaches the network mainly through %(hub)s; "
            "this would give a second way in"
        ) % {"hub": hub, "source": source}
    if code == "similar":
        if reader == "coordinator":
            return _("their profiles are similar")
        return _("your profiles are similar")
    return ""
