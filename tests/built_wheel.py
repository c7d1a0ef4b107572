"""The project's wheel as pip builds it from this checkout (`pip wheel --no-deps`, no build isolation:
the venv's setuptools), for the tests that install or unpack it."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_wheel(out: Path) -> Path:
    """Build the rpt-au wheel into the empty folder `out`; its path (raises if pip fails). setuptools'
    scratch folder `build/` (git-ignored) is removed first: it keeps modules from earlier builds,
    and setuptools would pack a module since renamed or deleted into the wheel."""
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    (wheel,) = out.glob("rpt_au-*.whl")
    return wheel
