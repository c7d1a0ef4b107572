"""The real curriculum in course_content/ builds, validates with zero problems, and its
author documentation's examples are valid against the declared schemas."""
from __future__ import annotations

import re
import tarfile
from pathlib import Path

from rpt_course.cli import main
from rpt_course.schema_check import schema_problems
from rpt_course.yaml_source import load_yaml

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
        assert schema_problems(schema, data, lines) == []


def test_the_course_builds_and_validates_cleanly(tmp_path, capsys):
    assert main(["build", str(CONTENT), "-o", str(tmp_path)]) == 0
    (archive,) = tmp_path.glob("*.tar.gz")
    assert main(["validate", str(archive)]) == 0
    assert main(["validate", str(CONTENT)]) == 0
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "course/chapter/orientation.xml" in names
    assert capsys.readouterr().err == ""
