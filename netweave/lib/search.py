"""Full-text search in the database's own engine, behind one function.

SQLite: an FTS5 index (external content, kept in step by triggers). PostgreSQL: a GIN index on
`to_tsvector('simple', ...)`. Any other engine: case-insensitive substring matching. Each engine
supports prefix matching, so "mala" finds "malaria"."""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

TOKEN_RE = re.compile(r"\w+", re.UNICODE)
MAX_TOKENS = 8


def fold(text: str) -> str:
    """Text without accents, for engines whose tokenizer keeps them (PostgreSQL's 'simple').

    >>> fold("Émile Núñez, Kraków")
    'Emile Nunez, Krakow'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def searchable(text: str) -> str:
    """What to store in a search column: the text, plus an accent-free copy of the words that have
    accents, so that "emile" and "émile" both match "Émile" on every engine."""
    folded = fold(text)
    if folded == text:
        return text
    original = set(TOKEN_RE.findall(text))
    extra = [w for w in TOKEN_RE.findall(folded) if w not in original]
    return f"{text} {' '.join(extra)}" if extra else text


def query_tokens(text: str) -> list[str]:
    """Split a user's query into words; punctuation and operators are dropped.

    >>> query_tokens('HIV "prevention" AND -trials*')
    ['hiv', 'prevention', 'and', 'trials']
    """
    return [t.lower() for t in TOKEN_RE.findall(text or "")][:MAX_TOKENS]


def fts_table(table: str) -> str:
    return f"{table}_fts"


def sqlite_fts_sql(table: str, column: str) -> list[str]:
    """SQL that creates an FTS5 index over `table.column` and the triggers that maintain it."""
    fts = fts_table(table)
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({column}, content='{table}', "
        f"content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {column} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); "
        f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def sqlite_fts_drop_sql(table: str) -> list[str]:
    fts = fts_table(table)
    return [f"DROP TRIGGER IF EXISTS {fts}_{s}" for s in ("ai", "ad", "au")] + [
        f"DROP TABLE IF EXISTS {fts}"
    ]


def postgres_fts_sql(table: str, column: str) -> list[str]:
    """A stored tsvector column beside `column`, and its GIN index. Stored (not an expression
    index) so that a plan that checks rows one by one, in name order, reads the vector instead of
    re-parsing the text of every row."""
    vector = f"{column}_vector"
    return [
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {vector} tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('simple'::regconfig, coalesce({column}, ''))) STORED",
        f"CREATE INDEX IF NOT EXISTS {table}_{column}_fts ON {table} USING gin ({vector})",
    ]


def postgres_fts_drop_sql(table: str, column: str) -> list[str]:
    return [
        f"DROP INDEX IF EXISTS {table}_{column}_fts",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}_vector",
    ]


def create_index(schema_editor, table: str, column: str) -> None:  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = (
        sqlite_fts_sql(table, column)
        if vendor == "sqlite"
        else postgres_fts_sql(table, column)
        if vendor == "postgresql"
        else []
    )
    for statement in statements:
        schema_editor.execute(statement)


def drop_index(schema_editor, table: str, column: str) -> None:  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = (
        sqlite_fts_drop_sql(table)
        if vendor == "sqlite"
        else postgres_fts_drop_sql(table, column)
        if vendor == "postgresql"
        else []
    )
    for statement in statements:
        schema_editor.execute(statement)


def matching_ids_sql(
    table: str, column: str, text: str, *, prefix: bool = True
) -> tuple[str, list[str]] | None:
    """SQL selecting the ids of rows of `table` whose `column` matches every word of `text`
    (as a word prefix unless `prefix` is False)."""
    tokens = query_tokens(text)
    if not tokens:
        return None
    star = "*" if prefix else ""
    if connection.vendor == "sqlite":
        match = " AND ".join(f'"{t}"{star}' for t in tokens)
        return (f"SELECT rowid FROM {fts_table(table)} WHERE {fts_table(table)} MATCH %s", [match])
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{fold(t)}{':*' if prefix else ''}" for t in tokens)
        return (
            f"SELECT id FROM {table} WHERE {column}_vector @@ to_tsquery('simple'::regconfig, %s)",
            [tsquery],
        )
    return None


def filter_matching(  # type: ignore[no-untyped-def]
    queryset: QuerySet,  # type: ignore[type-arg]
    field_path: str,
    table: str,
    column: str,
    text: str,
    *,
    prefix: bool = True,
    few_matches: bool = False,
):
    """Keep the rows of `queryset` whose `field_path` id is a full-text match for `text`.

    `few_matches`: the caller has counted and knows the match is small (a planner hint)."""
    tokens = query_tokens(text)
    if not tokens:
        return queryset
    sql = matching_ids_sql(table, column, text, prefix=prefix)
    if sql is None:
        for token in tokens:
            queryset = queryset.filter(**{f"{field_path}__{column}__icontains": token})
        return queryset
    if connection.vendor == "sqlite" and "__" not in field_path:
        # SQLite cannot estimate how many rows an FTS match returns, so it would drive the query
        # from the match and sort every hit. The unary + tells it not to: it walks the ordering
        # index instead and checks each row against the (materialized) match, which stops after
        # one page for common words and stays cheap for rare ones.
        local = queryset.model._meta.get_field(field_path)
        qualified = f'+"{queryset.model._meta.db_table}"."{local.column}"'  # type: ignore[union-attr]
        subquery, params = sql
        return queryset.filter(
            RawSQL(f"{qualified} IN ({subquery})", params, output_field=BooleanField())
        )
    if connection.vendor == "postgresql" and few_matches:
        # PostgreSQL guesses how many rows a text match returns; for a rare word it guesses high
        # and walks the ordering index checking every row. When the caller knows the matches are
        # few, OFFSET 0 fences the match: it is computed first and then looked up by hash. (For
        # common words the walk in order is the better plan, so they are left alone.)
        subquery, params = sql
        sql = (f"{subquery} OFFSET 0", params)
    return queryset.filter(**{f"{field_path}__in": RawSQL(*sql)})
