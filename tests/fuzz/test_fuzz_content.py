"""Fuzzing `rpt-course build` with broken content: random mutations of the fixture course
(tests/fixtures/courses/good) must end in exit 0 or exit 1 with every problem as one
`path[:line]: what — how` line and the summary last, never an exception, and no archive (or
partial file) written unless the build succeeded.

A mutation is plain data, so a failure prints an example that replays by hand:
- ("yaml", file, data): the file becomes `yaml.safe_dump(data)` (random nested structures);
- ("text", file, text) / ("bytes", file, data): the file becomes this text / these bytes (invalid UTF-8);
- ("tree", file, location, value): one value of the file's YAML (at `location`, keys and indices
  from the root) replaced, or deleted when value is DELETE;
- ("lines", file, edits): edits of the file's lines (delete, duplicate, replace, insert, indent, truncate);
- ("nest", file, depth, flow): one value of the YAML nested `depth` levels deep;
- ("aliases", file, levels, fanout): YAML aliases, `levels` deep, that expand to fanout**(levels + 1) items;
- ("markdown", file, text): a lesson's Markdown replaced by random text and Markdown constructs.
"""
from __future__ import annotations

import contextlib
import copy
import io
import json
import re
import shutil
import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from rpt_course.cli import main

from data_locations import locations

GOOD_COURSE = Path(__file__).resolve().parents[1] / "fixtures" / "courses" / "good"
SCHEMAS = Path(__file__).resolve().parents[2] / "scripts" / "rpt_course" / "schema"
FUZZ = settings.get_profile("rpt-fuzz")


def examples(ci_count: int) -> int:
    """This test's share of the profile: `ci_count` under ci, proportionally more under deep."""
    return max(1, ci_count * FUZZ.max_examples // 100)


YAML_FILES = ["course.yaml", "intro/module.yaml", "intro/quizzes/check.yaml", "intro/walkthroughs/decay.yaml",
              "intro/trackers/tracker.yaml", "intro/trackers/state-set.yaml", "sources.yaml",
              "intro/figures/lu177-decay.yaml"]
MARKDOWN_FILES = ["intro/lessons/welcome.md", "intro/lessons/decay.md", "intro/lessons/decay-table.md",
                  "intro/lessons/check.md", "about/overview.md", "info/handouts.md", "info/updates.md"]
ORIGINAL = {name: yaml.safe_load((GOOD_COURSE / name).read_text("utf-8")) for name in YAML_FILES}
ORIGINAL_LINES = {name: (GOOD_COURSE / name).read_text("utf-8").splitlines()
                  for name in YAML_FILES + MARKDOWN_FILES}
DELETE = "<delete>"
SUMMARY = re.compile(r"^\d+ problems? found; nothing was written\.$")
PROBLEM = re.compile(r"^(?P<path>[^:\s][^:]*?)(?::(?P<line>[1-9]\d*))?: (?P<message>.+)$")


# ---- the vocabulary: what the fixture and the schemas use, so mutations get past the first checks --

def _words_of(value, found: set) -> set:
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            _words_of(item, found)
    elif isinstance(value, list):
        for item in value:
            _words_of(item, found)
    elif isinstance(value, str) and len(value) < 80:
        found.add(value)
    return found


def _schema_words() -> set:
    found: set = set()
    for schema in SCHEMAS.glob("*.json"):
        document = json.loads(schema.read_text("utf-8"))
        stack = [document]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                found.update(k for k in node.get("properties", {}) if isinstance(k, str))
                found.update(v for v in node.get("enum", []) if isinstance(v, str))
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    return found


KEYS = sorted(_schema_words() | {k for data in ORIGINAL.values() for k in _words_of(data, set()) if k.isidentifier()})
WORDS = sorted(_words_of(ORIGINAL, set()) | _schema_words() | {
    "lessons/welcome.md", "../sources.yaml", "../../course.yaml", "/etc/passwd", "lessons/missing.md", "x.txt",
    "2027-02-01", "2027-13-45", "1999-01-01T00:00:00Z", "2027-03-01T23:59:00+05:00", "GBq", "mCi", "mSv/h", "h",
    "Gy/(MBq*h)", "furlong", "1%", "-5%", "0.5", "nan", "1e308", "A0 * remaining", "exp(1000)", "t ** 9",
    "q(1, 'GBq')", "__import__('os')", "{A0}", "{nope}", "{", "nrc-35-390", "state-set.yaml", "welcome",
    "decay", "check_quiz", "intro", "KC", "Knowledge check", "<script>alert(1)</script>", "&amp;", "", " ", "\t",
    "a: b", "- x", "#", "'", '"', "\\", "%", "\u202e", "\ufeff", "é", "日本",
})

SCALARS = (st.none() | st.booleans() | st.integers() | st.integers(-3, 3)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30)
           | st.sampled_from(WORDS))
KEY = st.sampled_from(KEYS) | st.text(max_size=12)
STRUCTURES = st.recursive(SCALARS, lambda children: st.lists(children, max_size=4)
                          | st.dictionaries(KEY, children, max_size=5), max_leaves=20)


LOCATIONS = {name: locations(data) for name, data in ORIGINAL.items()}


# ---- mutations -----------------------------------------------------------------------------------

@st.composite
def _tree_edit(draw):
    name = draw(st.sampled_from(YAML_FILES))
    location = draw(st.sampled_from(LOCATIONS[name][1:]))
    return ("tree", name, location, draw(st.just(DELETE) | STRUCTURES))


_LINE_EDIT = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 80)),
    st.tuples(st.just("duplicate"), st.integers(0, 80)),
    st.tuples(st.just("replace"), st.integers(0, 80), st.text(max_size=40) | st.sampled_from(WORDS)),
    st.tuples(st.just("insert"), st.integers(0, 80), st.text(max_size=40) | st.sampled_from(WORDS)),
    st.tuples(st.just("indent"), st.integers(0, 80), st.integers(-4, 4)),
    st.tuples(st.just("truncate"), st.integers(0, 4000)),
)


@st.composite
def _line_edits(draw):
    name = draw(st.sampled_from(YAML_FILES + MARKDOWN_FILES))
    return ("lines", name, tuple(draw(st.lists(_LINE_EDIT, min_size=1, max_size=4))))


MARKDOWN_PIECES = [
    "## Heading", "# h", "[decay](/jump_to_id/decay)", "[x](/jump_to_id/nope)", "[x](/jump_to_id/)",
    "![A figure](/static/figure.svg)", "![](/static/figure.svg)", "![x](/static/missing.png)",
    "![x](http://example.com/a.png)", "[x](javascript:alert(1))", "[x](data:text/html,hi)", "<script>x</script>",
    "<div onclick=\"x\">y</div>", "<iframe src=x>", "<img src=x onerror=alert(1)>", "<!-- c -->", "<![CDATA[x]]>",
    "&#0;", "&#xD800;", "&nbsp;", "&bogus;", "[^1]", "[^1]: Test source.", "[^2]", "$$", "\\(", "\\)", "$x$",
    "\\[a\\]", "!!! note \"t\"\n    body", "!!! warning", "```", "```python\nx\n```", "| a | b |\n|--|--|\n| 1 | 2 |",
    "|", "- item", "1. item", "> quote", "***", "\\", "{A0}", "{{", "\x00", "\x0b", "\ufffe", "\u202e", "\r", "\r\n",
    "    indented code", "<a href=\"/static/figure.svg\">f</a>", "<a name=x>", "<table><tr><td>x</td></tr></table>",
    "<svg><script>x</script></svg>", "<math><mi>x</mi></math>", "<p", "</div>", "<br/>", "*a*", "__b__", "`c`",
]
MARKDOWN = st.lists(st.sampled_from(MARKDOWN_PIECES) | st.text(max_size=30), max_size=12).map(
    lambda parts: "\n".join(parts))

MUTATION = st.one_of(
    st.tuples(st.just("yaml"), st.sampled_from(YAML_FILES), STRUCTURES),
    st.tuples(st.just("text"), st.sampled_from(YAML_FILES + MARKDOWN_FILES), st.text(max_size=200)),
    st.tuples(st.just("bytes"), st.sampled_from(YAML_FILES + MARKDOWN_FILES), st.binary(max_size=200)),
    _tree_edit(), _tree_edit(), _tree_edit(),  # the structure-aware edit reaches furthest: draw it most
    _line_edits(), _line_edits(),
    st.tuples(st.just("nest"), st.sampled_from(YAML_FILES), st.integers(1, 1500), st.booleans()),
    st.tuples(st.just("aliases"), st.sampled_from(YAML_FILES), st.integers(1, 3), st.integers(1, 9)),
    st.tuples(st.just("markdown"), st.sampled_from(MARKDOWN_FILES), MARKDOWN),
)


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _set(data, location, value):
    """`data` with the value at `location` replaced by `value` (or removed when value is DELETE)."""
    if not location:
        return value
    data = copy.deepcopy(data)
    parent = data
    for step in location[:-1]:
        parent = parent[step]
    if value == DELETE:
        del parent[location[-1]]
    else:
        parent[location[-1]] = value
    return data


def _edit_lines(lines: list[str], edits) -> str:
    lines = list(lines)
    text = None
    for kind, *arguments in edits:
        if kind == "truncate":
            text = "\n".join(lines)[:arguments[0]]
            lines = text.split("\n")
            continue
        index = arguments[0] % (len(lines) + 1)
        if kind == "insert":
            lines.insert(index, arguments[1])
        elif index == len(lines):
            continue
        elif kind == "delete":
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, lines[index])
        elif kind == "replace":
            lines[index] = arguments[1]
        elif kind == "indent":
            shift = arguments[1]
            lines[index] = " " * shift + lines[index] if shift >= 0 else lines[index][-shift:]
    return "\n".join(lines) + "\n"


def _nested(depth: int, flow: bool) -> str:
    """A value nested `depth` levels deep: [[[1]]] (flow style) or - - - 1 (block style)."""
    return "[" * depth + "1" + "]" * depth if flow else "- " * depth + "1"


def _aliases(levels: int, fanout: int) -> str:
    """YAML whose value `bomb` expands to fanout**(levels + 1) items (a "billion laughs")."""
    lines = ["base: &a0 [" + ", ".join(["lol"] * fanout) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * fanout) + "]")
    lines.append(f"bomb: *a{levels}")
    return "\n".join(lines) + "\n"


def apply(content: Path, mutation) -> None:
    kind, name, *arguments = mutation
    path = content / name
    if kind == "yaml":
        path.write_text(_dump(arguments[0]), "utf-8")
    elif kind == "text":
        path.write_text(arguments[0], "utf-8", errors="surrogatepass")
    elif kind == "bytes":
        path.write_bytes(arguments[0])
    elif kind == "tree":
        location, value = arguments
        path.write_text(_dump(_set(ORIGINAL[name], location, value)), "utf-8")
    elif kind == "lines":
        path.write_text(_edit_lines(ORIGINAL_LINES[name], arguments[0]), "utf-8", errors="surrogatepass")
    elif kind == "nest":
        depth, flow = arguments
        path.write_text((GOOD_COURSE / name).read_text("utf-8") + f"nested:\n  {_nested(depth, flow)}\n", "utf-8")
    elif kind == "aliases":
        path.write_text((GOOD_COURSE / name).read_text("utf-8") + "\n" + _aliases(*arguments), "utf-8")
    elif kind == "markdown":
        path.write_text(arguments[0], "utf-8", errors="surrogatepass")
    else:
        raise AssertionError(f"unknown mutation {kind}")


# ---- running the command and checking what it says -----------------------------------------------

def build(content: Path, out: Path) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["build", str(content), "-o", str(out)])
    return code, stdout.getvalue(), stderr.getvalue()


def check_outcome(content: Path, out: Path, code: int, stderr: str) -> None:
    assert code in (0, 1), f"exit code {code!r}"
    assert "Traceback" not in stderr
    written = sorted(p.name for p in out.iterdir()) if out.exists() else []
    if code == 0:
        assert len(written) == 1 and written[0].endswith(".tar.gz"), written
        return
    assert written == [], f"a failed build left {written} in the output folder"
    lines = stderr.rstrip("\n").split("\n")
    assert lines and SUMMARY.match(lines[-1]), f"the last line is not the summary:\n{stderr}"
    assert len(lines) >= 2, f"exit 1 without naming a problem:\n{stderr}"
    assert int(lines[-1].split()[0]) == len(lines) - 1, f"the summary does not count one line per problem:\n{stderr}"
    for line in lines[:-1]:
        match = PROBLEM.match(line)
        assert match, f"not a `path:line: what — how` line: {line!r}\n{stderr}"
        path, number = match["path"], match["line"]
        assert " — " in match["message"], f"the problem does not say how to fix it: {line!r}"
        assert not path.startswith("(built OLX)"), f"a problem is located in the built OLX, not in a content file: {line!r}"
        assert (content / path).exists(), f"the problem names a path that is not in the content folder: {line!r}"
        if number is not None and (content / path).is_file():
            count = len((content / path).read_bytes().splitlines())
            assert int(number) <= max(count, 1) + 1, f"line {number} is past the end of {path} ({count} lines): {line!r}"


def _fresh_course(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("fuzz-content")
    return Path(shutil.copytree(GOOD_COURSE, root / "content")), root / "dist"


@settings(FUZZ, max_examples=examples(120))
@given(mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_any_broken_content_ends_in_exit_0_or_1_with_located_problems(tmp_path_factory, mutations):
    content, out = _fresh_course(tmp_path_factory)
    try:
        for mutation in mutations:
            apply(content, mutation)
        code, _stdout, stderr = build(content, out)
        check_outcome(content, out, code, stderr)
    finally:
        shutil.rmtree(content.parent, ignore_errors=True)


def test_yaml_aliases_cannot_multiply_the_work(tmp_path_factory):
    """A "billion laughs": 300 bytes of aliases in module.yaml that expand to 10**5 (100,000)
    values. YAML aliases are never needed in course content; reading them must not cost memory
    (or time) in proportion to their expansion. The bound is generous: the whole good course
    builds within about 2 MB."""
    content, out = _fresh_course(tmp_path_factory)
    try:
        apply(content, ("aliases", "intro/module.yaml", 4, 10))
        tracemalloc.start()
        try:
            code, _stdout, stderr = build(content, out)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        check_outcome(content, out, code, stderr)
        assert peak < 16e6, f"reading a {len((content / 'intro/module.yaml').read_bytes())}-byte file took {peak / 1e6:.0f} MB"
    finally:
        shutil.rmtree(content.parent, ignore_errors=True)


# ---- what the fuzzing found: each case is an author mistake that must end in exit 1 with located
# problems. They fail until the bug is fixed in the product code (see the fuzzing report); the
# random test above finds them again whenever they come back.

FOUND = {
    "deeply_nested_flow_list": [("nest", "intro/module.yaml", 1000, True)],  # RecursionError
    "deeply_nested_block_list": [("nest", "course.yaml", 1000, False)],  # RecursionError
    "null_quiz_file": [("text", "intro/quizzes/check.yaml", "null\n")],  # KeyError 'check_quiz' in olx.py
    "null_walkthrough_file": [("text", "intro/walkthroughs/decay.yaml", "~\n")],  # KeyError in olx.py
    "null_tracker_file": [("text", "intro/trackers/tracker.yaml", "null\n")],  # KeyError in olx.py
    "null_sources_file": [("text", "sources.yaml", "null\n")],  # KeyError 'course_sources' in olx.py
    "null_course_file": [("text", "course.yaml", "null\n")],  # exit 1 with "0 problems found"
    "null_module_file": [("text", "intro/module.yaml", "null\n")],  # exit 0: the module silently dropped
    "null_institution_set": [("text", "intro/trackers/state-set.yaml", "null\n")],  # exit 0: the set dropped
    "null_figure_file": [("text", "intro/figures/lu177-decay.yaml", "null\n")],  # located in "(built OLX)/…"
    "control_character_in_yaml": [("text", "course.yaml", "\x1f")],  # yaml ReaderError escapes
    "control_character_in_a_title": [("tree", "intro/walkthroughs/decay.yaml", ("title",), "\x1f")],  # lxml ValueError
    "control_character_in_a_source_title": [("tree", "sources.yaml", ("sources", 0, "title"), "\x1f")],  # "(built OLX)"
    "lesson_not_utf8": [("bytes", "intro/lessons/welcome.md", b"\x80")],  # UnicodeDecodeError in sources.py
    "noncharacter_in_a_lesson": [("markdown", "intro/lessons/welcome.md", "\ufffe")],  # lxml XMLSyntaxError
    "tracker_sets_null": [("tree", "intro/trackers/tracker.yaml", ("sets",), None)],  # TypeError in sources.py
    "tracker_set_id_a_list": [("tree", "intro/trackers/tracker.yaml", ("sets", 0), [])],  # TypeError in sources.py
    "key_with_a_line_break": [("lines", "course.yaml", (("insert", 2, '"bad\\nkey": 1'),))],  # a problem on 2 lines
    "list_left_empty": [("lines", "intro/module.yaml", (("truncate", 39),))],  # "must be a list, not null" (no "— how")
    "true_false_without_answer": [("tree", "intro/quizzes/check.yaml", ("questions", 2, "answer"), DELETE)],  # no "— how"
    "plot_without_y_unit": [("tree", "intro/walkthroughs/decay.yaml", ("plot", "y_unit"), DELETE)],  # pint DimensionalityError
}


@pytest.mark.parametrize("name", sorted(FOUND))
def test_what_the_fuzzing_found_is_reported_at_a_line(name, tmp_path_factory):
    content, out = _fresh_course(tmp_path_factory)
    try:
        for mutation in FOUND[name]:
            apply(content, mutation)
        code, _stdout, stderr = build(content, out)
        assert code == 1, f"exit {code}: the mistake was not reported\n{stderr}"
        check_outcome(content, out, code, stderr)
    finally:
        shutil.rmtree(content.parent, ignore_errors=True)
