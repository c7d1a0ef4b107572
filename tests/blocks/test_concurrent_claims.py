"""Concurrent requests on the SQLite test database (IMMEDIATE transactions, one connection per
thread): eight simultaneous submissions of one learner to a two-attempt quiz grade exactly one,
and eight simultaneous answers to one walkthrough step take at most its attempts. (The same on
MariaDB, where the loser of a race meets the unique constraint, is tested elsewhere.)"""
from __future__ import annotations

import json
import threading
from importlib import resources

from webob import Request

from quiz_fixture import WRONG, as_browser, quiz_olx
from rpt_xblocks.records.models import QuizSubmission, StepAttempt

THREADS = 8


def _all_at_once(runtime, usage, handler, payload) -> list[int]:
    from django.db import connection

    barrier, statuses, lock = threading.Barrier(THREADS), [], threading.Lock()
    blocks = [runtime.get_block(usage) for _ in range(THREADS)]  # one instance per request, as in the LMS

    def request(block):
        try:
            barrier.wait()
            response = block.handle(handler, Request.blank("/", method="POST", body=json.dumps(payload).encode()))
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()
    threads = [threading.Thread(target=request, args=(block,)) for block in blocks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sorted(statuses)


def test_simultaneous_submissions_use_one_attempt(runtime):
    usage = runtime.parse_xml_string(quiz_olx(max_attempts=2))
    statuses = _all_at_once(runtime, usage, "submit", {"answers": as_browser(runtime.get_block(usage), WRONG)})
    assert statuses == [200] + [409] * (THREADS - 1)
    assert list(QuizSubmission.objects.values_list("attempt", "reset")) == [(1, False)]


def test_simultaneous_answers_to_a_step_take_at_most_its_attempts(runtime):
    example = resources.files("rpt_xblocks.dosimetry").joinpath("scenarios/example.xml").read_text("utf-8")
    usage = runtime.parse_xml_string(example)
    statuses = _all_at_once(runtime, usage, "check_step", {"step": "remaining", "answer": "0.1"})
    assert statuses.count(200) == 2 and statuses.count(409) == THREADS - 2
    assert sorted(StepAttempt.objects.values_list("attempt", flat=True)) == [1, 2]
