"""Build throughput: `rpt-course build` on generated courses beside the packing floor.

Contract: `measure_builds(sizes, repeat, workdir)` generates one course per size (benchmarks.
generate_course), then for each size runs, `repeat` times and rotating which goes first, the cold
build, the floor and the warm rebuild, each in a fresh process (benchmarks.child). The build is the
command's own entry point (`rpt_course.cli.main(["build", ...])`: load, render, check, pack,
write); the **cold** build runs with `--no-cache` (every text rendered, as a first build or a
build after a change of the renderer), the **warm** rebuild with a render cache that a previous
build filled and one lesson edited since (a sentence appended to a lesson in the middle of the
course, a new sentence each run; the lesson is restored right after, so that every cold build and
the floor see the generated course). One untimed build fills the cache first, and its archive must
be byte-identical to the cold builds' (`cache_identical`). The
packs the same OLX tree (the build's archive unpacked into a folder) with nothing but tarfile and
gzip at the settings of scripts/rpt_course/archive/write.py (sorted members with folders, PAX, mtime 0,
owner 0, modes 644/755, gzip level 9 without name or time, fsync, rename), reading one file at a
time and holding only the sorted list of names, and checks that its archive is byte-identical to
the build's. Returns per size: the course's shape, summaries of time
(in the process, after imports), process time (interpreter start-up included), peak and working
memory (peak RSS minus RSS after imports) of the cold build, the floor and the warm rebuild, the
ratios cold build/floor and warm rebuild/floor, and the OLX size.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import time
from dataclasses import asdict
from pathlib import Path

from benchmarks.child import rss_kb, run_child
from benchmarks.generate_course import generate_course
from benchmarks.stats import ratio, summary

COMPRESS_LEVEL = 9  # scripts/rpt_course/archive/write.py: COMPRESS_LEVEL
FILE_MODE, DIR_MODE = 0o644, 0o755


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---- children (each runs in its own process) ---------------------------------------------------

def child_build(content: str, out: str, cache: str = "") -> dict:
    """One `rpt-course build`: with the render cache in `cache`, or with `--no-cache` if it is ''."""
    import contextlib
    import io

    from rpt_course.cli import main

    baseline = rss_kb()
    output = io.StringIO()
    options = ["--cache-dir", cache] if cache else ["--no-cache"]
    started = time.perf_counter()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(io.StringIO()):
        status = main(["build", content, "-o", out, *options])
    seconds = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"rpt-course build {content} exited with {status}")
    archive = next(Path(out).glob("*.tar.gz"))
    import resource

    # The render workers, if the build started any: the largest one's peak (Linux starts it at this
    # process's size when it forks), 0 if there were none.
    workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "baseline_rss_kb": baseline, "workers_peak_kb": workers_peak, "archive": str(archive),
            "archive_bytes": archive.stat().st_size, "sha256": _sha256(archive)}


def _tree_names(tree: Path) -> list[str]:
    """Every folder and file under `tree` as an archive name, in archive order (one sorted list of
    strings: archive/write.py sorts whole names, which a directory-by-directory walk would not reproduce)."""
    names = []
    for folder, folders, files in os.walk(tree):
        relative = os.path.relpath(folder, tree)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        names.extend(prefix + name for name in folders + files)
    names.sort()
    return names


def pack_tree(tree: Path, target: Path) -> None:
    """The floor: tar.gz every file under `tree` into `target` at archive/write.py's settings, one file at a
    time (tarfile's list of written members is emptied after each, which changes no byte)."""
    import gzip

    temporary = target.with_name(f".{target.name}.partial")
    with open(temporary, "wb") as stream:
        with gzip.GzipFile(filename="", mode="wb", fileobj=stream, mtime=0, compresslevel=COMPRESS_LEVEL) as zipped:
            with tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar:
                for name in _tree_names(tree):
                    path = os.path.join(tree, name)
                    info = tarfile.TarInfo(name)
                    info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
                    if os.path.isdir(path):
                        info.type, info.mode = tarfile.DIRTYPE, DIR_MODE
                        tar.addfile(info)
                    else:
                        info.type, info.mode, info.size = tarfile.REGTYPE, FILE_MODE, os.path.getsize(path)
                        with open(path, "rb") as data:
                            tar.addfile(info, data)
                    tar.members.clear()
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, target)


def child_floor(tree: str, target: str) -> dict:
    baseline = rss_kb()
    started = time.perf_counter()
    pack_tree(Path(tree), Path(target))
    sha256 = _sha256(Path(target))  # write_archive hashes its archive too
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "baseline_rss_kb": baseline, "archive_bytes": Path(target).stat().st_size,
            "sha256": sha256}


# ---- the parent ---------------------------------------------------------------------------------

def unpack(archive: Path, dest: Path) -> tuple[int, int, int]:
    """Unpack a built archive (ours, trusted) into `dest`; return (files, bytes, largest file)."""
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")
    sizes = [p.stat().st_size for p in dest.rglob("*") if p.is_file()]
    return len(sizes), sum(sizes), max(sizes)


def _memory(runs: list[dict]) -> dict:
    return {"peak_kb": summary([r["peak_rss_kb"] for r in runs]),
            "working_kb": summary([r["peak_rss_kb"] - r["baseline_rss_kb"] for r in runs])}


def measure_builds(sizes: list[int], repeat: int, workdir: Path, repeat_for=None, log=print) -> list[dict]:
    """See the module docstring. `repeat_for(size)` may give another repeat count per size."""
    results = []
    for size in sizes:
        times = repeat_for(size) if repeat_for else repeat
        where = Path(workdir) / f"units-{size}"
        if where.exists():
            shutil.rmtree(where)
        shape = generate_course(where / "content", size)
        builds, floors, warms, tree = [], [], [], where / "olx"
        log(f"build: {size} units, {times} run(s) each of cold build, floor and warm rebuild")
        filled = _fill_cache(where)
        kinds = ("build", "floor", "warm")
        for run in range(times):  # run 0 builds first (the floor packs its tree); then the order rotates
            for kind in kinds[run % 3:] + kinds[:run % 3]:
                if kind == "build":
                    builds.append(_one_build(where, run))
                    if not tree.exists():
                        files = unpack(Path(builds[-1]["archive"]), tree)
                elif kind == "floor":
                    floors.append(_one_floor(where, run))
                else:
                    warms.append(_one_warm(where, run))
        identical = all(f["sha256"] == builds[0]["sha256"] for f in floors + builds)
        build_time, floor_time = summary([b["seconds"] for b in builds]), summary([f["seconds"] for f in floors])
        warm_time = summary([w["seconds"] for w in warms])
        results.append({
            "units": size, "shape": asdict(shape), "olx_files": files[0], "olx_bytes": files[1],
            "largest_file_bytes": files[2], "archive_bytes": builds[0]["archive_bytes"],
            "build": {"seconds": build_time, "process_seconds": summary([b["process_seconds"] for b in builds]),
                      "workers_peak_kb": summary([b["workers_peak_kb"] for b in builds]), **_memory(builds)},
            "floor": {"seconds": floor_time, "process_seconds": summary([f["process_seconds"] for f in floors]),
                      **_memory(floors)},
            "warm": {"seconds": warm_time, "process_seconds": summary([w["process_seconds"] for w in warms]),
                     **_memory(warms)},
            "ratio": ratio(build_time, floor_time),
            "warm_ratio": ratio(warm_time, floor_time),
            "floor_identical": identical,
            "cache_identical": filled["sha256"] == builds[0]["sha256"],
            "archive": builds[0]["archive"],
        })
        log(f"  cold build {build_time['median']:.2f} s, floor {floor_time['median']:.3f} s, warm rebuild "
            f"{warm_time['median']:.2f} s; cold/floor {results[-1]['ratio']:.1f}x, warm/floor "
            f"{results[-1]['warm_ratio']:.1f}x; cold build peak {results[-1]['build']['peak_kb']['median'] / 1024:.0f} MiB")
    return results


def _edited_lesson(where: Path) -> Path:
    lessons = sorted((where / "content").glob("*/lessons/*.md"))
    return lessons[len(lessons) // 2]


def _fill_cache(where: Path) -> dict:
    """The untimed build that fills the render cache the warm rebuilds start from."""
    cache = where / "cache"
    if cache.exists():
        shutil.rmtree(cache)
    out = where / "dist-fill"
    result = run_child("build", [str(where / "content"), str(out), str(cache)])
    shutil.rmtree(out)
    result["archive"] = None
    return result


def _one_warm(where: Path, run: int) -> dict:
    """One rebuild with the filled cache after appending a new sentence to one lesson (restored after)."""
    lesson = _edited_lesson(where)
    original = lesson.read_bytes()
    out = where / f"dist-warm-{run}"
    try:
        lesson.write_bytes(original + f"\nEdited before warm rebuild {run}.\n".encode())
        result = run_child("build", [str(where / "content"), str(out), str(where / "cache")])
    finally:
        lesson.write_bytes(original)
    shutil.rmtree(out)
    result["archive"] = None
    return result


def _one_build(where: Path, run: int) -> dict:
    """One build into a new folder; the first run's archive is kept (validate uses it), later ones deleted."""
    out = where / f"dist-{run}"
    if out.exists():
        shutil.rmtree(out)
    result = run_child("build", [str(where / "content"), str(out), ""])
    if run > 0:
        shutil.rmtree(out)
        result["archive"] = None
    return result


def _one_floor(where: Path, run: int) -> dict:
    target = where / f"floor-{run}.tar.gz"
    result = run_child("floor", [str(where / "olx"), str(target)])
    target.unlink()
    return result


def growth(results: list[dict]) -> list[dict]:
    """Per-unit cost between consecutive sizes: extra seconds and extra working memory per extra unit."""
    rows = []
    for small, large in zip(results, results[1:]):
        extra = large["units"] - small["units"]
        rows.append({
            "from": small["units"], "to": large["units"],
            "build_ms_per_unit": 1000 * (large["build"]["seconds"]["median"] - small["build"]["seconds"]["median"]) / extra,
            "floor_ms_per_unit": 1000 * (large["floor"]["seconds"]["median"] - small["floor"]["seconds"]["median"]) / extra,
            "build_kb_per_unit": (large["build"]["working_kb"]["median"] - small["build"]["working_kb"]["median"]) / extra,
            "floor_kb_per_unit": (large["floor"]["working_kb"]["median"] - small["floor"]["working_kb"]["median"]) / extra,
            "olx_kb_per_unit": (large["olx_bytes"] - small["olx_bytes"]) / 1024 / extra,
        })
    return rows


def member_count(archive: Path) -> int:
    """How many members (files and folders) an archive holds."""
    with tarfile.open(archive) as tar:
        return len(tar.getmembers())
