"""Full-text search in the database's own engine, behind one function.

SQLite: an FTS5 index (external content, kept in step by triggers). PostgreSQL: a GIN index on
`to_tsvector('simple', ...)`. Any other engine: case-insensitive substring matching. Each engine
supports prefix matching, so "mala" finds "malaria"."""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import QuerySet
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
    extra = [w for w in TOKEN_RE.findall(folded) if w not in set(TOKEN_RE.findall(text))]
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
    return [
        f"CREATE INDEX IF NOT EXISTS {table}_{column}_fts ON {table} "
        f"USING gin (to_tsvector('simple'::regconfig, {column}))"
    ]


def postgres_fts_drop_sql(table: str, column: str) -> list[str]:
    return [f"DROP INDEX IF EXISTS {table}_{column}_fts"]


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


def matching_ids_sql(table: str, column: str, text: str) -> tuple[str, list[str]] | None:
    """SQL selecting the ids of rows of `table` whose `column` matches every word of `text`."""
    tokens = query_tokens(text)
    if not tokens:
        return None
    if connection.vendor == "sqlite":
        match = " AND ".join(f'"{t}"*' for t in tokens)
        return (f"SELECT rowid FROM {fts_table(table)} WHERE {fts_table(table)} MATCH %s", [match])
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{fold(t)}:*" for t in tokens)
        return (
            f"SELECT id FROM {table} WHERE to_tsvector('simple'::regconfig, {column}) "
            "@@ to_tsquery('simple'::regconfig, %s)",
            [tsquery],
        )
    return None


def filter_matching(queryset: QuerySet, field_path: str, table: str, column: str, text: str):  # type: ignore[no-untyped-def,type-arg]
    """Keep the rows of `queryset` whose `field_path` id is a full-text match for `text`."""
    tokens = query_tokens(text)
    if not tokens:
        return queryset
    sql = matching_ids_sql(table, column, text)
    if sql is None:
        for token in tokens:
            queryset = queryset.filter(**{f"{field_path}__{column}__icontains": token})
        return queryset
    return queryset.filter(**{f"{field_path}__in": RawSQL(*sql)})
