"""Run one measurement in a fresh Python process and read its time and peak memory.

Contract: `run_child(kind, args)` starts `python -m benchmarks.child KIND RESULT ARGS...` in the
repository root, waits for it and returns the JSON the child wrote to RESULT, plus `peak_rss_kb`
and `process_seconds` (wall time of the whole process, interpreter start-up included). The peak
is the child's own high-water mark, `VmHWM` from /proc/self/status, read as it finishes: the
`ru_maxrss` that `os.wait4` (or `RUSAGE_CHILDREN`) reports cannot be used, because Linux starts a
child's maximum from its parent's peak (copied at fork, kept through exec), so every child would
seem at least as large as the harness. `os.wait4`'s figure is the fallback where /proc is missing. A child that fails raises `ChildFailed` with its output. Each child kind imports only
what it measures: the floor imports no rpt_course module.

The child side: `KIND` names a function `child_KIND(*args) -> dict` in one of the benchmark
modules (see `_KINDS`); the child records its resident set size after its imports
(`baseline_rss_kb`) so that the parent can tell the work's own memory from the interpreter's.
"""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_KINDS = {
    "build": "benchmarks.build_speed",
    "floor": "benchmarks.build_speed",
    "validate": "benchmarks.validate_speed",
    "olxcleaner": "benchmarks.validate_speed",
    "profile-build": "benchmarks.profiling",
}


class ChildFailed(RuntimeError):
    pass


def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def rss_kb() -> int:
    """This process's resident set size now, in KiB (Linux /proc; 0 where there is none)."""
    return _status_kb("VmRSS") or 0


def run_child(kind: str, args: list[str]) -> dict:
    if kind not in _KINDS:
        raise ValueError(f"unknown child kind {kind!r}")
    with tempfile.TemporaryDirectory(prefix="rpt-bench-child-") as scratch:
        result_path = Path(scratch) / "result.json"
        log_path = Path(scratch) / "output.txt"
        env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONWARNINGS": "ignore",
               "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
        started = time.perf_counter()
        with open(log_path, "wb") as log:
            process = subprocess.Popen([sys.executable, "-m", "benchmarks.child", kind, str(result_path), *args],
                                       cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
            _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
        elapsed = time.perf_counter() - started
        if process.returncode != 0 or not result_path.is_file():
            raise ChildFailed(f"benchmark child {kind} {' '.join(args)} exited with {process.returncode}:\n"
                              f"{log_path.read_text(errors='replace')[-4000:]}")
        result = json.loads(result_path.read_text("utf-8"))
    # The child's own high-water mark (VmHWM) where /proc has it: Linux carries the parent's peak into a
    # child's ru_maxrss across fork and exec, so wait4's figure is at least the harness's size.
    result["peak_rss_kb"] = result.pop("high_water_kb", None) or usage.ru_maxrss
    result["process_seconds"] = elapsed
    return result


def _main(argv: list[str]) -> int:
    kind, result_path, *args = argv
    module = importlib.import_module(_KINDS[kind])
    result = getattr(module, "child_" + kind.replace("-", "_"))(*args)
    result["high_water_kb"] = _status_kb("VmHWM")
    Path(result_path).write_text(json.dumps(result), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
