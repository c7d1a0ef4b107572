"""The records app's configuration, and how the Open edX platform finds it.

`plugin_app` is read by edx-django-utils' plugin machinery in the LMS and Studio (entry points
`lms.djangoapp` / `cms.djangoapp` in setup.py): an installed package is added to INSTALLED_APPS, so
`./manage.py lms migrate` (Tutor's init job) creates its tables. It adds no URLs or settings.
"""
from __future__ import annotations

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "rpt_xblocks.records"
    label = "rpt_records"
    verbose_name = "rpt-au learner records"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app: dict = {}  # models and migrations only: nothing to add to URLs or settings
