"""Issue 16: every teaching module states its learning objectives; the build refuses one that does
not at module.yaml:line and shows them first in the module, as an escaped list."""
from __future__ import annotations

import io
import tarfile
from pathlib import Path

import yaml
from lxml import etree

from rpt_course.cli import main

MODULE = "intro/module.yaml"
OBJECTIVES = ("objectives:\n"
              "  - Explain why a dosage decays between its calibration and its administration\n"
              "  - Calculate the activity left after a given time from the half-life\n"
              "  - Find a half-life in the course's table of half-lives\n")
CONTENT = Path(__file__).resolve().parents[2] / "course_content"


def _module_text(good_course) -> str:
    text = (good_course / MODULE).read_text("utf-8")
    assert OBJECTIVES in text
    return text


def _build(good_course, tmp_path, capsys):
    code = main(["build", str(good_course), "-o", str(tmp_path / "dist")])
    return code, capsys.readouterr().err


def _members(tmp_path) -> dict[str, bytes]:
    (archive,) = (tmp_path / "dist").glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def test_a_teaching_module_without_objectives_is_refused_at_its_title_line(good_course, tmp_path, capsys):
    (good_course / MODULE).write_text(_module_text(good_course).replace(OBJECTIVES, ""), "utf-8")
    code, err = _build(good_course, tmp_path, capsys)
    assert code == 1
    assert ("intro/module.yaml:2: the module 'intro' teaches (it has lessons) but states no learning objectives — "
            "add `objectives:` after the title") in err, err
    assert "Traceback" not in err


def test_too_few_objectives_are_refused_at_their_line(good_course, tmp_path, capsys):
    text = _module_text(good_course)
    kept = OBJECTIVES.splitlines(keepends=True)[:3]  # the key and two objectives
    (good_course / MODULE).write_text(text.replace(OBJECTIVES, "".join(kept)), "utf-8")
    line = text.splitlines().index("objectives:") + 1
    code, err = _build(good_course, tmp_path, capsys)
    assert code == 1 and f"intro/module.yaml:{line}:" in err and "objectives" in err, err


def test_a_repeated_objective_is_refused_at_its_line(good_course, tmp_path, capsys):
    text = _module_text(good_course)
    repeated = OBJECTIVES + "  - explain why a dosage decays between its calibration and  its administration\n"
    (good_course / MODULE).write_text(text.replace(OBJECTIVES, repeated), "utf-8")
    line = text.splitlines().index("objectives:") + 5
    code, err = _build(good_course, tmp_path, capsys)
    assert code == 1 and f"intro/module.yaml:{line}: this objective repeats an earlier one" in err, err


def test_assessment_marks_a_module_without_objectives_only_if_it_only_assesses(good_course, tmp_path, capsys):
    text = _module_text(good_course).replace(OBJECTIVES, "")
    (good_course / MODULE).write_text(text.replace("title: Introduction\n", "title: Introduction\nassessment: true\n", 1),
                                      "utf-8")
    code, err = _build(good_course, tmp_path, capsys)
    assert code == 1
    assert ("intro/module.yaml:3: the module is marked `assessment: true` but has a walkthrough ('decay_walkthrough'), "
            "so it teaches — remove `assessment: true` and give the module `objectives:`") in err, err


def test_the_objectives_are_the_first_component_of_the_module_as_an_escaped_list(good_course, tmp_path, capsys):
    text = _module_text(good_course).replace("  - Find a half-life", "  - Find <b>a</b> half-life & <script>x</script>")
    (good_course / MODULE).write_text(text, "utf-8")
    code, err = _build(good_course, tmp_path, capsys)
    assert code == 0, err
    files = _members(tmp_path)
    first_section = etree.fromstring(files["course/chapter/intro.xml"])[0].get("url_name")
    first_unit = etree.fromstring(files[f"course/sequential/{first_section}.xml"])[0].get("url_name")
    vertical = etree.fromstring(files[f"course/vertical/{first_unit}.xml"])
    assert vertical[0].tag == "html" and vertical[0].get("url_name") == "intro_objectives"
    assert etree.fromstring(files["course/html/intro_objectives.xml"]).get("display_name") == "Learning objectives"
    page = etree.fromstring(b"<div>" + files["course/html/intro_objectives.html"] + b"</div>")
    assert page[0].tag == "h2" and page[0].text == "Learning objectives"
    assert [li.text for li in page.find("ul")] == [
        "Explain why a dosage decays between its calibration and its administration",
        "Calculate the activity left after a given time from the half-life",
        "Find <b>a</b> half-life & <script>x</script> in the course's table of half-lives"]  # plain text: the markup shows as written
    assert page.find(".//script") is None and page.find(".//b") is None


def test_every_teaching_module_of_the_course_states_3_to_8_objectives():
    for folder in yaml.safe_load((CONTENT / "course.yaml").read_text("utf-8"))["modules"]:
        module = yaml.safe_load((CONTENT / folder / "module.yaml").read_text("utf-8"))
        if module.get("assessment"):
            continue
        assert 3 <= len(module.get("objectives", ())) <= 8, folder


def test_the_objectives_id_is_taken_like_any_other(good_course, tmp_path, capsys):
    text = _module_text(good_course).replace("          - id: decay_table\n", "          - id: intro_objectives\n", 1)
    (good_course / MODULE).write_text(text, "utf-8")
    line = text.splitlines().index("          - id: intro_objectives") + 1
    code, err = _build(good_course, tmp_path, capsys)
    assert code == 1 and f"intro/module.yaml:{line}: the id 'intro_objectives' is already used at intro/module.yaml:" in err, err
