"""The coverage-guided targets (tests/fuzz/coverage_guided/targets.py, atheris) run for a bounded
number of inputs each, from small seed inputs, in a process of their own: a contract breach or an
uncaught exception makes libFuzzer write the input and exit non-zero, which fails the test with the
replay command. Longer runs: `make fuzz-deep`."""
from __future__ import annotations

import io
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

TARGETS_SCRIPT = Path(__file__).resolve().parent / "coverage_guided" / "targets.py"
GOOD_COURSE = Path(__file__).resolve().parents[1] / "fixtures" / "courses" / "good"
# Inputs per target and their largest size: about 40 s in all on 2 cores; `make fuzz-deep` for more.
RUNS = {"archive": 1500, "yaml": 1000, "formula": 8000, "answer": 8000}
MAX_LEN = {"archive": 8192, "yaml": 4096, "formula": 1024, "answer": 256}


def _tar(members) -> bytes:
    """A PAX tar of (name, bytes) members."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _seeds(target: str) -> dict[str, bytes]:
    if target == "archive":
        return {"course.tar": _tar([("course/course.xml", b'<course url_name="x"/>'),
                                    ("course/html/" + "a" * 120 + ".html", b"<p>long name: a PAX header</p>")])}
    if target == "yaml":
        return {name.replace("/", "_"): (GOOD_COURSE / name).read_bytes()
                for name in ("course.yaml", "intro/module.yaml", "intro/walkthroughs/decay.yaml")}
    if target == "formula":
        return {"decay": b"A0 * exp(-ln2 * t / T_half)", "mix": b"q(1, 'GBq') / (1/x + 1/2) ** 2"}
    return {"activity": b"7.4 GBq", "compound": b"2.2 R*cm**2/(mCi*h)", "power": b"1.2e-3 mSv/h"}


@pytest.mark.parametrize("target", sorted(RUNS))
def test_coverage_guided_target_finds_nothing(target, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, data in _seeds(target).items():
        (corpus / name).write_bytes(data)
    command = [sys.executable, str(TARGETS_SCRIPT), target, str(corpus), f"-runs={RUNS[target]}", "-seed=1",
               f"-max_len={MAX_LEN[target]}", f"-artifact_prefix={tmp_path}/", "-print_final_stats=1"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    crashes = sorted(tmp_path.glob("crash-*"))
    assert result.returncode == 0 and not crashes, (
        f"{target}: exit {result.returncode}; replay with: {sys.executable} {TARGETS_SCRIPT} {target} "
        f"{crashes[0] if crashes else ''}\n{result.stderr[-4000:]}")
    executed = [line for line in result.stderr.splitlines() if line.startswith("stat::number_of_executed_units")]
    assert executed and int(executed[0].split(":")[-1]) >= RUNS[target], result.stderr[-2000:]
    # The target's scratch files stay beside the corpus (libFuzzer's exit skips Python clean-up).
    assert (tmp_path / f"scratch-{target}").is_dir()
