"""Bursts from one learner: the same request sent several times at once (a double click, a retry), or
several different ones. Run on both previews: gunicorn's worker processes on MariaDB, and the plain
SQLite preview (Django's threaded development server, as `rpt-course preview` serves it).

- tracker `add_entry` with the same client-made `client_id` 8 times at once makes exactly one entry;
  8 different entries at once make 8;
- 8 different quiz submissions at once (max_attempts=2): at most 2 graded, every one answered 200
  stored; the others are refused with 409 and reveal nothing about correctness;
- 8 different answers to one walkthrough step at once (step_attempts=2): the same;
- 8 Checks of one quiz question at once (max_checks=3): at most 3 answered 200, the rest refused
  (403 used up, or 409 lost the race), and a later Check reports the checks left from the rows stored.
"""
from __future__ import annotations


import pytest

from harness import (FIRST_STEP, QUIZ_BURSTS, QUIZ_MAX_ATTEMPTS, QUIZ_MAX_CHECKS, STEP_ATTEMPTS, TRACKER_BURSTS, WALKTHROUGH, Block,
                     Violations, at_once, case_entry, client_id, run_id, entry_marker, live_entries, quiz_attempts,
                     reveals_correctness, shown_choice_ids, step_attempts_used)

BURST = 8
# Learners bursting side by side: 4 on gunicorn; 1 on the development server, whose listen backlog
# (10 connections) resets the connections of a larger burst before Django sees them.
LEARNERS = {"gunicorn_preview": 4, "sqlite_preview": 1}


@pytest.fixture(params=sorted(LEARNERS))
def preview(request):
    return request.getfixturevalue(request.param)


@pytest.fixture
def learners(request) -> int:
    return LEARNERS[request.node.callspec.params["preview"]]


def _brief(reply) -> str:
    return reply.brief() if hasattr(reply, "brief") else repr(reply)


def test_the_same_entry_sent_at_once_is_stored_once_and_different_ones_each_once(preview, learners):
    block = Block(preview, TRACKER_BURSTS)
    run = run_id()
    names = [f"burster-{run}-{i}" for i in range(learners)]
    same = {name: (f"RA-{run}-{i}-same", client_id()) for i, name in enumerate(names)}
    calls = [lambda n=n: block.post(n, "add_entry", case_entry(*same[n])) for n in names for _ in range(BURST)]
    replies = at_once(calls)
    problems = Violations(preview.label)
    for index, name in enumerate(names):
        mine = replies[index * BURST:(index + 1) * BURST]
        statuses = [getattr(r, "status", None) for r in mine]
        problems.check(200 in statuses, f"none of {name}'s {BURST} identical add_entry was answered 200: {statuses}")
        problems.check(all(s in (200, 409) for s in statuses),
                       f"{name}'s identical add_entry replies: {[_brief(r) for r in mine if getattr(r, 'status', None) not in (200, 409)][:2]}")
        state = block.state(name, problems)
        if state is None:
            continue
        stored = [e for e in live_entries(state) if entry_marker(e) == same[name][0]]
        problems.check(len(stored) == 1, f"{name} sent one entry (client_id {same[name][1]}) {BURST} times at once: "
                                         f"{len(stored)} stored ({statuses.count(200)} answered 200)")

    different = {name: [(f"RA-{run}-{i}-d{k}", client_id()) for k in range(BURST)] for i, name in enumerate(names)}
    replies = at_once([lambda n=n, e=e: block.post(n, "add_entry", case_entry(*e)) for n in names for e in different[n]])
    for index, name in enumerate(names):
        mine = replies[index * BURST:(index + 1) * BURST]
        for (marker, _client), reply in zip(different[name], mine):
            problems.check(getattr(reply, "status", None) == 200, f"{name}'s add_entry {marker}: {_brief(reply)}")
        state = block.state(name, problems)
        if state is None:
            continue
        stored = [entry_marker(e) for e in live_entries(state)]
        for marker, _client in different[name]:
            problems.check(stored.count(marker) == 1, f"{name}'s entry {marker}, one of {BURST} different ones sent "
                                                      f"at once, is stored {stored.count(marker)} times")
        problems.check(len(stored) == 1 + BURST, f"{name} holds {len(stored)} entries; 1 + {BURST} were sent")
    problems.assert_none(preview)


def _refusals_reveal_nothing(problems: Violations, who: str, replies: list) -> None:
    for reply in replies:
        status = getattr(reply, "status", None)
        if status == 200:
            continue
        problems.check(status == 409, f"{who}: a submission beyond the first was answered {_brief(reply)}, not 409")
        leaked = reveals_correctness(getattr(reply, "data", None))
        problems.check(not leaked, f"{who}: a refused submission's reply shows {sorted(leaked)}")


def test_a_burst_of_quiz_submissions_grades_at_most_max_attempts(preview, learners):
    block = Block(preview, QUIZ_BURSTS)
    run = run_id()
    names = [f"quiz-burst-{run}-{i}" for i in range(learners)]
    shown = {n: shown_choice_ids(block, n, "occupational_tede") for n in names}  # choices unshuffled: a, b, c
    answers = {n: [{"occupational_tede": shown[n][k % 3], "public_hourly": f"{0.01 * (k + 1):.2f} mSv"}
                   for k in range(BURST)] for n in names}
    replies = at_once([lambda n=n, a=a: block.post(n, "submit", {"answers": a}) for n in names for a in answers[n]])
    problems = Violations(preview.label)
    for index, name in enumerate(names):
        mine = replies[index * BURST:(index + 1) * BURST]
        graded = sum(getattr(r, "status", None) == 200 for r in mine)
        problems.check(1 <= graded <= QUIZ_MAX_ATTEMPTS,
                       f"{name} sent {BURST} submissions at once (max_attempts={QUIZ_MAX_ATTEMPTS}): {graded} graded")
        _refusals_reveal_nothing(problems, name, mine)
        state = block.state(name, problems)
        if state is None:
            continue
        attempts = quiz_attempts(state)
        problems.check(attempts == graded, f"{name}: {graded} submissions answered 200 (graded), {attempts} attempts stored")
        problems.check(attempts <= QUIZ_MAX_ATTEMPTS, f"{name}: {attempts} attempts stored, beyond max_attempts={QUIZ_MAX_ATTEMPTS}")
    problems.assert_none(preview)


def test_a_burst_of_checks_of_one_question_uses_at_most_max_checks(preview, learners):
    block = Block(preview, QUIZ_BURSTS)
    run = run_id()
    names = [f"check-burst-{run}-{i}" for i in range(learners)]
    shown = {n: shown_choice_ids(block, n, "occupational_tede") for n in names}
    replies = at_once([lambda n=n, k=k: block.post(n, "check", {"question": "occupational_tede",
                                                                 "answer": shown[n][k % 3]})
                       for n in names for k in range(BURST)])
    problems = Violations(preview.label)
    for index, name in enumerate(names):
        mine = replies[index * BURST:(index + 1) * BURST]
        checked = [r for r in mine if getattr(r, "status", None) == 200]
        problems.check(1 <= len(checked) <= QUIZ_MAX_CHECKS,
                       f"{name} sent {BURST} checks at once (max_checks={QUIZ_MAX_CHECKS}): {len(checked)} answered 200")
        for reply in mine:
            status = getattr(reply, "status", None)
            problems.check(status in (200, 403, 409), f"{name}: a check was answered {_brief(reply)}")
        lefts = sorted(r.data["checks_left"] for r in checked)
        problems.check(lefts == sorted(range(QUIZ_MAX_CHECKS - len(checked), QUIZ_MAX_CHECKS)),
                       f"{name}: the 200 replies report checks left {lefts}, not one number each")
        later = block.post(name, "check", {"question": "occupational_tede", "answer": shown[name][0]})
        expected = 200 if len(checked) < QUIZ_MAX_CHECKS else 403
        problems.check(getattr(later, "status", None) == expected,
                       f"{name}: after {len(checked)} checks a further one was answered {_brief(later)}, not {expected}")
    problems.assert_none(preview)


def test_a_burst_of_answers_to_one_step_grades_at_most_step_attempts(preview, learners):
    block = Block(preview, WALKTHROUGH)
    run = run_id()
    names = [f"step-burst-{run}-{i}" for i in range(learners)]
    # The first step's answer is a decay fraction between 0.73 and 0.91: these are all wrong.
    wrong = [f"0.{11 + k}" for k in range(BURST)]
    replies = at_once([lambda n=n, a=a: block.post(n, "check_step", {"step": FIRST_STEP, "answer": a})
                       for n in names for a in wrong])
    problems = Violations(preview.label)
    for index, name in enumerate(names):
        mine = replies[index * BURST:(index + 1) * BURST]
        graded = sum(getattr(r, "status", None) == 200 for r in mine)
        problems.check(1 <= graded <= STEP_ATTEMPTS,
                       f"{name} sent {BURST} answers to one step at once (step_attempts={STEP_ATTEMPTS}): {graded} graded")
        _refusals_reveal_nothing(problems, name, mine)
        state = block.state(name, problems)
        if state is None:
            continue
        used, _finished = step_attempts_used(state, FIRST_STEP)
        problems.check(used == graded, f"{name}: {graded} answers answered 200 (graded), the state shows {used} attempts used")
    problems.assert_none(preview)


def test_a_burst_of_drafts_from_one_learner_stores_one_whole_draft(preview, learners):
    """8 drafts at once for a learner with no draft row yet (each insert races the others): every one is
    answered 200 (never a 500 from a duplicate insert or a deadlock), and the draft stored is one of
    those sent, whole."""
    block = Block(preview, QUIZ_BURSTS)
    run = run_id()
    names = [f"draft-burst-{run}-{i}" for i in range(learners)]
    shown = {n: shown_choice_ids(block, n, "occupational_tede") for n in names}
    sent = {n: [{"occupational_tede": shown[n][k % 3], "public_hourly": f"{0.01 * (k + 1):.2f} mSv"}
                for k in range(BURST)] for n in names}
    replies = at_once([lambda n=n, a=a: block.post(n, "save_draft", {"attempt": 1, "answers": a})
                       for n in names for a in sent[n]])
    problems = Violations(preview.label)
    for index, name in enumerate(names):
        for reply in replies[index * BURST:(index + 1) * BURST]:
            problems.check(getattr(reply, "status", None) == 200, f"{name}: a draft was answered {_brief(reply)}")
        state = block.state(name, problems)
        if state is None:
            continue
        draft = {q["id"]: q["draft"] for q in state["questions"] if "draft" in q}
        problems.check(draft in sent[name], f"{name}: the stored draft {draft} is not one sent, whole")
    problems.assert_none(preview)
