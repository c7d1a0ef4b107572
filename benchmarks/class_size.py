"""Handler cost by class size: rpt_quiz `submit` and rpt_prereq_tracker `add_entry` beside xblock-poll's
`vote` when the block already holds a class's data: the block-wide fields (`Scope.user_state_summary`),
and for the quiz its submission rows (rpt_xblocks.records).

Contract: `measure_class_sizes(sizes, repeat, loop)` times the three handlers, each on a fresh block whose
block-wide fields hold what a class of `n` learners left behind (`class_state`), for every `n` in
`sizes`. Each of `repeat` rounds times every (size, handler) pair once, `loop` calls in a row, the
starting pair rotating from round to round (block_speed's method). The field data stores every value
as JSON text and parses it on read, as the LMS stores one JSON row per block and field, so a call
pays for reading and writing the class's row. Returns, per size, the per-call times of each handler,
the ratios ours/poll (ratio of medians and the paired spread), each handler's ratio to its own time
at the smallest size, and the bytes of the block-wide JSON rows after a call (for the quiz: the JSON
of its submission rows' answers and results).

What a class leaves behind (`class_state`) is built with the blocks' own code where it is cheap:
- quiz: every learner submitted once (a QuizSubmission row) the drawn questions of the fixture
  course's quiz, each question right or wrong by a fixed pseudo-random draw, graded by `grading.grade`;
- tracker: every learner logged the same 15 entries (added through `add_entry`) and a preceptor
  verified 12 of each learner's. Two classes: preceptors keep up (`TRACKER_KEPT_UP`: the last 20
  learners have 3 entries awaiting a decision, so only they are in the queue; the others are in the
  counts), and nobody has been reviewed to the end (`TRACKER_ALL_AWAITING`: every learner is in the
  queue, the worst case: the queue grows with the class);
- poll: the tally counts `n` votes (its size does not depend on `n`).
The learner measured is new to the class (no state of their own), as in block_speed.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from benchmarks.block_speed import CASE_ENTRY, QUIZ_ANSWERS, REFERENCE, Bench, _check, _timed
from benchmarks.stats import quantile, summary

SIZES = (0, 100, 1_000, 5_000)
TRACKER_KEPT_UP = "rpt_prereq_tracker.add_entry"
TRACKER_ALL_AWAITING = "rpt_prereq_tracker.add_entry, all awaiting"
HANDLERS = {"rpt_quiz.submit": ("rpt_quiz", "submit"), TRACKER_KEPT_UP: ("rpt_prereq_tracker", "add_entry"),
            TRACKER_ALL_AWAITING: ("rpt_prereq_tracker", "add_entry"), "poll.vote": (REFERENCE, "vote")}
ENTRIES_PER_LEARNER = 15
DECIDED_PER_LEARNER = 12
BACKLOG = 20  # learners with entries awaiting a decision, when preceptors keep up
SUBMISSIONS = "quiz submissions"  # the quiz's class state: rows, not a field


class JsonBench(Bench):
    """Bench whose field data keeps every value as JSON text, as the LMS keeps its rows."""

    def __init__(self):
        from xblock.runtime import DictKeyValueStore

        class JsonKeyValueStore(DictKeyValueStore):
            def get(self, key):
                return json.loads(self.db_dict[key])

            def set(self, key, value):
                self.db_dict[key] = json.dumps(value)

            def set_many(self, update_dict):
                for key, value in update_dict.items():
                    self.set(key, value)

        self.store = JsonKeyValueStore()
        super().__init__(self.store)

    def block_with_class(self, block_type: str, rows: dict[str, str]):
        """A fresh block (new usage) whose block-wide fields hold `rows` (field name -> JSON text;
        SUBMISSIONS: the quiz's submission rows, a JSON list of their field values)."""
        from xblock.fields import Scope
        from xblock.runtime import KeyValueStore

        from rpt_xblocks.records.models import QuizSubmission

        usage_id = self.runtime.parse_xml_string(self.olx[block_type])
        for name, text in rows.items():
            if name == SUBMISSIONS:
                QuizSubmission.objects.bulk_create(QuizSubmission(block=str(usage_id), **fields)
                                                   for fields in json.loads(text))
            else:
                self.store.db_dict[KeyValueStore.Key(Scope.user_state_summary, None, usage_id, name)] = text
        return self.runtime.get_block(usage_id)

    def row_bytes(self, block) -> dict[str, int]:
        """The size of each block-wide JSON row `block` has stored (its submission rows under SUBMISSIONS)."""
        from xblock.fields import Scope

        from rpt_xblocks.records.models import QuizSubmission

        sizes = {key.field_name: len(text.encode("utf-8")) for key, text in self.store.db_dict.items()
                 if key.scope == Scope.user_state_summary and key.block_scope_id == block.scope_ids.usage_id}
        submitted = QuizSubmission.objects.filter(block=str(block.scope_ids.usage_id)).values_list("answers", "results")
        if submitted:
            sizes[SUBMISSIONS] = sum(len(json.dumps(row).encode("utf-8")) for row in submitted)
        return sizes

    def forget(self) -> None:
        from rpt_xblocks.records.models import QuizSubmission

        self.store.db_dict.clear()
        QuizSubmission.objects.all().delete()


# ---- what a class leaves behind ------------------------------------------------------------------

def _quiz_class(bench: Bench, n: int) -> dict:
    """The quiz's submission rows after `n` learners submitted once (see the module docstring)."""
    from rpt_xblocks.quiz import grading, learner_view
    from rpt_xblocks.quiz.numeric import numeric_answer_matches

    fixture = json.loads(QUIZ_ANSWERS.read_text("utf-8"))
    block = bench.fresh_block("rpt_quiz")
    questions = block.bank_questions()
    draw = random.Random(20260401)
    rows = []
    for learner in range(n):
        drawn = learner_view.drawn_questions(questions, block.draw, f"class-learner-{learner}")
        answers = {q.id: fixture["right" if draw.random() < 0.6 else "wrong"][q.id] for q in drawn}
        graded = {q.id: grading.grade(q, answers[q.id], numeric_answer_matches) for q in drawn}
        results = {qid: {"earned": result.earned, "status": result.status} for qid, result in graded.items()}
        rows.append({"learner": f"class-learner-{learner}", "attempt": 1, "answers": answers, "results": results,
                     "earned": sum(r["earned"] for r in results.values()), "possible": float(len(drawn)),
                     "created": "2026-12-01T00:00:00+00:00"})
    return {SUBMISSIONS: rows}


def _tracker_snapshot(bench: Bench) -> tuple[dict, list]:
    """(snapshot, met) of a learner who logged 15 entries, 12 of them verified by a preceptor and the
    decisions taken by the learner's next request: what such a learner keeps in the queue while
    the other 3 entries await a decision."""
    from webob import Request

    block = bench.fresh_block("rpt_prereq_tracker")
    for _ in range(ENTRIES_PER_LEARNER):
        request = Request.blank("/", method="POST", body=json.dumps(CASE_ENTRY).encode(), content_type="application/json")
        assert block.handle("add_entry", request).status_code == 200
    snapshot = next(iter(block.review_queue.values()))
    statuses = {entry["id"]: "verified" for entry in snapshot["entries"][:DECIDED_PER_LEARNER]}
    met = block._met(block._measure(snapshot["entries"], snapshot["plan"], statuses))  # pylint: disable=protected-access
    return {**snapshot, "statuses": statuses, "met": met}, met


def _tracker_class(bench: Bench, n: int, awaiting: int) -> dict:
    """The tracker's block-wide fields after `n` learners logged 15 entries each and a preceptor
    verified 12 of each learner's: `awaiting` learners still have 3 entries awaiting a decision (they
    are in the queue); the others' entries were all decided and the decisions taken (they are only
    in the counts)."""
    from rpt_xblocks.tracker import review

    snapshot, met = _tracker_snapshot(bench)
    queue, counts = {}, review.EMPTY_COUNTS
    for learner in range(n):
        counts = review.counts_with(counts, None, met)
        if learner < awaiting:
            queue[f"anon-{learner:08x}"] = {**snapshot, "name": f"learner{learner}"}
    return {"review_queue": queue, "review_counts": counts}


def _poll_class(_bench: Bench, n: int) -> dict:
    return {"tally": {"R": n - 3 * (n // 4), "B": n // 4, "G": n // 4, "O": n // 4}}


CLASS_STATE = {
    "rpt_quiz.submit": _quiz_class,
    TRACKER_KEPT_UP: lambda bench, n: _tracker_class(bench, n, min(n, BACKLOG)),
    TRACKER_ALL_AWAITING: lambda bench, n: _tracker_class(bench, n, n),
    "poll.vote": _poll_class,
}


def class_state(bench: Bench, label: str, n: int) -> dict[str, str]:
    """The block-wide rows (field name -> JSON text) a class of `n` learners leaves for the handler
    `label` of HANDLERS."""
    return {name: json.dumps(value) for name, value in CLASS_STATE[label](bench, n).items()}


# ---- the measurement ------------------------------------------------------------------------------

def _payloads() -> dict[str, dict]:
    return {"rpt_quiz.submit": {"answers": json.loads(QUIZ_ANSWERS.read_text("utf-8"))["right"]},
            TRACKER_KEPT_UP: CASE_ENTRY, TRACKER_ALL_AWAITING: CASE_ENTRY, "poll.vote": {"choice": "R"}}


def measure_class_sizes(sizes=SIZES, repeat: int = 7, loop: int = 3, log=print) -> dict:
    from benchmarks.block_speed import Operation, sent_payload
    from webob import Request

    sizes = sorted(sizes)
    bench, payloads = JsonBench(), _payloads()
    rows = {(label, n): class_state(bench, label, n) for label in HANDLERS for n in sizes}
    log(f"class sizes: {len(HANDLERS)} handlers x {len(sizes)} class sizes round-robin, {repeat} rounds of {loop} calls each")
    pairs = [(label, n) for n in sizes for label in HANDLERS]
    samples: dict[tuple, list[float]] = {pair: [] for pair in pairs}
    stored: dict[tuple, dict] = {}

    def prepared(label: str, n: int, count: int):
        block_type, handler = HANDLERS[label]
        calls = []
        for _ in range(count):
            block = bench.block_with_class(block_type, rows[(label, n)])
            body = json.dumps(sent_payload(block, handler, payloads[label])).encode()
            request = Request.blank("/", method="POST", body=body, content_type="application/json")
            calls.append((block, lambda block=block, request=request: block.handle(handler, request)))
        return calls

    for label, n in pairs:  # warm-up, and the row sizes after one call
        for block, call in prepared(label, n, 1):
            _check(Operation(*HANDLERS[label], payloads[label]), call())
            block.save()
            stored[(label, n)] = bench.row_bytes(block)
        bench.forget()
    for round_number in range(repeat):
        start = round_number % len(pairs)
        for label, n in pairs[start:] + pairs[:start]:
            calls = prepared(label, n, loop)
            elapsed, results = _timed([call for _block, call in calls])
            for result in results:
                _check(Operation(*HANDLERS[label], payloads[label]), result)
            samples[(label, n)].append(elapsed / loop)
            bench.forget()
    by_size = []
    for n in sizes:
        entry = {"learners": n, "handlers": {}}
        for label in HANDLERS:
            seconds = summary(samples[(label, n)])
            entry["handlers"][label] = {"seconds": seconds, "row_bytes": stored[(label, n)],
                                        "vs_smallest": seconds["median"] / summary(samples[(label, sizes[0])])["median"]}
            if label != "poll.vote":
                paired = [a / b for a, b in zip(samples[(label, n)], samples[("poll.vote", n)])]
                entry["handlers"][label].update(
                    against="poll.vote", ratio=seconds["median"] / summary(samples[("poll.vote", n)])["median"],
                    paired_p10=quantile(paired, 0.10), paired_p90=quantile(paired, 0.90))
        by_size.append(entry)
        log(f"  {n:>6,} learners: " + "  ".join(
            f"{label} {entry['handlers'][label]['seconds']['median'] * 1000:.2f} ms"
            f" ({sum(entry['handlers'][label]['row_bytes'].values()):,} B)" for label in HANDLERS))
    return {"repeat": repeat, "loop": loop, "sizes": by_size}


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
