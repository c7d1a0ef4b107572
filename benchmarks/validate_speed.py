"""`rpt-course validate` on a built archive beside olxcleaner alone on the same OLX tree.

Contract: `measure_validate(archive, tree, repeat, members)` runs, `repeat` times and alternating which goes
first, each in a fresh process: `validate_archive` with the guard's member cap raised just enough for
this archive (everything else as shipped: the untrusted unpacking, our OLX checks, olxcleaner) and
olxcleaner alone (`olxcleaner.validate(tree/course, steps=8, allowed_xblocks=OLX_TAGS)`, as
scripts/rpt_course/checks/olxcleaner_check.py calls it) on the archive already unpacked. Returns the
summaries of time and memory and the ratio validate/olxcleaner, and `as_shipped`: what
`validate_archive` exactly as shipped does with this archive (when the archive has more members than
the guard's cap, one more run without the raised cap, whose refusal this reports).
"""
from __future__ import annotations

import time
from pathlib import Path

from benchmarks.child import rss_kb, run_child
from benchmarks.stats import ratio, summary


def child_validate(archive: str, max_members: str) -> dict:
    import functools

    from rpt_course.archive import untrusted as untrusted_archive
    from rpt_course.checks import validate

    if int(max_members) > untrusted_archive.MAX_MEMBERS:  # the only change: the member cap, so a large course is read at all
        validate.unpack_untrusted = functools.partial(untrusted_archive.unpack_untrusted, max_members=int(max_members))
    baseline = rss_kb()
    started = time.perf_counter()
    problems = validate.validate_archive(Path(archive))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "baseline_rss_kb": baseline, "problems": [str(p) for p in problems[:5]],
            "problem_count": len(problems), "max_members": untrusted_archive.MAX_MEMBERS}


def child_olxcleaner(course_dir: str) -> dict:
    import olxcleaner

    from rpt_xblocks import OLX_TAGS

    baseline = rss_kb()
    started = time.perf_counter()
    _course, errors, _url_names = olxcleaner.validate(course_dir, steps=8, allowed_xblocks=list(OLX_TAGS))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "baseline_rss_kb": baseline, "problem_count": len(errors.errors)}


def _memory(runs: list[dict]) -> dict:
    return {"peak_kb": summary([r["peak_rss_kb"] for r in runs]),
            "working_kb": summary([r["peak_rss_kb"] - r["baseline_rss_kb"] for r in runs])}


def measure_validate(archive: Path, tree: Path, repeat: int, members: int, log=print) -> dict:
    """`members`: the archive's member count (files and folders), to raise the cap just past it."""
    from rpt_course.archive.untrusted import MAX_MEMBERS

    over_cap = members > MAX_MEMBERS
    log(f"validate: {archive.name}, {repeat} run(s) each of validate and olxcleaner"
        + (", and once as shipped (over the member cap)" if over_cap else ""))
    validates, cleaners = [], []
    for run in range(repeat):
        for kind in (("validate", "olxcleaner") if run % 2 == 0 else ("olxcleaner", "validate")):
            if kind == "validate":
                validates.append(run_child("validate", [str(archive), str(members + 1)]))
            else:
                cleaners.append(run_child("olxcleaner", [str(tree / "course")]))
    # Within the cap the runs above are the command as shipped; over it, run it once more as shipped.
    shipped = run_child("validate", [str(archive), "0"]) if over_cap else validates[0]
    validate_time, cleaner_time = summary([v["seconds"] for v in validates]), summary([c["seconds"] for c in cleaners])
    result = {
        "archive": archive.name, "members": members,
        "as_shipped": {"seconds": shipped["seconds"], "peak_kb": shipped["peak_rss_kb"],
                       "problem_count": shipped["problem_count"], "problems": shipped["problems"],
                       "max_members": shipped["max_members"]},
        "validate": {"seconds": validate_time, **_memory(validates), "problem_count": validates[0]["problem_count"],
                     "problems": validates[0]["problems"]},
        "olxcleaner": {"seconds": cleaner_time, **_memory(cleaners), "problem_count": cleaners[0]["problem_count"]},
        "ratio": ratio(validate_time, cleaner_time),
    }
    log(f"  validate {validate_time['median']:.2f} s, olxcleaner {cleaner_time['median']:.2f} s, ratio {result['ratio']:.2f}x; "
        f"as shipped: {shipped['problem_count']} problem(s) in {shipped['seconds']:.2f} s")
    return result
