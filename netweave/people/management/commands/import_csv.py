"""`netweave import_csv --network SLUG --kind resources|products|investments FILE [--commit]`

The resource, product and investment imports of the import page, from the command line: a dry
run unless --commit, every bad cell printed by line and column, exit status 2 when any row is
bad (nothing is written then). The same as `import_people` with one of these kinds."""

from __future__ import annotations

from netweave.people.management.commands.import_people import Command as ImportPeopleCommand


class Command(ImportPeopleCommand):
    help = (
        "Import resources, products or investments (CSV) into a network. Checks the file and "
        "writes nothing unless --commit is given."
    )
    kinds = ("resources", "products", "investments")
    default_kind = None
