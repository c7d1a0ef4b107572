"""The build reads each YAML file once: the citation check's reads serve the compile steps
(rpt_course/yaml_reads.py), and a lesson's footnotes are checked on the text read for rendering."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from rpt_course import yaml_reads
from rpt_course.build import build_files

COURSE_CONTENT = Path(__file__).resolve().parents[2] / "course_content"


def test_every_yaml_file_is_loaded_once(monkeypatch):
    loads = Counter()
    load = yaml_reads.load_yaml

    def counting(path, shown):
        loads[Path(path)] += 1
        return load(path, shown)

    monkeypatch.setattr(yaml_reads, "load_yaml", counting)
    course, _files = build_files(COURSE_CONTENT)
    kinds = {c.file for c in course.components if c.kind in ("quiz", "walkthrough", "tracker")}
    assert kinds and set(course.figures.values()) and kinds | set(course.figures.values()) <= set(loads)
    assert [path for path, count in loads.items() if count > 1] == []


def test_outside_a_build_every_read_loads_the_file(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n")
    first = yaml_reads.read_yaml(path, "a.yaml", keep=True)
    assert yaml_reads.read_yaml(path, "a.yaml") is not first
    with yaml_reads.shared_reads():
        kept = yaml_reads.read_yaml(path, "a.yaml", keep=True)
        assert yaml_reads.read_yaml(path, "a.yaml", keep=True) is kept
        assert yaml_reads.read_yaml(path, "a.yaml") is kept  # taken away: the next read loads again
        assert yaml_reads.read_yaml(path, "a.yaml") is not kept
