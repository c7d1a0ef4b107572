"""`make bench`: every benchmark side by side in one command, and docs/benchmarks.md from its numbers.

    python -m benchmarks.run --write docs/benchmarks.md            # the full run (about 10 minutes on 2 cores)
    python -m benchmarks.run --quick --write /tmp/bench.md         # 100 and 1,000 units only (about 5 minutes)
    python -m benchmarks.run --sizes 100,1000,10000 --repeat-large 1 --json /tmp/bench.json
    python -m benchmarks.run --render /tmp/bench.json --write /tmp/bench.md   # the page again, from saved results

Contract: `run_benchmarks(settings, log)` measures, in this order, (1) build throughput beside the
packing floor for each size (benchmarks.build_speed), (2) our blocks beside xblock-poll and
drag-and-drop-v2 on one runtime whose records rows and field data share one database
(benchmarks.block_speed, benchmarks.database), (3) `validate` on the largest size's archive beside
olxcleaner alone (benchmarks.validate_speed), (4) the quiz's and the tracker's handlers, and the
preceptors' queue page, beside drag-and-drop-v2's `do_attempt` when the database holds a class's
rows (benchmarks.class_size), (5) edit-to-visible in the live preview of the shipped course, in
Chromium (benchmarks.preview_reload), then where the time and memory go (benchmarks.profiling) and the
measured what-ifs (benchmarks.what_if). It returns one results dict; every ratio in it is computed
from numbers measured in that same call. `main` writes the report (benchmarks.report) and/or JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from benchmarks import block_speed, build_speed, class_size, database, preview_reload, profiling, validate_speed, what_if
from benchmarks.child import run_child
from benchmarks.generate_course import generate_course

LARGE = 10_000  # sizes from here on use `repeat_large`


@dataclass
class Settings:
    sizes: list[int] = field(default_factory=lambda: [100, 1_000, 10_000])
    repeat: int = 3
    repeat_large: int = 2
    validate_repeat: int = 2
    block_repeat: int = 20
    block_loop: int = 10
    profile_size: int = 1_000
    memory_size: int = 300
    handler_profile_calls: int = 200
    what_if_sample: int = 100
    what_if_rounds: int = 7
    what_if_repeat: int = 10
    what_if_loop: int = 10
    class_sizes: list[int] = field(default_factory=lambda: list(class_size.SIZES))
    class_repeat: int = 7
    class_loop: int = 3
    preview_repeat: int = 7


def machine() -> dict:
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    except OSError:
        pass
    memory = ""
    try:
        kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")))
        memory = f"{kib / 2**20:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return {"cpu_count": os.cpu_count(), "cpu_model": model, "memory": memory,
            "python": platform.python_version(), "implementation": platform.python_implementation(),
            "platform": platform.platform()}


def source_state() -> dict:
    """The commit measured and the product files that differ from it (the benchmark measures the working tree)."""
    import subprocess

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=Path(__file__).resolve().parent.parent, capture_output=True,
                                  text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    changed = [line[3:] for line in git("status", "--porcelain", "--", "xblocks", "scripts").splitlines() if line]
    return {"commit": git("rev-parse", "--short", "HEAD"), "changed": changed}


def _load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def run_benchmarks(settings: Settings, workdir: Path, log=print) -> dict:
    started, load_start = time.perf_counter(), _load()
    results: dict = {"started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
                     "settings": asdict(settings), "load_average_start": load_start, "source": source_state()}
    sizes = sorted(settings.sizes)

    # 1. build beside the packing floor
    builds = build_speed.measure_builds(sizes, settings.repeat, workdir,
                                        repeat_for=lambda n: settings.repeat_large if n >= LARGE else settings.repeat, log=log)
    results["builds"], results["growth"] = builds, build_speed.growth(builds)

    # 2. blocks beside xblock-poll and drag-and-drop-v2, one runtime, one database (in the work folder), round-robin
    database.configure(workdir)
    results["blocks"] = block_speed.measure_blocks(settings.block_repeat, settings.block_loop, log=log)

    # 3. validate on the largest archive beside olxcleaner alone
    largest = builds[-1]
    archive = Path(largest["archive"])
    results["validate"] = validate_speed.measure_validate(archive, workdir / f"units-{largest['units']}" / "olx",
                                                          settings.validate_repeat, build_speed.member_count(archive), log=log)
    results["validate"]["units"] = largest["units"]

    # 4. handlers and the staff queue page beside drag-and-drop-v2's do_attempt with a class's rows in the database
    results["class_sizes"] = class_size.measure_class_sizes(settings.class_sizes, settings.class_repeat,
                                                            settings.class_loop, log=log)

    # 5. edit-to-visible in the live preview of the shipped course (a real browser)
    results["preview"] = preview_reload.measure_edit_to_visible(preview_reload.SHIPPED_CONTENT, workdir,
                                                                settings.preview_repeat, log=log)

    # where the time goes: the build (cProfile), its memory (tracemalloc), the slowest handler
    content = _course(workdir, settings.profile_size)
    log(f"profile: build of {settings.profile_size} units under cProfile, "
        f"then of {settings.memory_size} units under tracemalloc")
    stats = workdir / "build.prof"
    profiled = run_child("profile-build", [str(content), str(workdir / "profile-dist"), str(stats),
                                           str(_course(workdir, settings.memory_size))])
    results["profile_build"] = {"units": settings.profile_size, "seconds": profiled["seconds"],
                                "phases": profiling.summarize(stats, profiling.BUILD_PHASES),
                                "render": profiling.summarize(stats, profiling.RENDER_PARTS)["phases"]}
    results["memory_build"] = profiled["memory"]

    slowest = block_speed.slowest_handler(results["blocks"])
    results["profile_handlers"] = {}
    for label in block_speed.our_handlers(results["blocks"]):
        log(f"profile: {label} x{settings.handler_profile_calls} under cProfile")
        handler_stats = workdir / f"{label}.prof"
        seconds = block_speed.profile_operation(label, settings.handler_profile_calls, handler_stats)
        results["profile_handlers"][label] = {
            "operation": label, "calls": settings.handler_profile_calls, "seconds": seconds,
            "summary": profiling.summarize(handler_stats, profiling.HANDLER_PARTS)}
    results["profile_handler"] = results["profile_handlers"][slowest]

    # what-ifs: measured savings of the candidate optimizations
    log("what-if: reused Markdown converter, reused bleach Cleaner, YAML with libyaml against the pure-Python loader")
    results["what_if_build"] = what_if.build_what_ifs(content, settings.what_if_sample, settings.what_if_rounds)
    results["what_if_build"]["units"] = settings.profile_size
    results["what_if_sanitize"] = what_if.memoized_sanitize(settings.what_if_repeat, settings.what_if_loop, log=log)

    results["load_average_end"] = _load()
    results["harness_seconds"] = time.perf_counter() - started
    return results


def _course(workdir: Path, units: int) -> Path:
    """The content folder of `units` units: the build benchmark's if it made one, else a new one."""
    content = workdir / f"units-{units}" / "content"
    if not content.exists():
        generate_course(content, units)
    return content


def _sizes(text: str) -> list[int]:
    return [int(part.replace("_", "").replace(",", "")) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--write", type=Path, help="write the Markdown report here (e.g. docs/benchmarks.md)")
    parser.add_argument("--json", type=Path, help="also write the raw results as JSON here")
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 units only, fewer rounds (about 5 minutes)")
    parser.add_argument("--sizes", type=_sizes, help="course sizes in units, comma-separated (default 100,1000,10000)")
    parser.add_argument("--repeat", type=int, help="build and floor runs per size below 10,000 units (default 3)")
    parser.add_argument("--repeat-large", type=int, help="build and floor runs per size of 10,000 units or more (default 2)")
    parser.add_argument("--validate-repeat", type=int, help="validate and olxcleaner runs (default 2)")
    parser.add_argument("--block-repeat", type=int, help="round-robin rounds of the block benchmark (default 20)")
    parser.add_argument("--block-loop", type=int, help="calls per timing in the block benchmark (default 10)")
    parser.add_argument("--profile-size", type=int, help="units of the course profiled with cProfile (default 1000)")
    parser.add_argument("--memory-size", type=int, help="units of the course traced with tracemalloc (default 300)")
    parser.add_argument("--handler-profile-calls", type=int, help="calls of the slowest handler under cProfile (default 200)")
    parser.add_argument("--what-if-sample", type=int, help="lesson texts in the Markdown and bleach what-ifs (default 100)")
    parser.add_argument("--what-if-rounds", type=int, help="alternating rounds of each build what-if (default 7)")
    parser.add_argument("--what-if-repeat", type=int, help="rounds of the memoized-sanitize what-if (default 10)")
    parser.add_argument("--what-if-loop", type=int, help="calls per timing in the memoized-sanitize what-if (default 10)")
    parser.add_argument("--class-sizes", type=_sizes, help="learners in the class-size measurement (default 100,10000)")
    parser.add_argument("--class-repeat", type=int, help="round-robin rounds of the class-size measurement (default 7)")
    parser.add_argument("--class-loop", type=int, help="calls per timing in the class-size measurement (default 3)")
    parser.add_argument("--preview-repeat", type=int, help="lesson saves timed in the live preview (default 7)")
    parser.add_argument("--render", type=Path, metavar="JSON",
                        help="measure nothing: write the report from the results a run saved with --json")
    parser.add_argument("--keep", type=Path, help="keep the generated courses and archives in this folder")
    args = parser.parse_args(argv)

    if args.render:
        from benchmarks.report import render

        page = render(json.loads(args.render.read_text("utf-8")))
        if args.write:
            args.write.write_text(page, "utf-8")
        else:
            sys.stdout.write(page)
        return 0

    settings = Settings()
    if args.quick:
        settings = Settings(sizes=[100, 1_000], block_repeat=15, what_if_repeat=5, what_if_rounds=5,
                            class_sizes=[100, 10_000], class_repeat=5)
    for name in ("sizes", "repeat", "repeat_large", "validate_repeat", "block_repeat", "block_loop", "profile_size",
                 "memory_size", "handler_profile_calls", "what_if_sample", "what_if_rounds", "what_if_repeat", "what_if_loop",
                 "class_sizes", "class_repeat", "class_loop", "preview_repeat"):
        if getattr(args, name) is not None:
            setattr(settings, name, getattr(args, name))
    if any(n < 1 for n in settings.sizes) or min(settings.repeat, settings.repeat_large, settings.validate_repeat,
                                                  settings.block_repeat, settings.block_loop, settings.class_repeat, settings.class_loop,
                                                  settings.preview_repeat) < 1 \
            or not settings.class_sizes or any(n < 1 for n in settings.class_sizes):
        parser.error("sizes, class sizes and repeat counts must be at least 1")

    given, measured_with = list(argv if argv is not None else sys.argv[1:]), []
    while given:  # the options that change what is measured (not where results go)
        option = given.pop(0)
        if option in ("--write", "--json", "--keep"):
            given = given[1:]
        elif not option.startswith(("--write=", "--json=", "--keep=")):
            measured_with.append(option)
    command = " ".join(["python -m benchmarks.run", *measured_with])
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        workdir, cleanup = args.keep, None
    else:
        cleanup = tempfile.mkdtemp(prefix="rpt-bench-")
        workdir = Path(cleanup)
    try:
        begun = time.perf_counter()
        results = run_benchmarks(settings, workdir, log=lambda text: print(
            f"[{time.perf_counter() - begun:6.1f} s] {text}", file=sys.stderr, flush=True))
    finally:
        if cleanup:
            shutil.rmtree(cleanup, ignore_errors=True)
    results["command"] = command.strip()
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1), "utf-8")
    if args.write:
        from benchmarks.report import render

        try:
            page = render(results)
        except Exception:
            if not args.json:  # keep the measurements of a long run even when the page cannot be written
                kept = Path(tempfile.mkstemp(prefix="rpt-bench-", suffix=".json")[1])
                kept.write_text(json.dumps(results, indent=1), "utf-8")
                print(f"the report failed; the results are in {kept}", file=sys.stderr)
            raise
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(page, "utf-8")
        print(f"wrote {args.write} ({results['harness_seconds'] / 60:.1f} minutes of measuring)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
