"""`netweave`: the project's console script.

Every Django management command works through it (`netweave migrate`, `netweave createsuperuser`),
as do NetWeave's own: `netweave demo [--reset]`, `netweave serve [--host H] [--port P]`,
`netweave worker`, `netweave generate --members N --seed S`, `netweave analyze FILE` and
`netweave recommend FILE` (the last two: the Django-free analysis library). Settings come from
DJANGO_SETTINGS_MODULE, `config.settings.dev` unless the environment names another module."""

from __future__ import annotations

import os
import sys

DEFAULT_SETTINGS = "config.settings.dev"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in (["analyze"], ["recommend"]):
        # The analysis library knows nothing of Django: no settings, no database.
        from netweave.analysis.cli import main as analyze
        from netweave.analysis.cli import recommend_main

        command = analyze if args[0] == "analyze" else recommend_main
        try:
            raise SystemExit(command(args[1:]))
        except BrokenPipeError:  # `netweave analyze file | head`: the reader left, not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(0) from None
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["netweave", *args])


if __name__ == "__main__":  # `python -m netweave.cli ...`, used by `netweave serve` for its worker
    main()
