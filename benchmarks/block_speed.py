"""Block speed: our three blocks' `student_view` and main submit handler beside xblock-poll's and
drag-and-drop-v2's, every block's learner state in one database.

Contract: `measure_blocks(repeat, loop)` runs, on one XBlock `TestRuntime` in this process, ten
operations — `student_view` and the main handler of rpt_quiz (`submit`), rpt_dosimetry
(`check_step`), rpt_prereq_tracker (`add_entry`), xblock-poll's PollBlock (`vote`) and
drag-and-drop-v2 in assessment mode (`do_attempt`, scored: it grades the placed items, counts the
attempt against `max_attempts` and publishes a grade) — round-robin: each of `repeat` rounds times
every operation once (the starting operation rotates from round to round), as `loop` calls in a
row, timeit-style (garbage collection off while timing), and keeps the mean time per call. Every
call is made on a block instance fresh from the runtime on new state (a new usage parsed from the
same OLX, as each LMS request gets its own instance and a learner submits once), prepared with its
request before the clock starts (for drag-and-drop-v2, the items are dropped on their zones with
its `drop_item` handler, untimed, so `do_attempt` reads them from the database); each response is
checked after the clock stops. One store for all (`benchmarks.database`): our records rows and
every block's learner field data live in the same SQLite database, and each call starts a new
request (its field rows read from the database, not from a cache). The runtime has no asides:
XBlock's default `applicable_aside_types` rescans every installed entry point on each render, the
same few milliseconds for every block, which would hide the blocks' own differences;
`aside_scan_seconds` reports what it costs. Returns per operation the summary of the per-call
times, and per operation of ours the ratios ours/poll (`ratios`) and ours/drag-and-drop-v2
(`ratios_dnd`): ratio of medians, and the spread of the per-round paired ratios.
`profile_operation(name, calls)` runs one operation under cProfile the same way.

The OLX is what authors ship: the quiz, walkthrough and tracker of the fixture course
tests/fixtures/courses/good as `rpt-course` builds them, xblock-poll's default `<poll/>`, and
drag-and-drop-v2's default problem in assessment mode with three attempts.
"""
from __future__ import annotations

import functools
import gc
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from benchmarks.stats import quantile, summary

ROOT = Path(__file__).resolve().parent.parent
GOOD_COURSE = ROOT / "tests" / "fixtures" / "courses" / "good"
QUIZ_ANSWERS = ROOT / "tests" / "fixtures" / "quiz_answers.json"

# The tracker's test case entry (tests/blocks/test_tracker_block.py): a supervised Lu-177 case.
CASE_ENTRY = {"kind": "case", "fields": {"date": "2026-10-01", "category": "G3", "radiopharmaceutical": "Lu-177 dotatate",
                                         "activity": "7.4 GBq", "supervising_au": "Preceptor AU",
                                         "case_reference": "LU-2026-001", "notes": ""}}
OURS = ("rpt_quiz", "rpt_dosimetry", "rpt_prereq_tracker")
REFERENCE = "poll"
DND = "drag-and-drop-v2"
REFERENCES = (REFERENCE, DND)
BLOCKS = OURS + REFERENCES
DND_OLX = '<drag-and-drop-v2 mode="assessment" max_attempts="3"/>'


@dataclass(frozen=True)
class Operation:
    block: str
    name: str  # "student_view" or the handler's name
    payload: dict | None = None

    @property
    def label(self) -> str:
        return f"{self.block}.{self.name}"

    @property
    def kind(self) -> str:
        return "view" if self.name == "student_view" else "handler"

    @property
    def ours(self) -> bool:
        return self.block in OURS


@functools.cache
def _ids():
    """One id manager for every runtime of the process: the database outlives a runtime, so a new
    runtime must not make the usage ids (and so the rows) of an earlier one again."""
    from xblock.runtime import MemoryIdManager

    return MemoryIdManager()


def make_runtime(store=None):
    """One TestRuntime for all five blocks, with their field data in `store` (a KeyValueStore; by
    default a new `database.LearnerStateStore`), Django configured (`database.configure`) and the
    URLs poll and drag-and-drop-v2 ask for."""
    from xblock.runtime import KvsFieldData
    from xblock.test.tools import TestRuntime

    from benchmarks import database

    class BenchRuntime(TestRuntime):
        __test__ = False

        def local_resource_url(self, block, uri):
            return f"/resource/{block.scope_ids.block_type}/{uri}"

        def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
            return f"/handler/{block.scope_ids.usage_id}/{handler_name}"

        def resource_url(self, resource):
            return f"/static/{resource}"

        def publish(self, block, event_type, event_data):
            self.events += 1

        def applicable_aside_types(self, block):
            # No asides, as in a production runtime without any configured: TestRuntime's own version
            # rescans every installed entry point on each render (`aside_scan_seconds` measures it).
            return []

    database.configure()
    store = store if store is not None else database.LearnerStateStore()
    runtime = BenchRuntime(id_reader=_ids(), id_generator=_ids(), services={"field-data": KvsFieldData(store)})
    runtime.store = store
    runtime.events = 0
    runtime.user_id = "bench-learner"
    return runtime


@functools.cache
def shipped_olx() -> dict[str, str]:
    """The OLX of each block: ours from the built fixture course, poll's default, drag-and-drop-v2's default
    problem in assessment mode."""
    from lxml import etree

    from rpt_course.build import build_files

    _course, files = build_files(GOOD_COURSE)
    found = {}
    for name, data in files.items():
        if name.startswith("course/vertical/"):
            for element in etree.fromstring(data):
                if element.tag in OURS:
                    found.setdefault(element.tag, etree.tostring(element, encoding="unicode"))
    missing = set(OURS) - set(found)
    if missing:
        raise RuntimeError(f"the fixture course {GOOD_COURSE} has no {', '.join(sorted(missing))} any more — update the benchmark")
    found[REFERENCE] = "<poll/>"
    found[DND] = DND_OLX
    return found


def operations() -> list[Operation]:
    right = json.loads(QUIZ_ANSWERS.read_text("utf-8"))["right"]
    return [
        Operation("rpt_quiz", "student_view"), Operation("rpt_quiz", "submit", {"answers": right}),
        Operation("rpt_dosimetry", "student_view"), Operation("rpt_dosimetry", "check_step", {"step": "remaining", "answer": "0.5"}),
        Operation("rpt_prereq_tracker", "student_view"), Operation("rpt_prereq_tracker", "add_entry", CASE_ENTRY),
        Operation(REFERENCE, "student_view"), Operation(REFERENCE, "vote", {"choice": "R"}),
        Operation(DND, "student_view"), Operation(DND, "do_attempt", {}),
    ]


def _post(block, name: str, payload: dict):
    from webob import Request

    return block.handle(name, Request.blank("/", method="POST", body=json.dumps(payload).encode(),
                                            content_type="application/json"))


class Bench:
    """The runtime, the OLX and the prepared calls of each operation."""

    def __init__(self, store=None):
        self.runtime = make_runtime(store)
        self.store = self.runtime.store
        self.olx = dict(shipped_olx())

    def fresh_block(self, block_type: str):
        return self.runtime.get_block(self.runtime.parse_xml_string(self.olx[block_type]))

    def _placed(self):
        """A fresh drag-and-drop-v2 usage whose learner has dropped every item on its first zone (by its
        own `drop_item` handler, saved), as a block instance of a new request."""
        block = self.fresh_block(DND)
        drop_every_item(block)
        self.store.new_request()
        return self.runtime.get_block(block.scope_ids.usage_id)

    def prepared(self, operation: Operation, count: int) -> list[Callable[[], object]]:
        """`count` calls of `operation`, each on its own fresh block with its own request; each call
        starts a new request of the store (its field rows are read from the database)."""
        from webob import Request

        calls = []
        store = self.store
        for _ in range(count):
            if operation.block == DND and operation.kind == "handler":
                block = self._placed()
            else:
                block = self.fresh_block(operation.block)
            if operation.kind == "view":
                calls.append(lambda block=block: (store.new_request(), block.render("student_view", {}))[1])
            else:
                body = json.dumps(sent_payload(block, operation.name, operation.payload)).encode()
                request = Request.blank("/", method="POST", body=body, content_type="application/json")
                calls.append(lambda block=block, request=request, name=operation.name:
                             (store.new_request(), block.handle(name, request))[1])
        return calls


def drop_every_item(block) -> None:
    """A drag-and-drop-v2 learner drops every item on its first zone, through the block's own
    `drop_item` handler (RuntimeError if it refuses one)."""
    for item in block.data["items"]:
        if item.get("zones"):
            answer = _post(block, "drop_item", {"val": item["id"], "zone": item["zones"][0]})
            if answer.status_code != 200:
                raise RuntimeError(f"{DND}.drop_item answered {answer.status_code}: {answer.body[:300]!r}")


def sent_payload(block, handler: str, payload):
    """`payload` as the browser sends it: a quiz submission's author-id answers in the learner's
    stand-in ids (rpt_xblocks.quiz.learner_view); anything else as it is."""
    if handler == "submit" and hasattr(block, "bank_questions"):
        from rpt_xblocks.quiz import learner_view
        return {**payload, "answers": learner_view.answers_for_browser(block.bank_questions(), payload["answers"],
                                                                       block.stand_in_key())}
    return payload


def _check(operation: Operation, result) -> None:
    if operation.kind == "view":
        if not result.content:
            raise RuntimeError(f"{operation.label} rendered nothing")
        return
    if result.status_code != 200:
        raise RuntimeError(f"{operation.label} answered {result.status_code}: {result.body[:300]!r}")
    if operation.block == REFERENCE and not json.loads(result.body).get("success"):
        raise RuntimeError(f"{operation.label} refused the vote: {result.body[:300]!r}")
    if operation.block == DND and not (json.loads(result.body).get("correct") and json.loads(result.body)["attempts"] == 1):
        raise RuntimeError(f"{operation.label} did not grade the placed items: {result.body[:300]!r}")


def _timed(calls: list[Callable[[], object]]) -> tuple[float, list]:
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        results = [call() for call in calls]
        elapsed = time.perf_counter() - started
    finally:
        gc.enable()
    return elapsed, results


def measure_blocks(repeat: int, loop: int, log=print) -> dict:
    from benchmarks import database

    bench = Bench()
    ops = operations()
    log(f"blocks: {len(ops)} operations round-robin, {repeat} rounds of {loop} calls each")
    for operation in ops:  # warm-up: imports, template and data caches, first-call costs
        for call in bench.prepared(operation, 2):
            _check(operation, call())
    samples: dict[str, list[float]] = {op.label: [] for op in ops}
    for round_number in range(repeat):
        start = round_number % len(ops)
        for operation in ops[start:] + ops[:start]:
            calls = bench.prepared(operation, loop)
            elapsed, results = _timed(calls)
            for result in results:
                _check(operation, result)
            samples[operation.label].append(elapsed / loop)
    timings = {op.label: {"block": op.block, "operation": op.name, "kind": op.kind, "seconds": summary(samples[op.label])}
               for op in ops}
    ratios = _ratios(ops, samples, timings, REFERENCE)
    ratios_dnd = _ratios(ops, samples, timings, DND)
    for op in ops:
        shown = timings[op.label]["seconds"]
        log(f"  {op.label:34s} median {shown['median'] * 1000:8.3f} ms  p10-p90 {shown['p10'] * 1000:.3f}-{shown['p90'] * 1000:.3f} ms"
            + (f"  x{ratios[op.label]['ratio']:.2f} of poll, x{ratios_dnd[op.label]['ratio']:.2f} of DnD"
               if op.label in ratios else ""))
    aside_scan = _aside_scan(bench, repeat, loop)
    log(f"  (TestRuntime's aside scan, left out above: median {aside_scan['median'] * 1000:.3f} ms per render)")
    return {"repeat": repeat, "loop": loop, "timings": timings, "ratios": ratios, "ratios_dnd": ratios_dnd,
            "aside_scan_seconds": aside_scan, "database": database.describe(),
            "olx": {name: text if len(text) < 200 else text[:200] + "…" for name, text in bench.olx.items()}}


def _ratios(ops: list[Operation], samples: dict, timings: dict, reference_block: str) -> dict:
    """Per operation of ours: median ours / median of `reference_block`'s operation of the same kind
    (view or handler), and p10, median and p90 of the per-round paired ratios."""
    reference = {op.kind: op.label for op in ops if op.block == reference_block}
    ratios = {}
    for op in ops:
        if not op.ours:
            continue
        against = reference[op.kind]
        paired = [ours / theirs for ours, theirs in zip(samples[op.label], samples[against])]
        ratios[op.label] = {"against": against,
                            "ratio": timings[op.label]["seconds"]["median"] / timings[against]["seconds"]["median"],
                            "paired_p10": quantile(paired, 0.10), "paired_median": summary(paired)["median"],
                            "paired_p90": quantile(paired, 0.90)}
    return ratios


def _aside_scan(bench: Bench, repeat: int, loop: int) -> dict:
    """What XBlock's own `Runtime.applicable_aside_types` costs per call (entry-point scan)."""
    from xblock.runtime import Runtime

    block = bench.fresh_block(REFERENCE)
    samples = []
    for _ in range(repeat):
        elapsed, _results = _timed([lambda: Runtime.applicable_aside_types(bench.runtime, block)] * loop)
        samples.append(elapsed / loop)
    return summary(samples)


def our_handlers(result: dict) -> list[str]:
    return [label for label, t in result["timings"].items() if t["kind"] == "handler" and t["block"] in OURS]


def slowest_handler(result: dict) -> str:
    return max(our_handlers(result), key=lambda label: result["timings"][label]["seconds"]["median"])


def profile_operation(label: str, calls: int, stats_path: Path) -> float:
    """Run `calls` calls of the operation `label` (fresh blocks, prepared untimed) under cProfile;
    dump the stats to `stats_path`; return the profiled seconds."""
    import cProfile

    bench = Bench()
    operation = next(op for op in operations() if op.label == label)
    for call in bench.prepared(operation, 2):
        call()
    prepared = bench.prepared(operation, calls)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    results = [call() for call in prepared]
    profiler.disable()
    elapsed = time.perf_counter() - started
    for result in results:
        _check(operation, result)
    profiler.dump_stats(str(stats_path))
    return elapsed
