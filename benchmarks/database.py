"""One database for every block in a benchmark: our records rows and every block's learner field data.

Contract: `configure(folder=None)` sets up Django once per process (unless something already did) on
a SQLite file in `folder` (a new temporary folder if None) with the records app
(`rpt_xblocks.records`) and xblock-sdk's workbench app (whose `XBlockState` table holds XBlock field
data), plus what xblock-poll and drag-and-drop-v2 read (templates, i18n), then creates the tables
with their checked-in migrations, as the platform's `migrate` does. It returns the database file.

`LearnerStateStore` is the runtime's `KeyValueStore`. The learner scopes (`user_state`,
`user_state_summary`, `preferences`, `user_info`: what the LMS keeps in its courseware tables) are
rows of the workbench's `XBlockState` table in that same database, one row per (scope, block,
user) holding a JSON object of fields (found through an index on (block, user, scope) that
`configure` adds, as the LMS's `StudentModule` is indexed on learner and block; the workbench's
own single-column indexes make SQLite scan every row of a scope once a class is in the table), read and written as the LMS does with its `StudentModule`
rows: the first read of a row in a request selects it (a missing row reads as empty), later reads
come from the request's cache, and `set_many` (XBlock's `save()` at the end of a handler) writes
each changed row once (an update, or an insert for a new row). The authored scopes (`content`,
`settings`, `children`, `parent`), which the LMS reads from its modulestore and caches, are kept in
memory. So xblock-poll's and drag-and-drop-v2's state writes and our blocks' row inserts pay for
the same database, with the same transaction mode and durability settings. `describe()` names the
database for the report. `new_request()` empties
the row cache; call it between timed calls that read the same row.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from xblock.runtime import KeyValueStore

RECORDS_APP = "rpt_xblocks.records"
FIELD_DATA_APP = "workbench"  # xblock-sdk: its XBlockState table holds XBlock field data
LEARNER_SCOPES = ("user_state", "user_state_summary", "preferences", "user_info")

_database: Path | None = None


def configure(folder: Path | None = None) -> Path | None:
    """See the module docstring. Returns the SQLite file, or None if Django was configured elsewhere."""
    global _database  # noqa: PLW0603  one Django configuration per process
    import django
    from django.conf import settings
    from django.core.management import call_command

    if settings.configured:
        return _database
    folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="rpt-bench-db-"))
    _database = folder / "bench.db"
    settings.configure(
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", RECORDS_APP, FIELD_DATA_APP],
        SECRET_KEY="rpt-au benchmarks: not a secret",  # keys the quiz's stand-in ids
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(_database),
                               "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20}}},
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
        USE_I18N=True, LANGUAGE_CODE="en", USE_TZ=True, DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection

    with connection.cursor() as cursor:  # the LMS's StudentModule is unique on (learner, block): one lookup per row
        cursor.execute("CREATE INDEX IF NOT EXISTS bench_field_row ON workbench_xblockstate (scope_id, user_id, scope)")
    return _database


def describe() -> str:
    """The database the benchmark measured on, for the report."""
    import sqlite3

    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if engine == "sqlite3":
        mode = settings.DATABASES["default"].get("OPTIONS", {}).get("transaction_mode", "DEFERRED")
        return f"SQLite {sqlite3.sqlite_version} (a file on disk, transaction mode {mode})"
    return engine


def _learner_scope(key) -> str | None:
    """The short scope name of a learner-scoped key ("user_state", ...), None for authored scopes."""
    from xblock.fields import Scope

    for scope_name in LEARNER_SCOPES:
        if key.scope == getattr(Scope, scope_name):
            return scope_name
    return None


class LearnerStateStore(KeyValueStore):
    """See the module docstring."""

    def __init__(self):
        self.authored: dict = {}
        self._rows: dict[tuple, dict] = {}  # (scope, block, user) -> fields, read this request
        self.queries = 0

    # ---- the rows ------------------------------------------------------------------------------

    @staticmethod
    def _row_key(key) -> tuple:
        return (_learner_scope(key), str(key.block_scope_id) if key.block_scope_id is not None else "",
                str(key.user_id) if key.user_id is not None else "")

    def _row(self, row_key: tuple) -> dict:
        if row_key not in self._rows:
            from workbench.models import XBlockState

            scope, block, user = row_key
            self.queries += 1
            found = XBlockState.objects.filter(scope=scope, scope_id=block, user_id=user).values_list("state", flat=True).first()
            self._rows[row_key] = json.loads(found) if found is not None else {}
        return self._rows[row_key]

    def _write(self, row_key: tuple, fields: dict) -> None:
        from workbench.models import XBlockState

        scope, block, user = row_key
        self.queries += 1
        text = json.dumps(fields, sort_keys=True)
        if not XBlockState.objects.filter(scope=scope, scope_id=block, user_id=user).update(state=text):
            XBlockState.objects.create(scope=scope, scope_id=block, user_id=user, state=text)
        self._rows[row_key] = fields

    def new_request(self) -> None:
        """Forget the rows read: the next read of each goes to the database again."""
        self._rows.clear()

    # ---- KeyValueStore -------------------------------------------------------------------------

    def get(self, key):
        if _learner_scope(key) is None:
            return self.authored[key]
        return self._row(self._row_key(key))[key.field_name]

    def has(self, key) -> bool:
        if _learner_scope(key) is None:
            return key in self.authored
        return key.field_name in self._row(self._row_key(key))

    def set(self, key, value) -> None:
        self.set_many({key: value})

    def delete(self, key) -> None:
        if _learner_scope(key) is None:
            del self.authored[key]
            return
        row_key = self._row_key(key)
        fields = dict(self._row(row_key))
        del fields[key.field_name]
        self._write(row_key, fields)

    def set_many(self, update_dict: dict) -> None:
        changed: dict[tuple, dict] = {}
        for key, value in update_dict.items():
            if _learner_scope(key) is None:
                self.authored[key] = value
                continue
            row_key = self._row_key(key)
            if row_key not in changed:
                changed[row_key] = dict(self._row(row_key))
            changed[row_key][key.field_name] = value
        if changed:
            from django.db import transaction

            with transaction.atomic():
                for row_key, fields in changed.items():
                    self._write(row_key, fields)
