"""The project's wheel as pip builds it from this checkout (`pip wheel --no-deps`, no build isolation:
the venv's setuptools), for the tests that install or unpack it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_wheel(out: Path) -> Path:
    """Build the rpt-au wheel into the empty folder `out`; its path (raises if pip fails)."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    (wheel,) = out.glob("rpt_au-*.whl")
    return wheel
