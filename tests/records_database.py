"""Django for tests that run blocks in this process: the records app on a SQLite file of its own.

`configure()` sets up Django once per process (unless something already did) with the records app
and the settings the blocks read, then creates the tables with the checked-in migrations, as the
platform's `migrate` does. `clear()` empties every records table: usage ids of XBlock's TestRuntime
repeat between tests, so each test starts with no rows. `rows()` is every records table's content
(to compare before and after a request that must store nothing). Preview servers run in subprocesses and
configure Django themselves.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

RECORDS_APP = "rpt_xblocks.records"


def configure() -> None:
    import django
    from django.conf import settings
    from django.core.management import call_command

    if settings.configured:
        return
    # Playwright's sync API (the browser tests' session-wide Chromium) keeps an event loop registered
    # in the main thread between its calls; Django then takes every database call for one made from a
    # coroutine and refuses it. The tests call the database only from plain synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    folder = Path(tempfile.mkdtemp(prefix="rpt-records-"))
    settings.configure(
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", RECORDS_APP],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(folder / "records.db"),
                               "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20}}},
        USE_I18N=True, LANGUAGE_CODE="en", USE_TZ=True, DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        SECRET_KEY="rpt-au tests: not a secret",  # keys the quiz's stand-in ids, as a site's secret does
    )
    django.setup()
    call_command("migrate", verbosity=0)


def clear() -> None:
    """Empty every records table."""
    _clear()


def _clear() -> None:
    from django.apps import apps
    from django.db import connection

    from django.db import transaction

    models = list(apps.get_app_config("rpt_records").get_models())
    with transaction.atomic(), connection.cursor() as cursor:  # one transaction: foreign keys in a cycle
        # (a correction's entry -> the rejection -> the rejected entry) are checked at its end
        for model in reversed(_dependency_order(models)):
            cursor.execute(f'DELETE FROM "{model._meta.db_table}"')


def rows() -> dict[str, list[dict]]:
    """Every row of every records table, by table name, in id order (plain values)."""
    from django.apps import apps

    return {model._meta.db_table: list(model.objects.order_by("pk").values())
            for model in apps.get_app_config("rpt_records").get_models()}


def _dependency_order(models: list) -> list:
    """Models with those they point to first (so deleting in reverse never breaks a foreign key),
    as far as a cycle of foreign keys allows (a cycle is broken where it is found)."""
    ordered: list = []
    visiting: set = set()
    def visit(model):
        if model in ordered or model in visiting:
            return
        visiting.add(model)
        for field in model._meta.fields:
            target = getattr(field, "related_model", None)
            if target is not None and target in models and target is not model:
                visit(target)
        ordered.append(model)
    for model in models:
        visit(model)
    return ordered


def snapshot() -> dict:
    """Every row of every records table (`rows()`), as comparable values: to show that a refused
    request wrote nothing."""
    return {table: [tuple(sorted(row.items())) for row in table_rows] for table, table_rows in rows().items()}
