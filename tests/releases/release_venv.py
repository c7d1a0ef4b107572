"""One supported Open edX release, reproduced in a fresh virtual environment: that release's Python, the
rpt-au wheel installed under the release's constraints file (requirements/release-<name>.txt), and the
block tests run there against the installed copy.

`Release.load(path)` reads a constraints file: its pins (`name==version` lines) and its header lines
`# release: <Name>` and `# python-version: <X.Y>`. `find_python(version)` finds an interpreter of that
version that can make a venv (None if this machine has none; `make pythons` installs one).
`run_release(release, wheel, workdir)` does the whole run and returns a `ReleaseRun`: what was installed,
which pins pip moved (none, when all is well), and the block tests' outcome. It raises nothing for a
failed step; the step and its output are in the result, for the test to report.
"""
from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLOCK_TEST_FOLDERS = ("tests/blocks", "tests/tracker", "tests/records")
# What the test run adds to the runtime install: pytest and hypothesis, and the authoring command's
# build packages (the quiz fixtures are built with `rpt_course.build`). xblock-sdk, the preview's
# workbench, is not installed: test files that import the preview are left out (`block_test_files`).
TEST_TOOLS = ["pytest", "hypothesis", "Markdown", "pymdown-extensions", "olxcleaner"]
# Packages only the authoring command needs: after the runtime install none of them may be present.
AUTHORING_ONLY = ["markdown", "pymdownx", "olxcleaner", "workbench"]
NEEDS_THE_PREVIEW = re.compile(r"^\s*(from|import)\s+(workbench|rpt_course\.preview)\b", re.MULTILINE)

# Run in the release's venv right after `pip install rpt-au`: every module of the blocks imports with the
# authoring command refused and none of its packages installed (tutor_plugin is Tutor's side, not the LMS's).
IMPORT_EVERY_BLOCK_MODULE = r"""
import importlib, importlib.util, json, pkgutil, sys
class RefuseTheAuthoringCommand:
    def find_spec(self, name, path=None, target=None):
        if name == "rpt_course" or name.startswith("rpt_course."):
            raise ImportError("a block module imported the authoring command: " + name)
sys.meta_path.insert(0, RefuseTheAuthoringCommand())
present = [name for name in sys.argv[2].split(",") if importlib.util.find_spec(name) is not None]
import django
from django.conf import settings
settings.configure(INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rpt_xblocks.records"],
                   DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}, USE_TZ=True)
django.setup()
import rpt_xblocks
assert rpt_xblocks.__file__.startswith(sys.argv[1]), rpt_xblocks.__file__
names = sorted(m.name for m in pkgutil.walk_packages(rpt_xblocks.__path__, "rpt_xblocks.")
               if m.name != "rpt_xblocks.tutor_plugin")
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": len(names), "authoring_packages_present": present}))
"""


def normalized(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Release:
    name: str  # "Ulmo"
    python: str  # "3.11"
    constraints: Path
    pins: dict[str, str]  # normalized name -> version

    @classmethod
    def load(cls, path: Path) -> Release:
        text = path.read_text("utf-8")
        header = dict(re.findall(r"^# (release|python-version): *(\S+)", text, re.MULTILINE))
        pins = {normalized(n): v for n, v in re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", text, re.MULTILINE)}
        return cls(header["release"], header["python-version"], path, pins)


def all_releases() -> list[Release]:
    return [Release.load(p) for p in sorted((ROOT / "requirements").glob("release-*.txt"))]


def _python_version(executable: str) -> str | None:
    try:
        out = subprocess.run([executable, "-c", "import sys, ensurepip, venv; print('%d.%d.%d' % sys.version_info[:3])"],
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def find_python(version: str) -> tuple[str, str] | None:
    """(path, full version) of a Python `version` ("3.11") that has venv and ensurepip: on PATH as
    python<version>, under pyenv, or Debian's /usr/bin; None when there is none."""
    pyenv_root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    candidates = [shutil.which(f"python{version}"), f"/usr/bin/python{version}", f"/usr/local/bin/python{version}",
                  *sorted(glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python{version}"), reverse=True)]
    for candidate in filter(None, candidates):
        full = _python_version(candidate)
        if full and full.rsplit(".", 1)[0] == version:
            return candidate, full
    return None


def block_test_files() -> tuple[list[str], list[str]]:
    """(run, left out): the block tests' files, relative to ROOT, and those that need the preview."""
    run, left_out = [], []
    for folder in BLOCK_TEST_FOLDERS:
        for path in sorted((ROOT / folder).glob("test_*.py")):
            (left_out if NEEDS_THE_PREVIEW.search(path.read_text("utf-8")) else run).append(path.relative_to(ROOT).as_posix())
    return run, left_out


@dataclass
class ReleaseRun:
    release: Release
    python: str = ""  # the interpreter's full version
    installed: dict[str, str] = field(default_factory=dict)  # normalized name -> version, after the test tools
    moved: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (pinned, installed)
    missing: list[str] = field(default_factory=list)  # pinned but not installed
    modules: int = 0
    authoring_packages_present: list[str] = field(default_factory=list)
    tests_summary: str = ""
    tests_left_out: list[str] = field(default_factory=list)
    failure: str = ""  # the step that failed and its output; "" when every step passed
    seconds: float = 0.0

    def describe(self) -> str:
        shown = ", ".join(f"{n} {self.installed[n]}" for n in ("django", "xblock", "lxml") if n in self.installed)
        pins = f"{len(self.release.pins)} pins held" if self.release.pins else "no published pins found"
        return (f"{self.release.name}: Python {self.python or '?'} | {shown} | {pins} | {self.modules} block modules "
                f"import without the authoring command | block tests: {self.tests_summary or '-'} | {self.seconds:.0f} s")


def _freeze(python: Path) -> dict[str, str]:
    out = subprocess.run([str(python), "-m", "pip", "freeze", "--all"], capture_output=True, text=True, check=True)
    return {normalized(n): v for n, v in re.findall(r"^([^=@\s]+)==(\S+)$", out.stdout, re.MULTILINE)}


def _compare(run: ReleaseRun, installed: dict[str, str], complete: bool) -> None:
    """Record what pip installed and every pin it moved; once the test tools are in (`complete`), also
    every pin that nothing installed (a file listing packages the release does not share with us)."""
    run.installed = installed
    run.moved = {n: (v, installed[n]) for n, v in run.release.pins.items() if n in installed and installed[n] != v}
    run.missing = sorted(n for n in run.release.pins if n not in installed) if complete else []


def run_release(release: Release, wheel: Path, workdir: Path) -> ReleaseRun:
    run = ReleaseRun(release)
    started = time.monotonic()
    try:
        _run_steps(run, wheel, workdir)
    finally:
        run.seconds = time.monotonic() - started
    return run


def _step(run: ReleaseRun, what: str, command: list[str], **kwargs) -> subprocess.CompletedProcess | None:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        run.failure = f"{what} failed ({' '.join(command)}):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        return None
    return result


def _run_steps(run: ReleaseRun, wheel: Path, workdir: Path) -> None:
    release = run.release
    found = find_python(release.python)
    if found is None:
        run.failure = (f"no Python {release.python} (that of Open edX {release.name}) with venv on this machine: "
                       f"run `make pythons`, or install python{release.python} and python{release.python}-venv")
        return
    interpreter, run.python = found
    venv = workdir / f"venv-{release.name.lower()}"
    if not _step(run, "creating the venv", [interpreter, "-m", "venv", str(venv)]):
        return
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    pip = [str(python), "-m", "pip", "install", "-q", "-c", str(release.constraints)]
    if not _step(run, "pip install rpt-au under the release's constraints", [*pip, str(wheel)], env=env):
        return
    _compare(run, _freeze(python), complete=False)
    if run.moved:
        return
    if not _step(run, "pip check", [str(python), "-m", "pip", "check"], env=env):
        return
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    imported = _step(run, "importing every block module without the authoring command",
                     [str(python), "-c", IMPORT_EVERY_BLOCK_MODULE, site, ",".join(AUTHORING_ONLY)], env=env, cwd=workdir)
    if not imported:
        return
    report = json.loads(imported.stdout.strip().splitlines()[-1])
    run.modules, run.authoring_packages_present = report["modules"], report["authoring_packages_present"]
    if run.authoring_packages_present:
        return
    if not _step(run, "installing the test tools under the release's constraints", [*pip, *TEST_TOOLS], env=env):
        return
    _compare(run, _freeze(python), complete=True)
    if run.moved or run.missing:
        return
    files, run.tests_left_out = block_test_files()
    tests = _step(run, "the block tests", [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *files],
                  env=env, cwd=ROOT)
    summary = (tests.stdout if tests else run.failure).strip().splitlines()
    run.tests_summary = next((line for line in reversed(summary) if " passed" in line or " failed" in line), "")
