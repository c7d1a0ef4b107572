"""Block speed: our three blocks' `student_view` and main submit handler beside xblock-poll's.

Contract: `measure_blocks(repeat, loop)` runs, on one XBlock `TestRuntime` in this process, eight
operations — `student_view` and the main handler of rpt_quiz (`submit`), rpt_dosimetry
(`check_step`), rpt_prereq_tracker (`add_entry`) and xblock-poll's PollBlock (`vote`) — round-robin:
each of `repeat` rounds times every operation once (the starting operation rotates from round to
round), as `loop` calls in a row, timeit-style (garbage collection off while timing), and keeps the
mean time per call. Every call is made on a block instance fresh from the runtime on new state (a new
usage parsed from the same OLX, as each LMS request gets its own instance and a learner submits
once), prepared with its request before the clock starts; each response is checked after the clock
stops. The runtime has no asides: XBlock's default `applicable_aside_types` rescans every installed
entry point on each render, the same few milliseconds for every block, which would hide the
blocks' own differences; `aside_scan_seconds` reports what it costs. Returns per operation the summary of the per-call times, and per block the ratios ours/poll
(ratio of medians, and the spread of the per-round paired ratios). `profile_operation(name, calls)`
runs one operation under cProfile the same way.

The OLX is what authors ship: the quiz, walkthrough and tracker of the fixture course
tests/fixtures/courses/good as `rpt-course` builds them, and xblock-poll's default `<poll/>`.
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
BLOCKS = ("rpt_quiz", "rpt_dosimetry", "rpt_prereq_tracker", "poll")
REFERENCE = "poll"


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


def _configure_django() -> None:
    """xblock-poll renders Django templates and asks Django for the language, and our quiz and
    walkthrough keep learners' work in the records app's tables (rpt_xblocks.records): a minimal
    configuration, with those tables on a SQLite file of the process's own, removed at exit."""
    import atexit
    import shutil
    import tempfile

    import django
    from django.conf import settings
    from django.core.management import call_command

    if not settings.configured:
        folder = tempfile.mkdtemp(prefix="rpt-bench-records-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        settings.configure(USE_I18N=True, LANGUAGE_CODE="en", INSTALLED_APPS=["rpt_xblocks.records"], USE_TZ=True,
                           DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
                           DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3",
                                                  "NAME": f"{folder}/records.db",
                                                  "OPTIONS": {"transaction_mode": "IMMEDIATE"}}},
                           TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}])
        django.setup()
        call_command("migrate", verbosity=0)


def make_runtime(store=None):
    """One TestRuntime for all four blocks, with per-block field data (in `store`, a KeyValueStore,
    if given) and the URLs poll asks for."""
    from xblock.runtime import DictKeyValueStore, KvsFieldData
    from xblock.test.tools import TestRuntime

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

    _configure_django()
    runtime = BenchRuntime(services={"field-data": KvsFieldData(store if store is not None else DictKeyValueStore())})
    runtime.events = 0
    runtime.user_id = "bench-learner"
    return runtime


@functools.cache
def shipped_olx() -> dict[str, str]:
    """The OLX of each block: ours from the built fixture course, poll's default."""
    from lxml import etree

    from rpt_course.build import build_files

    _course, files = build_files(GOOD_COURSE)
    found = {}
    for name, data in files.items():
        if name.startswith("course/vertical/"):
            for element in etree.fromstring(data):
                if element.tag in BLOCKS:
                    found.setdefault(element.tag, etree.tostring(element, encoding="unicode"))
    missing = set(BLOCKS) - {REFERENCE} - set(found)
    if missing:
        raise RuntimeError(f"the fixture course {GOOD_COURSE} has no {', '.join(sorted(missing))} any more — update the benchmark")
    found[REFERENCE] = "<poll/>"
    return found


def operations() -> list[Operation]:
    right = json.loads(QUIZ_ANSWERS.read_text("utf-8"))["right"]
    return [
        Operation("rpt_quiz", "student_view"), Operation("rpt_quiz", "submit", {"answers": right}),
        Operation("rpt_dosimetry", "student_view"), Operation("rpt_dosimetry", "check_step", {"step": "remaining", "answer": "0.5"}),
        Operation("rpt_prereq_tracker", "student_view"), Operation("rpt_prereq_tracker", "add_entry", CASE_ENTRY),
        Operation(REFERENCE, "student_view"), Operation(REFERENCE, "vote", {"choice": "R"}),
    ]


def sent_payload(block, handler: str, payload):
    """`payload` as the browser sends it: a quiz submission's author-id answers in the learner's
    stand-in ids (rpt_xblocks.quiz.learner_view); anything else as it is."""
    if handler == "submit" and hasattr(block, "bank_questions"):
        from rpt_xblocks.quiz import learner_view
        return {**payload, "answers": learner_view.answers_for_browser(block.bank_questions(), payload["answers"],
                                                                       block.seed_key())}
    return payload


class Bench:
    """The runtime, the OLX and the prepared calls of each operation."""

    def __init__(self, store=None):
        """A new runtime (its usage ids start again) on new field data, and no learner rows left from
        an earlier Bench of the process (the quiz's submissions, the walkthrough's attempts)."""
        self.runtime = make_runtime(store)  # configures Django first
        self.olx = dict(shipped_olx())
        from rpt_xblocks.records.models import QuizSubmission, ScoreSet, StepAttempt  # noqa: PLC0415

        for model in (QuizSubmission, StepAttempt, ScoreSet):
            model.objects.all().delete()

    def fresh_block(self, block_type: str):
        return self.runtime.get_block(self.runtime.parse_xml_string(self.olx[block_type]))

    def prepared(self, operation: Operation, count: int) -> list[Callable[[], object]]:
        """`count` calls of `operation`, each on its own fresh block with its own request."""
        from webob import Request

        calls = []
        for _ in range(count):
            block = self.fresh_block(operation.block)
            if operation.kind == "view":
                calls.append(lambda block=block: block.render("student_view", {}))
            else:
                body = json.dumps(sent_payload(block, operation.name, operation.payload)).encode()
                request = Request.blank("/", method="POST", body=body, content_type="application/json")
                calls.append(lambda block=block, request=request, name=operation.name: block.handle(name, request))
        return calls


def _check(operation: Operation, result) -> None:
    if operation.kind == "view":
        if not result.content:
            raise RuntimeError(f"{operation.label} rendered nothing")
        return
    if result.status_code != 200:
        raise RuntimeError(f"{operation.label} answered {result.status_code}: {result.body[:300]!r}")
    if operation.block == REFERENCE and not json.loads(result.body).get("success"):
        raise RuntimeError(f"{operation.label} refused the vote: {result.body[:300]!r}")


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
    reference = {op.kind: op.label for op in ops if op.block == REFERENCE}
    ratios = {}
    for op in ops:
        if op.block == REFERENCE:
            continue
        paired = [ours / poll for ours, poll in zip(samples[op.label], samples[reference[op.kind]])]
        ratios[op.label] = {"against": reference[op.kind],
                            "ratio": timings[op.label]["seconds"]["median"] / timings[reference[op.kind]]["seconds"]["median"],
                            "paired_p10": quantile(paired, 0.10), "paired_median": summary(paired)["median"],
                            "paired_p90": quantile(paired, 0.90)}
    for op in ops:
        shown = timings[op.label]["seconds"]
        log(f"  {op.label:34s} median {shown['median'] * 1000:8.3f} ms  p10-p90 {shown['p10'] * 1000:.3f}-{shown['p90'] * 1000:.3f} ms"
            + (f"  x{ratios[op.label]['ratio']:.1f} of poll" if op.label in ratios else ""))
    aside_scan = _aside_scan(bench, repeat, loop)
    log(f"  (TestRuntime's aside scan, left out above: median {aside_scan['median'] * 1000:.3f} ms per render)")
    return {"repeat": repeat, "loop": loop, "timings": timings, "ratios": ratios, "aside_scan_seconds": aside_scan,
            "olx": {name: text if len(text) < 200 else text[:200] + "…" for name, text in bench.olx.items()}}


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
    return [label for label, t in result["timings"].items() if t["kind"] == "handler" and t["block"] != REFERENCE]


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
