"""The records app: what learners and preceptors write, as database rows (a Django app in the package).

Why rows, not XBlock fields: in the LMS any two requests may run at once (two learners, or one
learner's double click). An XBlock field is one stored JSON value read at the start of a request and
written back at its end, so two requests that change it lose one change. Rows change one at a time,
and the database enforces what must never happen (unique attempt numbers, one standing decision per
entry, no preceptor deciding their own entry).

Installed in the LMS and Studio through the platform's plugin entry points (`lms.djangoapp`,
`cms.djangoapp` in setup.py, `apps.RecordsConfig.plugin_app`), so the platform's ordinary `migrate`
creates the tables; the preview lists the app in INSTALLED_APPS. `models.py` holds the tables; the
blocks reach them through one store module each (`quiz/submissions.py`, `dosimetry/attempts.py`,
`tracker/store.py`).
"""
