"""`netweave worker`: run background tasks (an alias of django-tasks-db's `db_worker`)."""

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand


class Command(DBWorkerCommand):
    help = "Run the background task worker (the same as db_worker; same options)."
