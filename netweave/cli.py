"""`netweave`: the project's console script.

Every Django management command works through it (`netweave migrate`, `netweave createsuperuser`),
as do NetWeave's own: `netweave demo [--reset]`, `netweave serve [--host H] [--port P]`,
`netweave worker` and `netweave generate --members N --seed S`. Settings come from
DJANGO_SETTINGS_MODULE, `config.settings.dev` unless the environment names another module."""

from __future__ import annotations

import os
import sys

DEFAULT_SETTINGS = "config.settings.dev"


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["netweave", *args])


if __name__ == "__main__":  # `python -m netweave.cli ...`, used by `netweave serve` for its worker
    main()
