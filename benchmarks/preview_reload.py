"""Edit-to-visible in the live preview: save a lesson, and time until the open page shows the change.

    python -m benchmarks.preview_reload [REPEAT]      # the shipped course, REPEAT saves (default 7)

Contract: `measure_edit_to_visible(content, workdir, repeat, log)` copies `content` (a course_content
folder) into `workdir`, serves it with `rpt-course preview` as `make run` does (watching, with a
build cache of its own that the preview's first build fills), opens the first unit holding a lesson
in Debian's Chromium (Playwright, nothing fetched from outside), and `repeat` times rewrites that
lesson's first heading with a new marker and measures from just before the write until the page —
reloaded by itself, the benchmark never reloads it — shows the marker in the unit. The edit is undone
(and the rebuild awaited) after the run. Returns {"unit", "lesson", "samples" (seconds), "seconds"
(median, min, max, p90), "republished_seconds" (median, max: save -> the preview's new generation,
i.e. noticed, rebuilt and swapped; the rest is the page's reload), "target_seconds", "met",
"server_rebuilds" (the preview's own "rebuilt in" lines), "load_average"}. Needs `/usr/bin/chromium` (`make browser-deps`).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

TARGET_SECONDS = 2.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent
SHIPPED_CONTENT = ROOT / "course_content"


def first_lesson_unit(content: Path) -> tuple[str, Path]:
    """The preview page of the course's first unit that holds a lesson, and that lesson's file."""
    from rpt_course.build import build_files

    course, _files = build_files(content)
    position = 0
    for module in course.modules:
        for section in module.sections:
            for unit in section.units:
                position += 1
                for component in unit.components:
                    if component.kind == "lesson" and re.search(r"^#+ ", component.file.read_text("utf-8"), re.M):
                        return f"/scenario/course.{position:04d}/", component.file
    raise ValueError(f"{content} has no lesson with a heading")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, output: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the preview exited with {process.returncode}:\n{output.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"the preview did not answer within {timeout} s:\n{output.read_text(errors='replace')}")


def _generation(base: str) -> int:
    with urllib.request.urlopen(f"{base}/preview-events/?since=now", timeout=10) as reply:
        return json.load(reply)["generation"]


def _next_generation(base: str, since: int) -> int:
    with urllib.request.urlopen(f"{base}/preview-events/?since={since}", timeout=60) as reply:
        return json.load(reply)["generation"]


def measure_edit_to_visible(content: Path, workdir: Path, repeat: int = 7, log=print) -> dict:
    from playwright.sync_api import sync_playwright

    copy = Path(shutil.copytree(content, workdir / "preview-content"))
    unit, lesson_in_source = first_lesson_unit(copy)
    lesson = copy / lesson_in_source.relative_to(copy)
    original = lesson.read_text("utf-8")
    heading = re.search(r"^(#+ .*)$", original, re.M).group(1)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    output = workdir / "preview-output.txt"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for inherited in ("DJANGO_SETTINGS_MODULE", "RPT_PREVIEW_STATE_DIR", "RPT_PREVIEW_HOST"):
        env.pop(inherited, None)
    log(f"preview: serving a copy of {content} and saving {lesson.relative_to(copy)} {repeat} time(s)")
    with open(output, "wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "rpt_course.cli", "preview", str(copy), "--port", str(port),
             "--state-dir", str(workdir / "preview-state"), "--cache-dir", str(workdir / "preview-cache")],
            cwd=workdir, env=env, stdout=sink, stderr=subprocess.STDOUT)
    samples: list[float] = []
    server: list[float] = []  # save -> the preview's new generation (rebuilt and swapped)
    try:
        _wait_for(base + "/", process, output)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(base_url=base)
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base + "/") else route.abort())
            page.goto(unit)
            page.locator(".preview").wait_for()
            for run in range(repeat):
                marker = f"edit {run + 1} at {time.time_ns()}"
                before = _generation(base)
                published: list[float] = []
                watcher = threading.Thread(target=lambda: (_next_generation(base, before),
                                                           published.append(time.perf_counter())))
                watcher.start()
                started = time.perf_counter()
                lesson.write_text(original.replace(heading, f"{heading} ({marker})", 1), "utf-8")
                page.wait_for_function("marker => { const unit = document.querySelector('.preview');"
                                       " return unit !== null && unit.innerText.includes(marker); }",
                                       arg=marker, timeout=60_000, polling="raf")
                samples.append(time.perf_counter() - started)
                watcher.join()
                server.append(published[0] - started)
                log(f"preview: save {run + 1}: visible after {samples[-1]:.2f} s (republished after {server[-1]:.2f} s)")
                page.wait_for_load_state("load")
            browser.close()
        before = _generation(base)
        lesson.write_text(original, "utf-8")
        _next_generation(base, before)
    finally:
        lesson.write_text(original, "utf-8")
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    rebuilds = [float(x) for x in re.findall(r"preview: rebuilt in ([0-9.]+) s", output.read_text(errors="replace"))]
    ordered = sorted(samples)
    seconds = {"median": statistics.median(samples), "min": ordered[0], "max": ordered[-1],
               "p90": ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]}
    return {"unit": unit, "lesson": str(lesson.relative_to(copy)), "samples": samples, "seconds": seconds,
            "republished_seconds": {"median": statistics.median(server), "max": max(server)},
            "target_seconds": TARGET_SECONDS, "met": seconds["median"] <= TARGET_SECONDS,
            "server_rebuilds": rebuilds, "load_average": [round(x, 2) for x in os.getloadavg()]}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    repeat = int(args[0]) if args else 7
    with tempfile.TemporaryDirectory(prefix="rpt-bench-preview-") as folder:
        result = measure_edit_to_visible(SHIPPED_CONTENT, Path(folder), repeat,
                                         log=lambda text: print(text, file=sys.stderr, flush=True))
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
