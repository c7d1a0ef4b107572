"""`rpt-course` in a runtime-only install: one line saying to install the authoring extra, exit 2."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Runs the launcher with the authoring packages made unimportable, as in `pip install rpt-au`.
WITHOUT_AUTHORING = """
import sys
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("markdown", "pymdownx", "olxcleaner"):
            raise ModuleNotFoundError(name)
sys.meta_path.insert(0, Hide())
from rpt_course.launcher import main
sys.exit(main(["build", "course_content", "-o", sys.argv[1]]))
"""


def _run(code: str, out: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "xblocks"), str(ROOT / "scripts")])}
    return subprocess.run([sys.executable, "-c", code, str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_without_the_authoring_extra_the_command_says_what_to_install(tmp_path):
    done = _run(WITHOUT_AUTHORING, tmp_path)
    assert done.returncode == 2
    assert 'pip install "rpt-au[authoring]"' in done.stderr
    assert "markdown" in done.stderr and "Traceback" not in done.stderr
    assert not any(tmp_path.iterdir()), "nothing is written"


def test_with_the_authoring_extra_the_launcher_runs_the_command(tmp_path):
    done = _run(WITHOUT_AUTHORING.replace('"markdown", "pymdownx", "olxcleaner"', ""), tmp_path)
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.glob("*.tar.gz"))
