"""docs/clinical-review.md: each lesson's sources and what must be signed off before release,
generated from course_content/ (rpt_course.review_sheet) and kept in step with it."""
from __future__ import annotations

from pathlib import Path

import yaml

from rpt_course import review_sheet
from rpt_course.review_sheet import COMMAND, main

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "course_content"
SHEET = ROOT / "docs" / "clinical-review.md"

LESSON = """## A lesson to review

Under 10 CFR 35.40 a written directive is needed above **1.11 MBq (30 µCi)** of I-131, and
35.63(d) refuses a dosage that differs by more than 20%.[^wd] Lutathera is given as 7.4 GBq
(200 mCi) every 8 weeks.[^label] The kidney limit of 23 Gy is a clinical threshold.[^emami]
So 20% of 7.4 GBq = 1.48 GBq.

!!! warning "UNCONFIRMED: the lead HVL for Lu-177"
    No primary source was found.

![A decay curve of Lu-177](/static/lu177-decay.svg)

[^wd]: 10 CFR 35.40; 10 CFR 35.63(d); RG 8.39.
[^label]: Lutathera US prescribing information (section 2.2).
[^emami]: Emami 1991.
"""


def test_docs_clinical_review_is_in_step_with_the_content():
    expected = review_sheet.review_sheet(CONTENT)
    assert SHEET.is_file() and SHEET.read_text("utf-8") == expected, (
        f"docs/clinical-review.md is out of date with course_content/ — run `{COMMAND}` and commit it")


def test_every_lesson_of_every_module_is_in_the_sheet():
    text = SHEET.read_text("utf-8")
    for folder in yaml.safe_load((CONTENT / "course.yaml").read_text("utf-8"))["modules"]:
        module = yaml.safe_load((CONTENT / folder / "module.yaml").read_text("utf-8"))
        for section in module["sections"]:
            for unit in section["units"]:
                for component in unit["components"]:
                    if component["kind"] == "lesson":
                        assert f"`{folder}/{component['file']}` (unit `{unit['id']}`" in text, component["id"]


def _sheet_for(good_course, lesson: str, sources_extra: str = "") -> str:
    (good_course / "intro/lessons/welcome.md").write_text(lesson, "utf-8")
    sources = good_course / "sources.yaml"
    sources.write_text(sources.read_text("utf-8") + sources_extra, "utf-8")
    return review_sheet.review_sheet(good_course)


EXTRA_SOURCES = """  - id: emami-1991
    title: Emami B, et al. Tolerance of normal tissue to therapeutic irradiation.
    cites: ["Emami"]
"""


def test_a_lessons_sources_and_sign_offs(good_course):
    sheet = _sheet_for(good_course, LESSON, EXTRA_SOURCES)
    section = sheet[sheet.index("`intro/lessons/welcome.md`"):]
    section = section[:section.index("Reviewed by")]
    assert "| 13 | `[^wd]` | 10 CFR 35.40; 10 CFR 35.63(d); RG 8.39. | `cfr-10-35`:" in section
    assert "`nrc-rg-8-39`:" in section.splitlines()[[l.startswith("| 13 ") for l in section.splitlines()].index(True)]
    assert "| 14 | `[^label]` | Lutathera US prescribing information (section 2.2). | `lutathera`: LUTATHERA US prescribing information |" in section
    for quantity, line in (("1.11 MBq (30 µCi)", 3), ("20%", 4), ("7.4 GBq", 4), ("8 weeks", 5), ("23 Gy", 5),
                           ("1.48 GBq", 6)):
        assert f"  - line {line}: {quantity}\n" in section, quantity
    assert "**Worked calculations** (medical physicist): recomputed, with the units carried through, on line 6." in section
    assert ("against the current eCFR): what the lesson says each of these requires is what the rule's text requires: "
            "10 CFR 35.40, 10 CFR 35.63(d); it does not mention Agreement States") in section
    assert "**NRC guidance and forms**" in section and ": RG 8.39;" in section
    assert "**Clinical statements from FDA labels** (Authorized User physician, against the current label): Lutathera:" in section
    assert "each statement citing RG 8.39; Emami says what the source says" in section  # no publisher given here
    assert "Part 35 &lt;Medical Use>" in section  # a source title's markup shows as written
    assert "**Figures** (medical physicist): lu177-decay.svg" in section
    assert "- [ ] **UNCONFIRMED** (line 8: warning \"UNCONFIRMED: the lead HVL for Lu-177\"): confirm" in section


def test_a_lesson_without_footnotes_is_flagged(good_course):
    sheet = _sheet_for(good_course, "## Plain\n\nNothing cited here.\n")
    section = sheet[sheet.index("`intro/lessons/welcome.md`"):]
    assert "**Sources cited**: none (no footnotes)." in section[:section.index("Reviewed by")]


def test_check_exits_1_when_the_file_is_out_of_date(good_course, tmp_path, capsys):
    output = tmp_path / "review.md"
    assert main([str(good_course), "-o", str(output)]) == 0
    assert main([str(good_course), "-o", str(output), "--check"]) == 0
    (good_course / "intro/lessons/welcome.md").write_text("## Changed\n\nA new dose of 5 mCi.\n", "utf-8")
    assert main([str(good_course), "-o", str(output), "--check"]) == 1
    assert "out of date" in capsys.readouterr().err
