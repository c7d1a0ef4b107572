"""yaml_source.load_yaml on hostile or broken YAML: every case is one Problem at the right line,
never an exception, and reading costs work in proportion to the file, not to what it expands to.
Every test runs with libyaml (when PyYAML has it) and with the pure-Python loader alone."""
from __future__ import annotations

import time
import tracemalloc

import pytest
import yaml

from rpt_xblocks.author_input import yaml_source
from rpt_xblocks.author_input.problems import Problem
from rpt_xblocks.author_input.yaml_source import MAX_DEPTH, load_yaml


@pytest.fixture(autouse=True, params=["libyaml", "pure-python"])
def loader(request, monkeypatch):
    monkeypatch.setattr(yaml_source, "USE_LIBYAML", request.param == "libyaml")
    return request.param


def _load(tmp_path, text: str):
    path = tmp_path / "file.yaml"
    path.write_text(text, "utf-8", errors="surrogatepass")
    return load_yaml(path, "file.yaml")


def _only_problem(tmp_path, text: str) -> Problem:
    data, _lines, problems = _load(tmp_path, text)
    assert data is None or problems, "the file was accepted"
    assert len(problems) == 1, problems
    assert " — " in problems[0].message
    return problems[0]


def test_an_alias_is_refused_at_its_line_without_expanding_it(tmp_path):
    levels = ["a0: &a0 [" + ", ".join(["lol"] * 10) + "]"]
    levels += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 8)]  # 10**8 values
    tracemalloc.start()
    try:
        problem = _only_problem(tmp_path, "title: x\n" + "\n".join(levels) + "\n")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problem.line == 3 and "alias" in problem.message
    assert peak < 2e6


def test_an_anchor_without_alias_is_harmless(tmp_path):
    data, _lines, problems = _load(tmp_path, "title: &t Decay\n")
    assert problems == [] and data == {"title": "Decay"}


@pytest.mark.parametrize("flow", [True, False])
def test_nesting_is_refused_past_the_limit_and_accepted_up_to_it(tmp_path, flow):
    def nested(depth):  # levels counted as nodes on the deepest path: the mapping, the lists, the value
        inner = depth - 2
        return "x: " + ("[" * inner + "1" + "]" * inner if flow else "\n  " + "- " * inner + "1") + "\n"

    data, _lines, problems = _load(tmp_path, nested(MAX_DEPTH))
    assert problems == [] and isinstance(data["x"], list)
    problem = _only_problem(tmp_path, nested(MAX_DEPTH + 1))
    assert f"more than {MAX_DEPTH} levels" in problem.message
    problem = _only_problem(tmp_path, nested(5000))  # far past Python's recursion limit
    assert f"more than {MAX_DEPTH} levels" in problem.message


@pytest.mark.parametrize("start, opening", [("x: ", "["), ("x: ", "{a: "), ("x:\n  ", "- ")])
def test_a_hundred_thousand_levels_are_refused_in_time_proportional_to_the_file(tmp_path, start, opening):
    """libyaml stops at 1,000 levels with its own error; the problem is still ours, at the line."""
    started = time.perf_counter()
    problem = _only_problem(tmp_path, start + opening * 100_000 + "1\n")
    assert problem.line == start.count("\n") + 1 and f"more than {MAX_DEPTH} levels" in problem.message
    assert time.perf_counter() - started < 5


def test_a_large_file_is_read(tmp_path):
    items = "".join(f"  - title: Item {n}\n    weight: {n}.5\n    due: 2027-03-01\n" for n in range(3_000))
    data, lines, problems = _load(tmp_path, "items:\n" + items)
    assert problems == [] and len(data["items"]) == 3_000
    assert data["items"][-1] == {"title": "Item 2999", "weight": 2999.5, "due": "2027-03-01"}
    assert lines.line(("items", 2_999, "weight")) == 1 + 3 * 2_999 + 2


def test_a_byte_order_mark_at_the_start_is_skipped(tmp_path):
    data, lines, problems = _load(tmp_path, "\ufefftitle: x\nrun: 2\n")
    assert problems == [] and data == {"title": "x", "run": 2} and lines.line(("run",)) == 2


@pytest.mark.parametrize("text, line, words", [
    ("title: x\nweight: !!int abc\n", 2, "cannot be read as int"),
    ("title: x\nflag: !!bool maybe\n", 2, "cannot be read as bool"),
    ("title: x\nweight: !!float ''\n", 2, "cannot be read as float"),
    ("title: x\nmask: 0x_\n", 2, "cannot be read as int"),
    ("title: x\nbig: " + "9" * 5000 + "\n", 2, "cannot be read as int"),
    ("title: x\nwhen: !!timestamp 2027-01-01\n", 2, "unsupported YAML tag tag:yaml.org,2002:timestamp"),
    ("title: x\ntitle: y\n", 2, "duplicate key 'title' (first given on line 1)"),
    ("title: x\n[a]: y\n", 2, "the key ['a'] is not text"),
])
def test_a_value_that_does_not_fit_is_a_problem_at_its_line(tmp_path, text, line, words):
    _data, _lines, problems = _load(tmp_path, text)
    assert [(p.line, words in p.message, " — " in p.message) for p in problems] == [(line, True, True)]


def test_a_control_character_is_located_at_its_line(tmp_path):
    problem = _only_problem(tmp_path, "title: a\nrun: b\x1f\n")
    assert problem.line == 2 and "U+001F" in problem.message


@pytest.mark.parametrize("escape, code", [(r"\x1f", "U+001F"), (r"\x00", "U+0000"), (r"\uFFFE", "U+FFFE")])
def test_an_escaped_character_xml_cannot_store_is_located_at_its_line(tmp_path, escape, code):
    data, _lines, problems = _load(tmp_path, f'title: ok\nrun: "a{escape}b"\n')
    assert [(p.line, code in p.message) for p in problems] == [(2, True)]


@pytest.mark.parametrize("text", ["null\n", "~\n", "- a\n- b\n", "just words\n", "3\n"])
def test_a_file_that_is_not_a_mapping_is_a_problem(tmp_path, text):
    problem = _only_problem(tmp_path, text)
    assert problem.line == 1 and "mapping" in problem.message


def test_a_problem_prints_on_one_line_whatever_its_text_holds():
    shown = str(Problem("dir\nname.yaml", 3, "unknown key 'bad\nkey'\u2028 — remove it"))
    assert "\n" not in shown and "\u2028" not in shown
    assert shown == "dir\\nname.yaml:3: unknown key 'bad\\nkey'\\u2028 — remove it"
