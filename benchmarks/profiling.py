"""Where the time and memory go: cProfile of a build and of a block handler, tracemalloc of a build.

Contract:
- `child_profile_build(content, out, stats, memory_content)` (in its own process) runs a cold
  `rpt-course build` (`--no-cache --jobs 1`: every text rendered, in this process) under cProfile
  and dumps the stats, then runs the same build's steps on `memory_content`
  under tracemalloc and returns what the build holds when its OLX is complete (top allocation sites)
  and its traced peaks. Neither changes anything in the product code.
- `summarize(stats_path, phases)` reads a cProfile dump: the total, the cumulative time and share of
  each named phase (a function given by file suffix and name), the own time grouped by library (the
  time of C built-ins such as `re` or `zlib` charged to the library that called them), the top
  functions by own time and the project's functions by cumulative time.
"""
from __future__ import annotations

import pstats
import time
from pathlib import Path

# (label, file suffix, function) — the build's steps in the order build.py and cli.py run them.
BUILD_PHASES = [
    ("load content (YAML, schemas, model)", "rpt_course/content.py", "load_course"),
    ("render lesson Markdown and check links", "rpt_course/build.py", "lessons"),
    ("compile quizzes", "rpt_course/compile/quizzes.py", "compile_quiz"),
    ("compile walkthroughs", "rpt_course/compile/walkthroughs.py", "compile_walkthrough"),
    ("draw figures", "rpt_course/compile/figures.py", "compile_figure"),
    ("load the source list", "rpt_course/sources.py", "load_sources"),
    ("check citations against it", "rpt_course/sources.py", "citation_problems"),
    ("write OLX (olx.py)", "rpt_course/compile/olx.py", "olx_files"),
    ("check OLX (olx_checks.py)", "rpt_course/checks/olx_checks.py", "olx_problems"),
    ("pack and write the archive (archive/write.py)", "rpt_course/archive/write.py", "write_archive"),
]
# Inside every Markdown rendering (lessons, and quiz and walkthrough texts).
RENDER_PARTS = [
    ("all Markdown rendering (lessons.render_lesson)", "rpt_course/compile/lessons.py", "render_lesson"),
    ("Markdown to HTML (python-markdown)", "rpt_course/compile/lessons.py", "_markdown_to_html"),
    ("of which: a new markdown.Markdown per text", "markdown/core.py", "__init__"),
    ("sanitize (bleach, html5lib)", "rpt_xblocks/sanitizing.py", "sanitize_once"),
    ("of which: a new bleach Cleaner per text", "bleach/sanitizer.py", "__init__"),
    ("to XHTML (lxml re-parse)", "rpt_course/compile/lessons.py", "to_xhtml"),
    ("markup problems (lxml re-parse)", "rpt_course/compile/lessons.py", "markup_problems"),
    ("YAML with line numbers (yaml_source.load_yaml)", "rpt_xblocks/author_input/yaml_source.py", "load_yaml"),
    ("schema checks (jsonschema)", "rpt_xblocks/author_input/schema_check.py", "schema_problems"),
    ("gzip level 9 (zlib compress)", "~", "<method 'compress' of 'zlib.Compress' objects>"),
]

# Inside a handler request.
HANDLER_PARTS = [
    ("sanitize author HTML (bleach; cached if the product caches it)", "rpt_xblocks/sanitizing.py", "sanitize"),
    ("plain_text of learner input (bleach)", "rpt_xblocks/sanitizing.py", "plain_text"),
    ("XBlock field reads", "xblock/fields.py", "__get__"),
    ("of which: deep copies of mutable field values", "copy.py", "deepcopy"),
    ("XBlock field writes", "xblock/fields.py", "__set__"),
    ("schema checks (jsonschema)", "jsonschema/validators.py", "iter_errors"),
    ("JSON encoding of the reply", "json/encoder.py", "encode"),
]


# ---- children ----------------------------------------------------------------------------------

def child_profile_build(content: str, out: str, stats_path: str, memory_content: str) -> dict:
    """cProfile of the build of `content`, then (the imports and caches now warm, so that they do not
    count as the build's) tracemalloc of the build of `memory_content`."""
    import contextlib
    import cProfile
    import io

    from rpt_course.cli import main

    profiler = cProfile.Profile()
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        profiler.enable()
        status = main(["build", content, "-o", out, "--no-cache", "--jobs", "1"])  # cold, all in this process
        profiler.disable()
    seconds = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"rpt-course build {content} exited with {status}")
    profiler.dump_stats(stats_path)
    return {"seconds": seconds, "baseline_rss_kb": 0, "memory": _memory_build(memory_content, out)}


def _memory_build(content: str, out: str) -> dict:
    """The command's steps (cli._build: OLX staged in a folder; no render cache, one process) under
    tracemalloc, with a snapshot once the OLX is complete."""
    import tracemalloc

    from rpt_course.archive.write import write_archive
    from rpt_course.build import build_files
    from rpt_course.checks.olx_checks import olx_problems
    from rpt_course.archive.staging import staging_folder

    from rpt_xblocks import sanitizing

    if hasattr(sanitizing.sanitize, "cache_clear"):  # start as a fresh build would, not with the profiled build's texts
        sanitizing.sanitize.cache_clear()
    with staging_folder(Path(out)) as staging:  # as the command does: the OLX written out as it is made
        tracemalloc.start(1)
        course, files = build_files(Path(content), staging=staging)
        held, peak_building = tracemalloc.get_traced_memory()
        snapshot = tracemalloc.take_snapshot()
        tracemalloc.reset_peak()
        problems = olx_problems(files, "(built OLX)")
        _, peak_checking = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        write_archive(files, Path(out) / "memory.tar.gz")
        _, peak_writing = tracemalloc.get_traced_memory()
        sanitize_cache = _sanitize_cache()
        tracemalloc.stop()
        sizes = [len(files[name]) for name in files]
    if problems:
        raise RuntimeError(f"the generated course has OLX problems: {problems[:3]}")
    snapshot = snapshot.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    sites = [{"where": f"{_short(s.traceback[0].filename)}:{s.traceback[0].lineno}", "bytes": s.size, "blocks": s.count}
             for s in snapshot.statistics("lineno")[:10]]
    by_file = [{"where": _short(s.traceback[0].filename), "bytes": s.size}
               for s in snapshot.statistics("filename")[:8]]
    return {"held_after_build_files": held, "peak_building": peak_building,
            "peak_checking": peak_checking, "peak_writing": peak_writing,
            "olx_bytes": sum(sizes), "olx_files": len(sizes), "largest_file": max(sizes), "olx_staged": True,
            "units": len(course.units), "top_sites": sites, "top_files": by_file, "sanitize_cache": sanitize_cache}


def _sanitize_cache() -> dict | None:
    """If the product memoizes `sanitize`: its entries after the build and the traced bytes they hold
    (freed by clearing the cache; call under tracemalloc, last)."""
    import tracemalloc

    from rpt_xblocks import sanitizing

    if not hasattr(sanitizing.sanitize, "cache_info"):
        return None
    info = sanitizing.sanitize.cache_info()
    before = tracemalloc.get_traced_memory()[0]
    sanitizing.sanitize.cache_clear()
    return {"entries": info.currsize, "max_entries": info.maxsize, "bytes": before - tracemalloc.get_traced_memory()[0]}


# ---- reading a profile --------------------------------------------------------------------------

def _short(filename: str) -> str:
    for marker in ("/site-packages/", "/scripts/", "/xblocks/", "/lib/python3.12/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def library(filename: str) -> str:
    """The library a function's file belongs to: our packages, a site-package, or the standard library."""
    if "/scripts/rpt_course/" in filename:
        return "rpt_course (ours)"
    if "/xblocks/rpt_xblocks/" in filename:
        return "rpt_xblocks (ours)"
    if "/site-packages/" in filename:
        parts = filename.split("/site-packages/", 1)[1].split("/")
        if parts[0] == "bleach" and len(parts) > 2 and parts[1] == "_vendor":
            return "bleach (vendored html5lib)"
        return parts[0].removesuffix(".py")
    if filename == "~":
        return "C built-ins"
    if "/lib/python3" in filename:
        return "stdlib " + filename.rsplit("/lib/python3", 1)[1].split("/", 2)[1].removesuffix(".py")
    return filename


def _label(key) -> str:
    filename, line, name = key
    return name if filename == "~" else f"{_short(filename)}:{line}({name})"


def _find(stats: dict, suffix: str, name: str) -> list:
    return [key for key in stats if key[2] == name and (key[0] == suffix if suffix == "~" else key[0].endswith(suffix))]


def summarize(stats_path: Path, phases: list[tuple[str, str, str]] = (), top: int = 12) -> dict:
    stats = pstats.Stats(str(stats_path)).stats  # key -> (primitive calls, calls, own, cumulative, callers)
    total = sum(own for _cc, _nc, own, _cum, _callers in stats.values())
    found = []
    for label, suffix, name in phases:
        keys = _find(stats, suffix, name)
        cumulative = sum(stats[k][3] for k in keys)
        found.append({"phase": label, "seconds": cumulative, "share": cumulative / total if total else 0.0,
                      "calls": sum(stats[k][1] for k in keys)})
    by_library: dict[str, float] = {}
    for key, (_cc, _nc, own, _cum, callers) in stats.items():
        if key[0] == "~" and callers:  # a C built-in: charge its time to its callers' libraries
            spent = sum(c[2] for c in callers.values()) or 1.0
            for caller, caller_stats in callers.items():
                by_library[library(caller[0])] = by_library.get(library(caller[0]), 0.0) + own * caller_stats[2] / spent
        else:
            by_library[library(key[0])] = by_library.get(library(key[0]), 0.0) + own
    own_time = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    ours = sorted(((k, v) for k, v in stats.items() if "(ours)" in library(k[0])), key=lambda item: item[1][3], reverse=True)
    return {
        "total_seconds": total,
        "phases": found,
        "by_library": [{"library": name, "seconds": seconds, "share": seconds / total if total else 0.0}
                       for name, seconds in sorted(by_library.items(), key=lambda item: item[1], reverse=True)[:top]],
        "top_own": [{"function": _label(k), "calls": v[1], "own": v[2], "cumulative": v[3], "share": v[2] / total}
                    for k, v in own_time],
        "top_ours_cumulative": [{"function": _label(k), "calls": v[1], "cumulative": v[3], "share": v[3] / total}
                                for k, v in ours[:top]],
    }
