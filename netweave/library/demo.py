"""Demo: the resource center of the learning network (`lahp`) and a few resources of the action
network (`vdan`).

- A topic tree of six topics with fourteen sub-topics, drawn from the network's field.
- About 290 resources in `lahp`, written in English, French and Spanish from the templates in
  `demo_data.py`: all ten kinds, authored by members and their organizations (and co-authors
  from outside), tagged with topics and life-cycle phases. Thirty of them come in two or three
  languages, linked through `translation_of`.
- Their life in the curation workflow, told by their revisions: most were published over the
  last three years (ten this month), some submitted by members and waiting (one by
  member@demo.netweave.org), some in review, a few archived. Some were edited or reviewed after
  publication; about a dozen are past their review-by date; six have a broken link.
- Five feeds with the items they brought in: most wait in the inbox, some were accepted (their
  resources published, two still in review, as `ingest.item_accept` makes them), some
  dismissed. One feed failed on its last three fetches. Every feed's next fetch is after its
  interval, and no fetch task is booked, so `netweave serve` does not fetch anything at once.
- The action network's dozen resources: the lead coordinator imported most of them from a
  spreadsheet (revision "imported") and added their translations by hand.

Rows are written directly (bulk inserts), keeping the rules the services keep: revision 1 for
every resource, a revision per change with the names of the fields that changed and the resource
as it was after it (`resource_snapshot`'s shape), `published_at` and `review_by` on everything
published, one item per feed and guid and one per link in a network. The search index is filled
at the end (`resources_reindex`)."""

from __future__ import annotations

import random
import string
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from netweave.demo import data
from netweave.demo.load import DemoContext, demo_step
from netweave.demo.plan import LAHP, VDAN
from netweave.library import demo_data as words
from netweave.library.demo_data import Words, bare, contract

KINDS = {
    "article": 50, "report": 24, "guidance": 14, "tool": 14, "presentation": 20, "story": 17,
    "dataset": 12, "event": 18, "funding": 15, "recording": 18,
}  # fmt: skip
# Translation groups: (kind, languages; the first is the original's).
GROUP_KINDS = ["guidance"] * 8 + ["report"] * 6 + ["tool"] * 7 + ["story"] * 4
GROUP_KINDS += ["recording"] * 2 + ["presentation"] * 3
GROUP_LANGUAGES = (
    [("en", "fr", "es")] * 12
    + [("en", "fr")] * 10
    + [("en", "es")] * 4
    + [("fr", "en")] * 2
    + [("es", "en")] * 2
)
SINGLES = 202  # besides the 72 resources of the translation groups and the 14 from feeds
SUBMITTED, IN_REVIEW, ARCHIVED = 15, 6, 10  # two more in review come from the feeds
THIS_MONTH, STALE, BROKEN, COORDINATORS_ONLY = 10, 12, 6, 6
HISTORY_DAYS = 3 * 365
# Feed items: (accepted, dismissed) per feed; the rest wait in the inbox.
DECISIONS = {"journal": (4, 3), "who": (2, 4), "calls": (3, 1), "blog": (2, 2), "preprints": (3, 3)}
ACCEPTED_INTO_REVIEW = 2  # accepted without publishing: waiting in review
FAILING_BACKOFF = timedelta(days=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


# --- writing --------------------------------------------------------------------------------------


def fmt_int(value: int, language: str) -> str:
    if language == "en":
        return f"{value:,}"
    if language == "fr":
        return f"{value:,}".replace(",", "\u202f")
    return f"{value:,}".replace(",", ".") if value >= 10000 else str(value)


def fmt_amount(value: int, language: str) -> str:
    if language == "en":
        return f"US${value:,}"
    return f"{fmt_int(value, language)} USD" if language == "fr" else f"USD {fmt_int(value, 'es')}"


def fmt_date(day: date, language: str) -> str:
    month = words.MONTHS[language][day.month - 1]
    if language == "es":
        return f"{day.day} de {month} de {day.year}"
    return f"{day.day} {month} {day.year}"


def fmt_month(day: date, language: str) -> str:
    month = words.MONTHS[language][day.month - 1]
    return f"{month} de {day.year}" if language == "es" else f"{month} {day.year}"


@dataclass
class Choice:
    """Everything a resource's text says, chosen once so that its translations say the same."""

    kind: str
    topic: str
    subject: Words
    subject2: Words
    population: Words
    place: words.Place
    city: str
    area: str  # delivery | regulatory | markets: which sentences fit
    title: int
    opening: int
    middles: tuple[int, ...]
    bullets: tuple[int, ...]
    closing: int
    numbers: dict[str, int]
    enabler: Words
    worry: Words
    call: Words
    org: str
    speaker: str
    year: int
    when: date  # an event's date, a call's deadline, the learning call of slides


class Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.places = {place.code: place for place in words.PLACES}

    def choose(
        self, *, kind: str, topic: str, language: str, org: str, speaker: str, year: int, when: date
    ) -> Choice:
        rng = self.rng
        subjects = words.SUBJECTS[topic]
        subject = rng.choice(subjects)
        others = [s for s in subjects if s != subject]
        populations = words.TOPIC_POPULATIONS.get(topic) or range(len(words.POPULATIONS))
        # "Combination prevention for young women among young women": not twice the same people.
        fitting = [i for i in populations if not _overlap(subject.en, words.POPULATIONS[i].en)]
        population = words.POPULATIONS[rng.choice(fitting or list(range(len(words.POPULATIONS))))]
        place = self.places[rng.choice(words.PLACES_BY_LANGUAGE[language])]
        area = words.AREAS.get(topic, "delivery")
        titles = words.TITLES[kind]["en"]
        openings = words.OPENINGS[kind]["en"]
        title_options = [i for i, t in enumerate(titles) if area == "delivery" or "{pop}" not in t]
        title = rng.choice(title_options)
        opening_options = (
            words.OPENING_FOR[kind][title]
            if kind in words.OPENING_FOR
            else list(range(len(openings)))
        )
        if area != "delivery":  # no clients' voices in a study of procurement or of regulators
            opening_options = [
                i
                for i in opening_options
                if "{pop}" not in openings[i] and "{n2}" not in openings[i]
            ] or [len(openings) - 1]
        group = words.GROUP[kind]
        middles = self.middles(group, area)["en"]
        picked = tuple(sorted(rng.sample(range(len(middles)), rng.choice((1, 1, 2)))))
        bullets: tuple[int, ...] = ()
        pool = self.bullets(group, area)
        if pool and rng.random() < 0.45:
            bullets = tuple(rng.sample(range(len(pool["en"])), rng.choice((3, 3, 4))))
        return Choice(
            kind=kind,
            topic=topic,
            subject=subject,
            subject2=rng.choice(others) if others else subject,
            population=population,
            place=place,
            city=rng.choice(place.cities),
            area=area,
            title=title,
            opening=rng.choice(opening_options),
            middles=picked,
            bullets=bullets,
            closing=rng.randrange(len(words.CLOSINGS[group]["en"])),
            numbers={
                "n": rng.randint(3, 24),
                "n2": rng.choice((rng.randint(120, 900), rng.randint(900, 4800))),
                "n3": rng.choice((40, 60, 80, 120, 150, 200, 250)),
                "pct": rng.randint(55, 91),
                "pct2": rng.randint(12, 45),
                "months": rng.choice((6, 9, 12, 18, 24)),
                "minutes": rng.choice((60, 75, 90)),
                "hour": rng.choice((9, 12, 13, 14, 15)),
                "amount": rng.choice((25, 40, 50, 75, 100, 150, 250, 400, 500)) * 1000,
            },
            enabler=rng.choice(words.ENABLERS),
            worry=rng.choice(words.WORRIES),
            call=rng.choice(words.CALLS),
            org=org,
            speaker=speaker,
            year=year,
            when=when,
        )

    @staticmethod
    def middles(group: str, area: str) -> dict[str, list[str]]:
        if group == "research" and area in words.MIDDLES_BY_AREA:
            return words.MIDDLES_BY_AREA[area]
        return words.MIDDLES[group]

    @staticmethod
    def bullets(group: str, area: str) -> dict[str, list[str]] | None:
        if group in ("research", "practice") and area in words.BULLETS_BY_AREA:
            return words.BULLETS_BY_AREA[area]
        return words.BULLETS.get(group)

    def slots(self, choice: Choice, language: str) -> dict[str, str]:
        n = choice.numbers
        subject = choice.subject.get(language)
        return {
            "S": bare(subject),
            "s": subject,
            "s2": choice.subject2.get(language),
            "pop": choice.population.get(language),
            "where": choice.place.where.get(language),
            "place": choice.place.name.get(language),
            "region": words.REGIONS[choice.place.region].get(language),
            "city": choice.city,
            "n": str(n["n"]),
            "n2": fmt_int(n["n2"], language),
            "n3": str(n["n3"]),
            "pct": str(n["pct"]),
            "pct2": str(n["pct2"]),
            "months": str(n["months"]),
            "minutes": str(n["minutes"]),
            "hour": str(n["hour"]),
            "amount": fmt_amount(n["amount"], language),
            "year": str(choice.year),
            "year_start": str(choice.year - 2),
            "date": fmt_date(choice.when, language),
            "deadline": fmt_date(choice.when, language),
            "month_year": fmt_month(choice.when, language),
            "org": choice.org,
            "speaker": choice.speaker,
            "enabler": choice.enabler.get(language),
            "worry": choice.worry.get(language),
            "call": choice.call.get(language),
        }

    def title(self, choice: Choice, language: str) -> str:
        text = words.TITLES[choice.kind][language][choice.title].format(
            **self.slots(choice, language)
        )
        text = contract(text, language)
        return text[:1].upper() + text[1:]

    def summary(self, choice: Choice, language: str, *, plain: bool = False) -> str:
        slots = self.slots(choice, language)
        group = words.GROUP[choice.kind]

        def fill(template: str) -> str:
            text = contract(template.format(**slots), language)
            return text[:1].upper() + text[1:]

        middles = self.middles(group, choice.area)[language]
        first = [fill(words.OPENINGS[choice.kind][language][choice.opening])]
        first += [fill(middles[i]) for i in choice.middles]
        paragraphs = [" ".join(first)]
        bullets = self.bullets(group, choice.area)
        if choice.bullets and bullets and not plain:
            heading = words.HEADINGS[
                "practice" if group == "practice" and choice.area == "delivery" else "research"
            ]
            lines = [f"- {fill(bullets[language][i])}" for i in choice.bullets]
            paragraphs.append(f"**{heading.get(language)}**\n\n" + "\n".join(lines))
        paragraphs.append(fill(words.CLOSINGS[group][language][choice.closing]))
        return (" " if plain else "\n\n").join(paragraphs)


def _overlap(subject: str, population: str) -> bool:
    significant = {"women", "men", "sex", "workers", "transgender", "students", "pharmacy", "young"}
    return bool(significant & set(subject.lower().split()) & set(population.lower().split()))


# --- the plan of one resource -------------------------------------------------------------------


@dataclass
class Step:
    """One revision: what happened, and the resource's status and review-by date after it."""

    when: datetime
    action: str
    editor: Any
    changed: list[str]
    status: str
    review_by: date | None
    note: str = ""
    finalizes: tuple[str, ...] = ()  # draft fields that take their final value here


@dataclass
class Planned:
    network: str
    kind: str
    language: str
    title: str
    summary: str
    url: str
    topics: list[str]
    phases: list[str]
    people: list[Any]
    organizations: list[Any]
    other_authors: str
    visibility: str
    publication_date: date | None
    status: str = "published"
    published_at: datetime | None = None
    review_by: date | None = None
    submitted_by: Any = None
    link_status: str = "unchecked"
    link_checked_at: datetime | None = None
    link_error: str = ""
    original: Planned | None = None
    steps: list[Step] = field(default_factory=list)
    draft: dict[str, Any] = field(default_factory=dict)  # values before the edits
    resource: Any = None

    @property
    def created_at(self) -> datetime:
        return self.steps[0].when


@dataclass
class Cast:
    """Who writes, submits and curates."""

    lead: Any
    curators: list[Any]  # coordinators and stewards, the lead first
    members: dict[str, list[tuple[Any, Any]]]  # language -> [(person, organization)]
    member_account: tuple[Any, Any]
    host: Any
    funders: list[Any]
    organizations_by_domain: dict[str, Any]

    def curator(self, rng: random.Random) -> Any:
        weights = [4, 3] + [1] * (len(self.curators) - 2)
        return rng.choices(self.curators, weights=weights[: len(self.curators)])[0]


def _cast(ctx: DemoContext) -> Cast:
    plan = ctx.plan
    by_email = {p.email: p for p in plan.people}
    roles = {
        m.email: m.role for m in plan.memberships if m.network == LAHP and m.status == "active"
    }
    lead = ctx.people[data.COORDINATOR_EMAIL]
    curators = [lead] + [
        ctx.people[email]
        for email in sorted(roles, key=lambda e: (roles[e] != "coordinator", e))
        if roles[email] in ("coordinator", "steward") and email != data.COORDINATOR_EMAIL
    ]
    members: dict[str, list[tuple[Any, Any]]] = {"en": [], "fr": [], "es": []}
    for email, role in sorted(roles.items()):
        if role not in ("member", "steward"):
            continue
        planned = by_email[email]
        pair = (ctx.people[email], ctx.organizations[planned.organization.name])
        language = planned.profile.writing_language
        members["en"].append(pair)
        if language in ("fr", "es"):
            members[language].append(pair)
    member = by_email[data.MEMBER_EMAIL]
    organizations_by_domain = {
        org.domain: ctx.organizations[org.name] for org in [plan.host, *plan.organizations]
    }
    return Cast(
        lead=lead,
        curators=curators,
        members=members,
        member_account=(
            ctx.people[data.MEMBER_EMAIL],
            ctx.organizations[member.organization.name],
        ),
        host=ctx.organizations[plan.host.name],
        funders=[ctx.organizations[o.name] for o in plan.organizations if o.kind == "funder"],
        organizations_by_domain=organizations_by_domain,
    )


class Library:
    """Plans the resources of `lahp`, then their lives; `write()` stores them all."""

    def __init__(self, ctx: DemoContext, network: Any, cast: Cast) -> None:
        self.ctx, self.rng, self.network, self.cast = ctx, ctx.rng, network, cast
        self.writer = Writer(ctx.rng)
        self.today = ctx.today
        self.now = timezone.now()
        self.month_start = self.today.replace(day=1)
        self.planned: list[Planned] = []
        self.titles: set[str] = set()
        self.urls: set[str] = set()
        self.topic_slugs = list(words.TOPIC_WEIGHTS)
        self.topic_weights = list(words.TOPIC_WEIGHTS.values())
        self.parents = {t.slug: t.parent for t in words.LAHP_TOPICS}
        self.leaves = {t.slug for t in words.LAHP_TOPICS if t.parent}

    # - moments -

    def at(self, day: date) -> datetime:
        """A working hour of `day`, never later than a few minutes ago."""
        moment = time(self.rng.randint(8, 17), self.rng.randint(0, 59))
        when = timezone.make_aware(datetime.combine(day, moment))
        return min(when, self.now - timedelta(minutes=self.rng.randint(5, 90)))

    def after(self, when: datetime, low: float, high: float) -> datetime:
        """Between `low` and `high` days after `when`, never later than a few minutes ago."""
        later = when + timedelta(hours=self.rng.uniform(24 * low, 24 * high))
        return max(min(later, self.now - timedelta(minutes=5)), when + timedelta(minutes=1))

    def ahead(self, kind: str, days: int) -> date:
        """The day a waiting submission counts from: an event or a call still to come."""
        return self.today if kind in ("event", "funding") else self.today - timedelta(days=days)

    def past_day(self) -> date:
        """A day of the last three years before this month; recent days more likely."""
        span = HISTORY_DAYS
        offset = int(span * (self.rng.random() ** 1.25))
        return self.month_start - timedelta(days=1 + offset)

    # - who and what -

    def authors(self, language: str, kind: str) -> tuple[list[Any], list[Any], str]:
        rng = self.rng
        pool = self.cast.members[language] or self.cast.members["en"]
        count = rng.choice((1, 1, 1, 2, 2, 3)) if kind in ("article", "report") else 1
        pairs = rng.sample(pool, min(count, len(pool)))
        people = [person for person, _org in pairs]
        organizations = list(dict.fromkeys(org for _person, org in pairs))
        others = ""
        if kind in ("article", "report", "dataset") and rng.random() < 0.55:
            others = ", ".join(rng.sample(words.OTHER_AUTHORS, rng.randint(1, 4)))
        return people, organizations, others

    def topic(self) -> str:
        return self.rng.choices(self.topic_slugs, weights=self.topic_weights)[0]

    def topics_for(self, primary: str) -> list[str]:
        topics = [primary]
        roll = self.rng.random()
        if roll < 0.3:
            other = self.topic()
            if other != primary:
                topics.append(other)
        elif roll < 0.4:
            topics.append(self.parents[primary])
        return topics

    def phases(self) -> list[str]:
        model = list(self.network.phase_model or [])
        if not model or self.rng.random() < 0.15:
            return []
        weights = [2, 2.5, 4, 1.5][: len(model)] + [1] * max(0, len(model) - 4)
        first = self.rng.choices(model, weights=weights)[0]
        phases = [first]
        if self.rng.random() < 0.3:
            second = self.rng.choice(model)
            if second != first:
                phases.append(second)
        return [p for p in model if p in phases]

    def unique_title(self, title: str) -> bool:
        if title.lower() in self.titles:
            return False
        self.titles.add(title.lower())
        return True

    def digits(self, count: int) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(count))

    def url(
        self, *, kind: str, title: str, organization: Any, body: words.Body | None, year: int
    ) -> str:
        rng = self.rng
        slug = slugify(title)[:70].strip("-") or "resource"
        for _attempt in range(20):
            if body is not None:
                pattern = body.url
            elif kind == "article":
                pattern = rng.choice(words.JOURNALS)
            elif kind == "dataset":
                pattern = rng.choice(words.DATA_HOSTS)
            elif kind == "recording" and rng.random() < 0.6:
                pattern = rng.choice(words.VIDEO_HOSTS)
            else:
                site = (organization.website if organization else self.cast.host.website).rstrip(
                    "/"
                )
                pattern = f"{site}/{words.SECTIONS[kind]}/{{slug}}"
            url = pattern.format(
                slug=slug,
                year=year,
                yy=year % 100,
                d=rng.randint(1, 9),
                digits=self.digits(7),
                digits3=self.digits(3),
                digits4=self.digits(4),
                digits5=self.digits(5),
                digits6=self.digits(6),
                digits7=self.digits(7),
                digits9=self.digits(9),
                code="".join(rng.choice("23456789bcdfghjkmnpqrstvwxz") for _ in range(10)),
                video="".join(rng.choice(string.ascii_letters + string.digits) for _ in range(11)),
            )
            if url not in self.urls:
                self.urls.add(url)
                return url
            slug = f"{slug}-{rng.randint(2, 99)}"
        raise RuntimeError("no free address for a demo resource")  # pragma: no cover

    def when_for(self, kind: str, published: date) -> tuple[date, date]:
        """(the date of the work, the date its text mentions: an event, a deadline, a call)."""
        rng = self.rng
        if kind == "event":
            when = published + timedelta(days=rng.randint(7, 40))
            return when, when
        if kind == "funding":
            return published - timedelta(days=rng.randint(0, 5)), published + timedelta(
                days=rng.randint(30, 75)
            )
        if kind in ("presentation", "recording", "story"):
            day = published - timedelta(days=rng.randint(0, 20))
            return day, day
        back = rng.randint(0, 150) if rng.random() < 0.8 else rng.randint(365, 3 * 365)
        return published - timedelta(days=back), published

    # - one resource -

    def write(
        self,
        *,
        kind: str,
        language: str,
        published: date,
        translations: tuple[str, ...] = (),
        visibility: str | None = None,
        authors: tuple[list[Any], list[Any], str] | None = None,
        topic: str | None = None,
    ) -> list[Planned]:
        """Plan a resource (and its translations, which say the same in other languages)."""
        rng = self.rng
        for _attempt in range(40):
            primary = topic or self.topic()
            if kind == "story" and primary in words.AREAS:
                continue  # stories are told about services and the people who use them
            body = None
            people, organizations, others = authors or ([], [], "")
            if authors is None:
                external = [b for b in words.BODIES if kind in b.kinds]
                if external and rng.random() < 0.3:
                    body = rng.choice(external)
                    others = body.name
                elif kind == "funding":
                    funder = rng.choice(self.cast.funders)
                    organizations = [funder]
                    people = [
                        p
                        for p, org in self.cast.members["en"]
                        if org.pk == funder.pk and rng.random() < 0.5
                    ][:1]
                elif kind in ("event", "recording", "presentation") and rng.random() < 0.45:
                    people = [rng.choice(self.cast.curators[:2])]
                    organizations = [self.cast.host]
                else:
                    people, organizations, others = self.authors(language, kind)
            work_date, mentioned = self.when_for(kind, published)
            org_name = (
                body.name
                if body
                else (organizations[0].name if organizations else self.cast.host.name)
            )
            speaker = people[0].name if people else self.cast.lead.name
            choice = self.writer.choose(
                kind=kind,
                topic=primary,
                language=language,
                org=org_name,
                speaker=speaker,
                year=work_date.year,
                when=mentioned,
            )
            languages = (language, *translations)
            titles = [self.writer.title(choice, lang) for lang in languages]
            if len(set(titles)) != len(titles) or any(t.lower() in self.titles for t in titles):
                continue
            for title in titles:
                self.unique_title(title)
            topics = self.topics_for(primary)
            phases = self.phases()
            chosen_visibility = (
                visibility or rng.choices(["public", "network"], weights=[0.64, 0.36])[0]
            )
            if kind in ("event", "funding") and visibility is None:
                chosen_visibility = "public"
            made: list[Planned] = []
            for lang, title in zip(languages, titles, strict=True):
                organization = organizations[0] if organizations else None
                made.append(
                    Planned(
                        network=LAHP,
                        kind=kind,
                        language=lang,
                        title=title,
                        summary=self.writer.summary(choice, lang),
                        url=self.url(
                            kind=kind,
                            title=title,
                            organization=organization,
                            body=body,
                            year=work_date.year,
                        ),
                        topics=list(topics),
                        phases=list(phases),
                        people=list(people),
                        organizations=list(organizations),
                        other_authors=others,
                        visibility=chosen_visibility,
                        publication_date=work_date,
                        original=made[0] if made else None,
                    )
                )
            return made
        raise RuntimeError("could not write a new title")  # pragma: no cover

    # - lives -

    def publish_life(
        self,
        planned: Planned,
        published: datetime,
        *,
        submitted: bool,
        edits: int = 0,
    ) -> None:
        rng = self.rng
        curator = self.cast.curator(rng)
        steps = planned.steps
        due = add_months(published.date(), settings.NETWEAVE_LIBRARY_REVIEW_MONTHS)
        if submitted:
            submitter = planned.people[0] if planned.people else self.member(planned.language)
            planned.submitted_by = submitter
            created = published - timedelta(hours=rng.uniform(24 * 2, 24 * 25))
            steps.append(Step(created, "submitted", submitter, [], "submitted", None))
            if rng.random() < 0.6:
                review = created + (published - created) * rng.uniform(0.1, 0.6)
                steps.append(
                    Step(
                        review,
                        "in_review",
                        curator,
                        ["status"],
                        "in_review",
                        None,
                        rng.choice(words.REVIEW_NOTES),
                    )
                )
                if rng.random() < 0.4:
                    self.edit(planned, review + (published - review) * 0.5, curator, "in_review")
            steps.append(
                Step(published, "published", curator, ["status", "review_by"], "published", due)
            )
        else:
            planned.submitted_by = curator
            steps.append(Step(published, "published", curator, [], "published", due))
        planned.published_at = published
        # Reviews: a curator looks again when the review-by date comes (see also mark_stale).
        review_months = settings.NETWEAVE_LIBRARY_REVIEW_MONTHS
        while due <= self.today:
            day = due - timedelta(days=rng.randint(0, 21))
            day = max(day, published.date() + timedelta(days=1))
            due = add_months(day, review_months)
            steps.append(
                Step(
                    self.at(day),
                    "edited",
                    self.cast.curator(rng),
                    ["review_by"],
                    "published",
                    due,
                    "Reviewed: still current.",
                )
            )
        planned.review_by = due
        for _ in range(edits):
            start = published + timedelta(days=1)
            if start >= self.now - timedelta(days=1):
                break
            self.edit(planned, self.after(start, 0, (self.now - start).days), None, "published")

    def edit(self, planned: Planned, when: datetime, editor: Any, status: str) -> None:
        """An edit at `when`: before it, one field had an earlier value (kept in `draft`)."""
        rng = self.rng
        options = [
            name
            for name in ("summary", "topics", "title", "phases", "other_authors", "visibility")
            if name not in planned.draft
        ]
        rng.shuffle(options)
        for name in options:
            value = self.earlier(planned, name)
            if value is None:
                continue
            planned.draft[name] = value
            planned.steps.append(
                Step(
                    when,
                    "edited",
                    editor or self.cast.curator(rng),
                    [name],
                    status,
                    None,  # carried over from the step before when stored
                    rng.choice(words.EDIT_NOTES[name]),
                    (name,),
                )
            )
            return

    def earlier(self, planned: Planned, name: str) -> Any:
        """An earlier value of `name` that an edit replaced, or None when there is none to tell."""
        if name == "summary":
            paragraphs = planned.summary.split("\n\n")
            return paragraphs[0] if len(paragraphs) > 1 else None
        if name == "topics":
            return planned.topics[:-1] if len(planned.topics) > 1 else None
        if name == "title":
            draft = {"en": "(draft)", "fr": "(brouillon)", "es": "(borrador)"}[planned.language]
            return f"{planned.title} {draft}"
        if name == "phases":
            return [] if planned.phases else None
        if name == "other_authors":
            return "" if planned.other_authors else None
        if name == "visibility":
            if planned.visibility == "public":
                return "network"
            return "public" if planned.visibility == "network" else None
        return None  # pragma: no cover

    def member(self, language: str) -> Any:
        pool = self.cast.members[language] or self.cast.members["en"]
        return self.rng.choice(pool)[0]

    def submission_life(self, planned: Planned, *, in_review: bool, days: int) -> None:
        rng = self.rng
        submitter = planned.submitted_by or (
            planned.people[0] if planned.people else self.member(planned.language)
        )
        planned.submitted_by = submitter
        created = self.at(self.today - timedelta(days=days))
        planned.steps.append(Step(created, "submitted", submitter, [], "submitted", None))
        if rng.random() < 0.25:
            self.edit(planned, self.after(created, 0.1, 2), submitter, "submitted")
        if in_review:
            review = self.after(created, 1, max(1.5, days - 0.5))
            planned.steps.append(
                Step(
                    review,
                    "in_review",
                    self.cast.curator(rng),
                    ["status"],
                    "in_review",
                    None,
                    rng.choice(words.REVIEW_NOTES),
                )
            )
        planned.status = planned.steps[-1].status

    # - the whole library -

    def plan_all(self) -> None:
        rng = self.rng
        # Translation groups: the original first, translations some weeks later.
        groups = list(zip(GROUP_KINDS, GROUP_LANGUAGES, strict=True))
        rng.shuffle(groups)
        for kind, languages in groups:
            published = self.past_day()
            while published > self.month_start - timedelta(days=130):
                published = self.past_day()
            made = self.write(
                kind=kind, language=languages[0], published=published, translations=languages[1:]
            )
            when = self.at(published)
            for index, planned in enumerate(made):
                if index:
                    when = self.after(when, 10, 100)
                    when = min(when, self.at(self.month_start - timedelta(days=2)))
                self.publish_life(planned, when, submitted=index == 0 and rng.random() < 0.4)
                planned.link_status = "ok"
            self.planned += made

        # Single resources, each with a story of its own.
        kinds = rng.choices(list(KINDS), weights=list(KINDS.values()), k=SINGLES)
        stories = (
            ["submitted"] * SUBMITTED
            + ["in_review"] * (IN_REVIEW - 1)
            + ["republished_in_review"]
            + ["archived"] * ARCHIVED
            + ["this_month"] * THIS_MONTH
        )
        stories += ["published"] * (SINGLES - len(stories))
        rng.shuffle(stories)
        # The member account's own submission, waiting for a curator.
        first_submission = stories.index("submitted")
        kinds[first_submission] = "report"
        written_in = rng.choices(["en", "fr", "es"], weights=[0.68, 0.17, 0.15], k=SINGLES)
        written_in[first_submission] = "en"
        for index, (kind, language, story) in enumerate(
            zip(kinds, written_in, stories, strict=True)
        ):
            authors = None
            if index == first_submission:
                person, org = self.cast.member_account
                authors = ([person], [org], "")
            if story == "submitted":
                days = 3 if index == first_submission else rng.randint(0, 40)
                (planned,) = self.write(
                    kind=kind,
                    language=language,
                    published=self.ahead(kind, days),
                    authors=authors,
                )
                if authors is not None:
                    planned.submitted_by = self.cast.member_account[0]
                self.submission_life(planned, in_review=False, days=days)
            elif story == "in_review":
                days = rng.randint(6, 60)
                (planned,) = self.write(
                    kind=kind, language=language, published=self.ahead(kind, days)
                )
                self.submission_life(planned, in_review=True, days=days)
            elif story == "this_month":
                day = self.month_start + timedelta(
                    days=rng.randint(0, (self.today - self.month_start).days)
                )
                (planned,) = self.write(kind=kind, language=language, published=day)
                self.publish_life(planned, self.at(day), submitted=rng.random() < 0.6)
                if rng.random() < 0.5:
                    planned.link_status = "ok"
            elif story == "archived":
                day = self.month_start - timedelta(days=rng.randint(420, HISTORY_DAYS))
                (planned,) = self.write(kind=kind, language=language, published=day)
                self.publish_life(planned, self.at(day), submitted=rng.random() < 0.5)
                assert planned.published_at is not None
                first = planned.published_at
                archived = self.after(first, 200, (self.now - first).days - 20)
                planned.steps = [s for s in planned.steps if s.when < archived]
                planned.steps.append(
                    Step(
                        archived,
                        "archived",
                        self.cast.curator(rng),
                        ["status"],
                        "archived",
                        None,
                        rng.choice(words.ARCHIVE_NOTES),
                    )
                )
                planned.status = "archived"
                planned.link_status = "ok"
            else:
                day = self.past_day()
                (planned,) = self.write(kind=kind, language=language, published=day)
                edits = rng.choices((0, 1, 2), weights=(0.72, 0.2, 0.08))[0]
                self.publish_life(planned, self.at(day), submitted=rng.random() < 0.55, edits=edits)
                planned.link_status = "ok"
                if story == "republished_in_review":
                    last = max(step.when for step in planned.steps)
                    when = self.after(max(last, self.now - timedelta(days=12)), 0.1, 10)
                    planned.steps.append(
                        Step(
                            when,
                            "in_review",
                            self.cast.curator(rng),
                            ["status"],
                            "in_review",
                            None,
                            "A second edition is out: checking whether to replace the link.",
                        )
                    )
                    planned.status = "in_review"
            self.planned.append(planned)

        self.mark_stale()
        self.mark_visibility()

    def mark_stale(self) -> None:
        """About a dozen published resources whose review-by date went by with nobody looking."""
        rng = self.rng
        candidates = [
            p
            for p in self.planned
            if p.status == "published"
            and p.published_at is not None
            and p.published_at.date() < self.today - timedelta(days=400)
            and not any(s.action == "edited" and "review_by" not in s.changed for s in p.steps)
        ]
        rng.shuffle(candidates)
        marked = 0
        for planned in candidates:
            if marked == STALE:
                break
            steps = [s for s in planned.steps if s.changed != ["review_by"]]
            published = planned.published_at
            assert published is not None
            kept = [s for s in planned.steps if s not in steps]
            # Keep the reviews but the last one: the resource went past its date since.
            due = add_months(published.date(), settings.NETWEAVE_LIBRARY_REVIEW_MONTHS)
            reviews = []
            for review in kept:
                nxt = add_months(review.when.date(), settings.NETWEAVE_LIBRARY_REVIEW_MONTHS)
                if nxt < self.today - timedelta(days=3):
                    reviews.append(review)
                    due = nxt
            if due >= self.today - timedelta(days=3):
                continue
            planned.steps = sorted([*steps, *reviews], key=lambda s: s.when)
            planned.review_by = due
            marked += 1

    def mark_visibility(self) -> None:
        rng = self.rng
        singles = [
            p
            for p in self.planned
            if p.original is None
            and not any(q.original is p for q in self.planned)
            and p.kind in ("report", "dataset", "guidance", "article")
            and p.status == "published"
            and p.review_by is not None
            and p.review_by > self.today
            and "visibility" not in p.draft
        ]
        for planned in rng.sample(singles, COORDINATORS_ONLY):
            planned.visibility = "coordinators"

    def check_links(self) -> None:
        """When each link was last checked: most a few weeks ago, six found broken."""
        rng = self.rng
        published = [
            p
            for p in self.planned
            if p.status == "published"
            and p.link_status == "ok"
            and p.review_by is not None
            and p.review_by > self.today
        ]
        broken = rng.sample(published, BROKEN)
        for planned in self.planned:
            if planned.status == "archived":
                assert planned.published_at is not None
                planned.link_checked_at = self.after(planned.published_at, 1, 120)
                last = max(s.when for s in planned.steps)
                planned.link_checked_at = min(planned.link_checked_at, last)
            elif planned.link_status == "ok":
                start = max(s.when for s in planned.steps)
                earliest = max(start, self.now - timedelta(days=25))
                planned.link_checked_at = self.after(earliest, 0, 2)
        for planned in broken:
            planned.link_status = "broken"
            planned.link_error = rng.choice(words.BROKEN_LINKS)
            checked = planned.link_checked_at or self.now
            planned.steps.append(
                Step(
                    checked,
                    "link",
                    None,
                    ["link_status"],
                    planned.status,
                    None,
                    planned.link_error,
                )
            )


# --- feeds ----------------------------------------------------------------------------------------


@dataclass
class PlannedItem:
    feed: str
    guid: str
    link: str
    title: str
    summary: str
    author: str
    published_at: datetime
    fetched_at: datetime
    status: str = "new"
    decided_by: Any = None
    decided_at: datetime | None = None
    planned: Planned | None = None


class Feeds:
    def __init__(self, library: Library) -> None:
        self.library = library
        self.rng = library.rng
        self.now = library.now
        self.fetched: dict[str, datetime] = {}
        self.items: list[PlannedItem] = []
        self.links: set[str] = set(library.urls)

    def last_fetch(self, spec: words.FeedSpec) -> datetime:
        if spec.key == "blog":  # failing: its last good fetch was a day and a half ago
            return self.now - timedelta(hours=38 + self.rng.uniform(0, 3))
        return self.now - timedelta(minutes=self.rng.randint(15, min(spec.interval_minutes, 240)))

    def plan(self) -> None:
        rng = self.rng
        library = self.library
        for spec in words.FEEDS:
            last = self.last_fetch(spec)
            self.fetched[spec.key] = last
            accepted, dismissed = DECISIONS[spec.key]
            decided = ["accepted"] * accepted + ["dismissed"] * dismissed
            statuses = decided + ["new"] * (spec.items - len(decided))
            for index, status in enumerate(statuses):
                if status == "new":
                    published = last - timedelta(hours=rng.uniform(1, 24 * 24))
                else:
                    start = library.month_start - timedelta(days=4)
                    published = self.library.at(start - timedelta(days=rng.randint(0, 80)))
                item = self.item(spec, index, published, last)
                item.status = status
                if status != "new":
                    item.decided_by = library.cast.curator(rng)
                    item.decided_at = item.fetched_at + timedelta(hours=rng.uniform(1, 72))
                if status == "accepted":
                    into_review = spec.key == "journal" and index < ACCEPTED_INTO_REVIEW
                    item.planned = self.accept(spec, item, publish=not into_review)
                self.items.append(item)

    def item(
        self, spec: words.FeedSpec, index: int, published: datetime, last: datetime
    ) -> PlannedItem:
        rng = self.rng
        library = self.library
        topic = library.topic()
        if spec.key == "who":
            title, summary = words.WHO_NEWS[index % len(words.WHO_NEWS)]
            author = spec.author
        elif spec.key == "blog":
            title, summary = words.BLOG_POSTS[index % len(words.BLOG_POSTS)]
            author = rng.choice(library.cast.members["en"])[0].name
        else:
            kind = "funding" if spec.key == "calls" else "article"
            org = spec.author or library.cast.host.name
            for _attempt in range(30):
                choice = library.writer.choose(
                    kind=kind,
                    topic=topic,
                    language="en",
                    org=org,
                    speaker=library.cast.lead.name,
                    year=published.year,
                    when=(published + timedelta(days=rng.randint(30, 60))).date(),
                )
                title = library.writer.title(choice, "en")
                if library.unique_title(title):
                    break
                topic = library.topic()
            summary = library.writer.summary(choice, "en", plain=True)
            author = spec.author or ", ".join(rng.sample(words.OTHER_AUTHORS, 3)) + " et al."
        slug = slugify(title)[:70].strip("-")
        link = ""
        while not link or link in self.links:
            link = spec.link.format(
                slug=slug,
                dmy=published.strftime("%d-%m-%Y"),
                ymd=published.strftime("%Y.%m.%d"),
                digits5=library.digits(5),
                digits8=library.digits(8),
            )
            slug = f"{slugify(title)[:60].strip('-')}-{rng.randint(2, 99)}"
        self.links.add(link)
        guid = link if spec.key != "calls" else f"northstar-call-{published:%Y}-{index + 101}"
        fetched = min(
            published + timedelta(hours=rng.uniform(0.5, spec.interval_minutes / 60)), last
        )
        return PlannedItem(
            feed=spec.key,
            guid=guid,
            link=link,
            title=title,
            summary=summary,
            author=author,
            published_at=published,
            fetched_at=max(fetched, published),
            status="new",
        )

    def accept(self, spec: words.FeedSpec, item: PlannedItem, *, publish: bool) -> Planned:
        """The resource a curator made of an accepted item, as `ingest.item_accept` makes it:
        published ("Accept and publish") or in review, noting the feed it came from."""
        library = self.library
        organizations = []
        domain = item.link.split("/")[2]
        if domain in library.cast.organizations_by_domain:
            organizations = [library.cast.organizations_by_domain[domain]]
        topics = list(spec.topics) or [library.topic()]
        if spec.key in ("journal", "preprints", "who", "calls"):
            primary = library.topic()
            topics = list(dict.fromkeys([primary, *spec.topics]))
        assert item.decided_at is not None
        planned = Planned(
            network=LAHP,
            kind=spec.kind,
            language="en",
            title=item.title,
            summary=item.summary,
            url=item.link,
            topics=topics,
            phases=library.phases(),
            people=[],
            organizations=organizations,
            other_authors=item.author,
            visibility="public",
            publication_date=item.published_at.date(),
            status="published" if publish else "in_review",
            published_at=item.decided_at if publish else None,
            submitted_by=item.decided_by,
            link_status="ok" if publish else "unchecked",
        )
        due = add_months(item.decided_at.date(), settings.NETWEAVE_LIBRARY_REVIEW_MONTHS)
        planned.review_by = due if publish else None
        planned.steps.append(
            Step(
                item.decided_at,
                planned.status,
                item.decided_by,
                [],
                planned.status,
                planned.review_by,
                f"From the feed “{spec.title}”.",
            )
        )
        library.planned.append(planned)
        return planned


# --- storing --------------------------------------------------------------------------------------


def _snapshot(
    planned: Planned, step: Step, pending: dict[str, Any], ids: dict[str, int]
) -> dict[str, Any]:
    """The resource as it was after `step` (the shape of `services.resource_snapshot`)."""

    def value(name: str) -> Any:
        return pending[name] if name in pending else getattr(planned, name)

    topics = value("topics")
    original = planned.original.resource.pk if planned.original else None
    return {
        "title": value("title"),
        "kind": planned.kind,
        "url": planned.url,
        "file": "",
        "file_type": "",
        "file_size": None,
        "language": planned.language,
        "translation_of": original,
        "topics": sorted(ids[slug] for slug in topics),
        "phases": list(value("phases")),
        "author_people": sorted(p.pk for p in planned.people),
        "author_organizations": sorted(o.pk for o in planned.organizations),
        "other_authors": value("other_authors"),
        "summary": value("summary"),
        "visibility": value("visibility"),
        "status": step.status,
        "publication_date": planned.publication_date.isoformat()
        if planned.publication_date
        else None,
        "review_by": step.review_by.isoformat() if step.review_by else None,
    }


def _settle(planned: Planned) -> None:
    """Put the steps in time order; each step keeps the review-by date set before it (only
    publishing and reviews set one), and the resource ends with the last one."""
    planned.steps.sort(key=lambda s: s.when)
    current: date | None = None
    for step in planned.steps:
        if step.action in ("published", "imported") or step.changed == ["review_by"]:
            current = step.review_by
        else:
            step.review_by = current
    if planned.status != "submitted" and planned.published_at is not None:
        planned.review_by = current
    planned.status = planned.steps[-1].status


def _store(network: Any, planned: list[Planned], topic_ids: dict[str, int]) -> list[Any]:
    from netweave.library.models import Resource, ResourceRevision

    def row(p: Planned) -> Resource:
        return Resource(
            network=network,
            kind=p.kind,
            title=p.title,
            url=p.url,
            language=p.language,
            translation_of=p.original.resource if p.original else None,
            phases=p.phases,
            other_authors=p.other_authors,
            summary=p.summary,
            visibility=p.visibility,
            status=p.status,
            publication_date=p.publication_date,
            year=p.publication_date.year if p.publication_date else None,
            review_by=p.review_by,
            submitted_by=p.submitted_by,
            link_status=p.link_status,
            link_checked_at=p.link_checked_at,
            link_error=p.link_error,
            created_at=p.created_at,
            published_at=p.published_at,
        )

    for p in planned:
        _settle(p)
    originals = [p for p in planned if p.original is None]
    translations = [p for p in planned if p.original is not None]
    for batch in (originals, translations):
        rows = Resource.objects.bulk_create([row(p) for p in batch])
        for p, resource in zip(batch, rows, strict=True):
            p.resource = resource
    resources = [p.resource for p in planned]

    through_topics = Resource.topics.through
    through_people = Resource.author_people.through
    through_orgs = Resource.author_organizations.through
    through_topics.objects.bulk_create(
        [
            through_topics(resource_id=p.resource.pk, topic_id=topic_ids[slug])
            for p in planned
            for slug in p.topics
        ]
    )
    through_people.objects.bulk_create(
        [
            through_people(resource_id=p.resource.pk, person_id=x.pk)
            for p in planned
            for x in p.people
        ]
    )
    through_orgs.objects.bulk_create(
        [
            through_orgs(resource_id=p.resource.pk, organization_id=x.pk)
            for p in planned
            for x in p.organizations
        ]
    )

    revisions = []
    for p in planned:
        pending = dict(p.draft)
        for number, step in enumerate(p.steps, start=1):
            for name in step.finalizes:
                pending.pop(name, None)
            revisions.append(
                ResourceRevision(
                    network=network,
                    resource=p.resource,
                    number=number,
                    action=step.action,
                    editor=step.editor,
                    changed=list(step.changed),
                    data=_snapshot(p, step, pending, topic_ids),
                    note=step.note,
                    created_at=step.when,
                )
            )
    ResourceRevision.objects.bulk_create(revisions, batch_size=500)
    # `updated_at` is stamped now by the insert; the demo's rows were last changed in the past.
    for p in planned:
        p.resource.updated_at = max(max(s.when for s in p.steps), p.link_checked_at or p.created_at)
    Resource.objects.bulk_update(resources, ["updated_at"], batch_size=500)
    return resources


def _topics(network: Any, specs: list[words.TopicSpec]) -> dict[str, int]:
    from netweave.library.models import Topic

    created = timezone.now() - timedelta(days=HISTORY_DAYS + 60)
    ids: dict[str, int] = {}
    positions: Counter[str] = Counter()
    for spec in specs:  # parents come before their children
        topic = Topic.objects.create(
            network=network,
            parent_id=ids[spec.parent] if spec.parent else None,
            name=spec.name,
            slug=spec.slug,
            description=spec.description,
            position=positions[spec.parent],
            created_at=created,
        )
        positions[spec.parent] += 1
        ids[spec.slug] = topic.pk
    return ids


def _store_feeds(network: Any, feeds: Feeds, topic_ids: dict[str, int], cast: Cast) -> None:
    from netweave.library.models import Feed, FeedItem

    now = feeds.now
    rng = feeds.rng
    rows = {}
    for spec in words.FEEDS:
        last = feeds.fetched[spec.key]
        failing = spec.key == "blog"
        feed = Feed.objects.create(
            network=network,
            title=spec.title,
            url=spec.url,
            site_url=spec.site_url,
            active=True,
            interval_minutes=spec.interval_minutes,
            default_kind=spec.kind,
            last_fetched_at=now - timedelta(hours=2) if failing else last,
            # The next fetch comes after the interval (for the failing one, after the back-off
            # of `ingest.backoff`: three failures in a row, a day), so a freshly started demo
            # does not go out to the internet at once. The loader books no fetch task either.
            next_fetch_at=now - timedelta(hours=2) + FAILING_BACKOFF
            if failing
            else last + timedelta(minutes=spec.interval_minutes),
            last_status="error" if failing else "ok",
            last_error=words.FEED_ERROR if failing else "",
            failures=3 if failing else 0,
            added_by=rng.choice(cast.curators[:2]),
            created_at=now - timedelta(days=rng.randint(120, 420)),
        )
        feed.default_topics.set([topic_ids[slug] for slug in spec.topics])
        rows[spec.key] = feed
    FeedItem.objects.bulk_create(
        [
            FeedItem(
                network=network,
                feed=rows[item.feed],
                guid=item.guid,
                link=item.link,
                title=item.title,
                summary=item.summary,
                author=item.author,
                language="en",
                published_at=item.published_at,
                fetched_at=item.fetched_at,
                status=item.status,
                resource=item.planned.resource if item.planned else None,
                decided_by=item.decided_by,
                decided_at=item.decided_at,
            )
            for item in feeds.items
        ]
    )


def _action_network(ctx: DemoContext, network: Any, cast: Cast) -> list[Planned]:
    """The action network's dozen hand-written resources: the lead coordinator imported most of
    them from a spreadsheet five months ago and added the translations by hand since."""
    rng = ctx.rng
    now = timezone.now()
    imported_at = timezone.make_aware(
        datetime.combine(ctx.today - timedelta(days=150), time(9, 30))
    )
    planned: list[Planned] = []
    line = 1  # the header
    for written in words.VDAN_RESOURCES:
        domain = written.url.split("/")[2]
        organization = cast.organizations_by_domain.get(domain)
        original = planned[written.translation_of] if written.translation_of >= 0 else None
        if original is None:
            line += 1
            published = imported_at
            action, note = "imported", f"Imported from vdan-resources.csv, line {line}"
        else:
            published = min(
                imported_at + timedelta(days=rng.randint(3, 40), hours=rng.randint(0, 6)),
                now - timedelta(hours=3),
            )
            action, note = "published", ""
        review_by = add_months(published.date(), settings.NETWEAVE_LIBRARY_REVIEW_MONTHS)
        item = Planned(
            network=VDAN,
            kind=written.kind,
            language=written.language,
            title=written.title,
            summary=written.summary,
            url=written.url,
            topics=list(written.topics),
            phases=["launching"],
            people=[],
            organizations=[organization] if organization else [cast.host],
            other_authors="",
            visibility="network",
            publication_date=published.date(),
            published_at=published,
            review_by=review_by,
            submitted_by=cast.lead,
            link_status="ok",
            link_checked_at=published + timedelta(days=rng.randint(100, 140), hours=2),
            original=original,
        )
        item.steps.append(Step(published, action, cast.lead, [], "published", review_by, note))
        planned.append(item)
    return planned


@demo_step("library", order=600)
def load_library(ctx: DemoContext) -> None:
    """Topics, resources with their histories, feeds and their items (see the module)."""
    lahp = ctx.networks[LAHP]
    vdan = ctx.networks[VDAN]
    cast = _cast(ctx)
    lahp_topics = _topics(lahp, words.LAHP_TOPICS)
    vdan_topics = _topics(vdan, words.VDAN_TOPICS)

    library = Library(ctx, lahp, cast)
    library.plan_all()
    feeds = Feeds(library)
    feeds.plan()
    library.check_links()
    _store(lahp, library.planned, lahp_topics)
    _store_feeds(lahp, feeds, lahp_topics, cast)
    action = _action_network(ctx, vdan, cast)
    _store(vdan, action, vdan_topics)

    from netweave.library.search import resources_reindex

    indexed = resources_reindex(network=lahp) + resources_reindex(network=vdan)
    planned = library.planned
    statuses = Counter(p.status for p in planned)
    languages = Counter(p.language for p in planned)
    inbox = sum(1 for item in feeds.items if item.status == "new")
    ctx.log(
        f"    {len(planned)} resources in {LAHP} ("
        + ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
        + "; "
        + ", ".join(f"{n} {lang}" for lang, n in sorted(languages.items()))
        + f"), {len(action)} in {VDAN}; {len(words.FEEDS)} feeds with {len(feeds.items)} items "
        f"({inbox} in the inbox); {indexed} indexed for search"
    )
