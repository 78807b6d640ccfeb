"""Search of the resource center: full text in the database's own engine, facets, ranking, snippets.

How it works
------------
**One indexed column.** `Resource.search_text` is written by `resource_reindex` (never by hand):
its first line is the title, the rest the summary as plain text, the authors and the topic names.
After the words come *index terms* computed here, in Python:

- accent-free copies of accented words (PostgreSQL's 'simple' configuration keeps accents);
- the **stem** of every word in the resource's language, with the Snowball stemmers of the
  `snowballstemmer` package (the ones Sphinx uses): "vaccins" → "vaccin", "trials" → "trial",
  "vacunas" → "vacun". SQLite's FTS5 only has the Porter stemmer (English), and PostgreSQL's
  snowball configurations would tie the stemming to the engine; stemming in Python gives both
  engines the same behaviour for every language Snowball knows (en, fr, es, pt, de, ...). A
  resource without a language is stemmed as English;
- *tags*, one token each, for the network, kind, status, language, year, phases, topics and
  three "bucket" numbers, the id modulo 32, 128 and 1,024 (`qzn12 qzkreport qzspublished qzlfr
  qzy2019 qzplaunching qzt7 qzb3 qzc67 qzd323`). They let the full-text index itself filter and
  sample large result sets.

The query side stems each word in every language of the site (settings.LANGUAGES) and ORs the
variants: "vaccins" looks for vaccins | vaccin; the words of a query are ANDed; the last word also
matches as a prefix ("mala" finds malaria) when it has three letters or more, unless it is itself
a common word (more than WINDOW matches: an engine expands a prefix into every word that starts
with it, which costs much and adds little then). Common words of English, French and Spanish
("the", "de", "los") are left out of a query that has other words. Limits: a query word is
stemmed in each site language, so a French stem can now and then match an unrelated English word
with the same stem; languages without a Snowball stemmer are matched word for word.

**The engines.** SQLite: a contentless FTS5 table `library_resource_fts(head, body)` (head = the
first line, body = the rest) kept in step by triggers, and a covering index with each row's scope
and facet values; ranking by bm25 with the head (title) weighted 10 to 1. PostgreSQL: a stored
generated tsvector column `search_vector` ('simple' configuration; the first line at weight A, the
rest at weight B) with a GIN index; ranking by ts_rank_cd. Any other engine: substring matching,
no ranking.

**Result sets of any size in bounded time.** Ranking, counting and faceting hundreds of thousands
of matches of a common word cannot fit in 50 ms on either engine, so the work is bounded by
WINDOW (500):

- when the text (or, without text, the network) matches at most WINDOW resources, everything is
  exact: relevance ranking over all of them, exact total, exact facet counts;
- beyond that, the engine lists the newest WINDOW + 1 matches (SQLite: the FTS index in rowid
  order, stopping early; PostgreSQL: ranges of the newest ids, widened until enough are found).
  The total and the facet counts are *estimates* from a 1-in-32, 1-in-128 or 1-in-1,024 sample
  of all the matches taken with the bucket tags (the size chosen from how far back the newest
  matches reach), rounded to two significant figures; `SearchResults.approximate` is then True:
  the page says "about". Relevance orders the newest WINDOW matches (PostgreSQL: ts_rank_cd;
  SQLite: those whose title has every word first, then the others, each newest first), and only
  those WINDOW results can be paged through: a person refines the search long before page 25.
- For a network of PLAN_MIN_ROWS resources or more, per-network statistics (cached for
  STATS_SECONDS) decide how each selected filter runs: selective ones (a year, a topic) as tags in
  the full-text query, broad ones (English, articles) checked on each row; the network's own tag
  only when it is a small part of the index (`_plan`). Both ways give the same rows.

**Keeping the index in step.** Services call `resource_reindex` after every create and edit (after
the many-to-many relations are set) and after every change of status (publishing sets the year
and the status tag that curation searches use); imports call `resources_reindex`. The full-text
index follows `search_text` by itself (SQLite triggers, PostgreSQL generated column). NOTE: a
migration that makes SQLite rebuild the library_resource table (most AlterField/AddField with a
default) drops its triggers and the covering index: drop the triggers before and recreate both
after (`sqlite_triggers_drop_sql`, `sqlite_index_sql`), like people/migrations/0005, then run
`netweave library_reindex --rebuild`.
"""

from __future__ import annotations

import json
import math
import multiprocessing as mp
import os
import re
import unicodedata
from abc import ABC, abstractmethod
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.cache import cache
from django.db import OperationalError, connection, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from netweave.library.models import Resource, Topic, Visibility
from netweave.library.selectors import visibilities_for
from netweave.networks.models import PHASE_LABELS
from netweave.networks.permissions import Access, Capability

if TYPE_CHECKING:
    from netweave.networks.models import Network

__all__ = [
    "FacetValue",
    "SearchHit",
    "SearchQuery",
    "SearchResults",
    "resource_reindex",
    "resource_search_text",
    "resources_reindex",
    "resources_search",
]

FACETS = ("kind", "topic", "phase", "language", "year")
WINDOW = 500  # see the module docstring
SAMPLE = 500  # rows a sample may have (else a smaller one is taken)
SAMPLE_MIN = 120  # rows a sample should have (else a larger one is taken)
FACETS_INDEX = "library_resource_facets"
FIRST_SPAN = 50_000  # PostgreSQL: the first range of newest ids searched (see _Postgres)
BULK_REINDEX = 50_000  # from this many rows (and half the table) the index is rebuilt at the end
SAMPLE_BUCKETS = 32  # bucket tags modulo 32, 128 and 1,024: samples of those sizes
MAX_QUERY_WORDS = 8
MAX_WORD_LENGTH = 60
MIN_PREFIX = 3
SNIPPET_CHARS = 220
FTS_TABLE = "library_resource_fts"
TAG = "qz"  # tags are single tokens: qz + a letter + the value

WORD_RE = re.compile(r"[^\W_]+")

SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian", "nb": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish",
    "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
DEFAULT_STEM_LANGUAGE = "en"

# Left out of a query that has other words: they match nearly everything and say little.
_STOP_TEXT = """a an and are as at be by for from has have in is it its of on or that the this to
    was were will with au aux avec ce ces dans de des du en est et il la le les leur mais ne ou par
    pas pour qui que sa se ses son sur un une al como con del el es las lo los para por que se
    su sus una y"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


# --- text ----------------------------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    return fold(word)


def fold(text: str) -> str:
    """Lower case without accents: the form every comparison here uses.

    >>> fold("Émile Núñez")
    'emile nunez'
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased (underscores and punctuation separate words, as in both
    engines' tokenizers).

    >>> words("Vaccins: l'essai_clinique (COVID-19)")
    ['vaccins', 'l', 'essai', 'clinique', 'covid', '19']
    """
    return [w.lower() for w in WORD_RE.findall(text or "")]


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_REF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
_MD_TAG = re.compile(r"<[^>]{0,200}>")
_MD_URL = re.compile(r"https?://\S+")
_MD_MARKS = re.compile(r"(^|\s)(#{1,6}|>|[-*+]|\d+\.)\s+|[*_`~|]+|^\s*[-=]{3,}\s*$", re.MULTILINE)
_MD_MAYBE = re.compile(r"[*_`~|#>]|^\s*([-+]|\d+\.)\s|\n\s*([-+=]|\d+\.)", re.MULTILINE)
_SPACES = re.compile(r"\s+")


def markdown_text(text: str) -> str:
    """The plain text of user Markdown, quickly (no rendering: this runs for every resource of a
    bulk reindex): link texts without their addresses, no HTML tags, no emphasis marks.

    >>> markdown_text("## Findings\\n**Malaria** [report](https://x.org/r) <b>now</b> &amp; later")
    'Findings Malaria report now & later'
    """
    if not text:
        return ""
    # Each pattern only when its characters occur: most summaries are plain text.
    if "[" in text:
        text = _MD_LINK.sub(r"\1", _MD_REF.sub(" ", text))
    if "<" in text:
        text = _MD_TAG.sub(" ", text)
    if "://" in text:
        text = _MD_URL.sub(" ", text)
    if _MD_MAYBE.search(text):
        text = _MD_MARKS.sub(r"\1", text)
    if "&" in text:
        text = unescape(text)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=64)
def _stemmer(language: str) -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer(SNOWBALL[language])


@lru_cache(maxsize=500_000)
def stem(word: str, language: str) -> str:
    """The folded stem of a lower-case `word` in `language` (a language code), or the folded word
    when Snowball has no stemmer for the language.

    >>> stem("vaccins", "fr"), stem("trials", "en"), stem("vacunas", "es"), stem("santé", "fr")
    ('vaccin', 'trial', 'vacun', 'sant')
    """
    algorithm = SNOWBALL.get(language.split("-")[0].lower()) if language else None
    if algorithm is None:
        return fold(word)
    return fold(_stemmer(language.split("-")[0].lower()).stemWord(word))


def stem_language(language: str) -> str:
    code = (language or "").split("-")[0].lower()
    return code if code in SNOWBALL else ("" if code else DEFAULT_STEM_LANGUAGE)


@lru_cache(maxsize=1)
def query_languages() -> tuple[str, ...]:
    """The languages a query is stemmed in: the site's languages that Snowball knows."""
    codes = [code.split("-")[0].lower() for code, _name in settings.LANGUAGES]
    return tuple(dict.fromkeys(c for c in codes if c in SNOWBALL)) or (DEFAULT_STEM_LANGUAGE,)


def index_terms(text: str, language: str) -> list[str]:
    """The extra terms that make `text` findable by folded and stemmed forms (each once, in order of
    first appearance; only those that differ from the words themselves).

    >>> index_terms("Essais cliniques des vaccins à Dakar", "fr")
    ['cliniqu', 'de', 'vaccin', 'a']
    """
    code = stem_language(language)
    unique = list(dict.fromkeys(words(text)))
    seen = set(unique)
    extra: list[str] = []
    for word in unique:
        for term in _word_terms(word, code):
            if term not in seen:
                seen.add(term)
                extra.append(term)
    return extra


@lru_cache(maxsize=500_000)
def _word_terms(word: str, code: str) -> tuple[str, ...]:
    """The folded form and the stem of a lower-case word, those that differ from it."""
    folded = fold_word(word)
    stemmed = stem(word, code) if code else folded
    return tuple(dict.fromkeys(t for t in (folded, stemmed) if t != word))


@lru_cache(maxsize=10_000)
def _tag_value(value: object) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(str(value)))


def tag(letter: str, value: object) -> str:
    """The single-token tag for one facet value (`tag("k", "report")` = "qzkreport")."""
    return f"{TAG}{letter}{_tag_value(value)}"


# --- what gets indexed ---------------------------------------------------------------------------


@dataclass
class _Indexable:
    """What the index needs of one resource (filled from the ORM or from bulk queries)."""

    id: int
    network_id: int
    title: str
    summary: str
    other_authors: str
    language: str
    kind: str
    year: int | None
    phases: list[str]
    people: list[str]
    organizations: list[str]
    topics: list[tuple[int, str]]  # (id, name)
    status: str = ""


def _human_text(item: _Indexable) -> tuple[str, str]:
    head = _SPACES.sub(" ", item.title or "").strip()
    rest = [markdown_text(item.summary), *item.people, *item.organizations, item.other_authors]
    rest += [name for _id, name in item.topics]
    return head, "\n".join(p for p in rest if p)


def _index_text(item: _Indexable) -> str:
    """The value of search_text: the title and its terms on the first line, then the rest of the
    text, its terms and the tags."""
    head, body = _human_text(item)
    head_terms = index_terms(head, item.language)
    body_terms = index_terms(body, item.language)
    tags = [tag("n", item.network_id), tag("k", item.kind), tag("s", item.status)]
    if item.language:
        tags.append(tag("l", item.language))
    if item.year:
        tags.append(tag("y", item.year))
    tags += [tag("p", phase) for phase in item.phases or [] if isinstance(phase, str)]
    tags += [tag("t", topic_id) for topic_id, _name in item.topics]
    tags += [tag(letter, item.id % modulus) for letter, modulus in _sample_moduli()]
    first = " ".join([head, *head_terms])
    return f"{first}\n{body}\n{' '.join(body_terms)}\n{' '.join(tags)}"


def resource_year(resource: Resource) -> int | None:
    """The year facet: the year of the work, else the year it was published here."""
    if resource.publication_date:
        return resource.publication_date.year
    if resource.published_at:
        return resource.published_at.year
    return None


def _indexable(resource: Resource) -> _Indexable:
    saved = resource.pk is not None
    return _Indexable(
        id=resource.pk or 0,
        network_id=resource.network_id,
        title=resource.title,
        summary=resource.summary,
        other_authors=resource.other_authors,
        language=resource.language,
        kind=resource.kind,
        year=resource_year(resource),
        phases=list(resource.phases or []),
        people=sorted(p.name for p in resource.author_people.all()) if saved else [],
        organizations=sorted(o.name for o in resource.author_organizations.all()) if saved else [],
        topics=sorted(((t.pk, t.name) for t in resource.topics.all()), key=lambda t: t[1])
        if saved
        else [],
        status=resource.status,
    )


def resource_search_text(resource: Resource) -> str:
    """The words a resource is found by: its title, its summary as plain text, its authors (people,
    organizations, others) and its topics. (`search_text` stores this plus the index terms.)"""
    head, body = _human_text(_indexable(resource))
    return f"{head}\n{body}" if body else head


def resource_reindex(resource: Resource) -> None:
    """Refresh one resource's search_text and year (after its many-to-many relations are set)."""
    resource.year = resource_year(resource)
    resource.search_text = _index_text(_indexable(resource))
    Resource.objects.filter(pk=resource.pk).update(
        search_text=resource.search_text, year=resource.year
    )


def resources_reindex(
    *,
    network: Network | None = None,
    ids: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 2_000,
) -> int:
    """Refresh search_text and year of many resources (all, a network's, or `ids`), in chunks with
    a handful of queries each; returns how many. `progress(done, total)` follows each chunk."""
    queryset = Resource.objects.all()
    if network is not None:
        queryset = queryset.filter(network=network)
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    all_ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    total = len(all_ids)
    table = connection.ops.quote_name(Resource._meta.db_table)
    update = f"UPDATE {table} SET search_text = %s, year = %s WHERE id = %s"  # noqa: S608
    # Most of the table: faster to set the engine's index aside and build it once at the end.
    bulk = total >= BULK_REINDEX and total * 2 >= Resource.objects.count()
    if bulk:
        _index_set_aside()
    try:
        done = _reindex_chunks(all_ids, update, chunk, progress, parallel=bulk)
    finally:
        if bulk:
            _index_restore()
    return done


def _write(update: str, rows: list[tuple[str, int | None, int]]) -> None:
    """Store (search_text, year, id) rows: one UPDATE per row on SQLite (cheap in-process), one
    COPY into a temporary table and one UPDATE on PostgreSQL (no round trip per row)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(update, rows)
            return
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS library_reindex "
            "(id bigint PRIMARY KEY, search_text text, year smallint)"
        )
        with cursor.cursor.copy("COPY library_reindex (search_text, year, id) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            "UPDATE library_resource r SET search_text = t.search_text, year = t.year "
            "FROM library_reindex t WHERE r.id = t.id"
        )
        cursor.execute("DELETE FROM library_reindex")


def _index_set_aside() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in sqlite_triggers_drop_sql():
                cursor.execute(statement)
        elif connection.vendor == "postgresql":
            # DDL waits for no deferred foreign-key check: run the pending ones now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("DROP INDEX IF EXISTS library_resource_search")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys again


def _index_restore() -> None:
    if connection.vendor == "sqlite":
        index_rebuild()
    elif connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute(postgres_index_sql()[-1])  # the GIN index
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _reindex_chunks(
    all_ids: list[int],
    update: str,
    chunk: int,
    progress: Callable[[int, int], None] | None,
    *,
    parallel: bool,
) -> int:
    """Read, compute and write the texts chunk by chunk. `parallel`: compute them in worker
    processes (forked: they only compute, never touch the database) while this process reads the
    next chunk and writes the previous one."""
    total = len(all_ids)
    done = 0
    workers = min(4, os.cpu_count() or 1)
    pool = mp.get_context("fork").Pool(workers) if parallel and workers > 1 else None
    pending: deque[tuple[list[tuple[_Indexable, str, int | None]], Any]] = deque()

    def finish() -> None:
        nonlocal done
        batch, job = pending.popleft()
        texts = job.get() if pool is not None else job
        rows = [
            (text, item.year, item.id)
            for (item, old_text, old_year), text in zip(batch, texts, strict=True)
            if text != old_text or item.year != old_year
        ]
        if rows:
            _write(update, rows)
        done += len(batch)
        if progress:
            progress(done, total)

    try:
        for start in range(0, total, chunk):
            batch = _chunk_items(all_ids[start : start + chunk])
            items = [item for item, _text, _year in batch]
            job = pool.apply_async(_texts, (items,)) if pool is not None else _texts(items)
            pending.append((batch, job))
            while len(pending) > workers:
                finish()
        while pending:
            finish()
    finally:
        if pool is not None:
            pool.terminate()
    return done


def _texts(items: list[_Indexable]) -> list[str]:
    return [_index_text(item) for item in items]


def _chunk_items(part: list[int]) -> list[tuple[_Indexable, str, int | None]]:
    """What the index needs of each of `part`, with its current search_text and year (raw SQL,
    five queries: this runs for every row of a bulk reindex)."""
    marks = ", ".join(["%s"] * len(part))
    names = _related_names(part, marks)
    sql = (
        "SELECT id, network_id, title, summary, other_authors, language, kind, phases, "  # noqa: S608
        "publication_date, published_at, search_text, year, status FROM library_resource "
        f"WHERE id IN ({marks})"
    )
    batch = []
    for values in _fetch(sql, part):
        (pk, network_id, title, summary, others, language, kind, phases, date, published,
         old_text, old_year, status) = values  # fmt: skip
        # SQLite returns dates as ISO text, PostgreSQL as dates: the year is the first 4 digits.
        when = date or published
        year = int(str(when)[:4]) if when else None
        if isinstance(phases, list):
            phases = json.dumps(phases)
        item = _Indexable(
            id=pk,
            network_id=network_id,
            title=title,
            summary=summary,
            other_authors=others,
            language=language,
            kind=kind,
            year=year,
            phases=list(_phases(phases or "")),
            people=names["people"].get(pk, []),
            organizations=names["organizations"].get(pk, []),
            topics=names["topics"].get(pk, []),
            status=status,
        )
        batch.append((item, old_text, old_year))
    return batch


def _related_names(part: list[int], marks: str) -> dict[str, dict[int, list[Any]]]:
    """The people's, organizations' and topics' names of each resource of `part`, sorted by name
    (topics as (id, name)). No join: one query per relation, one per named table."""
    out: dict[str, dict[int, list[Any]]] = {}
    for key, through, column, table in (
        ("people", "library_resource_author_people", "person_id", "people_person"),
        ("organizations", "library_resource_author_organizations", "organization_id",
         "people_organization"),
        ("topics", "library_resource_topics", "topic_id", "library_topic"),
    ):  # fmt: skip
        sql = f"SELECT resource_id, {column} FROM {through} WHERE resource_id IN ({marks})"  # noqa: S608
        pairs = _fetch(sql, part)
        others = sorted({other for _rid, other in pairs})
        found: dict[int, str] = {}
        for start in range(0, len(others), 5_000):
            ids = others[start : start + 5_000]
            sql = f"SELECT id, name FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))})"  # noqa: S608
            found.update(_fetch(sql, ids))
        related: dict[int, list[Any]] = {}
        for rid, other in sorted(pairs, key=lambda pair: (pair[0], found.get(pair[1], ""))):
            value = (other, found.get(other, "")) if key == "topics" else found.get(other, "")
            related.setdefault(rid, []).append(value)
        out[key] = related
    return out


# --- the index itself (used by migration 0002 and `library_reindex --rebuild`) -------------------

_SQLITE_HEAD = (
    "CASE WHEN instr({x}, char(10)) > 0 THEN substr({x}, 1, instr({x}, char(10)) - 1) ELSE {x} END"
)
_SQLITE_BODY = (
    "CASE WHEN instr({x}, char(10)) > 0 THEN substr({x}, instr({x}, char(10)) + 1) ELSE '' END"
)


def _sqlite_insert(row: str) -> str:
    x = f"{row}.search_text"
    return (
        f"INSERT INTO {FTS_TABLE}(rowid, head, body) SELECT {row}.id, "
        f"{_SQLITE_HEAD.format(x=x)}, {_SQLITE_BODY.format(x=x)} WHERE {x} != ''"
    )


def _sqlite_delete(row: str) -> str:
    x = f"{row}.search_text"
    return (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, head, body) SELECT 'delete', {row}.id, "
        f"{_SQLITE_HEAD.format(x=x)}, {_SQLITE_BODY.format(x=x)} WHERE {x} != ''"
    )


def sqlite_triggers_sql() -> list[str]:
    """The triggers that keep the FTS5 table in step with library_resource.search_text. A
    contentless table forgets a row only when told its old text, so the triggers must exist
    whenever search_text changes; if they were ever missing, `library_reindex --rebuild` repairs
    the index."""
    table = "library_resource"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {table} BEGIN "
        f"{_sqlite_insert('new')}; END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {table} BEGIN "
        f"{_sqlite_delete('old')}; END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF search_text ON {table} "
        f"WHEN old.search_text IS NOT new.search_text BEGIN "
        f"{_sqlite_delete('old')}; {_sqlite_insert('new')}; END",
    ]


def sqlite_triggers_drop_sql() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{s}" for s in ("ai", "ad", "au")]


def sqlite_index_sql() -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(head, body, content='', "
        f"tokenize='unicode61 remove_diacritics 2')",
        *sqlite_triggers_sql(),
        # Covering index: the scope and facet values of a match without reading the whole row.
        f"CREATE INDEX IF NOT EXISTS {FACETS_INDEX} ON library_resource "
        "(id, network_id, status, visibility, kind, language, year, published_at, phases)",
    ]


def sqlite_rebuild_sql() -> list[str]:
    """Empty the FTS5 table and fill it again from library_resource.search_text."""
    x = "search_text"
    return [
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')",  # noqa: S608
        f"INSERT INTO {FTS_TABLE}(rowid, head, body) SELECT id, {_SQLITE_HEAD.format(x=x)}, "  # noqa: S608
        f"{_SQLITE_BODY.format(x=x)} FROM library_resource WHERE {x} != ''",
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')",  # noqa: S608
    ]


def postgres_index_sql() -> list[str]:
    head = "split_part(search_text, E'\\n', 1)"
    body = (
        "CASE WHEN strpos(search_text, E'\\n') > 0 "
        "THEN substr(search_text, strpos(search_text, E'\\n') + 1) ELSE '' END"
    )
    return [
        "ALTER TABLE library_resource ADD COLUMN IF NOT EXISTS search_vector tsvector "
        f"GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, {head}), 'A') || "
        f"setweight(to_tsvector('simple'::regconfig, {body}), 'B')) STORED",
        "CREATE INDEX IF NOT EXISTS library_resource_search ON library_resource "
        "USING gin (search_vector)",
    ]


def create_index(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = (
        sqlite_index_sql()
        if vendor == "sqlite"
        else postgres_index_sql()
        if vendor == "postgresql"
        else []
    )
    for statement in statements:
        schema_editor.execute(statement)


def drop_index(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        drop = [f"DROP INDEX IF EXISTS {FACETS_INDEX}", f"DROP TABLE IF EXISTS {FTS_TABLE}"]
        for statement in [*sqlite_triggers_drop_sql(), *drop]:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS library_resource_search")
        schema_editor.execute("ALTER TABLE library_resource DROP COLUMN IF EXISTS search_vector")


def index_rebuild() -> None:
    """Rebuild the engine's index from search_text (SQLite: recreate the triggers, refill the FTS5
    table; PostgreSQL: nothing to do, the generated column cannot drift)."""
    if connection.vendor != "sqlite":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in [*sqlite_index_sql(), *sqlite_rebuild_sql()]:
            cursor.execute(statement)


# --- the query -----------------------------------------------------------------------------------


@dataclass
class SearchQuery:
    text: str = ""
    kinds: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # topic slugs; a topic matches its descendants
    phases: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    sort: str = "relevance"  # "relevance" | "newest"; without text, relevance means newest


@dataclass
class SearchHit:
    resource: Resource
    snippet: SafeString  # escaped text with <mark>…</mark> around the matches
    rank: float | None = None  # higher is better; None when ordered by date


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    num_pages: int
    facets: dict[str, list[FacetValue]]  # "kind", "topic", "phase", "language", "year"
    # True when `total` and the facet counts are estimates from a sample (say "about").
    approximate: bool = False
    # How the hits are ordered: "relevance" or "newest".
    sort: str = "newest"


@dataclass(frozen=True)
class _Group:
    """One query word: the terms any of which satisfies it."""

    terms: tuple[str, ...]
    prefix: str | None = None


def parse_text(text: str) -> list[_Group]:
    """A user's text as groups of alternative terms (ANDed together). Never fails: operators,
    quotes and punctuation are just separators.

    >>> [(g.terms, g.prefix) for g in parse_text('Vaccins "AND" mala')]
    [(('vaccins', 'vaccin'), None), (('mala', 'mal'), 'mala')]
    """
    text = (text or "")[:2_000]
    tokens = [w for w in words(text) if len(w) <= MAX_WORD_LENGTH]
    content = [w for w in tokens if fold(w) not in STOP_WORDS]
    tokens = (content or tokens)[:MAX_QUERY_WORDS]
    if not tokens:
        return []
    open_end = bool(text) and not text[-1].isspace() and WORD_RE.search(text[-1]) is not None
    groups = []
    for i, word in enumerate(tokens):
        terms = [fold(word)] + [stem(word, lang) for lang in query_languages()]
        prefix = None
        if i == len(tokens) - 1 and open_end and len(fold(word)) >= MIN_PREFIX:
            prefix = fold(word)
        groups.append(_Group(tuple(dict.fromkeys(t for t in terms if t)), prefix))
    return groups


@dataclass
class _Filters:
    """The selected facet values, as tags (for the index) and as values (for rows)."""

    kinds: set[str]
    topic_ids: set[int]
    phases: set[str]
    languages: set[str]
    years: set[int]

    # Filters that are checked on each row (on a covering index) rather than in the full-text
    # query: those that keep a large share of the rows (see `_Plan`).
    by_row: frozenset[str] = frozenset()

    def tags(self, skip: str | None = None) -> list[list[str]]:
        """One list of alternative tags per selected facet (ANDed), leaving out `skip` and the
        facets checked by row."""
        out = []
        use = {"kind", "topic", "phase", "language", "year"} - {skip or ""} - self.by_row
        if self.kinds and "kind" in use:
            out.append(sorted(tag("k", k) for k in self.kinds))
        if self.topic_ids and "topic" in use:
            out.append(sorted(tag("t", t) for t in self.topic_ids))
        if self.phases and "phase" in use:
            out.append(sorted(tag("p", p) for p in self.phases))
        if self.languages and "language" in use:
            out.append(sorted(tag("l", lang) for lang in self.languages))
        if self.years and "year" in use:
            out.append(sorted(tag("y", y) for y in self.years))
        return out

    def where(self, skip: str | None = None) -> tuple[str, list[Any]]:
        """SQL (on alias r) for the facets checked by row, leaving out `skip`."""
        parts: list[str] = []
        params: list[Any] = []
        use = self.by_row - {skip or ""}
        for facet, column, values in (
            ("kind", "kind", sorted(self.kinds)),
            ("language", "language", sorted(self.languages)),
            ("year", "year", sorted(self.years)),
        ):
            if values and facet in use:
                parts.append(f"r.{column} IN ({', '.join(['%s'] * len(values))})")
                params += values
        if self.phases and "phase" in use:
            # JSON text on both engines ('["launching", "expanding"]').
            column = "r.phases::text" if connection.vendor == "postgresql" else "r.phases"
            parts.append("(" + " OR ".join([f"{column} LIKE %s"] * len(self.phases)) + ")")
            params += [f'%"{p}"%' for p in sorted(self.phases)]
        return " AND ".join(parts), params

    def selected(self) -> list[str]:
        names = [("kind", self.kinds), ("topic", self.topic_ids), ("phase", self.phases)]
        names += [("language", self.languages), ("year", self.years)]
        return [name for name, values in names if values]

    def admits(self, row: _Row, skip: str | None = None, *, by_row: bool = False) -> bool:
        """Whether `row` passes the selected filters but `skip` (`by_row`: only those checked
        by row; the row's topics are not needed for them)."""
        every = {"kind", "topic", "phase", "language", "year"}
        use = (self.by_row if by_row else every) - {skip or ""}
        if self.kinds and "kind" in use and row.kind not in self.kinds:
            return False
        if self.topic_ids and "topic" in use and not (row.topics & self.topic_ids):
            return False
        if self.phases and "phase" in use and not (set(row.phases) & self.phases):
            return False
        if self.languages and "language" in use and row.language not in self.languages:
            return False
        return not (self.years and "year" in use and row.year not in self.years)


@dataclass
class _Row:
    id: int
    kind: str
    language: str
    year: int | None
    phases: tuple[str, ...]
    published_at: str  # comparable text, "" when never published
    topics: set[int] = field(default_factory=set)  # with their ancestors


@dataclass
class _Scope:
    network_id: int
    statuses: list[str]
    visibilities: list[str]
    # Whether the network's tag goes into full-text queries: only when the network holds a small
    # share of the index (the tag of a network that holds most of it costs more than it saves).
    network_tag: bool = True


# --- engines -------------------------------------------------------------------------------------

# The values every engine query returns with each id: what the facets and the ordering need.
_VALUES = "r.kind, r.language, r.year, r.phases, r.published_at"


@lru_cache(maxsize=1_024)
def _phases(text: str) -> tuple[str, ...]:
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return ()
    return tuple(p for p in value if isinstance(p, str)) if isinstance(value, list) else ()


def _row(values: Sequence[Any]) -> _Row:
    pk, kind, language, year, phases, published_at = values
    if isinstance(phases, list):  # PostgreSQL decodes JSON itself; SQLite returns the text
        phases = json.dumps(phases)
    # Compared as text: SQLite returns ISO text, PostgreSQL datetimes (all in UTC).
    published = "" if published_at is None else str(published_at)
    return _Row(pk, kind, language or "", year, _phases(phases or ""), published)


def _status_tags(scope: _Scope) -> list[list[str]]:
    """Curation searches (statuses other than published, a small share of a large library) find
    their rows through status tags; the row's own status is checked all the same."""
    if scope.statuses == [Resource.Status.PUBLISHED]:
        return []
    return [[tag("s", status) for status in scope.statuses]]


def _scope_sql(alias: str, scope: _Scope) -> tuple[str, list[Any]]:
    statuses = ", ".join(["%s"] * len(scope.statuses))
    visibilities = ", ".join(["%s"] * len(scope.visibilities))
    sql = (
        f"{alias}.network_id = %s AND {alias}.status IN ({statuses}) "
        f"AND {alias}.visibility IN ({visibilities})"
    )
    return sql, [scope.network_id, *scope.statuses, *scope.visibilities]


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


class _Engine(ABC):
    """Where the engines differ: finding matches (newest id first, with their facet values) and
    ranking them. Each engine implements all four methods."""

    @abstractmethod
    def text_rows(self, groups: list[_Group], scope: _Scope, limit: int) -> tuple[bool, list[_Row]]:
        """The newest resources in `scope` matching the text (at most `limit`), and whether they
        are certainly all of them when fewer than `limit` (False: look again with tagged_rows)."""

    @abstractmethod
    def count_upto(self, groups: list[_Group], limit: int) -> int:
        """How many resources of every network match the words of `groups` (not their prefixes),
        counting no further than `limit`."""

    @abstractmethod
    def tagged_rows(
        self,
        groups: list[_Group],
        tags: list[list[str]],
        scope: _Scope,
        limit: int,
        where: tuple[str, list[Any]] = ("", []),
    ) -> list[_Row]:
        """The resources in `scope` matching the text and one tag of each tag group (and the SQL
        condition `where` on alias r)."""

    @abstractmethod
    def rank(
        self, groups: list[_Group], ids: list[int], *, many: bool, tags: list[list[str]]
    ) -> dict[int, float]:
        """Relevance of `ids` (higher is better). `many`: the text matches more than WINDOW rows;
        `tags`: the tag groups the ids were found with."""


class _SQLite(_Engine):
    # A covering index (migration 0002) for reading the scope and facet values of each match
    # without reading the row itself; the query works without it, only slower.
    indexed_by = f"INDEXED BY {FACETS_INDEX}"

    @staticmethod
    def _group(group: _Group) -> str:
        alternatives = [f'"{t}"' for t in group.terms]
        if group.prefix:
            alternatives.append(f'"{group.prefix}"*')
        return f"({' OR '.join(alternatives)})"

    def _match(self, groups: list[_Group], tags: list[list[str]], column: str = "") -> str:
        parts = [f"{column}{self._group(g)}" for g in groups]
        parts += ["(" + " OR ".join(f'"{t}"' for t in alternatives) + ")" for alternatives in tags]
        return " AND ".join(parts)

    def _query(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        try:
            return _fetch(sql.replace("{indexed_by}", self.indexed_by), params)
        except OperationalError as error:
            if FACETS_INDEX not in str(error):
                raise
            return _fetch(sql.replace("{indexed_by}", ""), params)

    def count_upto(self, groups: list[_Group], limit: int) -> int:
        exact = [_Group(g.terms) for g in groups]
        sql = (
            "SELECT count(*) FROM (SELECT rowid FROM "  # noqa: S608
            f"{FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)"
        )
        return int(_fetch(sql, [self._match(exact, []), limit])[0][0])

    def text_rows(self, groups: list[_Group], scope: _Scope, limit: int) -> tuple[bool, list[_Row]]:
        # The newest matches of every network first (a bounded walk, so that a word common in
        # other networks costs nothing), then those in scope. CROSS JOIN keeps the FTS table
        # outside: it yields matches newest first, and the covering index gives each row's values.
        where, params = _scope_sql("r", scope)
        match = self._match(groups, [])
        walk = limit * 4
        # One pass over the matches (a prefix is expanded once): the window function counts the
        # walked matches, so that a walk cut short is known.
        sql = (
            f"SELECT f.id, {_VALUES}, f.walked FROM (SELECT id, count(*) OVER () AS walked "  # noqa: S608
            f"FROM (SELECT rowid AS id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            "ORDER BY rowid DESC LIMIT %s)) f "
            "CROSS JOIN library_resource r {indexed_by} ON r.id = f.id "
            f"WHERE {where} ORDER BY f.id DESC LIMIT %s"
        )
        found = self._query(sql, [match, walk + 1, *params, limit])
        rows = [_row(r[:6]) for r in found]
        if found:
            complete = found[0][6] <= walk
        else:  # none in scope: was the walk cut short?
            sql = (
                "SELECT count(*) FROM (SELECT rowid FROM "  # noqa: S608
                f"{FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s)"
            )
            complete = _fetch(sql, [match, walk + 1])[0][0] <= walk
        return complete, rows

    def tagged_rows(
        self,
        groups: list[_Group],
        tags: list[list[str]],
        scope: _Scope,
        limit: int,
        where: tuple[str, list[Any]] = ("", []),
    ) -> list[_Row]:
        use_tag = scope.network_tag or not (groups or tags)
        network = [[tag("n", scope.network_id)]] if use_tag else []
        network += _status_tags(scope)
        condition, params = _scope_sql("r", scope)
        if where[0]:
            condition, params = f"{condition} AND {where[0]}", [*params, *where[1]]
        sql = (
            f"SELECT f.rowid, {_VALUES} FROM {FTS_TABLE} f "  # noqa: S608
            "CROSS JOIN library_resource r {indexed_by} ON r.id = f.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND {condition} ORDER BY f.rowid DESC LIMIT %s"
        )
        match = self._match(groups, network + tags)
        return [_row(r) for r in self._query(sql, [match, *params, limit])]

    def rank(
        self, groups: list[_Group], ids: list[int], *, many: bool, tags: list[list[str]]
    ) -> dict[int, float]:
        if not ids:
            return {}
        if not many:
            # Few matches in all: bm25 over all of them is cheap (it counts the documents of each
            # term over its matches).
            sql = (
                f"SELECT rowid, bm25({FTS_TABLE}, 10.0, 1.0) FROM {FTS_TABLE} "  # noqa: S608
                f"WHERE {FTS_TABLE} MATCH %s"
            )
            wanted = set(ids)
            return {
                rowid: -score
                for rowid, score in _fetch(sql, [self._match(groups, [])])
                if rowid in wanted
            }
        # Many matches: bm25 would count each term's documents over the whole index. The
        # resources whose title has every word come first instead, then the others (the rowid
        # range keeps this to the window).
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid >= %s"  # noqa: S608
        match = " AND ".join(
            [self._match(groups, [], "head : "), self._match([], tags)]
            if tags
            else [self._match(groups, [], "head : ")]
        )
        title_ids = {r[0] for r in _fetch(sql, [match, min(ids)])}
        return {i: (1.0 if i in title_ids else 0.0) for i in ids}


class _Postgres(_Engine):
    @staticmethod
    def _group(group: _Group) -> str:
        alternatives = [f"'{t}'" for t in group.terms]
        if group.prefix:
            alternatives.append(f"'{group.prefix}':*")
        return f"({' | '.join(alternatives)})"

    def _tsquery(self, groups: list[_Group], tags: list[list[str]]) -> str:
        parts = [self._group(g) for g in groups]
        parts += ["(" + " | ".join(f"'{t}'" for t in alternatives) + ")" for alternatives in tags]
        return " & ".join(parts)

    def text_rows(self, groups: list[_Group], scope: _Scope, limit: int) -> tuple[bool, list[_Row]]:
        return True, self.tagged_rows(groups, [], scope, limit)

    def count_upto(self, groups: list[_Group], limit: int) -> int:
        exact = [_Group(g.terms) for g in groups]
        sql = (
            "SELECT count(*) FROM (SELECT 1 FROM library_resource "
            "WHERE search_vector @@ to_tsquery('simple', %s) LIMIT %s) AS found"
        )
        return int(_fetch(sql, [self._tsquery(exact, []), limit])[0][0])

    def tagged_rows(
        self,
        groups: list[_Group],
        tags: list[list[str]],
        scope: _Scope,
        limit: int,
        where: tuple[str, list[Any]] = ("", []),
    ) -> list[_Row]:
        condition, params = _scope_sql("r", scope)
        if where[0]:
            condition, params = f"{condition} AND {where[0]}", [*params, *where[1]]
        # Never the network's tag: a GIN scan reads a tag's whole posting list (a million entries
        # for a large network) on every query, and network_id is a column checked on each row.
        terms = _status_tags(scope) + tags
        if not groups and not terms:
            # Neither text nor tag: the columns alone, the primary key walked backwards.
            sql = (
                f"SELECT r.id, {_VALUES} FROM library_resource r "  # noqa: S608
                f"WHERE {condition} ORDER BY r.id DESC LIMIT %s"
            )
            return [_row(r) for r in _fetch(sql, [*params, limit])]
        # The newest matches, range of ids by range: the GIN index finds matches in no order,
        # and walking the primary key backwards reads every row's vector; within a range of the
        # newest ids the planner can do either cheaply. The range widens eightfold until enough
        # rows are found (three queries at most for a million rows).
        query = self._tsquery(groups, terms)
        sql = (
            f"SELECT r.id, {_VALUES} FROM library_resource r "  # noqa: S608
            "WHERE r.search_vector @@ to_tsquery('simple', %s) AND r.id > %s AND r.id <= %s "
            f"AND {condition} ORDER BY r.id DESC LIMIT %s"
        )
        high = _fetch("SELECT max(id) FROM library_resource", [])[0][0] or 0
        span = FIRST_SPAN
        found: list[tuple[Any, ...]] = []
        while high > 0 and len(found) < limit:
            low = max(0, high - span)
            found += _fetch(sql, [query, low, high, *params, limit - len(found)])
            high, span = low, span * 8
        return [_row(r) for r in found]

    def rank(
        self, groups: list[_Group], ids: list[int], *, many: bool, tags: list[list[str]]
    ) -> dict[int, float]:
        if not ids:
            return {}
        # Weights of D, C, B, A: the title (A) counts 2.5 times the rest (B).
        sql = (
            "SELECT id, ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', search_vector, "
            "to_tsquery('simple', %s), 1) FROM library_resource WHERE id = ANY(%s)"
        )
        return {i: float(s) for i, s in _fetch(sql, [self._tsquery(groups, []), list(ids)])}


class _Substring(_Engine):
    """Any other database: substring matching on search_text, no ranking."""

    def _rows(self, groups: list[_Group], scope: _Scope, limit: int) -> list[tuple[Any, ...]]:
        from django.db.models import Q

        queryset = Resource.objects.order_by("-pk")
        for group in groups:
            condition = Q()
            for term in (*group.terms, *([group.prefix] if group.prefix else [])):
                condition |= Q(search_text__icontains=term)
            queryset = queryset.filter(condition)
        queryset = queryset.filter(
            network_id=scope.network_id,
            status__in=scope.statuses,
            visibility__in=scope.visibilities,
        )
        fields = ("pk", "kind", "language", "year", "phases", "published_at")
        return list(queryset.values_list(*fields)[:limit])

    def text_rows(self, groups: list[_Group], scope: _Scope, limit: int) -> tuple[bool, list[_Row]]:
        return True, self.tagged_rows(groups, [], scope, limit)

    def count_upto(self, groups: list[_Group], limit: int) -> int:
        return 0

    def tagged_rows(
        self,
        groups: list[_Group],
        tags: list[list[str]],
        scope: _Scope,
        limit: int,
        where: tuple[str, list[Any]] = ("", []),
    ) -> list[_Row]:
        extra = [_Group(tuple(t)) for t in tags]
        found = self._rows(groups + extra, scope, limit * 10 if where[0] else limit)
        rows = [_row(r) for r in found]
        if where[0] and rows:  # the row conditions, in SQL, on these rows
            marks = ", ".join(["%s"] * len(rows))
            sql = f"SELECT r.id FROM library_resource r WHERE {where[0]} AND r.id IN ({marks})"  # noqa: S608
            keep = {kept[0] for kept in _fetch(sql, [*where[1], *(r.id for r in rows)])}
            rows = [r for r in rows if r.id in keep]
        return rows[:limit]

    def rank(
        self, groups: list[_Group], ids: list[int], *, many: bool, tags: list[list[str]]
    ) -> dict[int, float]:
        return {i: 0.0 for i in ids}


def _engine() -> _Engine:
    if connection.vendor == "sqlite":
        return _SQLite()
    if connection.vendor == "postgresql":
        return _Postgres()
    return _Substring()


# --- planning -----------------------------------------------------------------------------------

PLAN_MIN_ROWS = 20_000  # smaller networks: every filter in the full-text query, no statistics
BROAD = 0.15  # a filter keeping more than this share of the rows is checked row by row
STATS_SECONDS = 600


def _network_stats(engine: _Engine, network_id: int) -> dict[str, Any]:
    """The network's share of the index and the share of each facet value among its resources
    (from a 1-in-1,024 sample), cached for STATS_SECONDS: what `_plan` decides with."""
    key = f"netweave:library-search-stats:{network_id}"
    stats: dict[str, Any] | None = cache.get(key)
    if stats is not None:
        return stats
    sql = "SELECT count(*) FROM library_resource WHERE network_id = %s"
    rows = _fetch(sql, [network_id])[0][0]
    stats = {"rows": rows, "share": 1.0, "values": {}}
    if rows >= PLAN_MIN_ROWS:
        top = _fetch("SELECT max(id) FROM library_resource", [])[0][0] or rows
        everything = _Scope(
            network_id,
            [str(s) for s in Resource.Status.values],
            [str(v) for v in Visibility.values],
        )
        buckets = [[tag("b", 0)], [tag("c", 0)]]
        sample = engine.tagged_rows([], buckets, everything, 5 * SAMPLE)
        values: dict[str, Counter[Any]] = {f: _count(sample, f) for f in FACETS if f != "topic"}
        size = max(1, len(sample))
        stats["share"] = rows / max(top, rows)
        stats["values"] = {f: {v: n / size for v, n in c.items()} for f, c in values.items()}
    cache.set(key, stats, STATS_SECONDS)
    return stats


def _plan(engine: _Engine, scope: _Scope, filters: _Filters) -> None:
    """Choose, for a large network, what the full-text query carries: the network's tag only if
    the network is a small part of the index; a filter's tags only if the filter is selective
    (a year, a topic); broad filters (English, articles) are checked on each row instead, on the
    covering index. Both ways give the same rows; they differ in speed only."""
    if not filters.selected() and not scope.network_tag:
        return
    stats = _network_stats(engine, scope.network_id)
    if stats["rows"] < PLAN_MIN_ROWS:
        return
    scope.network_tag = stats["share"] < 0.5
    shares = stats["values"]
    chosen: dict[str, set[Any]] = {
        "kind": filters.kinds,
        "language": filters.languages,
        "year": filters.years,
        "phase": filters.phases,
    }
    filters.by_row = frozenset(
        facet
        for facet, selected in chosen.items()
        if selected and sum(shares.get(facet, {}).get(v, 0.0) for v in selected) > BROAD
    )


# --- rows, facets --------------------------------------------------------------------------------


def _scope_rows(scope: _Scope, limit: int) -> list[_Row]:
    """Without text: up to `limit` resources in scope, in no particular order."""
    where, params = _scope_sql("r", scope)
    sql = f"SELECT r.id, {_VALUES} FROM library_resource r WHERE {where} LIMIT %s"  # noqa: S608
    return [_row(r) for r in _fetch(sql, [*params, limit])]


def _add_topics(rows: Iterable[_Row], ancestors: dict[int, list[int]]) -> None:
    """Each row's topics, with their ancestors (one query per 5,000 rows)."""
    by_id = {row.id: row for row in rows}
    found = list(by_id)
    for start in range(0, len(found), 5_000):
        part = found[start : start + 5_000]
        marks = ", ".join(["%s"] * len(part))
        sql = (
            "SELECT resource_id, topic_id FROM library_resource_topics "  # noqa: S608
            f"WHERE resource_id IN ({marks})"
        )
        for rid, tid in _fetch(sql, part):
            by_id[rid].topics.update(ancestors.get(tid, [tid]))


COMPLETIONS = 12


def _complete(group: _Group, rows: list[_Row]) -> _Group:
    """A prefix turned into the words that complete it in the titles of `rows` (the newest
    matches), the most frequent first: an engine expands a prefix into every word of the index
    that starts with it, on every query, which costs too much for a common prefix. Matches whose
    completion is in no title of the newest matches are left out of the estimates."""
    assert group.prefix is not None
    ids = [r.id for r in rows]
    marks = ", ".join(["%s"] * len(ids))
    sql = f"SELECT title FROM library_resource WHERE id IN ({marks})"  # noqa: S608
    counts: Counter[str] = Counter()
    for (title,) in _fetch(sql, ids):
        counts.update(
            {w for w in map(fold_word, words(title)) if w.startswith(group.prefix)}  # type: ignore[arg-type]
        )
    found = [word for word, _n in counts.most_common(COMPLETIONS)]
    if not found:
        return group
    return _Group(tuple(dict.fromkeys([*group.terms, *found])))


def _sample_moduli() -> list[tuple[str, int]]:
    """The bucket tags: the id modulo 32, 128 and 1,024 (samples of 1/32, 1/128, 1/1,024)."""
    return [("b", SAMPLE_BUCKETS), ("c", SAMPLE_BUCKETS * 4), ("d", SAMPLE_BUCKETS * 32)]


def _sample(
    engine: _Engine,
    groups: list[_Group],
    tags: list[list[str]],
    scope: _Scope,
    rows: list[_Row],
    where: tuple[str, list[Any]],
    top: int,
) -> tuple[list[_Row], float]:
    """`rows` (the newest matches, WINDOW + 1 at most) when they are all the matches; else a sample
    of all the matches taken with the bucket tags, and the factor that scales its counts up."""
    if len(rows) <= WINDOW:
        return rows, 1.0
    # One tag per sample size (a single short posting list each: the cheapest intersection).
    tiers = [([[tag(letter, 0)]], float(modulus)) for letter, modulus in _sample_moduli()][::-1]
    # How many matches there are, from how far back the newest WINDOW of them reach (ids grow
    # with time; the matches are assumed spread evenly): enough to pick the sample's size.
    reach = max(1, top - min(r.id for r in rows) + 1)
    estimate = len(rows) * max(1.0, top / reach)
    start = next(
        (i for i, (_extra, scale) in enumerate(tiers) if estimate / scale >= 1.5 * SAMPLE_MIN),
        len(tiers) - 1,
    )
    # Then one step finer when the sample overflows (it would keep only the newest), one step
    # coarser when it is too small.
    sample: list[_Row] = []
    scale = 1.0
    tried: set[int] = set()
    index = start
    while index not in tried:
        tried.add(index)
        extra, scale = tiers[index]
        # The finest sample may be larger: there is no finer one to fall back on.
        cap = SAMPLE if index > 0 else 4 * SAMPLE
        sample = engine.tagged_rows(groups, tags + extra, scope, cap + 1, where)
        if len(sample) > cap and index > 0:
            index -= 1
        elif len(sample) < SAMPLE_MIN and index < len(tiers) - 1:
            index += 1
    if len(sample) > 4 * SAMPLE:  # more than 4 * SAMPLE * 1,024 matches: the reach tells better
        return sample, estimate / len(sample)
    return sample, scale


def _count(rows: Iterable[_Row], facet: str) -> Counter[Any]:
    counts: Counter[Any] = Counter()
    for row in rows:
        if facet == "kind":
            counts[row.kind] += 1
        elif facet == "language":
            if row.language:
                counts[row.language] += 1
        elif facet == "year":
            if row.year:
                counts[row.year] += 1
        elif facet == "phase":
            counts.update(set(row.phases))
        elif facet == "topic":
            counts.update(row.topics)
    return counts


def _about(count: float) -> int:
    """An estimate rounded to two significant figures (an estimate should not look exact)."""
    if count < 100:
        return round(count)
    digits = math.floor(math.log10(count)) - 1
    return int(round(count, -digits))


def language_label(code: str) -> str:
    info = LANG_INFO.get(code) or LANG_INFO.get(code.split("-")[0].lower())
    return str(info.get("name_local") or info.get("name")) if info else code


def _facet_values(
    facet: str,
    counts: Counter[Any],
    selected: Iterable[Any],
    topics: dict[int, tuple[str, str]],
) -> list[FacetValue]:
    chosen = set(selected)
    values = []
    kinds = dict(Resource.Kind.choices)
    for value, count in counts.items():
        if facet == "kind":
            values.append(FacetValue(value, str(kinds.get(value, value)), count, value in chosen))
        elif facet == "topic":
            if value in topics:
                slug, name = topics[value]
                values.append(FacetValue(slug, name, count, slug in chosen))
        elif facet == "phase":
            label = str(PHASE_LABELS.get(value, value.replace("_", " ").capitalize()))
            values.append(FacetValue(value, label, count, value in chosen))
        elif facet == "language":
            values.append(FacetValue(value, language_label(value), count, value in chosen))
        elif facet == "year":
            values.append(FacetValue(str(value), str(value), count, value in chosen))
    # A selected value stays visible (so that it can be unselected) even with no match left.
    present = {v.value for v in values}
    for value in chosen:
        key = str(value)
        if key not in present:
            label = key
            if facet == "kind":
                label = str(kinds.get(key, key))
            elif facet == "topic":
                label = next((name for slug, name in topics.values() if slug == key), key)
            elif facet == "phase":
                label = str(PHASE_LABELS.get(key, key))
            elif facet == "language":
                label = language_label(key)
            values.append(FacetValue(key, label, 0, True))
    if facet == "year":
        values.sort(key=lambda v: v.value, reverse=True)
    else:
        values.sort(key=lambda v: (-v.count, v.label.lower()))
    return values


# --- the search ----------------------------------------------------------------------------------


def resources_search(
    *,
    access: Access,
    query: SearchQuery,
    page: int = 1,
    per_page: int = 20,
    statuses: Sequence[str] | None = None,
) -> SearchResults:
    """Search the resources `access` may see (published ones; or, for curators, those in
    `statuses`). Facet counts are over the matches of the text and of the *other* selected
    filters. See the module docstring for the engines and for very large result sets."""
    network = access.network
    if statuses is None:
        statuses = [Resource.Status.PUBLISHED]
    else:
        access.require(Capability.CURATE)
        statuses = [str(s) for s in statuses]
    scope = _Scope(network.pk, list(statuses), [str(v) for v in visibilities_for(access)])
    per_page = max(1, min(int(per_page), 100))
    groups = parse_text(query.text)
    sort = "relevance" if groups and query.sort != "newest" else "newest"
    if not scope.visibilities or not scope.statuses:  # nothing the viewer may see
        empty: dict[str, list[FacetValue]] = {facet: [] for facet in FACETS}
        return SearchResults([], 0, 1, per_page, 1, empty, sort=sort)

    topic_rows = list(
        Topic.objects.filter(network=network).values_list("pk", "parent_id", "slug", "name")
    )
    topics = {pk: (slug, name) for pk, _parent, slug, name in topic_rows}
    parents = {pk: parent for pk, parent, _slug, _name in topic_rows}
    ancestors: dict[int, list[int]] = {}
    for pk in parents:
        chain: list[int] = []
        node: int | None = pk
        while node is not None and node not in chain:
            chain.append(node)
            node = parents.get(node)
        ancestors[pk] = chain
    selected_topics = {pk for pk, (slug, _name) in topics.items() if slug in set(query.topics)}
    filters = _Filters(
        kinds={str(k) for k in query.kinds},
        topic_ids={pk for pk, chain in ancestors.items() if set(chain) & selected_topics},
        phases={str(p) for p in query.phases},
        languages={str(lang) for lang in query.languages},
        years={int(y) for y in query.years},
    )
    # A topic slug that names no topic matches nothing (rather than being ignored).
    unknown_topic = bool(query.topics) and not selected_topics

    engine = _engine()
    if groups and groups[-1].prefix and engine.count_upto(groups[-1:], WINDOW + 1) > WINDOW:
        # The last word is itself common: as a prefix too it would add little but cost much
        # (an engine expands a prefix into every word that starts with it).
        groups[-1] = _Group(groups[-1].terms)
    if groups:
        complete, universe = engine.text_rows(groups, scope, WINDOW + 1)
    else:
        complete, universe = True, _scope_rows(scope, WINDOW + 1)

    approximate = False
    shown = groups
    facet_counts: dict[str, Counter[Any]] = {}
    if complete and len(universe) <= WINDOW:
        # Exact: every match of the text is in hand.
        _add_topics(universe, ancestors)
        matching = [r for r in universe if not unknown_topic and filters.admits(r)]
        for facet in FACETS:
            base = [r for r in universe if filters.admits(r, skip=facet)]
            if unknown_topic and facet != "topic":
                base = []
            facet_counts[facet] = _count(base, facet)
        total = len(matching)
        ordered = _order(matching, groups, sort, engine, many=False, tags=[])
    else:
        # Many: the newest WINDOW matches, and samples for the counts.
        shown = groups  # what the snippets mark
        if groups and groups[-1].prefix:
            groups = [*groups[:-1], _complete(groups[-1], universe)]
        _plan(engine, scope, filters)
        top = _fetch("SELECT max(id) FROM library_resource", [])[0][0] or 0
        if unknown_topic:
            full: list[_Row] = []
        elif groups and not filters.selected() and len(universe) > WINDOW:
            full = universe  # the newest matches in scope already
        else:
            full = engine.tagged_rows(groups, filters.tags(), scope, WINDOW + 1, filters.where())
        samples: dict[str | None, tuple[list[_Row], float]] = {}
        needed = {None} | set(filters.selected())
        # One sample per distinct set of tags; the filters checked by row are applied to it here
        # (they keep a large share of the rows, so enough remain).
        by_tags: dict[tuple[tuple[str, ...], ...], tuple[list[_Row], float]] = {}
        for skip in needed:
            if unknown_topic and skip != "topic":
                samples[skip] = ([], 1.0)
                continue
            tags = filters.tags(skip)
            key = tuple(tuple(t) for t in tags)
            if key not in by_tags:
                if groups and not tags and len(universe) > WINDOW:
                    rows = universe  # the newest matches of the text in scope
                elif tags == filters.tags() and not filters.by_row:
                    rows = full
                else:
                    rows = engine.tagged_rows(groups, tags, scope, WINDOW + 1)
                by_tags[key] = _sample(engine, groups, tags, scope, rows, ("", []), top)
            rows, scale = by_tags[key]
            samples[skip] = ([r for r in rows if filters.admits(r, skip, by_row=True)], scale)
        _add_topics(
            {r.id: r for rows, _scale in samples.values() for r in rows}.values(), ancestors
        )
        for facet in FACETS:
            rows, scale = samples[facet if facet in needed else None]
            counts = _count(rows, facet)
            if scale > 1:
                approximate = True
                counts = Counter({k: _about(v * scale) for k, v in counts.items() if v})
            facet_counts[facet] = counts
        if len(full) <= WINDOW:
            total = len(full)
        else:
            full_rows, full_scale = samples[None]
            total = max(_about(len(full_rows) * full_scale), WINDOW + 1)
            approximate = True
        tags = [[tag("n", scope.network_id)]] if scope.network_tag else []
        ordered = _order(full[:WINDOW], groups, sort, engine, many=True, tags=tags + filters.tags())

    reachable = len(ordered)
    num_pages = max(1, math.ceil(min(total, reachable) / per_page))
    page = min(max(1, int(page)), num_pages)
    page_ids = [pk for pk, _rank in ordered[(page - 1) * per_page : page * per_page]]
    ranks = dict(ordered)
    resources = Resource.objects.filter(pk__in=page_ids).prefetch_related(
        "topics", "author_people", "author_organizations"
    )
    by_id = {r.pk: r for r in resources}
    hits = [
        SearchHit(
            resource=by_id[pk],
            snippet=snippet(by_id[pk], shown),
            rank=ranks[pk] if sort == "relevance" else None,
        )
        for pk in page_ids
        if pk in by_id
    ]
    selected_values: dict[str, Iterable[Any]] = {
        "kind": filters.kinds,
        "topic": query.topics,
        "phase": filters.phases,
        "language": filters.languages,
        "year": filters.years,
    }
    facets = {
        facet: _facet_values(
            facet, facet_counts.get(facet, Counter()), selected_values[facet], topics
        )
        for facet in FACETS
    }
    return SearchResults(
        hits=hits,
        total=total,
        page=page,
        per_page=per_page,
        num_pages=num_pages,
        facets=facets,
        approximate=approximate,
        sort=sort,
    )


def _newest_key(row: _Row) -> tuple[str, int]:
    return (row.published_at, row.id)


def _order(
    rows: list[_Row],
    groups: list[_Group],
    sort: str,
    engine: _Engine,
    *,
    many: bool,
    tags: list[list[str]],
) -> list[tuple[int, float | None]]:
    """(id, rank) in display order."""
    rows = sorted(rows, key=_newest_key, reverse=True)
    if sort != "relevance" or not groups:
        return [(r.id, None) for r in rows]
    ranks = engine.rank(groups, [r.id for r in rows], many=many, tags=tags)
    position = {r.id: i for i, r in enumerate(rows)}
    ordered = sorted(rows, key=lambda r: (-ranks.get(r.id, 0.0), position[r.id]))
    return [(r.id, ranks.get(r.id, 0.0)) for r in ordered]


# --- snippets ------------------------------------------------------------------------------------


def _matcher(groups: list[_Group]) -> Callable[[str], bool]:
    """Whether a word of a text matches the query (the engines' matching, for highlighting)."""
    exact = {t for g in groups for t in g.terms}
    prefixes = tuple(g.prefix for g in groups if g.prefix)
    languages = query_languages()

    def matches(word: str) -> bool:
        lower = word.lower()
        folded = fold_word(lower)
        if folded in exact or (prefixes and folded.startswith(prefixes)):
            return True
        return any(stem(lower, lang) in exact for lang in languages)

    return matches


def snippet(resource: Resource, groups: list[_Group], length: int = SNIPPET_CHARS) -> SafeString:
    """About `length` characters of the summary (as text) around its first match, HTML-escaped,
    with <mark> around the matching words; the summary's start when nothing in it matches."""
    text = markdown_text(resource.summary)
    if not text:
        return mark_safe("")
    matches = _matcher(groups)
    spans = [m.span() for m in WORD_RE.finditer(text) if matches(m.group())] if groups else []
    start = 0
    if spans:
        # Start a little before the first match, at a word boundary.
        first = spans[0][0]
        if first > length // 3:
            start = text.rfind(" ", 0, first - length // 4) + 1
    end = min(len(text), start + length)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    out: list[str] = ["…" if start else ""]
    position = start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(escape(text[position:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        position = b
    out.append(escape(text[position:end]))
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out))
