"""A fixed script of learner and staff requests to the three blocks, replayed on a fresh runtime.

Contract: `replay()` returns, for each step of `SCRIPT`, the handler's status, its JSON reply and
what is stored after the request — the key-value store's whole content (every field every block
wrote) and every records row (tests/records_database.py; without ids and times, which differ from
run to run) — as plain JSON (its sha256; the final content in full). The records tables are
emptied first. The blocks are the quiz, walkthrough and tracker of the fixture course as `rpt-course`
builds them (benchmarks.block_speed.shipped_olx); each request gets a block instance fresh from
the runtime, as an LMS request does; the tracker's clock is fixed at `NOW`. Quiz answers are written
in the authors' ids and sent, as the browser sends them, in the learner's stand-ins (quiz_fixture.browser_payload). Recorded once into
tests/fixtures/handler_replies.json (`python -m tests.blocks.handler_replay --write`) before a
change meant to keep behaviour, and compared by test_handler_replies_unchanged.py after it.
"""
from __future__ import annotations

import hashlib
import json
import sys
import warnings
from datetime import datetime, timezone
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "fixtures" / "handler_replies.json"
NOW = datetime(2026, 11, 28, 7, 0, tzinfo=timezone.utc)
_ANSWERS = json.loads((ROOT / "tests" / "fixtures" / "quiz_answers.json").read_text("utf-8"))
_CASE = {"date": "2026-10-01", "category": "G3", "radiopharmaceutical": "Lu-177 dotatate", "activity": "7.4 GBq",
         "supervising_au": "Preceptor AU", "preceptor": "pat", "case_reference": "LU-2026-001", "notes": ""}
_DIDACTIC = {"provider": "Training center", "start": "2026-01-05", "end": "2026-03-27", "certificate": "TC-001",
             "hours": {"physics_instrumentation": 60, "radiation_protection": 50, "mathematics": 30, "chemistry": 20,
                       "radiation_biology": 40}}

# (user, staff, block tag, handler, payload); refusals are interleaved with accepted requests.
SCRIPT = [
    ("ann", False, "rpt_quiz", "state", {}),
    ("ann", False, "rpt_quiz", "submit", {"answers": {"public_limit": "a"}}),            # 400: unanswered
    ("ann", False, "rpt_quiz", "submit", {"answers": {"nope": "a"}}),                    # 400: not hers
    ("ann", False, "rpt_quiz", "submit", {"answers": {**_ANSWERS["wrong"], "i131_release_activity": "3 Sv"}}),
    ("ann", False, "rpt_quiz", "submit", {"answers": _ANSWERS["wrong"]}),
    ("ann", False, "rpt_quiz", "submit", {"answers": _ANSWERS["right"]}),                # 409: reset first
    ("ann", False, "rpt_quiz", "reset", {}),
    ("ann", False, "rpt_quiz", "submit", {"answers": _ANSWERS["right"]}),
    ("ann", False, "rpt_quiz", "submit", {"answers": _ANSWERS["right"]}),                # 403: no attempts left
    ("bob", False, "rpt_quiz", "submit", {"answers": _ANSWERS["right"]}),
    ("ann", False, "rpt_dosimetry", "state", {}),
    ("ann", False, "rpt_dosimetry", "check_step", {"step": "activity", "answer": "1 GBq"}),  # 409: not her step
    ("ann", False, "rpt_dosimetry", "check_step", {"step": "remaining", "answer": "3 GBq"}),  # 400: wrong kind
    ("ann", False, "rpt_dosimetry", "check_step", {"step": "remaining", "answer": ""}),       # 400: empty
    ("ann", False, "rpt_dosimetry", "check_step", {"step": "remaining", "answer": "0.5"}),
    ("ann", False, "rpt_dosimetry", "check_step", {"step": "remaining", "answer": "0.6"}),
    ("ann", False, "rpt_dosimetry", "check_step", {"step": "activity", "answer": "1 GBq"}),
    ("ann", False, "rpt_dosimetry", "check_step", {"step": "activity", "answer": "5000 MBq"}),
    ("ann", False, "rpt_dosimetry", "check_step", {"step": "activity", "answer": "5 GBq"}),   # 409: finished
    ("bob", False, "rpt_dosimetry", "check_step", {"step": "remaining", "answer": "0.9"}),
    ("bob", False, "rpt_dosimetry", "hint", {"step": "remaining", "index": 0}),
    ("ann", False, "rpt_prereq_tracker", "state", {}),
    ("ann", False, "rpt_prereq_tracker", "add_entry", {"kind": "case", "fields": {**_CASE, "activity": "7.4 Gy"}}),
    ("ann", False, "rpt_prereq_tracker", "add_entry", {"kind": "case", "fields": {**_CASE, "notes": "MRN 12345678"}}),
    ("ann", False, "rpt_prereq_tracker", "add_entry", {"kind": "case", "fields": _CASE}),
    ("ann", False, "rpt_prereq_tracker", "add_entry", {"kind": "didactic", "fields": _DIDACTIC}),
    ("ann", False, "rpt_prereq_tracker", "set_plan", {"application_date": "2027-01-15", "categories": ["G3"]}),
    ("ann", False, "rpt_prereq_tracker", "add_entry", {"kind": "case", "fields": {**_CASE, "activity": "200 mCi",
                                                                                  "case_reference": "LU-2026-002"}}),
    ("ann", False, "rpt_prereq_tracker", "delete_entry", {"entry": "e3"}),
    ("ann", False, "rpt_prereq_tracker", "delete_entry", {"entry": "e3"}),                # 404: gone
    ("pat", True, "rpt_prereq_tracker", "review_entry", {"learner": "ann", "entry": "e1", "decision": "verified",
                                                         "comment": ""}),
    ("ann", False, "rpt_prereq_tracker", "add_entry", {"kind": "declaration", "fields": {
        "requirement": "astro_membership", "date": "2026-01-05", "reference": ""}}),
    ("pat", True, "rpt_prereq_tracker", "review_entry", {"learner": "ann", "entry": "e2", "decision": "rejected",
                                                         "comment": "Certificate missing"}),
    ("ann", False, "rpt_prereq_tracker", "add_entry", {"kind": "didactic", "fields": _DIDACTIC, "corrects": "e2"}),
    ("ann", False, "rpt_prereq_tracker", "add_entry", {"kind": "didactic", "fields": _DIDACTIC, "corrects": "e2"}),  # 409
    ("ann", False, "rpt_prereq_tracker", "add_entry", {"kind": "case", "fields": {**_CASE, "case_reference": "LU-2026-003"}}),
    ("sam", True, "rpt_prereq_tracker", "review_entry", {"learner": "ann", "entry": "e6", "decision": "verified",
                                                         "comment": ""}),                  # 403: names pat
]


class _Users:
    """The LMS's user service as the tracker reads it: the username, and the course Staff role for staff."""

    def __init__(self, runtime):
        self.runtime = runtime

    def get_current_user(self):
        from xblock.reference.user_service import XBlockUser

        user = XBlockUser(is_current_user=True, emails=[], full_name="")
        staff = bool(self.runtime.user_is_staff)
        user.opt_attrs.update({"edx-platform.username": self.runtime.user_id, "edx-platform.user_is_staff": staff,
                               "edx-platform.user_role": "staff" if staff else "student"})
        return user


_IDS = {"id", "rejected_entry"}  # database ids (a rejection names its entry's id again: records/models.py)


def _store_json(store) -> dict:
    """The XBlock fields stored, and every records row (without database ids and times, which differ
    from run to run): all that the script's requests wrote."""
    from datetime import datetime as _datetime

    from django.apps import apps

    fields = {"|".join(map(str, key)): value for key, value in sorted(store.db_dict.items(), key=lambda kv: str(kv[0]))}
    rows = {}
    for model in apps.get_app_config("rpt_records").get_models():
        kept = [{k: ("<time>" if isinstance(v, _datetime) else v) for k, v in row.items()
                 if k not in _IDS and not k.endswith("_id")} for row in model.objects.values()]
        rows[model.__name__] = sorted(kept, key=lambda row: json.dumps(row, sort_keys=True, default=str))
    return {"fields": fields, "rows": rows}


def replay() -> dict:
    import records_database
    from webob import Request
    from xblock.runtime import DictKeyValueStore, KvsFieldData
    from xblock.test.tools import TestRuntime

    from benchmarks.block_speed import shipped_olx
    from quiz_fixture import browser_payload

    records_database.clear()
    store = DictKeyValueStore()
    runtime = TestRuntime(services={"field-data": KvsFieldData(store)})
    runtime._services["user"] = _Users(runtime)  # pylint: disable=protected-access
    runtime.publish = lambda block, event_type, data: None
    olx = shipped_olx()
    usages = {tag: runtime.parse_xml_string(olx[tag]) for tag in ("rpt_quiz", "rpt_dosimetry", "rpt_prereq_tracker")}
    steps = []
    with mock.patch("rpt_xblocks.tracker.block._now", return_value=NOW), \
            mock.patch("rpt_xblocks.tracker.store._now", return_value=NOW), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Runtime.user_id is deprecated, and is what TestRuntime reads
        for user, staff, tag, handler, payload in SCRIPT:
            runtime.user_id, runtime.user_is_staff = user, staff
            block = runtime.get_block(usages[tag])
            sent = browser_payload(block, handler, payload)  # quiz answers in the learner's stand-in ids
            response = block.handle(handler, Request.blank("/", method="POST", body=json.dumps(sent).encode()))
            stored = json.dumps(_store_json(store), default=str, sort_keys=True)
            steps.append({"request": [user, tag, handler, payload], "status": response.status_code,
                          "reply": json.loads(response.body), "stored_sha256": hashlib.sha256(stored.encode()).hexdigest()})
    return {"steps": steps, "final_store": json.loads(stored)}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # quiz_fixture, as pytest finds it
    import records_database

    records_database.configure()
    if sys.argv[1:] == ["--write"]:
        GOLDEN.write_text(json.dumps(replay(), indent=1, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")
        print(f"wrote {GOLDEN}")
