"""The real curriculum in course_content/ builds, validates with zero problems, and its
author documentation's examples are valid against the declared schemas."""
from __future__ import annotations

import re
import tarfile
from pathlib import Path

from rpt_course.cli import main
from rpt_course.course_schemas import course_schema
from rpt_xblocks.author_input.schema_check import schema_problems
from rpt_xblocks.author_input.yaml_source import load_yaml

CONTENT = Path(__file__).resolve().parents[2] / "course_content"


def _yaml_examples():
    text = (CONTENT / "README.md").read_text("utf-8")
    return re.findall(r"```yaml\n(.*?)```", text, flags=re.S)


def test_readme_examples_match_the_schemas(tmp_path):
    course_example, module_example, quiz_example, walkthrough_example, figure_example, tracker_example = _yaml_examples()
    for schema, example in (("course.schema.json", course_example), ("module.schema.json", module_example),
                            ("quiz.schema.json", quiz_example), ("walkthrough.schema.json", walkthrough_example),
                            ("figure.schema.json", figure_example), ("tracker.schema.json", tracker_example)):
        path = tmp_path / "example.yaml"
        path.write_text(example, "utf-8")
        data, lines, problems = load_yaml(path, "README example")
        assert problems == []
        assert schema_problems(course_schema(schema), data, lines) == []


def test_the_course_builds_and_validates_cleanly(tmp_path, capsys):
    assert main(["build", str(CONTENT), "-o", str(tmp_path)]) == 0
    (archive,) = tmp_path.glob("*.tar.gz")
    assert main(["validate", str(archive)]) == 0
    assert main(["validate", str(CONTENT)]) == 0
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "course/chapter/orientation.xml" in names
    assert capsys.readouterr().err == ""


def test_every_citation_in_the_content_names_an_entry_of_the_source_list():
    from rpt_course.content import load_course
    from rpt_course.sources import citation_problems, load_sources

    course = load_course(CONTENT)
    problems = []
    sources = load_sources(course.sources, "sources.yaml", problems)
    assert problems == [] and len(sources) >= 20
    assert citation_problems(course, sources) == []
    # and the check has teeth: without the regulations' entries, the many 10 CFR citations fail
    without_cfr = [s for s in sources if not s["id"].startswith("cfr-")]
    assert len(citation_problems(course, without_cfr)) > 50


def test_the_curriculum_has_its_parts():
    import yaml
    modules = yaml.safe_load((CONTENT / "course.yaml").read_text("utf-8"))["modules"]
    assert len(modules) == 11 and modules[0] == "orientation" and modules[-1] == "final_exam"
    questions = sum(len(yaml.safe_load(p.read_text("utf-8"))["questions"]) for p in CONTENT.glob("*/quizzes/*.yaml"))
    assert questions >= 150
    assert len(list(CONTENT.glob("*/walkthroughs/*.yaml"))) >= 8
    assert list(CONTENT.glob("orientation/trackers/*.yaml"))
