"""The Tutor plugin `rpt-au` (xblocks/rpt_xblocks/tutor_plugin.py) seen through Tutor's own command,
offline and without Docker.

The package is installed as pip would install it (the wheel unpacked into a folder that is the only
extra entry on the path), so Tutor finds the plugin through the wheel's `tutor.plugin.v1` entry point.
Each test has its own TUTOR_ROOT and TUTOR_PLUGINS_ROOT. `tutor local do ...` runs against a stand-in
`docker` that records its arguments: the job scripts Tutor would run in the containers are read from
there, and the course-import script is then run for real by `sh` on a real archive, with a stand-in
`python` in place of the platform's `manage.py`.
"""
from __future__ import annotations

import functools
import http.server
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import threading
import zipfile
from pathlib import Path

import pytest

from built_wheel import build_wheel

from rpt_course.archive.write import write_archive

ROOT = Path(__file__).resolve().parents[2]
TUTOR = [sys.executable, "-c", "from tutor.commands.cli import main; main()"]
FAKE_DOCKER = f"""#!{sys.executable}
import json, os, sys
with open(os.environ["FAKE_DOCKER_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if "ls" in sys.argv and "run" not in sys.argv:
    print("[]")  # `docker compose ... ls --format json`: no project is running
"""
# Stands in for the platform's python in the cms container: records `./manage.py cms import` and
# whether the folder it is given holds the course; runs `python -c` and `python -m` as Python does. With
# FAKE_LEAN_IMAGE set it stands for an image without the authoring command (rpt_course not importable).
FAKE_PYTHON = f"""#!/bin/sh
if [ -n "$FAKE_LEAN_IMAGE" ] && [ "$1" = "-c" ] && [ "$2" = "import rpt_course.cli" ]; then exit 1; fi
if [ "$1" = "-c" ] || [ "$1" = "-m" ]; then exec {sys.executable} "$@"; fi  # the job's own steps
printf '%s\\n' "$@" > "$FAKE_PYTHON_LOG"
if [ -f "$5/course.xml" ]; then echo course.xml-found >> "$FAKE_PYTHON_LOG"; fi
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, str]:
    """The wheel, unpacked as an installed copy; and its version."""
    out = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(out)
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site, wheel.name.split("-")[1]


@pytest.fixture
def tutor(installed, tmp_path):
    """Run `tutor ARGS...` in a fresh Tutor project; returns the completed process (checked)."""
    site, _ = installed
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text(FAKE_DOCKER)
    (bin_dir / "docker").chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(site), "TUTOR_ROOT": str(tmp_path / "tutor-root"),
           "TUTOR_PLUGINS_ROOT": str(tmp_path / "tutor-plugins"), "FAKE_DOCKER_LOG": str(tmp_path / "docker.log"),
           "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    env.pop("TUTOR_IGNORE_ENTRYPOINT_PLUGINS", None)

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run([*TUTOR, *args], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if check:
            assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done

    run.root = tmp_path / "tutor-root"
    run.docker_calls = lambda: [json.loads(line) for line in (tmp_path / "docker.log").read_text().splitlines()]
    return run


def job_scripts(calls: list[list[str]]) -> list[tuple[str, str]]:
    """(service, script) of each `docker compose ... run --rm [-T] SERVICE-job sh -e -c SCRIPT` call."""
    scripts = []
    for call in calls:
        if "ls" in call and "run" not in call:
            continue  # Tutor asking whether the platform is running
        assert call[:1] == ["compose"] and "run" in call, call
        service = next(arg for arg in call if arg.endswith("-job"))
        assert call[-4:-1] == ["sh", "-e", "-c"], call
        scripts.append((service.removesuffix("-job"), call[-1]))
    return scripts


def test_tutor_finds_the_installed_plugin_and_enables_it(tutor, installed):
    _, version = installed
    (row,) = [line.split("\t") for line in tutor("plugins", "list").stdout.splitlines() if line.startswith("rpt-au")]
    assert row[0].strip() == "rpt-au" and "enabled" not in row[1] and row[2].strip() == version
    assert "rpt-au" not in tutor("config", "printvalue", "PLUGINS", check=False).stdout
    tutor("plugins", "enable", "rpt-au")
    assert "rpt-au" in tutor("config", "printvalue", "PLUGINS").stdout
    (row,) = [line.split("\t") for line in tutor("plugins", "list").stdout.splitlines() if line.startswith("rpt-au")]
    assert "enabled" in row[1]


def test_the_settings_default_to_this_version(tutor, installed):
    _, version = installed
    assert tutor("config", "printvalue", "RPT_AU_PIP_REQUIREMENT", check=False).returncode != 0  # not enabled: unknown
    tutor("plugins", "enable", "rpt-au")
    tutor("config", "save")
    assert tutor("config", "printvalue", "RPT_AU_VERSION").stdout.strip() == version
    assert tutor("config", "printvalue", "RPT_AU_PIP_REQUIREMENT").stdout.strip() == f"rpt-au=={version}"


def _python_requirements_stage(dockerfile: str) -> str:
    start = dockerfile.index("AS python-requirements")
    return dockerfile[start:dockerfile.index("\nFROM ", start)]


def test_the_image_build_installs_the_package(tutor, installed):
    _, version = installed
    dockerfile = tutor.root / "env" / "build" / "openedx" / "Dockerfile"
    tutor("config", "save")
    assert "rpt-au" not in dockerfile.read_text()  # the plugin is off until enabled
    tutor("plugins", "enable", "rpt-au")  # enabling saves the environment
    stage = _python_requirements_stage(dockerfile.read_text())
    assert f"$PIP_COMMAND install rpt-au=={version}\n" in stage
    assert stage.index("install rpt-au==") > stage.index("base.txt")  # after the platform's requirements

    tutor("config", "save", "--set", "RPT_AU_PIP_REQUIREMENT=rpt-au @ https://example.invalid/rpt_au-9.9-py3-none-any.whl")
    stage = _python_requirements_stage(dockerfile.read_text())
    assert "$PIP_COMMAND install 'rpt-au @ https://example.invalid/rpt_au-9.9-py3-none-any.whl'\n" in stage  # one word

    tutor("plugins", "disable", "rpt-au")
    assert "rpt-au" not in dockerfile.read_text()


def test_init_migrates_the_records_app_after_the_platform(tutor):
    tutor("plugins", "enable", "rpt-au")
    tutor("config", "save")
    tutor("local", "do", "init", "--limit", "rpt-au")
    assert job_scripts(tutor.docker_calls()) == [("lms", "./manage.py lms migrate rpt_records")]

    (tutor.root.parent / "docker.log").unlink()
    tutor("local", "do", "init")
    lms = [script for service, script in job_scripts(tutor.docker_calls()) if service == "lms"]
    platform = next(i for i, script in enumerate(lms) if re.search(r"^\./manage\.py lms migrate$", script, re.M))
    assert lms.index("./manage.py lms migrate rpt_records") > platform


def test_without_the_plugin_there_is_no_job_and_no_init_task(tutor):
    tutor("config", "save")
    assert tutor("local", "do", "importrptcourse", "--help", check=False).returncode != 0
    tutor("local", "do", "init")
    assert all("rpt_records" not in script for _, script in job_scripts(tutor.docker_calls()))


def test_the_import_job_is_listed_and_documented(tutor):
    tutor("plugins", "enable", "rpt-au")
    assert "importrptcourse" in tutor("local", "do", "--help").stdout
    helptext = tutor("local", "do", "importrptcourse", "--help").stdout
    assert "ARCHIVE" in helptext and "/openedx/data" in helptext


def _import_script(tutor, archive: str) -> str:
    tutor("plugins", "enable", "rpt-au")
    tutor("config", "save")
    tutor("local", "do", "importrptcourse", archive)
    (call,) = job_scripts(tutor.docker_calls())
    assert call[0] == "cms"
    assert "python ./manage.py cms import ../data \"$course_root\"" in call[1]
    return call[1]


def _run_in_fake_cms(script: str, tmp_path: Path, authoring: bool = False) -> tuple[subprocess.CompletedProcess,
                                                                                    list[str] | None]:
    """Run the rendered job as Tutor would (`sh -e -c`), in a folder standing for edx-platform: an image
    with the authoring command (`authoring`) or, by default, the lean one `pip install rpt-au` makes."""
    bin_dir = tmp_path / "cms-bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "python").write_text(FAKE_PYTHON)
    (bin_dir / "python").chmod(0o755)
    platform = tmp_path / "edx-platform"
    platform.mkdir(exist_ok=True)
    log = tmp_path / "python.log"
    log.unlink(missing_ok=True)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "FAKE_PYTHON_LOG": str(log),
           "TMPDIR": str(tmp_path)}
    if not authoring:
        env["FAKE_LEAN_IMAGE"] = "1"
    done = subprocess.run(["sh", "-e", "-c", script], cwd=platform, env=env, capture_output=True, text=True)
    return done, log.read_text().splitlines() if log.exists() else None


def test_the_import_job_unpacks_a_built_archive_and_runs_cms_import(tutor, tmp_path):
    # A name with a space, shell and Jinja markup reaches the script as it was typed.
    archive = tmp_path / "in the container" / "RPT {{ x }} $(id).tar.gz"
    write_archive({"course/course.xml": b'<course url_name="2026" org="RPT" course="AU"/>',
                   "course/about/overview.html": b"<p>About</p>"}, archive)
    done, manage = _run_in_fake_cms(_import_script(tutor, str(archive)), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert manage[:4] == ["./manage.py", "cms", "import", "../data"]
    assert manage[4].endswith("/unpacked/course") and manage[5] == "course.xml-found"
    assert not Path(manage[4]).exists()  # the unpacked copy is removed afterwards


def test_the_import_job_downloads_an_archive_given_by_url(tutor, tmp_path):
    served = tmp_path / "served"
    write_archive({"course/course.xml": b'<course url_name="2026" org="RPT" course="AU"/>'}, served / "course.tar.gz")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *args: None
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/course.tar.gz"
            done, manage = _run_in_fake_cms(_import_script(tutor, url), tmp_path)
        finally:
            server.shutdown()
    assert done.returncode == 0, done.stdout + done.stderr
    assert manage[:4] == ["./manage.py", "cms", "import", "../data"] and manage[5] == "course.xml-found"


@pytest.mark.parametrize("files, message", [
    ({"readme.txt": b"not a course"}, "holds 0 course.xml files"),
    ({"a/course.xml": b"<course/>", "b/course.xml": b"<course/>"}, "holds 2 course.xml files"),
])
def test_the_import_job_refuses_an_archive_without_exactly_one_course(tutor, tmp_path, files, message):
    archive = tmp_path / "bad.tar.gz"
    write_archive(files, archive)
    done, manage = _run_in_fake_cms(_import_script(tutor, str(archive)), tmp_path)
    assert done.returncode != 0 and message in done.stdout and manage is None


def test_the_import_job_says_where_to_put_a_missing_archive(tutor, tmp_path):
    done, manage = _run_in_fake_cms(_import_script(tutor, str(tmp_path / "absent.tar.gz")), tmp_path)
    assert done.returncode != 0 and manage is None
    assert "No file" in done.stdout and "$(tutor config printroot)/data/cms-job/" in done.stdout


def _tar_gz(path: Path, members: list[tarfile.TarInfo]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for member in members:
            archive.addfile(member, io.BytesIO(b"x" * member.size) if member.isfile() else None)
    return path


def _member(name: str, kind: bytes = tarfile.REGTYPE, target: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, target, (1 if kind == tarfile.REGTYPE else 0)
    return info


@pytest.mark.parametrize("members, message", [
    ([_member("course/course.xml"), _member("../outside.txt")], "outside its folder"),
    ([_member("course/course.xml"), _member("course/link", tarfile.SYMTYPE, "/etc/passwd")], "links or special files"),
    ([_member("course/course.xml"), _member("course/hard", tarfile.LNKTYPE, "course/course.xml")], "links or special files"),
    ([_member("course/course.xml"), _member("course/fifo", tarfile.FIFOTYPE)], "links or special files"),
])
def test_the_lean_image_refuses_an_archive_that_would_write_outside_its_folder(tutor, tmp_path, members, message):
    archive = _tar_gz(tmp_path / "hostile.tar.gz", members)
    done, manage = _run_in_fake_cms(_import_script(tutor, str(archive)), tmp_path)
    assert done.returncode != 0 and message in done.stderr and manage is None
    assert "checking only that the archive unpacks safely" in done.stdout
    assert not (tmp_path / "outside.txt").exists()


@pytest.fixture(scope="module")
def built_course(tmp_path_factory) -> Path:
    """The small valid content folder, built by `rpt-course build`."""
    out = tmp_path_factory.mktemp("built")
    subprocess.run([sys.executable, "-m", "rpt_course.cli", "build", str(ROOT / "tests/fixtures/courses/good"),
                    "-o", str(out), "--no-cache"], check=True, capture_output=True)
    (archive,) = out.glob("*.tar.gz")
    return archive


def test_with_the_authoring_command_the_job_validates_then_imports(tutor, tmp_path, built_course):
    done, manage = _run_in_fake_cms(_import_script(tutor, str(built_course)), tmp_path, authoring=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Checking the archive with rpt-course validate" in done.stdout
    assert manage[:4] == ["./manage.py", "cms", "import", "../data"] and manage[5] == "course.xml-found"


def test_with_the_authoring_command_the_job_imports_nothing_validate_refuses(tutor, tmp_path):
    archive = tmp_path / "thin.tar.gz"
    write_archive({"course/course.xml": b'<course url_name="2026" org="RPT" course="AU"/>'}, archive)
    done, manage = _run_in_fake_cms(_import_script(tutor, str(archive)), tmp_path, authoring=True)
    assert done.returncode != 0 and manage is None
    assert "rpt-course validate found mistakes in the archive" in done.stdout
