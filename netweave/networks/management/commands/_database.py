"""Shared by `netweave demo` and `netweave generate` (a leading underscore: not a command)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _


def migrate_if_needed(stdout: Any, *, verbose: bool) -> None:
    """Apply pending migrations, so that a fresh DATABASE_URL works without a separate step."""
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        if verbose:
            stdout.write(_("Applying database migrations first…"))
        call_command("migrate", interactive=False, verbosity=0)
