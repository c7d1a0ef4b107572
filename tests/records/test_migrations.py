"""The records app's checked-in migrations match its models, and the app is what the platform loads."""
from __future__ import annotations

import importlib.metadata

from django.core.management import call_command


def test_models_and_checked_in_migrations_agree():
    """`makemigrations --check` exits non-zero (SystemExit) when a model changed without a migration."""
    call_command("makemigrations", "rpt_records", "--check", "--dry-run", verbosity=0)


def test_the_platform_plugin_entry_points_name_the_records_app():
    for group in ("lms.djangoapp", "cms.djangoapp"):
        points = [p for p in importlib.metadata.entry_points(group=group) if p.name == "rpt_records"]
        assert [p.value for p in points] == ["rpt_xblocks.records.apps:RecordsConfig"], group
        config = points[0].load()
        assert config.name == "rpt_xblocks.records" and isinstance(config.plugin_app, dict)
