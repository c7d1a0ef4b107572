"""Handler cost by class size: our handlers beside drag-and-drop-v2's `do_attempt` and xblock-poll's
`vote` when the database already holds what a class of n learners left behind.

Contract: `measure_class_sizes(sizes, repeat, loop)` builds, for every `n` in `sizes`, one usage of
each block whose records and field rows (one database, `benchmarks.database`) hold a class of `n`
learners (`build_class`), then times the handlers of `HANDLERS` on them. Each of `repeat` rounds
times every (size, handler) pair once, `loop` calls in a row, the starting pair rotating from round
to round (block_speed's method); every call is a new request (`LearnerStateStore.new_request`) of
a block instance fresh from the runtime, prepared before the clock starts:
- rpt_quiz `submit`, rpt_prereq_tracker `add_entry`, poll `vote`, drag-and-drop-v2 `do_attempt`:
  a learner new to the class (their items dropped beforehand for drag-and-drop-v2);
- rpt_prereq_tracker `state` as staff (`STAFF_QUEUE`): the preceptors' queue page, the first page
  of `QUEUE_PAGE` entries awaiting a decision plus the counts (`queue.review_page`, `queue.counts`).
Returns, per size, the per-call times of each handler, each handler's ratio to drag-and-drop-v2's
`do_attempt` at that size (ratio of medians, with the paired spread) and to its own time at the
smallest size, the rows the class left in each table, and the seconds the class took to build.

What a class leaves behind (`build_class`), inserted with the ORM's `bulk_create` rather than by
calling handlers n times:
- tracker: every learner (`TrackerLearner`) logged `ENTRIES_PER_LEARNER` case entries
  (`TrackerEntry`, the fields `records.entry_fields` stores, naming one of four supervising AUs); a
  preceptor decided the first `DECIDED_PER_LEARNER` of each (`EntryDecision`: verified, every tenth
  learner's last decision a rejection), the others await a decision; each learner meets what the
  tracker's own `progress` measures for such a learner (`TrackerRequirementMet`);
- quiz: one graded `QuizSubmission` per learner (answers right or wrong by a fixed pseudo-random
  draw over the fixture answers, graded by `grading.grade`), which `submit` counts when it claims
  the new learner's attempt;
- poll: every learner voted (their `user_state` rows) and the tally counts the votes;
- drag-and-drop-v2: every learner made one graded attempt (their `user_state` rows).
"""
from __future__ import annotations

import json
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from benchmarks.block_speed import (CASE_ENTRY, DND, QUIZ_ANSWERS, REFERENCE, Bench, Operation, _check, _post,
                                    _timed, drop_every_item, sent_payload)
from benchmarks.stats import quantile, summary

SIZES = (100, 10_000)
ENTRIES_PER_LEARNER = 5
DECIDED_PER_LEARNER = 3
QUEUE_PAGE = 25
SUPERVISING_AUS = ("Preceptor AU", "Dr. Able", "Dr. Baker", "Dr. Chen")
STAFF_QUEUE = "rpt_prereq_tracker.state (staff queue page)"
AGAINST = f"{DND}.do_attempt"
# label -> (block type, handler, payload, as staff)
HANDLERS = {
    "rpt_quiz.submit": ("rpt_quiz", "submit", None, False),
    "rpt_prereq_tracker.add_entry": ("rpt_prereq_tracker", "add_entry", CASE_ENTRY, False),
    STAFF_QUEUE: ("rpt_prereq_tracker", "state", {"page": 1}, True),
    f"{REFERENCE}.vote": (REFERENCE, "vote", {"choice": "R"}, False),
    AGAINST: (DND, "do_attempt", {}, False),
}
PRECEPTOR = "bench-preceptor"
BATCH = 2_000  # rows per INSERT batch


def _quiz_payload() -> dict:
    return {"answers": json.loads(QUIZ_ANSWERS.read_text("utf-8"))["right"]}


# ---- what a class leaves behind ------------------------------------------------------------------

PLAN = {"categories": ["G3"]}  # the class seeks G3 (parenteral) authorization: its verified G3 cases count


def _tracker_class(bench: Bench, usage, n: int, start: datetime) -> None:
    from rpt_xblocks.records.models import EntryDecision, TrackerEntry, TrackerLearner, TrackerRequirementMet
    from rpt_xblocks.tracker.records import entry_fields

    block = bench.runtime.get_block(usage)
    key = block.record_block_key()
    fields = [entry_fields("case", {**CASE_ENTRY["fields"], "supervising_au": au}, start.date()) for au in SUPERVISING_AUS]
    learners = TrackerLearner.objects.bulk_create(
        [TrackerLearner(block=key, learner=f"class-{i:06d}", name=f"learner{i}", logged=True, plan=PLAN,
                        entries_made=ENTRIES_PER_LEARNER, trail_length=ENTRIES_PER_LEARNER) for i in range(n)],
        batch_size=BATCH)
    entries = TrackerEntry.objects.bulk_create(
        [TrackerEntry(block=key, owner=owner, number=number, seq=number, by=owner.name,
                      client_id=f"class-{i:06d}-{number}", kind="case",
                      fields=fields[i % len(fields)], supervising_au=fields[i % len(fields)]["supervising_au"],
                      created=start + timedelta(seconds=i * ENTRIES_PER_LEARNER + number),
                      awaiting=number > DECIDED_PER_LEARNER)
         for i, owner in enumerate(learners) for number in range(1, ENTRIES_PER_LEARNER + 1)], batch_size=BATCH)
    decided_at = start + timedelta(days=1)
    decisions, statuses = [], {}
    for row in entries:
        if row.number <= DECIDED_PER_LEARNER:
            rejected = row.number == DECIDED_PER_LEARNER and int(row.owner.learner[-6:]) % 10 == 0
            decision = "rejected" if rejected else "verified"
            decisions.append(EntryDecision(entry=row, learner=row.owner.learner, preceptor="class-preceptor",
                                           preceptor_name="Class Preceptor", decision=decision,
                                           comment="Not signed." if rejected else "", at=decided_at,
                                           rejected_entry=row.id if rejected else None))
            if row.owner is learners[1 % n]:
                statuses[f"e{row.number}"] = decision
    EntryDecision.objects.bulk_create(decisions, batch_size=BATCH)
    # What a learner with these entries and decisions meets, measured by the tracker itself.
    shown = [{"id": f"e{number}", "kind": "case", "fields": fields[1 % n % len(fields)], "deleted": False,
              "created": start.isoformat()} for number in range(1, ENTRIES_PER_LEARNER + 1)]
    measured = block._measurer()(shown, PLAN, statuses)  # pylint: disable=protected-access
    met = sorted(f"{r.set_id}:{r.requirement_id}" for r in measured.requirements if r.status == "met")
    TrackerRequirementMet.objects.bulk_create(
        [TrackerRequirementMet(block=key, owner=owner, requirement=requirement)
         for owner in learners for requirement in met], batch_size=BATCH)
    TrackerLearner.objects.filter(block=key).update(met=met)  # the learners' copy of their met rows
    return {"met_per_learner": len(met)}


def _quiz_class(bench: Bench, usage, n: int, start: datetime) -> None:
    from rpt_xblocks.quiz import grading, learner_view
    from rpt_xblocks.quiz.numeric import numeric_answer_matches
    from rpt_xblocks.records.models import QuizSubmission

    fixture = json.loads(QUIZ_ANSWERS.read_text("utf-8"))
    block = bench.runtime.get_block(usage)
    questions, key = block.bank_questions(), block.record_block_key()
    draw = random.Random(20260401)
    variants = []  # graded submissions to cycle through (grading 10,000 learners one by one adds nothing)
    for v in range(min(n, 50)):
        drawn = learner_view.drawn_questions(questions, block.draw, f"class-{v:06d}|{usage}")
        answers = {q.id: fixture["right" if draw.random() < 0.6 else "wrong"][q.id] for q in drawn}
        results = {q.id: {"earned": grading.grade(q, answers[q.id], numeric_answer_matches).earned} for q in drawn}
        variants.append((answers, results, sum(r["earned"] for r in results.values()), float(len(drawn))))
    QuizSubmission.objects.bulk_create(
        [QuizSubmission(block=key, learner=f"class-{i:06d}", username=f"learner{i}", attempt=1,
                        answers=variants[i % len(variants)][0], results=variants[i % len(variants)][1],
                        earned=variants[i % len(variants)][2], possible=variants[i % len(variants)][3],
                        created=start + timedelta(seconds=i), reset=False) for i in range(n)], batch_size=BATCH)


def _field_rows(usage, rows: dict[str, dict], summary_state: dict | None) -> None:
    """Field rows of a class in the store's table: learner -> user_state, and the block-wide row."""
    from workbench.models import XBlockState

    objects = [XBlockState(scope="user_state", scope_id=str(usage), user_id=learner, state=json.dumps(state, sort_keys=True))
               for learner, state in rows.items()]
    if summary_state is not None:
        objects.append(XBlockState(scope="user_state_summary", scope_id=str(usage), user_id="",
                                   state=json.dumps(summary_state, sort_keys=True)))
    XBlockState.objects.bulk_create(objects, batch_size=BATCH)


def _poll_class(_bench: Bench, usage, n: int, _start: datetime) -> None:
    _field_rows(usage, {f"class-{i:06d}": {"choice": "RGBO"[i % 4], "submission_count": 1} for i in range(n)},
                {"tally": {"R": n - 3 * (n // 4), "G": n // 4, "B": n // 4, "O": n // 4}})


def _dnd_class(bench: Bench, usage, n: int, _start: datetime) -> None:
    """One real learner's state after a graded attempt, copied for every learner of the class."""
    from workbench.models import XBlockState

    block = bench.placed(usage, "class-model")
    _check(Operation(DND, "do_attempt", {}), _post(block, "do_attempt", {}))
    state = json.loads(XBlockState.objects.get(scope="user_state", scope_id=str(usage), user_id="class-model").state)
    _field_rows(usage, {f"class-{i:06d}": state for i in range(n)}, None)


CLASS_BUILDERS = {"rpt_quiz": _quiz_class, "rpt_prereq_tracker": _tracker_class, REFERENCE: _poll_class, DND: _dnd_class}


def build_class(bench: Bench, n: int) -> dict:
    """One new usage of each block type holding a class of `n` learners (see the module docstring):
    (block type -> usage id, what the builders report: the requirements each tracker learner meets)."""
    start = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=30)
    usages, facts = {}, {}
    for block_type, builder in CLASS_BUILDERS.items():
        usages[block_type] = bench.runtime.parse_xml_string(bench.olx[block_type])
        facts.update(builder(bench, usages[block_type], n, start) or {})
    bench.store.new_request()
    return usages, facts


def table_rows() -> dict[str, int]:
    """Rows in each table of the records app and in the field-data table."""
    from django.apps import apps
    from workbench.models import XBlockState

    counts = {model.__name__: model.objects.count() for model in apps.get_app_config("rpt_records").get_models()}
    counts["XBlockState (field data)"] = XBlockState.objects.count()
    return counts


# ---- the measurement ------------------------------------------------------------------------------

class ClassBench(Bench):
    """Bench whose calls are made as a given learner (or preceptor) on a given usage."""

    def __init__(self):
        super().__init__()
        self.learners = 0

    def block_as(self, usage, user_id: str):
        """A new instance of the block of `usage` for `user_id` (what `Runtime.get_block` makes for its
        own user id)."""
        from xblock.fields import ScopeIds

        runtime = self.runtime
        definition = runtime.id_reader.get_definition_id(usage)
        block_type = runtime.id_reader.get_block_type(definition)
        return runtime.construct_xblock(block_type, ScopeIds(user_id, block_type, definition, usage))

    def placed(self, usage, user_id: str):
        """The block of `usage` for `user_id` after they dropped every item on its first zone (saved),
        as an instance of a new request."""
        drop_every_item(self.block_as(usage, user_id))
        self.store.new_request()
        return self.block_as(usage, user_id)

    def prepared_call(self, label: str, usage, payload: dict):
        """One call of the handler `label` on `usage`, by a learner new to the class (or the preceptor)."""
        from webob import Request

        block_type, handler, _payload, staff = HANDLERS[label]
        if staff:
            block = self.block_as(usage, PRECEPTOR)
        else:
            self.learners += 1
            learner = f"new-learner-{self.learners:06d}"
            block = self.placed(usage, learner) if block_type == DND else self.block_as(usage, learner)
        body = json.dumps(sent_payload(block, handler, payload)).encode()
        request = Request.blank("/", method="POST", body=body, content_type="application/json")
        runtime, store = self.runtime, self.store

        def call():
            store.new_request()
            runtime.user_is_staff = staff
            return block.handle(handler, request)
        return call


def _check_queue(result, n: int) -> None:
    review = json.loads(result.body)["review"]
    awaiting = n * (ENTRIES_PER_LEARNER - DECIDED_PER_LEARNER)
    if review["total"] < awaiting or sum(len(p["entries"]) for p in review["pending"]) != min(QUEUE_PAGE, review["total"]) \
            or review["learners"] < n:
        raise RuntimeError(f"the staff queue page does not show the class of {n}: total {review['total']}, "
                           f"learners {review['learners']}")


def measure_class_sizes(sizes=SIZES, repeat: int = 7, loop: int = 3, log=print) -> dict:
    sizes = sorted(sizes)
    bench = ClassBench()
    payloads = {label: (_quiz_payload() if label == "rpt_quiz.submit" else spec[2]) for label, spec in HANDLERS.items()}
    usages, built, facts = {}, {}, {}
    for n in sizes:
        started = time.perf_counter()
        usages[n], facts[n] = build_class(bench, n)
        built[n] = time.perf_counter() - started
        log(f"class sizes: a class of {n:,} learners built in {built[n]:.1f} s (bulk_create)")
    rows = table_rows()
    log(f"class sizes: {len(HANDLERS)} handlers x {len(sizes)} class sizes round-robin, {repeat} rounds of {loop} calls each")
    pairs = [(label, n) for n in sizes for label in HANDLERS]
    samples: dict[tuple, list[float]] = {pair: [] for pair in pairs}

    def prepared(label: str, n: int, count: int):
        return [bench.prepared_call(label, usages[n][HANDLERS[label][0]], payloads[label]) for _ in range(count)]

    def check(label: str, n: int, result) -> None:
        block_type, handler, _payload, staff = HANDLERS[label]
        _check(Operation(block_type, handler, payloads[label]), result)
        if staff:
            _check_queue(result, n)

    try:
        for label, n in pairs:  # warm-up
            for call in prepared(label, n, 1):
                check(label, n, call())
        for round_number in range(repeat):
            start = round_number % len(pairs)
            for label, n in pairs[start:] + pairs[:start]:
                elapsed, results = _timed(prepared(label, n, loop))
                for result in results:
                    check(label, n, result)
                samples[(label, n)].append(elapsed / loop)
    finally:
        bench.runtime.user_is_staff = False
    by_size = []
    for n in sizes:
        entry = {"learners": n, "entries": n * ENTRIES_PER_LEARNER,
                 "awaiting": n * (ENTRIES_PER_LEARNER - DECIDED_PER_LEARNER), "build_seconds": built[n],
                 "met_per_learner": facts[n]["met_per_learner"], "handlers": {}}
        against = samples[(AGAINST, n)]
        for label in HANDLERS:
            seconds = summary(samples[(label, n)])
            handler = entry["handlers"][label] = {
                "seconds": seconds, "vs_smallest": seconds["median"] / summary(samples[(label, sizes[0])])["median"]}
            if label != AGAINST:
                paired = [a / b for a, b in zip(samples[(label, n)], against)]
                handler.update(against=AGAINST, ratio=seconds["median"] / summary(against)["median"],
                               paired_p10=quantile(paired, 0.10), paired_p90=quantile(paired, 0.90))
        by_size.append(entry)
        log(f"  {n:>6,} learners: " + "  ".join(
            f"{label} {entry['handlers'][label]['seconds']['median'] * 1000:.2f} ms" for label in HANDLERS))
    return {"repeat": repeat, "loop": loop, "against": AGAINST, "staff_queue": STAFF_QUEUE, "queue_page": QUEUE_PAGE,
            "entries_per_learner": ENTRIES_PER_LEARNER, "decided_per_learner": DECIDED_PER_LEARNER,
            "table_rows": rows, "sizes": by_size}


def main(argv: list[str] | None = None) -> int:
    """`python -m benchmarks.class_size [SIZES] [REPEAT] [LOOP] [JSON]`: this measurement alone."""
    args = list(sys.argv[1:] if argv is None else argv)
    sizes = [int(s) for s in args[0].split(",")] if args else list(SIZES)
    repeat, loop = (int(args[1]) if len(args) > 1 else 7), (int(args[2]) if len(args) > 2 else 3)
    result = measure_class_sizes(sizes, repeat, loop, log=lambda text: print(text, file=sys.stderr, flush=True))
    if len(args) > 3:
        Path(args[3]).write_text(json.dumps(result, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
