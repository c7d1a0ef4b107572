"""yaml_source's two loaders (libyaml's events composed by yaml_events, and PyYAML's pure-Python
SafeLoader) give identical data, lines and problems: on every YAML file of the course and of the
test fixtures, and on broken and hostile texts. The course's files are read without the
pure-Python loader (else the speed is lost without a sign)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rpt_xblocks.author_input import yaml_source
from rpt_xblocks.author_input.yaml_source import load_yaml


ROOT = Path(__file__).resolve().parents[2]
COURSE_FILES = sorted((ROOT / "course_content").rglob("*.yaml"))
FIXTURE_FILES = sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))

BROKEN = [
    "", "# only a comment\n", "---\n", "---", "...\n", "null\n", "~\n", "3\n", "just words", "- a\n- b\n",
    "title: x\ntitle: y\n", "a: 1\nb:\n  c: 1\n  c: 2\n", "[a]: 1\n", "? {a: 1}\n: 2\n", "<<: {a: 1}\n", "=: 1\n",
    "a: &x 1\nb: *x\n", "a: &x 1\nb: &x 2\n", "a: 1\n---\nb: 2\n", "a: 1\n...\n---\nb: 2\n",
    "a: !!int abc\n", "a: !!str 3\n", "a: ! 3\n", "a: !foo x\n", "a: !<tag:yaml.org,2002:int> 3\n", "!!map {a: 1}\n",
    "a: !!python/object:os.system x\n", "%YAML 1.1\n---\na: 1\n", "%YAML 1.3\n---\na: 1\n", "%YAML 2.0\n---\na: 1\n",
    "%TAG !e! tag:yaml.org,2002:\n---\na: !e!int 3\n",
    "a: [Is it?, No]\n", "a: {q: why?}\n", "a: [http://x?y, z]\n", "a: >#\n", "a: |2-#\n  x\n", "a: |\n  x\n  #y\n",
    "a: b\t\n", "a:\tb\n", "\ta: b\n", "a: 'x\ty'\n", "a: b\x85c\n", "a: [b\u2028c]\n", "a: b\u2029\n", "\ufeffa: 1\n",
    "a: 1\n\ufeffb: 2\n", "a: x\x1fy\n", "a: x\x7fy\n", 'a: "x\\x1fy"\n', 'a: "\\uFFFE"\n', 'a: "\\ud800"\n',
    "a: x\r\nb: y\r\n", "a: x\rb: y\r", "a:\r\n  - 1\r\n  -", "a:\n  - 1\n  -", "a: 0b_\n", "a: 0o17\n", "a: 1_000\n",
    "a: 190:20:30\n", "a: .inf\n", "a: -.NaN\n", "a: 2027-01-01\n", "a: 2027-01-01T10:00:00Z\n", "a: yes\nb: Off\n",
    "a: b: c\n", "a:\n- b\n  c: d\n", "a: [1, 2\n", "a: {b: 1\n", "a: 'unterminated\n", 'a: "bad \\q escape"\n',
    "a:\n  b: 1\n c: 2\n", "- a\nb: 1\n", "a: 1\n  b: 2\n", "a: |\n x\n  y\n z\n", "? a\n? a\n", "a: @x\n", "a: `x\n",
    "a: %x\n", "a: [a:b, c: d, :e]\n", "a: {x:y}\n", "a:\n  ? [1, 2]\n  : 3\n", "a: *\n", "a: &\n", "a: !\n",
    "x: " + "[" * 41 + "]" * 41 + "\n", "x: " + "[" * 38 + "1" + "]" * 38 + "\n", "x: " + "[" * 2000 + "\n",
    "x:\n" + "".join("  " * n + f"k{n}:\n" for n in range(1, 45)), "x: " + "{a: " * 1200 + "\n",
    "a: 1\nb: " + "[" * 50 + "\n", "a: [*x]\n", "a: &x [1, *x]\n",
]


def _both(path: Path, monkeypatch) -> tuple:
    results = []
    for use_libyaml in (True, False):
        monkeypatch.setattr(yaml_source, "USE_LIBYAML", use_libyaml)
        data, lines, problems = yaml_source.load_yaml(path, "file.yaml")
        results.append((repr(data), lines._lines, problems))
    return tuple(results)


@pytest.mark.parametrize("path", COURSE_FILES + FIXTURE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_both_loaders_read_every_yaml_file_alike(path, monkeypatch):
    fast, pure = _both(path, monkeypatch)
    assert fast == pure


@pytest.mark.parametrize("text", BROKEN)
def test_both_loaders_read_broken_yaml_alike(text, tmp_path, monkeypatch):
    path = tmp_path / "file.yaml"
    path.write_text(text, "utf-8", errors="surrogatepass")
    fast, pure = _both(path, monkeypatch)
    assert fast == pure


def test_the_course_is_read_by_libyaml_alone(monkeypatch):
    used = []
    read_with_python = yaml_source._load_with_python
    monkeypatch.setattr(yaml_source, "_load_with_python", lambda *args: used.append(args) or read_with_python(*args))
    for path in COURSE_FILES:
        _data, _lines, problems = yaml_source.load_yaml(path, path.name)
        assert problems == []
    assert used == []


def test_the_installed_pyyaml_has_libyaml():
    """requirements/constraints.txt pins a PyYAML wheel built with libyaml; without it the build is
    correct but about ten times slower at reading YAML, and the comparisons here would be moot."""
    assert yaml.__with_libyaml__ and yaml_source.USE_LIBYAML


def test_the_fast_loader_reads_course_files_without_the_pure_python_one(tmp_path, monkeypatch):
    path = tmp_path / "file.yaml"
    path.write_text("title: x\nitems: [a, 'b', \"c\"]\ntext: |\n  Is it?\ntitle: y\n", "utf-8")

    def refused(*args):
        raise AssertionError("the pure-Python loader was used")

    monkeypatch.setattr(yaml_source, "_load_with_python", refused)
    data, _lines, problems = load_yaml(path, "file.yaml")
    assert data == {"title": "x", "items": ["a", "b", "c"], "text": "Is it?\n"} and [p.line for p in problems] == [5]
