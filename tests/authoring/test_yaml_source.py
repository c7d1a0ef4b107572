"""yaml_source.load_yaml on hostile or broken YAML: every case is one Problem at the right line,
never an exception, and reading costs work in proportion to the file, not to what it expands to."""
from __future__ import annotations

import tracemalloc

import pytest

from rpt_course.problems import Problem
from rpt_course.yaml_source import MAX_DEPTH, load_yaml


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
