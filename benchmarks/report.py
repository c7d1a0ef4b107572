"""docs/benchmarks.md from one run's results (benchmarks.run): method, results, profiles, advice.

Contract: `render(results)` returns the Markdown; every number in it is read from `results`, so the
page always describes the run that wrote it. `goals(results)` gives the three goals of the issue
("Measured speed") with the measured value and whether each is met; `recommendations(results)`
the advice with its expected gains, computed from the same run's profiles and what-ifs.
"""
from __future__ import annotations

SECTIONS = ("## The goals and where we stand", "## How to run", "## Method", "## Results",
            "### 1. Build throughput", "### 2. Block speed", "### 3. Validate",
            "## Where the time goes", "## The gap and what to do", "### 4. Handler cost by class size",
            "### 5. Live preview: edit to visible")
MEMORY_NOISE_KB = 4 * 1024  # RSS moves by a few MiB between identical runs; growth below this counts as none


# ---- formatting ---------------------------------------------------------------------------------

def secs(value: float) -> str:
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.2f} ms"
    return f"{value * 1e6:.0f} µs"


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def kib(value_kib: float) -> str:
    return f"{value_kib:.1f} KiB"


def pct(share: float) -> str:
    return f"{share * 100:.1f}%" if abs(share) < 0.1 else f"{share * 100:.0f}%"


def times(ratio: float) -> str:
    return f"{ratio:.2f}×" if ratio < 10 else f"{ratio:.0f}×"


def spread(summary: dict, unit=secs) -> str:
    """Median with its spread: p10–p90 and IQR from 5 samples on, min–max below."""
    if summary["n"] >= 5:
        return (f"{unit(summary['median'])} (p10–p90 {unit(summary['p10'])}–{unit(summary['p90'])}, "
                f"IQR {unit(summary['iqr'])}, n={summary['n']})")
    if summary["n"] == 1:
        return f"{unit(summary['median'])} (n=1, no spread)"
    return f"{unit(summary['median'])} (min–max {unit(summary['min'])}–{unit(summary['max'])}, n={summary['n']})"


def units(n: int) -> str:
    return f"{n:,}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|",
            *("| " + " | ".join(row) + " |" for row in rows), ""]


def _phase(summary: dict, label_start: str) -> dict:
    return next(p for p in summary if p["phase"].startswith(label_start))


# ---- goals --------------------------------------------------------------------------------------

def memory_growth(results: dict) -> dict:
    small, large = results["builds"][0], results["builds"][-1]
    growth = large["build"]["working_kb"]["median"] - small["build"]["working_kb"]["median"]
    floor_growth = large["floor"]["working_kb"]["median"] - small["floor"]["working_kb"]["median"]
    return {"from": small["units"], "to": large["units"], "growth_kb": growth, "floor_growth_kb": floor_growth,
            "largest_file_kb": large["largest_file_bytes"] / 1024,
            "met": growth <= large["largest_file_bytes"] / 1024 + MEMORY_NOISE_KB}


def goals(results: dict) -> list[dict]:
    builds = results["builds"]
    ratios = ", ".join(f"{times(b['ratio'])} at {units(b['units'])} units" for b in builds)
    memory = memory_growth(results)
    handlers = {label: r for label, r in results["blocks"]["ratios"].items() if not label.endswith(".student_view")}
    handler_text = ", ".join(f"{label.split('.')[0]} `{label.split('.')[1]}` {times(r['ratio'])}"
                             for label, r in handlers.items())
    warm_ratios = ", ".join(f"{times(b['warm_ratio'])} at {units(b['units'])} units" for b in builds)
    return [
        {"goal": "build within 2× of the packing floor: a rebuild after editing one lesson (render cache warm)",
         "measured": f"warm rebuild/floor {warm_ratios}", "met": all(b["warm_ratio"] <= 2 for b in builds)},
        {"goal": "build within 2× of the packing floor: a first build (cold: every text rendered)",
         "measured": f"cold build/floor {ratios}", "met": all(b["ratio"] <= 2 for b in builds)},
        {"goal": "build memory does not grow with course size beyond the largest file",
         "measured": (f"working memory grows {mib(memory['growth_kb'])} from {units(memory['from'])} to "
                      f"{units(memory['to'])} units (the floor: {mib(memory['floor_growth_kb'])}); "
                      f"largest OLX file {kib(memory['largest_file_kb'])}") if len(builds) > 1
         else "one course size only: growth not measured",
         "met": memory["met"] and len(builds) > 1},
        {"goal": "block handlers no slower than xblock-poll's (`vote`)", "measured": f"ours/poll: {handler_text}",
         "met": all(r["ratio"] <= 1 for r in handlers.values())},
        *class_goals(results),
        *preview_goals(results),
    ]


def preview_goals(results: dict) -> list[dict]:
    """Issue 17's target: a saved lesson visible in the open preview page within 2 s (median)."""
    preview = results.get("preview")
    if not preview:
        return []
    return [{"goal": f"live preview: a saved lesson shows in the open page (reloaded by itself) within "
                     f"{secs(preview['target_seconds'])}, shipped course (median)",
             "measured": f"median {secs(preview['seconds']['median'])}, max {secs(preview['seconds']['max'])} over "
                         f"{len(preview['samples'])} saves",
             "met": preview["met"]}]


QUEUE_TARGET_SECONDS = 0.100
QUEUE_TARGET_LEARNERS = 10_000
ADD_ENTRY_GROWTH = 1.2
DND_TARGETS = ("rpt_quiz.submit", "rpt_prereq_tracker.add_entry")


def class_goals(results: dict) -> list[dict]:
    """Issue 14's targets (reported, not asserted): our quiz `submit` and tracker `add_entry` no slower
    than drag-and-drop-v2's scored `do_attempt` in the same database; the staff queue page's median at
    10,000 learners; a learner's `add_entry` at 10,000 learners against its time at 100."""
    dnd = results["blocks"].get("ratios_dnd")
    goals_ = []
    if dnd:
        goals_.append({"goal": "quiz `submit` and tracker `add_entry` ≤ 1.0× drag-and-drop-v2's scored `do_attempt` "
                               "(ratio of medians, same run, same database)",
                       "measured": ", ".join(f"{label} {times(dnd[label]['ratio'])}" for label in DND_TARGETS),
                       "met": all(dnd[label]["ratio"] <= 1 for label in DND_TARGETS)})
    measured = results["class_sizes"]
    if "staff_queue" not in measured:
        return goals_
    smallest, largest = measured["sizes"][0], measured["sizes"][-1]
    queue = largest["handlers"][measured["staff_queue"]]["seconds"]
    at_target = largest["learners"] >= QUEUE_TARGET_LEARNERS
    note = "" if at_target else f" (only {units(largest['learners'])} learners measured: not the target's size)"
    goals_.append({"goal": f"the preceptors' staff queue page (tracker `state` as staff) p50 ≤ "
                           f"{secs(QUEUE_TARGET_SECONDS)} at {units(QUEUE_TARGET_LEARNERS)} learners with "
                           f"{units(QUEUE_TARGET_LEARNERS * measured['entries_per_learner'])} entries",
                   "measured": f"p50 {secs(queue['median'])} at {units(largest['learners'])} learners, "
                               f"{units(largest['entries'])} entries{note}",
                   "met": at_target and queue["median"] <= QUEUE_TARGET_SECONDS})
    growth = largest["handlers"]["rpt_prereq_tracker.add_entry"]["vs_smallest"]
    goals_.append({"goal": f"a learner's `add_entry` at {units(QUEUE_TARGET_LEARNERS)} learners within "
                           f"{ADD_ENTRY_GROWTH}× of its time at 100",
                   "measured": f"{times(growth)} from {units(smallest['learners'])} to {units(largest['learners'])} "
                               f"learners{note}",
                   "met": at_target and smallest["learners"] <= 100 and growth <= ADD_ENTRY_GROWTH})
    return goals_


# ---- recommendations ----------------------------------------------------------------------------

def _build_at(results: dict, size: int) -> dict | None:
    return next((b for b in results["builds"] if b["units"] == size), None)


def repeated_work(handler_profile: dict) -> dict | None:
    """The function of ours that a request runs most often beyond once, by the time that would save:
    its cumulative share × (1 − 1/calls per request)."""
    calls = handler_profile["calls"]
    best = None
    for row in handler_profile["summary"]["top_ours_cumulative"]:
        per_request = row["calls"] / calls
        if per_request < 1.5 or "json_handlers" in row["function"] or "sanitiz" in row["function"]:
            continue
        gain = row["share"] * (1 - 1 / per_request)
        if best is None or gain > best["gain"]:
            best = {"function": row["function"], "per_request": per_request, "share": row["share"], "gain": gain}
    return best


def recommendations(results: dict) -> dict:
    """Expected gains from the profiles and what-ifs of this run (shares of the build or handler time)."""
    profile = results["profile_build"]
    phases = profile["phases"]["phases"]
    measured = _build_at(results, profile["units"])
    build_seconds = measured["build"]["seconds"]["median"] if measured else profile["seconds"]
    texts = _part(profile, "all Markdown")["calls"]
    what = results["what_if_build"]
    cpus = results["machine"]["cpu_count"] or 1
    render_share = _phase(phases, "render lesson")["share"]

    memo = results["what_if_sanitize"]
    slowest = results["profile_handler"]["operation"]
    sanitize_in_slowest = _handler_part(results["profile_handler"], "sanitize")

    memory = results["memory_build"]
    growth = results["growth"][-1] if results["growth"] else None
    cache = memory.get("sanitize_cache")
    cache_bytes = max(0, cache["bytes"]) if cache else 0
    olx_held = 0 if memory.get("olx_staged") else memory["olx_bytes"]
    model_kb_per_unit = max(0.0, (memory["held_after_build_files"] - olx_held - cache_bytes) / 1024 / memory["units"])
    return {
        "build_seconds": build_seconds, "profile_units": profile["units"], "texts": texts, "cpus": cpus,
        "one_pass_share": sum(_part(profile, start)["share"] for start in ("sanitize", "markup problems")),
        "render_share": render_share, "load_share": _phase(phases, "load content")["share"],
        "parallel_share": render_share * (1 - 1 / cpus),
        "yaml_saving": what["yaml_saving_seconds"], "yaml_share": what["yaml_saving_seconds"] / build_seconds,
        "yaml_speedup": what["yaml_python_seconds"] / what["yaml_c_seconds"] if what["yaml_c_seconds"] else float("inf"),
        "markdown_saving": what["markdown_saving_per_text"] * texts,
        "markdown_share": what["markdown_saving_per_text"] * texts / build_seconds,
        "cleaner_share": what["cleaner_saving_per_text"] * texts / build_seconds,
        "handler": slowest, "handler_sanitize_share": sanitize_in_slowest["share"],
        "handler_sanitize_calls": sanitize_in_slowest["calls"] / results["profile_handler"]["calls"],
        "sanitize_cached_in_product": memo["product_caches"],
        # Handlers that call `sanitize` at all (a difference for the others is noise): counted by the what-if, or,
        # from results that predate the count, those of the blocks whose modules use it.
        "memo": {label: {"before": r["uncached"]["median"], "after": r["cached"]["median"], "saving": r["saving"],
                         "ratio_after": results["blocks"]["ratios"][label]["ratio"] * (1 - r["saving"])
                         if not memo["product_caches"] else results["blocks"]["ratios"][label]["ratio"]}
                 for label, r in memo["handlers"].items()
                 if r.get("sanitize_calls", 1 if label.split(".")[0] in ("rpt_quiz", "rpt_dosimetry") else 0) > 0},
        "cache_bytes": cache_bytes,
        "cache_at_cap_bytes": cache_bytes / cache["entries"] * cache["max_entries"] if cache and cache["entries"] else 0,
        "repeated": {label: repeated_work(p) for label, p in results["profile_handlers"].items()},
        "memory_growth_kb_per_unit": growth["build_kb_per_unit"] if growth else None,
        "olx_kb_per_unit": growth["olx_kb_per_unit"] if growth else None,
        "model_kb_per_unit": model_kb_per_unit,
    }


def _handler_part(handler_profile: dict, start: str) -> dict:
    return next(p for p in handler_profile["summary"]["phases"] if p["phase"].startswith(start))


def signed(change: float) -> str:
    """A relative change with its sign: −78% (faster), +3% (slower)."""
    return ("−" if change < 0 else "+") + pct(abs(change))


# ---- the page -----------------------------------------------------------------------------------

def render(results: dict) -> str:
    out: list[str] = []
    add = out.append
    m = results["machine"]
    builds = results["builds"]
    blocks = results["blocks"]
    validate = results["validate"]
    rec = recommendations(results)

    add("# Measured speed: build, blocks, validate")
    add("")
    command = results.get("command", "python -m benchmarks.run")
    by = "`make bench`" if command == "python -m benchmarks.run" else f"`{command}`"
    add(f"Written by {by} on {results['started']}, "
        f"after {results['harness_seconds'] / 60:.1f} minutes of measuring. Every number on this page comes from that "
        "one run, and every ratio compares two things measured side by side in it. Do not edit the page by hand: "
        "change `benchmarks/report.py` and run `make bench` again.")
    add("")

    add(SECTIONS[0])
    add("")
    out += _table(["goal (issue \"Measured speed\")", "measured in this run", "met?"],
                  [[g["goal"], g["measured"], "yes" if g["met"] else "**no**"] for g in goals(results)])
    add("Block views, for comparison: " + ", ".join(
        f"{label.split('.')[0]} {times(r['ratio'])}" for label, r in blocks["ratios"].items() if label.endswith(".student_view"))
        + " of poll's `student_view`.")
    add("")

    add(SECTIONS[1])
    add("")
    add("```")
    add("make bench                                                # everything, writes this page (10-15 minutes on 2 cores)")
    add(".venv/bin/python -m benchmarks.run --quick --write /tmp/bench.md   # 100 and 1,000 units only (about 5 minutes)")
    add(".venv/bin/python -m benchmarks.class_size 100,10000 7 3       # the class-size measurement alone")
    add(".venv/bin/python -m benchmarks.preview_reload 7          # the live preview's edit-to-visible alone (Chromium)")
    add(".venv/bin/python -m benchmarks.run --repeat-large 1 --write docs/benchmarks.md   # one 10,000-unit build instead of two")
    add(".venv/bin/python -m benchmarks.run --json /tmp/bench.json --write docs/benchmarks.md   # also keep the raw results")
    add(".venv/bin/python -m benchmarks.run --render /tmp/bench.json --write docs/benchmarks.md # this page again from them")
    add(".venv/bin/python -m benchmarks.run --help                 # sizes, repeats, profile sizes, --keep")
    add(".venv/bin/pytest -q tests/benchmarks                      # the harness on tiny sizes (seconds, no timing asserted)")
    add("```")
    add("")
    add("The code is in `benchmarks/`: `generate_course.py` (courses of any size), `build_speed.py` (build and floor), "
        "`block_speed.py` (blocks beside poll and drag-and-drop-v2), `database.py` (the one database: records app, "
        "field data), `class_size.py` (handlers and the staff queue page beside a class's rows), "
        "`validate_speed.py`, `preview_reload.py` (edit-to-visible in the live preview, in Chromium), `profiling.py` (cProfile, tracemalloc), `what_if.py` (measured savings of candidate "
        "optimizations), `yaml_speed.py` (the two YAML loaders), `sanitize_fast_path.py` (rendering with and without the allow-list fast path, `python -m benchmarks.sanitize_fast_path`), `child.py` (fresh processes, peak memory), `report.py` (this page), "
        "`run.py` (the command).")
    add("")

    add(SECTIONS[2])
    add("")
    add(f"- **Machine**: {m['cpu_count']} CPUs (`os.cpu_count()`){', ' + m['cpu_model'] if m['cpu_model'] else ''}"
        f"{', ' + m['memory'] + ' RAM' if m['memory'] else ''}; {m['implementation']} {m['python']}; {m['platform']}. "
        f"Load average (1, 5, 15 min) at the start {results['load_average_start']}, at the end {results['load_average_end']}: "
        "other work on the machine slows both sides of a comparison alike, because the two are interleaved, but it "
        "widens the spreads.")
    source = results.get("source") or {}
    if source.get("commit"):
        changed = source.get("changed") or []
        add(f"- **Code measured**: the working tree at commit `{source['commit']}`"
            + (", with uncommitted changes to " + ", ".join(f"`{name}`" for name in changed) if changed
               else ", with no uncommitted change to `xblocks/` or `scripts/`") + ".")
    s = results["settings"]
    add(f"- **Build throughput.** `benchmarks/generate_course.py` writes a course of N units: modules of 10 sections of "
        "10 units, every unit one Markdown lesson of about 2 KB (headings, a list, a table, inline and display math, a "
        "footnote, an admonition, a link to the previous unit, an image from static/; prose drawn word by word from the "
        "shipped lessons' vocabulary so it compresses like real text), and in every module's last, graded section one copy "
        "of the fixture course's quiz and one of its walkthrough (`tests/fixtures/courses/good`); `rpt-course build` "
        "accepts it with no problem. The **build** is the command's entry point, `rpt_course.cli.main(['build', ...])`: "
        "load, render, check, pack, write, as shipped (lessons the cache lacks rendered in as many processes as there are "
        "CPUs). The **cold build** runs with `--no-cache`: every Markdown text rendered, as in a first build. The **warm "
        "rebuild** is what an author's rebuild after an edit costs: the render cache was filled by an earlier build "
        "(one untimed build before the runs, whose archive must be byte-identical to the cold builds'), and one lesson "
        "in the middle of the course has a new sentence appended before each run (restored after it, so that the cold "
        "builds and the floor see the generated course). The **floor** packs the same OLX tree (the build's archive unpacked into a "
        "folder) with only `tarfile` and `gzip` at the settings of `scripts/rpt_course/archive/write.py` (sorted members with "
        "folders, PAX, mtime 0, owner 0, modes 644/755, gzip level 9 without name or time, fsync, rename, sha256), and its "
        "archive must be byte-identical to the build's. Each run is a fresh process; cold build, floor and warm rebuild "
        f"rotate which goes first; {s['repeat']} run(s) of each per size below 10,000 units, {s['repeat_large']} from "
        "10,000. **Time** is "
        "measured in the process after its imports (process time, interpreter start-up included, is listed too); **peak "
        "memory** is the child's own high-water mark (`VmHWM` in /proc/self/status, read as it finishes; `ru_maxrss` from "
        "`os.wait4` or `RUSAGE_CHILDREN` is unusable here, since Linux starts a child's maximum at its parent's peak), and "
        "**working memory** is peak minus the process's RSS after its imports. Ratios are ratios of medians.")
    add(f"- **Block speed.** One XBlock `TestRuntime` in one process holding the quiz, walkthrough and tracker of the "
        "fixture course as `rpt-course` builds them, xblock-poll's default `<poll/>` (`poll.poll.PollBlock`) and "
        "drag-and-drop-v2's default problem in assessment mode with 3 attempts (`drag_and_drop_v2.DragAndDropBlock`). "
        f"**One database for all** ({blocks.get('database', 'SQLite')}, `benchmarks/database.py`): Django runs with "
        "the records app (`rpt_xblocks.records`) and xblock-sdk's workbench app, migrated; our blocks' records rows "
        "and every block's learner field data (`user_state`, `user_state_summary`, `preferences`, `user_info`, as "
        "JSON rows of the workbench's `XBlockState` table, one per scope, block and learner) are in it, read once per "
        "request and written once per row at `save()`, as the LMS does with `StudentModule`; the authored scopes "
        "(content, settings), which the LMS reads from its cached modulestore, stay in memory. So poll's and "
        "drag-and-drop-v2's state writes and our row inserts pay for the same database and the same commits. "
        "Ten operations: `student_view` and the main handler of each block (rpt_quiz `submit` with all answers right, "
        "rpt_dosimetry `check_step` with a wrong value, rpt_prereq_tracker `add_entry` with a case, poll `vote` with "
        "`{\"choice\": \"R\"}`, drag-and-drop-v2 `do_attempt` after the learner dropped every item on its zone "
        "with `drop_item`, untimed: it grades, counts the attempt and publishes a grade). "
        f"{blocks['repeat']} round-robin rounds; in each, every operation is timed once as "
        f"{blocks['loop']} call(s) in a row with garbage collection off (as `timeit` does), the starting operation rotating. "
        "Every call gets a block instance fresh from the runtime on new state (a new usage of the same OLX: a learner's "
        "first view or submission, as an LMS request gets its own instance) and a new request of the store, prepared "
        "with its webob request before the clock starts; every response is checked after it stops (status 200, the "
        "vote accepted, the attempt graded). The runtime has no "
        "asides: XBlock's default `applicable_aside_types` rescans every installed entry point on each render "
        f"(median {secs(blocks['aside_scan_seconds']['median'])} per render here), the same for every block, which would "
        "drown the blocks' own differences. Ratios ours/poll and ours/drag-and-drop-v2 are ratios of medians; the "
        "paired spread is p10–p90 of the per-round ratios.")
    add(f"- **Validate.** On the {units(validate['units'])}-unit archive, {s['validate_repeat']} alternating run(s) each, in "
        "fresh processes, of `validate_archive` (`rpt-course validate ARCHIVE`: guarded unpacking, our OLX checks, "
        "olxcleaner), with the untrusted-archive member cap raised if this archive exceeds it and nothing else changed, and "
        "of olxcleaner alone (`olxcleaner.validate(course, steps=8, allowed_xblocks=OLX_TAGS)`, as "
        "`scripts/rpt_course/checks/olxcleaner_check.py` calls it) on the archive already unpacked; if the cap had to be raised, "
        "one more run of `validate_archive` exactly as shipped shows what an author gets.")
    add(f"- **Profiles and what-ifs.** cProfile of a whole cold build of {units(rec['profile_units'])} units "
        "(`--no-cache --jobs 1`: every text rendered, all in its own process; shares are of the profiled time), "
        f"tracemalloc of a build of {units(results['memory_build']['units'])} "
        f"units, cProfile of {results['profile_handler']['calls']} calls of the slowest handler. The what-ifs "
        "(`benchmarks/what_if.py`) run a product step as shipped and a variant side by side on the same inputs, check "
        "that the outputs are equal, and report the measured saving; no product code is changed.")
    add("")

    add(SECTIONS[3])
    add("")
    add(SECTIONS[4])
    add("")
    out += _table(
        ["units", "modules / sections", "OLX files, size", "archive", "cold build time", "warm rebuild time",
         "floor time", "cold build/floor", "warm rebuild/floor", "cold build process time",
         "cold build peak / working memory", "warm rebuild peak / working memory", "floor peak / working memory"],
        [[units(b["units"]), f"{b['shape']['modules']} / {b['shape']['sections']}",
          f"{b['olx_files']:,}, {mib(b['olx_bytes'] / 1024)}", mib(b["archive_bytes"] / 1024),
          spread(b["build"]["seconds"]), spread(b["warm"]["seconds"]), spread(b["floor"]["seconds"]),
          f"**{times(b['ratio'])}**", f"**{times(b['warm_ratio'])}**",
          secs(b["build"]["process_seconds"]["median"]),
          f"{mib(b['build']['peak_kb']['median'])} / {mib(b['build']['working_kb']['median'])}",
          f"{mib(b['warm']['peak_kb']['median'])} / {mib(b['warm']['working_kb']['median'])}",
          f"{mib(b['floor']['peak_kb']['median'])} / {mib(b['floor']['working_kb']['median'])}"] for b in builds])
    add("Floor archive byte-identical to the cold build's: " + ", ".join(
        f"{units(b['units'])} units {'yes' if b['floor_identical'] else '**no**'}" for b in builds)
        + ". Archive of the build that filled the cache byte-identical to the cold build's: " + ", ".join(
        f"{units(b['units'])} units {'yes' if b['cache_identical'] else '**no**'}" for b in builds) + ". "
        "Peak memory above is the build process's own; the largest render worker of a cold build peaked at "
        + ", ".join(f"{mib(b['build']['workers_peak_kb']['median'])} at {units(b['units'])} units"
                    if b["build"]["workers_peak_kb"]["median"] else f"none started at {units(b['units'])} units"
                    for b in builds)
        + " (`RUSAGE_CHILDREN`, which counts from the build's size when the worker was forked).")
    add("")
    if results["growth"]:
        add("How cost grows with size (medians; extra cost per extra unit between two sizes):")
        add("")
        out += _table(["sizes", "cold build time per unit", "floor time per unit", "cold build working memory per unit",
                       "floor working memory per unit", "OLX per unit"],
                      [[f"{units(g['from'])} → {units(g['to'])}", f"{g['build_ms_per_unit']:.2f} ms",
                        f"{g['floor_ms_per_unit']:.3f} ms", kib(g["build_kb_per_unit"]), kib(g["floor_kb_per_unit"]),
                        kib(g["olx_kb_per_unit"])] for g in results["growth"]])
    add(f"Per unit at {units(builds[-1]['units'])} units: cold build {1000 * builds[-1]['build']['seconds']['median'] / builds[-1]['units']:.2f} ms, "
        f"warm rebuild {1000 * builds[-1]['warm']['seconds']['median'] / builds[-1]['units']:.2f} ms, "
        f"floor {1000 * builds[-1]['floor']['seconds']['median'] / builds[-1]['units']:.3f} ms.")
    add("")

    add(SECTIONS[5])
    add("")
    rows = []
    dnd_ratios = blocks.get("ratios_dnd", {})

    def ratio_cell(r):
        return f"**{times(r['ratio'])}** ({times(r['paired_p10'])}–{times(r['paired_p90'])})" if r else "1 (reference)"

    for name in dict.fromkeys(t["block"] for t in blocks["timings"].values()):
        view = blocks["timings"][f"{name}.student_view"]
        handler_label = next(label for label, t in blocks["timings"].items() if t["block"] == name and t["kind"] == "handler")
        handler = blocks["timings"][handler_label]
        ours = f"{name}.student_view" in blocks["ratios"]
        rows.append([name, spread(view["seconds"]),
                     ratio_cell(blocks["ratios"].get(f"{name}.student_view")) if ours else "reference",
                     f"`{handler['operation']}`", spread(handler["seconds"]),
                     ratio_cell(blocks["ratios"].get(handler_label)) if ours else "reference",
                     ratio_cell(dnd_ratios.get(handler_label)) if ours else "reference"])
    out += _table(["block", "`student_view` per call", "view ours/poll (paired p10–p90)", "handler",
                   "handler per call", "handler ours/poll `vote` (paired p10–p90)",
                   "handler ours/drag-and-drop-v2 `do_attempt` (paired p10–p90)"], rows)

    add(SECTIONS[6])
    add("")
    shipped = validate["as_shipped"]
    if shipped["problem_count"]:
        add(f"**As shipped, `rpt-course validate` refuses the {units(validate['units'])}-unit archive** that `rpt-course "
            f"build` wrote ({validate['members']:,} members; the untrusted-archive guard stops at "
            f"{shipped['max_members']:,}), after {secs(shipped['seconds'])}:")
        add("")
        add("> " + shipped["problems"][0])
        add("")
        add("So a course this large cannot be checked with `validate` today; the times below lift only that cap.")
    else:
        add(f"As shipped, `rpt-course validate` accepts the {units(validate['units'])}-unit archive "
            f"({validate['members']:,} members) in {secs(shipped['seconds'])} with no problem.")
    add("")
    out += _table(["", "time", "peak / working memory", "problems found"],
                  [["`validate_archive` (member cap raised where needed)", spread(validate["validate"]["seconds"]),
                    f"{mib(validate['validate']['peak_kb']['median'])} / {mib(validate['validate']['working_kb']['median'])}",
                    str(validate["validate"]["problem_count"])],
                   ["olxcleaner alone, steps=8", spread(validate["olxcleaner"]["seconds"]),
                    f"{mib(validate['olxcleaner']['peak_kb']['median'])} / {mib(validate['olxcleaner']['working_kb']['median'])}",
                    str(validate["olxcleaner"]["problem_count"])],
                   ["**ratio validate/olxcleaner**", f"**{times(validate['ratio'])}**", "", ""]])

    _class_sizes(out, results["class_sizes"])
    _preview(out, results.get("preview"))
    _where(out, results, rec)
    _advice(out, results, rec)
    return "\n".join(out).rstrip() + "\n"


def _class_sizes(out: list[str], measured: dict) -> None:
    """The table "handler cost by class size": per class size, each handler's median and spread, its
    ratio to drag-and-drop-v2's `do_attempt` at that size and to its own time at the smallest size."""
    add = out.append
    add(SECTIONS[9])
    add("")
    if "staff_queue" not in measured:  # results from before the records app
        add("(These results predate the records app: run the benchmark again.)")
        add("")
        return
    smallest = units(measured["sizes"][0]["learners"])
    per, decided = measured["entries_per_learner"], measured["decided_per_learner"]
    add(f"Each handler on a block whose database rows already hold a class of that many learners, all in the one "
        f"database of section 2, inserted with the ORM's `bulk_create`: every learner logged {per} tracker case entries "
        f"and a preceptor decided the first {decided} of each (verified; every tenth learner's last decision a "
        f"rejection), so {per - decided} per learner await a decision, and each learner meets what the tracker measures "
        f"for such entries (`TrackerRequirementMet`: {measured['sizes'][0]['met_per_learner']} requirement(s) each); every learner has one graded `QuizSubmission`; every learner voted "
        "in the poll (their field rows, and the tally) and made one graded drag-and-drop-v2 attempt (their field rows). "
        "The quiz's `submit` is measured as this branch ships it (its learner state may still be XBlock fields; the "
        "class's `QuizSubmission` rows are there for the version that reads them). "
        f"Learner handlers are called by a learner new to the class; `{measured['staff_queue']}` is the tracker's "
        f"`state` handler as staff: the first page of {measured['queue_page']} entries awaiting a decision and the "
        "counts (`queue.review_page`, `queue.counts`). "
        f"{measured['repeat']} round-robin rounds over every (class size, handler) pair, {measured['loop']} call(s) "
        f"per timing, each a new request (benchmarks/class_size.py). Ratios are to `{measured['against']}` at the "
        "same class size (ratio of medians; paired p10–p90 in brackets).")
    add("")
    rows = []
    for size in measured["sizes"]:
        for label, handler in size["handlers"].items():
            rows.append([units(size["learners"]), units(size["entries"]), f"`{label}`", spread(handler["seconds"]),
                         (f"**{times(handler['ratio'])}** ({times(handler['paired_p10'])}–{times(handler['paired_p90'])})"
                          if "ratio" in handler else "1 (reference)"),
                         f"{times(handler['vs_smallest'])}"])
    out += _table(["learners", "tracker entries", "handler", "per call", f"ratio to `{measured['against']}`",
                   f"ratio to its time at {smallest} learners"], rows)
    add("Building the classes took " + ", ".join(f"{size['build_seconds']:.1f} s for {units(size['learners'])} learners"
                                                  for size in measured["sizes"])
        + "; rows in the database when the timing began: "
        + ", ".join(f"{name} {count:,}" for name, count in measured["table_rows"].items()) + ".")
    add("")


def _preview(out: list[str], preview: dict | None) -> None:
    """The live preview's edit-to-visible (benchmarks/preview_reload.py)."""
    add = out.append
    add(SECTIONS[10])
    add("")
    if not preview:
        add("(These results predate the live preview: run the benchmark again.)")
        add("")
        return
    add(f"`rpt-course preview` (as `make run` serves it: watching the content folder) on a copy of the shipped "
        f"course, the page `{preview['unit']}` open in Chromium; {len(preview['samples'])} times, the first heading of "
        f"`{preview['lesson']}` is saved with a new marker, and the time runs from just before the write until the "
        "page, which reloads itself when the preview's build generation changes, shows the marker in the unit "
        "(the benchmark never reloads it). *Republished* is the part until the preview has noticed the save, "
        "rebuilt the course with its build cache and swapped the changed unit in; the rest is the page's reload. "
        f"Load average at the end: {preview.get('load_average', [])}.")
    add("")
    seconds, republished = preview["seconds"], preview["republished_seconds"]
    out += _table(["save → visible (median)", "min", "p90", "max", "save → republished (median)", "target", "met?"],
                  [[f"**{secs(seconds['median'])}**", secs(seconds["min"]), secs(seconds["p90"]), secs(seconds["max"]),
                    secs(republished["median"]), secs(preview["target_seconds"]), "yes" if preview["met"] else "**no**"]])
    add("The preview's own timings of its rebuilds (build and swap), in seconds: "
        + ", ".join(f"{value:.2f}" for value in preview["server_rebuilds"]) + ".")
    add("")


def _where(out: list[str], results: dict, rec: dict) -> None:
    add = out.append
    profile = results["profile_build"]
    add(SECTIONS[7])
    add("")
    add(f"### The build ({units(profile['units'])} units, cProfile: {secs(profile['phases']['total_seconds'])} profiled, "
        f"{secs(rec['build_seconds'])} unprofiled)")
    add("")
    add("Steps of the build (cumulative time; the steps do not overlap, the rest is set-up and glue):")
    add("")
    phases = profile["phases"]["phases"]
    rows = [[p["phase"], f"{p['calls']:,}", secs(p["seconds"]), pct(p["share"])] for p in phases if p["calls"]]
    rest = 1 - sum(p["share"] for p in phases)
    rows.append(["everything else", "", "", pct(rest)])
    out += _table(["step", "calls", "time", "share"], rows)
    add("Inside: every Markdown text (lessons, and quiz and walkthrough texts) goes through the same steps; these overlap "
        "the steps above:")
    add("")
    out += _table(["part", "calls", "time", "share of the build"],
                  [[p["phase"], f"{p['calls']:,}", secs(p["seconds"]), pct(p["share"])] for p in profile["render"]])
    add("Own time by library (C built-ins such as `re` and `zlib` charged to the library that called them):")
    add("")
    out += _table(["library", "own time", "share"],
                  [[r["library"], secs(r["seconds"]), pct(r["share"])] for r in profile["phases"]["by_library"][:10]])
    add("Functions with the most own time:")
    add("")
    out += _table(["function", "calls", "own time", "share"],
                  [[f"`{r['function']}`", f"{r['calls']:,}", secs(r["own"]), pct(r["share"])]
                   for r in profile["phases"]["top_own"][:10]])

    memory = results["memory_build"]
    add(f"### The build's memory ({units(memory['units'])} units, tracemalloc)")
    add("")
    add(f"- When `build_files` returns, the build holds {mib(memory['held_after_build_files'] / 1024)} of Python objects. "
        f"The OLX is not among them: its {memory['olx_files']:,} files ({mib(memory['olx_bytes'] / 1024)}; the largest "
        f"{kib(memory['largest_file'] / 1024)}) and the rendered lessons were written to the staging spool file as they were "
        "made, and the checks and the packer read them back one at a time"
        + (f"; {mib(rec['cache_bytes'] / 1024)} is the `sanitize` cache ({memory['sanitize_cache']['entries']:,} texts, "
           "each kept as given and as sanitized)" if rec["cache_bytes"] else "")
        + f"; the rest, about {kib(rec['model_kb_per_unit'])} per unit, is the course model, paths, line maps and the "
          "names of the staged files.")
    add(f"- Traced peaks: {mib(memory['peak_building'] / 1024)} while building, "
        f"{mib(memory['peak_checking'] / 1024)} while checking the OLX, {mib(memory['peak_writing'] / 1024)} while packing.")
    if rec["memory_growth_kb_per_unit"] is not None:
        add(f"- Measured above without tracing: the cold build's working memory grows "
            f"{kib(rec['memory_growth_kb_per_unit'])} per unit, for {kib(rec['olx_kb_per_unit'])} of OLX per unit "
            f"and about {kib(rec['model_kb_per_unit'])} of traced objects per unit, plus allocator overhead.")
    add("")
    add("Where the objects held after `build_files` were allocated:")
    add("")
    out += _table(["allocated at", "size", "blocks"],
                  [[f"`{s['where']}`", mib(s["bytes"] / 1024), f"{s['blocks']:,}"] for s in memory["top_sites"][:6]])

    handler = results["profile_handler"]
    summary = handler["summary"]
    add(f"### The slowest handler: `{handler['operation']}` ({handler['calls']} calls, cProfile: "
        f"{secs(summary['total_seconds'] / handler['calls'])} per call profiled)")
    add("")
    out += _table(["part", "calls per request", "share"],
                  [[p["phase"], f"{p['calls'] / handler['calls']:.1f}", pct(p["share"])] for p in summary["phases"]])
    add("Own time by library:")
    add("")
    out += _table(["library", "share"], [[r["library"], pct(r["share"])] for r in summary["by_library"][:8]])
    add("Our functions by cumulative time:")
    add("")
    out += _table(["function", "calls per request", "share"],
                  [[f"`{r['function']}`", f"{r['calls'] / handler['calls']:.1f}", pct(r["share"])]
                   for r in summary["top_ours_cumulative"][:10]])
    add("### Each handler: the largest parts and the work it repeats")
    add("")
    rows = []
    for label, profiled in results["profile_handlers"].items():
        parts = sorted((p for p in profiled["summary"]["phases"] if p["calls"] and not p["phase"].startswith("of which")),
                       key=lambda p: p["share"], reverse=True)[:3]
        repeated = rec["repeated"][label]
        rows.append([f"`{label}`", secs(profiled["summary"]["total_seconds"] / profiled["calls"]),
                     "; ".join(f"{p['phase']} {pct(p['share'])}" for p in parts),
                     (f"`{repeated['function']}` {repeated['per_request']:.0f}× per request, {pct(repeated['share'])} "
                      f"in all" if repeated else "none found")])
    out += _table(["handler", "per call (profiled)", "largest parts", "work done more than once per request"], rows)


def _advice(out: list[str], results: dict, rec: dict) -> None:
    add = out.append
    builds = results["builds"]
    at = _build_at(results, rec["profile_units"]) or builds[-1]
    floor_per_unit = at["floor"]["seconds"]["median"] / at["units"]
    build_per_unit = at["build"]["seconds"]["median"] / at["units"]
    memo, slowest = rec["memo"], rec["handler"]
    memory = memory_growth(results)
    traced = results["memory_build"]
    handler_ratios = {label: r for label, r in results["blocks"]["ratios"].items() if not label.endswith(".student_view")}

    add(SECTIONS[8])
    add("")
    warm_per_unit = at["warm"]["seconds"]["median"] / at["units"]
    add(f"**The cold build** costs {build_per_unit * 1000:.1f} ms per unit at {units(at['units'])} units against "
        f"{floor_per_unit * 1000:.2f} ms for packing ({times(at['ratio'])}). In one process (the profile above), packing "
        f"is a small part of it ({pct(_phase(results['profile_build']['phases']['phases'], 'pack')['share'])}); turning "
        f"Markdown into checked, sanitized XHTML is most of it ({pct(rec['render_share'])}), and loading the content "
        f"(YAML, schemas, model) takes {pct(rec['load_share'])}. The build shares the rendering among its {rec['cpus']} "
        "CPUs, which divides that part at best by their number, so a build that renders every lesson stays far from 2× "
        "the floor while sanitizing runs through bleach's pure-Python html5lib (recommendation 1).")
    add("")
    add(f"**The warm rebuild** (render cache filled, one lesson edited), which is what an author waits for after an "
        f"edit, costs {warm_per_unit * 1000:.2f} ms per unit ({times(at['warm_ratio'])} the floor): it renders one "
        "text and takes the others from the cache, so what remains is the rest of the cold build: loading the content "
        f"(YAML with line numbers, schemas: {pct(rec['load_share'])} of the cold build in one process), compiling quizzes "
        "and walkthroughs, drawing figures, reading the cache, writing and checking the OLX, and packing.")
    add("")
    if len(builds) > 1:
        add(f"**Memory** grows with the course: {mib(memory['growth_kb'])} more working memory from "
            f"{units(memory['from'])} to {units(memory['to'])} units, against a largest file of "
            f"{kib(memory['largest_file_kb'])}. The floor, which reads one file at a time and holds only the list of "
            f"names, grows {mib(memory['floor_growth_kb'])}.")
        add("")
    handler_times = ", ".join(times(r["ratio"]) for r in handler_ratios.values())
    handler_names = ", ".join(f"`{label}`" for label in handler_ratios)
    add(f"**Handlers** take {handler_times} the time of poll's `vote` ({handler_names}). `vote` updates a counter and "
        "returns five fields; ours grade, check units or log an entry, and return the learner's whole state. Our views are "
        + ("faster than poll's." if all(r["ratio"] < 1 for label, r in results["blocks"]["ratios"].items()
                                       if label.endswith(".student_view")) else "about as fast as poll's or slower.")
        + (" `sanitize` is cached in the product (`functools.lru_cache`), so author HTML is sanitized once per process."
           if rec["sanitize_cached_in_product"] else ""))
    add("")
    add("### Top 3 recommendations")
    add("")
    add(f"1. **Sanitize with one parse, without html5lib (build).** Each Markdown text is parsed three times after "
        f"Markdown: by bleach's html5lib (`sanitize`, {pct(_share(results, 'sanitize'))} of the build, pure Python), and "
        f"by lxml in `markup_problems` ({pct(_share(results, 'markup problems'))}) and in `to_xhtml` "
        f"({pct(_share(results, 'to XHTML'))}, whose walk also collects the links: *shipped*). "
        "Parse once with lxml, and in the one walk that `to_xhtml` already makes apply the allow-list of "
        "`rpt_xblocks/sanitizing.py` and note the markup problems. Expected gain: up to "
        f"**{pct(rec['one_pass_share'])} of the build** ({secs(rec['one_pass_share'] * rec['build_seconds'])} of "
        f"{secs(rec['build_seconds'])} at {units(rec['profile_units'])} units), less the cost of the allow-list checks in "
        "the walk. bleach is deprecated upstream; if a browser-grade parser is wanted for the allow-list, `nh3` "
        "(html5ever, compiled) keeps that property, and the blocks would gain from it too (`plain_text` of learner input "
        "goes through bleach on every request).")
    memo_text = ("for the handlers that call it, medians of alternating rounds: "
                 + "; ".join(f"`{label}` {secs(r['before'])} → {secs(r['after'])} ({signed(-r['saving'])})"
                             for label, r in memo.items()))
    if not rec["sanitize_cached_in_product"]:
        quiz = memo.get(slowest)
        add(f"2. **Sanitize stored texts once, not on every request (handlers).** `{slowest}` calls `sanitize` "
            f"{rec['handler_sanitize_calls']:.0f} times per request on the same author texts, "
            f"{pct(rec['handler_sanitize_share'])} of its profiled time. Sanitize when the OLX is parsed (the texts are "
            "settings, not learner input) or memoize `sanitize` (a pure function of its text). Measured what-if, "
            f"`functools.lru_cache` on `sanitize`, {memo_text}."
            + (f" At the same saving, `{slowest}` would take about {times(quiz['ratio_after'])} the time of poll's `vote` "
               f"instead of {times(handler_ratios[slowest]['ratio'])}." if quiz else ""))
    else:
        repeated = {label: r for label, r in rec["repeated"].items() if r}
        add("2. **Compute once per request (handlers).** With `sanitize` cached (measured here, " + memo_text + "), "
            "the handlers' largest avoidable cost is work each request does twice: "
            + "; ".join(f"`{label}` runs `{r['function']}` {r['per_request']:.0f}× ({pct(r['share'])} of the request)"
                        for label, r in repeated.items())
            + ". Compute these once per request (keep the value on the block instance for the request, or pass it on) "
              "and read each mutable XBlock field once: every read of a `List` or `Dict` field deep-copies it "
              f"({_handler_part(results['profile_handler'], 'of which')['calls'] / results['profile_handler']['calls']:.0f} "
              f"deep copies per `{slowest}` request, {pct(_handler_part(results['profile_handler'], 'of which')['share'])} "
              "of it). Expected gain, by the profiles: "
            + ", ".join(f"`{label}` −{pct(r['gain'])}" for label, r in repeated.items())
            + ". Handlers that grade and return the whole state will still cost more than a vote; the fair bar may be "
              "a time budget per request rather than poll's `vote`.")
    cache = traced.get("sanitize_cache")
    add("3. **Keep less of the course model once it is used (memory).** *Shipped:* the OLX and the rendered lessons "
        "are staged on disk as they are made (one append-only spool file, `staging.py`) and checked and packed one "
        "file at a time, so the build no longer holds "
        f"the OLX ({kib(rec['olx_kb_per_unit'] or 0)} per unit). What still grows is the course model and the "
        f"bookkeeping kept to the end (names and offsets of the staged files, links to check, render cache keys): about "
        f"{kib(rec['model_kb_per_unit'])} of traced objects per unit (at {units(traced['units'])} units), "
        f"{mib(rec['model_kb_per_unit'] * builds[-1]['units'])} at {units(builds[-1]['units'])} units; the cold "
        f"build's measured working memory there is {mib(builds[-1]['build']['working_kb']['median'])}. Meeting the "
        "goal to the letter needs a model loaded and written one module at a time, with only the ids kept for the "
        "cross-module link checks."
        + (f" The `sanitize` cache adds to it: after {units(traced['units'])} units it holds {cache['entries']:,} texts, "
           f"{mib(rec['cache_bytes'] / 1024)}; the build should call `sanitize_once`."
           if cache and rec["cache_bytes"] else ""))
    add("")
    add("### Further candidates, with measured or estimated gains")
    add("")
    add(f"- *Shipped:* **lessons rendered in parallel** (each is a pure function of its text; `-j`, default the number "
        f"of CPUs, from 25 lessons per process): with {rec['cpus']} CPUs it can save up to {pct(rec['parallel_share'])} of "
        "a cold build (the rendering share × (1 − 1/CPUs)), less process start-up, and only as far as the CPUs are free; "
        "the cold builds above are measured with it.")
    add(f"- *Shipped:* **YAML read with libyaml** (`yaml_source` composes from the C parser's events; anything "
        "course content does not use, and every file with a problem, goes to the pure-Python loader, so data, lines "
        f"and problems are identical, checked): measured {secs(results['what_if_build']['yaml_python_seconds'])} → "
        f"{secs(results['what_if_build']['yaml_c_seconds'])} for the {results['what_if_build']['yaml_files']} YAML "
        f"files ({rec['yaml_speedup']:.0f}× faster), a saving of {pct(rec['yaml_share'])} of today's build time.")
    add(f"- *Shipped:* **one Markdown converter** (`reset()` between texts) instead of a new `markdown.Markdown` per "
        f"text saves, measured against a new converter per text, {secs(results['what_if_build']['markdown_saving_per_text'])} "
        f"per text, {secs(rec['markdown_saving'])} for the {rec['texts']:,} texts, **{pct(rec['markdown_share'])} of the "
        f"build**; **one bleach `Cleaner` per thread** instead of `bleach.clean` per text: {signed(-rec['cleaner_share'])} "
        "of the build (measured; moot after recommendation 1).")
    add(f"- *Shipped:* **not rendering again what did not change**: each text's XHTML, markup problems and links are "
        "cached on disk by the hash of its text, anchor prefix and the renderer's code and library versions "
        f"(`scripts/rpt_course/caches/render_cache.py`). The warm rebuild above skips about {pct(rec['render_share'])} of a "
        f"cold build: {times(at['warm_ratio'])} the floor instead of {times(at['ratio'])}.")
    if results["validate"]["as_shipped"]["problem_count"]:
        add("- **`validate` on large courses**: the untrusted-archive member cap refuses archives our own build writes "
            "for large courses (see 3. Validate); derive the cap from the course or make it an option.")
    add(f"- **`validate`** costs {times(results['validate']['ratio'])} olxcleaner alone on the "
        f"{units(results['validate']['units'])}-unit archive: the guarded unpacking and our OLX checks come on top of "
        "olxcleaner's own pass; both read every file, so sharing one parse of each XML file between our checks and "
        "olxcleaner is the place to look.")
    add("")


def _part(profile: dict, start: str) -> dict:
    return next(p for p in profile["render"] if p["phase"].startswith(start))


def _share(results: dict, start: str) -> float:
    return _part(results["profile_build"], start)["share"]
