"""Load a YAML file into plain Python data while remembering the line of every value.

Contract: `load_yaml(path, shown_as)` returns `(data, lines, problems)`. On success `problems` is
empty, `data` is built from dicts, lists, str, int, float, bool and None only (dates stay
strings: the schema and the course model parse them), and `lines` maps each value's location
(a tuple of keys and indices) to its 1-based line; every course YAML file is a mapping, so `data` is
a dict. A syntax error, a duplicate key, an unsupported tag, a file that is not UTF-8 or not a
mapping, a character XML cannot store, an alias (`*name`: never needed in course content, and a
few bytes of aliases can expand to millions of values) or nesting deeper than `MAX_DEPTH` becomes
a `Problem` located at `shown_as:line`, never an exception, and costs work in proportion to the
file's size.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from rpt_course.problems import Problem
from rpt_course.xml_characters import first_unstorable, line_of_offset

MAX_DEPTH = 40  # values on one path from the root, leaf included; course files need about 8. PyYAML composes recursively
Location = tuple  # keys (str) and list indices (int) from the document root


class _Refused(yaml.MarkedYAMLError):
    """YAML that parses but that course content never needs: `problem` says what, `fix` how."""

    def __init__(self, problem: str, fix: str, mark):
        super().__init__(problem=problem, problem_mark=mark)
        self.fix = fix


class _SafeLineLoader(yaml.SafeLoader):
    """SafeLoader that leaves timestamps as strings (authors write dates; we parse them ourselves),
    refuses aliases and stops composing deeper than `MAX_DEPTH` levels."""

    _depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _Refused("an alias (*name) repeats a value marked with &name",
                           "write the value out in full: course files do not use anchors and aliases",
                           self.peek_event().start_mark)
        if self._depth >= MAX_DEPTH:
            raise _Refused(f"the values nest more than {MAX_DEPTH} levels deep",
                           "check the indentation and the brackets: course files need about 8 levels",
                           self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_SafeLineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
}


class LineMap:
    """Lines of the values in one YAML document, looked up by location."""

    def __init__(self, shown_as: str):
        self.shown_as = shown_as
        self._lines: dict[Location, int] = {}

    def record(self, location: Location, line: int) -> None:
        self._lines.setdefault(location, line)

    def line(self, location) -> int:
        """The line of `location`, or of its nearest recorded ancestor (line 1 for the root)."""
        location = tuple(location)
        while location:
            if location in self._lines:
                return self._lines[location]
            location = location[:-1]
        return self._lines.get((), 1)

    def problem(self, location, message: str) -> Problem:
        return Problem(self.shown_as, self.line(location), message)


def load_yaml(path: Path, shown_as: str):
    """Read `path` (reported as `shown_as`); see the module docstring for the contract."""
    lines = LineMap(shown_as)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return None, lines, [Problem(shown_as, line, "this file is not UTF-8 text — save it with UTF-8 encoding")]
    problems: list[Problem] = []
    try:
        loader = _SafeLineLoader(text)
    except yaml.reader.ReaderError as exc:  # the whole text is checked before parsing starts
        return None, lines, [Problem(shown_as, line_of_offset(text, exc.position),
                                     f"the character U+{_code(exc.character):04X} is not allowed in YAML — delete it "
                                     "(it is invisible in most editors: retype the text around it)")]
    try:
        node = loader.get_single_node()
        if node is None:
            return None, lines, [Problem(shown_as, 1, "the file is empty — write the YAML mapping this file needs (see course_content/README.md)")]
        if not isinstance(node, yaml.MappingNode):
            return None, lines, [Problem(shown_as, node.start_mark.line + 1,
                                         "the file must be a mapping of keys and values (lines like `title: ...`) "
                                         "— write the keys this file needs (see course_content/README.md)")]
        data = _construct(loader, node, (), lines, problems)
    except _Refused as exc:
        return None, lines, [Problem(shown_as, exc.problem_mark.line + 1, f"{exc.problem} — {exc.fix}")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        return None, lines, [Problem(shown_as, line, f"YAML syntax error: {what} — check indentation, colons and quoting on this line and the one above (values containing ': ' or starting with a special character need quotes)")]
    except yaml.YAMLError as exc:  # PyYAML's other errors carry no mark
        return None, lines, [Problem(shown_as, 1, f"YAML error: {exc} — correct the file or rewrite the part named")]
    finally:
        loader.dispose()
    return data, lines, problems


def _code(character) -> int:
    """PyYAML's reader reports the character as a one-character string or as its code."""
    return character if isinstance(character, int) else ord(character)


def _construct(loader, node, location, lines: LineMap, problems: list[Problem]):
    lines.record(location, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = _construct(loader, key_node, location + ("<key>",), lines, problems)
            if not isinstance(key, str):
                problems.append(Problem(lines.shown_as, key_node.start_mark.line + 1,
                                        f"the key {key!r} is not text — write keys as plain words like `title`"))
                continue
            if key in result:
                problems.append(Problem(lines.shown_as, key_node.start_mark.line + 1,
                                        f"duplicate key '{key}' (first given on line {lines.line(location + (key,))}) — keep only one"))
                continue
            lines.record(location + (key,), key_node.start_mark.line + 1)
            result[key] = _construct(loader, value_node, location + (key,), lines, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, location + (index,), lines, problems)
                for index, item in enumerate(node.value)]
    if node.tag not in _PLAIN_TAGS:
        problems.append(Problem(lines.shown_as, node.start_mark.line + 1,
                                f"unsupported YAML tag {node.tag} — remove the tag and write a plain value"))
        return None
    unstorable = first_unstorable(node.value)
    if unstorable is not None:
        problems.append(Problem(lines.shown_as, node.start_mark.line + 1, unstorable[1]))
    return loader.construct_object(node, deep=True)
