"""Issue 16: `rpt-course build` reads a walkthrough's units with the blocks' own parser, so a step or
plot in a per-time unit (`/h`, `1/s`) builds, and the archive's block grades it (no traceback)."""
from __future__ import annotations

import tarfile

from lxml import etree

from rpt_course.cli import main

DECAY = "intro/walkthroughs/decay.yaml"
LAMBDA_STEP = """  - id: lam
    prompt: What is the decay constant of Lu-177?
    formula: ln2 / T_half
    unit: /h
    tolerance: 1%
  - id: lam_s
    prompt: And in 1/s?
    formula: lam
    unit: 1/s
plot:"""
LAMBDA_PLOT = """  formula: ln2 / time
  y_unit: /h"""


def test_a_walkthrough_with_per_time_units_builds(good_course, tmp_path, capsys):
    path = good_course / DECAY
    text = path.read_text("utf-8")
    text = text.replace("plot:", LAMBDA_STEP, 1).replace("  formula: activity_at(A0, T_half, time)\n  y_unit: GBq",
                                                          LAMBDA_PLOT, 1).replace("from: 0", "from: 1", 1)
    path.write_text(text, "utf-8")
    out = tmp_path / "dist"
    status = main(["build", str(good_course), "-o", str(out)])
    err = capsys.readouterr().err
    assert status == 0, err
    assert "Traceback" not in err
    (archive,) = out.glob("*.tar.gz")
    with tarfile.open(archive, "r:gz") as tar:
        xml = [tar.extractfile(m).read() for m in tar.getmembers()
               if m.isfile() and m.name.startswith("course/vertical/") and b"<rpt_dosimetry" in tar.extractfile(m).read()]
    (vertical,) = xml
    block = etree.fromstring(vertical).find(".//rpt_dosimetry")
    assert [s.get("unit") for s in block.iterchildren("step")][-2:] == ["/h", "1/s"]
    assert block.find("plot").get("y_unit") == "/h"
