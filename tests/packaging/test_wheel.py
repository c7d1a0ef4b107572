"""What an administrator installs (`pip install rpt-au`, or OPENEDX_EXTRA_PIP_REQUIREMENTS in a Tutor
image, docs/deployment.md) is complete: the wheel registers the three blocks and the command, carries
every file the code reads at run time, and the blocks work from the installed copy alone."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from built_wheel import build_wheel

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_FILES = [p for p in (ROOT / "xblocks").rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
                 and "__pycache__" not in p.parts] + list((ROOT / "scripts" / "rpt_course" / "schema").glob("*.json"))
USE_INSTALLED_COPY = """
import json, sys
from importlib import resources
from lxml import etree
from webob import Request
from xblock.runtime import DictKeyValueStore, KvsFieldData
from xblock.test.tools import TestRuntime
import rpt_xblocks, rpt_course
assert rpt_xblocks.__file__.startswith(sys.argv[1]) and rpt_course.__file__.startswith(sys.argv[1]), rpt_xblocks.__file__
import django
from django.conf import settings
from django.core.management import call_command
settings.configure(INSTALLED_APPS=["rpt_xblocks.records"], USE_TZ=True, SECRET_KEY="wheel test",
                   DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "records.db"}})
django.setup()
call_command("migrate", verbosity=0)  # the records app's tables, from the migrations the wheel carries
from rpt_xblocks.quiz.block import QuizBlock
from rpt_xblocks.dosimetry.block import WalkthroughBlock
from rpt_xblocks.tracker.block import TrackerBlock
from rpt_xblocks.tracker.requirements import shipped_sets
assert len(shipped_sets()) == 6
for cls, tag, package in ((QuizBlock, "rpt_quiz", "quiz"), (WalkthroughBlock, "rpt_dosimetry", "dosimetry"),
                          (TrackerBlock, "rpt_prereq_tracker", "tracker")):
    runtime = TestRuntime(services={"field-data": KvsFieldData(DictKeyValueStore())})
    runtime.publish = lambda block, event_type, data: None
    xml = resources.files("rpt_xblocks." + package).joinpath("scenarios/example.xml").read_text("utf-8")
    element = next(etree.fromstring(xml.encode()).iter(tag))
    runtime.load_block_type = lambda block_type: cls
    block = runtime.get_block(runtime.parse_xml_string(etree.tostring(element, encoding="unicode")))
    fragment = block.render("student_view", {})
    assert "data-init='Rpt" in fragment.content and any(r.kind == "text" for r in fragment.resources), tag
    block.render("studio_view", {})
    reply = block.handle("state", Request.blank("/", method="POST", body=b"{}"))
    assert reply.status_code == 200, (tag, reply.body)
print("ok")
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    return build_wheel(out)


def test_the_wheel_registers_the_blocks_and_the_command(wheel):
    with zipfile.ZipFile(wheel) as archive:
        entry_points = next(archive.read(n).decode() for n in archive.namelist() if n.endswith("entry_points.txt"))
    for line in ("rpt_quiz = rpt_xblocks.quiz.block:QuizBlock",
                 "rpt_dosimetry = rpt_xblocks.dosimetry.block:WalkthroughBlock",
                 "rpt_prereq_tracker = rpt_xblocks.tracker.block:TrackerBlock",
                 "rpt-course = rpt_course.launcher:main",
                 "[lms.djangoapp]\nrpt_records = rpt_xblocks.records.apps:RecordsConfig",
                 "[cms.djangoapp]\nrpt_records = rpt_xblocks.records.apps:RecordsConfig"):
        assert line in entry_points


def test_the_wheel_carries_every_file_the_code_reads(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = {("rpt_xblocks/" + p.relative_to(ROOT / "xblocks" / "rpt_xblocks").as_posix()) if "xblocks" in p.parts
                else "rpt_course/schema/" + p.name for p in RUNTIME_FILES}
    assert len(expected) > 20 and expected - names == set()
    assert "rpt_xblocks/records/migrations/0001_initial.py" in names


def test_the_blocks_work_from_the_installed_copy(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    result = subprocess.run([sys.executable, "-c", USE_INSTALLED_COPY, str(target)], capture_output=True, text=True,
                            env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_the_wheel_carries_every_module_of_both_packages_and_no_other(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    modules = {p.relative_to(ROOT / root).as_posix() for root, package in (("xblocks", "rpt_xblocks"), ("scripts", "rpt_course"))
               for p in (ROOT / root / package).rglob("*.py") if "__pycache__" not in p.parts}
    assert {"rpt_course/archive/untrusted.py", "rpt_course/compile/lessons.py", "rpt_course/preview/server.py"} <= modules
    packed = {n for n in names if n.endswith(".py") and n.startswith(("rpt_course/", "rpt_xblocks/"))}
    assert packed == modules  # none missing, none left over (a stale build/lib/ from an older layout)
