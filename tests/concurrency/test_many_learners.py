"""Many learners at once on the preview served as the LMS is (gunicorn, 4 worker processes, MariaDB):
learners log tracker entries while three preceptors decide them; learners submit a quiz together.

Invariants (issue 14): every write answered 200 is stored exactly once, and nothing else is; every
preceptor decision answered 200 reaches its learner's state (and no entry is decided twice); the
queue staff see matches the learners' own pending entries; the per-requirement counts staff see
equal a recount from the learners' own states; the item analysis counts every graded submission once.
"""
from __future__ import annotations

import random
import threading
import time
from collections import Counter, defaultdict

from harness import (QUIZ, STAFF, TRACKER, Block, Violations, analysis_counts, at_once, case_entry, client_id, run_id,
                     decisions_in_trail, entry_marker, entry_status, live_entries, quiz_attempts, recount,
                     shown_choice_ids, staff_review)

LEARNERS = 50
ENTRIES_EACH = 3
PRECEPTOR_SECONDS = 45  # a bound on the preceptors' loop, not a measure: they stop sooner once the queue is empty
QUIZ_LEARNERS = 24


def tracker_under_load(preview, learners: int = LEARNERS, entries_each: int = ENTRIES_EACH) -> None:
    block = Block(preview, TRACKER)
    run = run_id()
    names = [f"learner-{run}-{i:02d}" for i in range(learners)]
    ours = set(names)
    adds: list[tuple[str, str, object]] = []  # (learner, marker, Reply or exception)
    decisions: list[tuple[str, str, str, str, object]] = []  # (preceptor, learner, entry, decision, Reply)
    lock = threading.Lock()
    learners_left = [learners]

    def learner(index: int, name: str):
        try:
            for k in range(entries_each):
                marker = f"RA-{run}-L{index:02d}-E{k}"
                try:
                    reply = block.post(name, "add_entry", case_entry(marker, client_id()))
                except OSError as error:
                    reply = error
                with lock:
                    adds.append((name, marker, reply))
        finally:
            with lock:
                learners_left[0] -= 1

    def preceptor(index: int, staff: str):
        rng = random.Random(index)
        refused = Counter()
        deadline = time.monotonic() + PRECEPTOR_SECONDS
        while time.monotonic() < deadline:
            with lock:
                learners_done = learners_left[0] == 0
            pending = [p for p in staff_review(block, staff)["pending"] if p[0] in ours and refused[p[:2]] < 3]
            if not pending:
                if learners_done:
                    return
                time.sleep(0.05)
                continue
            rng.shuffle(pending)
            for learner_key, entry, _marker in pending[:8]:
                decision = "rejected" if rng.random() < 0.25 else "verified"
                body = {"learner": learner_key, "entry": entry, "decision": decision,
                        "comment": "Supervisor's signature is missing." if decision == "rejected" else ""}
                try:
                    reply = block.post(staff, "review_entry", body)
                except OSError as error:
                    reply = error
                if getattr(reply, "status", None) != 200:
                    refused[(learner_key, entry)] += 1
                with lock:
                    decisions.append((staff, learner_key, entry, decision, reply))

    results = at_once([lambda i=i, n=n: learner(i, n) for i, n in enumerate(names)]
                      + [lambda i=i, s=s: preceptor(i, s) for i, s in enumerate(STAFF)], timeout=180)
    problems = Violations(preview.label)
    for result in results:
        problems.check(not isinstance(result, BaseException), f"a client thread failed: {result!r}")

    # Each learner's next request delivers the decisions waiting for them; then staff look.
    states = {name: state for name in names if (state := block.state(name, problems)) is not None}
    try:
        final = staff_review(block, STAFF[0])
    except AssertionError as error:
        problems.check(False, f"staff's view: {error}")
        problems.assert_none(preview)

    # 1. Every add_entry answered 200 is stored exactly once; no other entry is stored.
    answered = Counter()
    for name, marker, reply in adds:
        if getattr(reply, "status", None) == 200:
            answered[(name, marker)] += 1
        else:
            problems.check(False, f"add_entry by {name} ({marker}) was answered "
                                  f"{reply.brief() if hasattr(reply, 'brief') else repr(reply)}")
    stored = Counter((name, entry_marker(e)) for name, state in states.items() for e in live_entries(state))
    for key in answered:
        problems.check(stored[key] == 1, f"add_entry {key} answered 200 is stored {stored[key]} times")
    for key, times in stored.items():
        problems.check(key in answered, f"entry {key} is stored ({times}x) though no add_entry for it was answered 200")

    # 2. Every decision answered 200 reaches the learner's state, and no entry is decided twice.
    accepted = defaultdict(list)
    for staff, learner_key, entry, decision, reply in decisions:
        status = getattr(reply, "status", None)
        if status == 200:
            accepted[(learner_key, entry)].append((staff, decision))
        else:
            problems.check(status == 404, f"review_entry by {staff} of {learner_key}/{entry} was answered "
                                          f"{reply.brief() if hasattr(reply, 'brief') else repr(reply)}")
    for (learner_key, entry), made in accepted.items():
        problems.check(len(made) == 1, f"entry {learner_key}/{entry} was decided {len(made)} times (each answered 200): {made}")
        state = states.get(learner_key)
        if state is None:
            problems.check(False, f"decision about an unknown learner {learner_key}")
            continue
        shown = next((e for e in live_entries(state) if e["id"] == entry), None)
        staff, decision = made[-1]
        problems.check(shown is not None and entry_status(shown) == decision,
                       f"{staff}'s decision {decision} of {learner_key}/{entry} (answered 200) shows as "
                       f"{entry_status(shown) if shown else 'no such entry'} in the learner's state")
        trail = decisions_in_trail(state)
        for staff, decision in made:
            problems.check(any(t[0] == entry and t[1] == decision and t[2] == staff for t in trail),
                           f"{staff}'s decision {decision} of {learner_key}/{entry} (answered 200) is not in the learner's trail")
    for name, state in states.items():
        for event_entry, decision, staff in decisions_in_trail(state):
            problems.check((staff, decision) in accepted.get((name, event_entry), []),
                           f"{name}'s trail holds a decision {decision} of {event_entry} by {staff} that was not answered 200")

    # 3. The queue staff see is exactly the learners' own pending entries.
    waiting = {(name, e["id"]) for name, state in states.items() for e in live_entries(state) if entry_status(e) == "pending"}
    queued = {(learner_key, entry) for learner_key, entry, _marker in final["pending"] if learner_key in ours}
    problems.check(waiting == queued, f"staff's queue differs from the learners' pending entries: "
                                      f"{len(waiting - queued)} pending entries not queued {sorted(waiting - queued)[:5]}, "
                                      f"{len(queued - waiting)} queued but not pending {sorted(queued - waiting)[:5]}")

    # 4. The counts staff see equal a recount from the learners' own states.
    learners_logged, met = recount(states)
    problems.check(final["learners"] == learners_logged,
                   f"staff see {final['learners']} learners who logged; the learners' states show {learners_logged}")
    problems.check(final["counts"] == met, f"staff's per-requirement counts {final['counts']} differ from the recount {met}")
    problems.assert_none(preview)


def test_fifty_learners_log_entries_while_three_preceptors_decide(gunicorn_preview):
    tracker_under_load(gunicorn_preview)


def test_learners_submitting_a_quiz_at_once_are_each_counted_once(gunicorn_preview):
    block = Block(gunicorn_preview, QUIZ)
    run = run_id()
    names = [f"quizzer-{run}-{i:02d}" for i in range(QUIZ_LEARNERS)]
    shown = {n: shown_choice_ids(block, n, "occupational_tede") for n in names}  # choices unshuffled: a, b, c

    def submit(index: int, name: str):
        answers = {"occupational_tede": shown[name][index % 3], "public_hourly": f"{0.01 * (1 + index % 4):.2f} mSv"}
        return block.post(name, "submit", {"answers": answers})

    replies = at_once([lambda i=i, n=n: submit(i, n) for i, n in enumerate(names)])
    problems = Violations(gunicorn_preview.label)
    graded = set()
    for name, reply in zip(names, replies):
        if getattr(reply, "status", None) == 200:
            graded.add(name)
        else:
            problems.check(False, f"submit by {name} was answered {reply.brief() if hasattr(reply, 'brief') else repr(reply)}")
    for name in names:
        state = block.state(name, problems)
        if state is None:
            continue
        attempts = quiz_attempts(state)
        problems.check(attempts == (1 if name in graded else 0),
                       f"{name} has {attempts} attempts stored after {int(name in graded)} submission(s) answered 200")
    reply = block.post(STAFF[1], "item_analysis")
    problems.check(reply.status == 200, f"item_analysis by staff: {reply.brief()}")
    if reply.status == 200:
        learners, responses = analysis_counts(reply.data)
        problems.check(learners == len(graded), f"item analysis counts {learners} learners; {len(graded)} submissions were graded")
        for question, count in responses.items():
            problems.check(count == len(graded), f"item analysis counts {count} responses to {question}; "
                                                 f"{len(graded)} submissions were graded")
    problems.assert_none(gunicorn_preview)
