"""Load a YAML file into plain Python data while remembering the line of every value.

Contract: `load_yaml(path, shown_as)` returns `(data, lines, problems)`. On success `problems` is
empty, `data` is built from dicts, lists, str, int, float, bool and None only (dates stay
strings: the schema and the course model parse them), and `lines` maps each value's location
(a tuple of keys and indices) to its 1-based line; every course YAML file is a mapping, so `data` is
a dict. The file is read by `text_files.read_author_text` (size limit, UTF-8 at its line and
column, a leading byte order mark dropped). A syntax error, a duplicate key, an unsupported tag, a value that does not fit its tag
(`!!int abc`), a file that is not UTF-8 or not a mapping, a character XML cannot store, an alias
(`*name`: never needed in course content, and a few bytes of aliases can expand to millions of
values) or nesting deeper than `MAX_DEPTH` becomes a `Problem` located at `shown_as:line`, never an
exception, and costs work in proportion to the file's size.

Two loaders give the same result: libyaml's C parser with the data composed from its events
(yaml_events), used when PyYAML has libyaml (`yaml.__with_libyaml__`; about 10 times faster), and
PyYAML's pure-Python SafeLoader (`_SafeLineLoader`), used otherwise. The fast loader handles what
course content is made of; the pure-Python loader reads every other text, so that its problems
(and their lines) are exactly the ones it has always reported: any error of the C parser (a syntax
error; libyaml's own limit of 1,000 nesting levels), a tag, an anchor, an alias, nesting past
`MAX_DEPTH`, a second document, a plain value holding `?` in a flow collection, and a text holding
a character the two read differently (see `_libyaml_reads_as_pyyaml`). Both apply yaml_rules.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from rpt_xblocks.author_input import yaml_events
from rpt_xblocks.author_input.problems import Problem
from rpt_xblocks.author_input.text_files import read_author_text
from rpt_xblocks.author_input.xml_characters import line_of_offset
from rpt_xblocks.author_input.yaml_rules import (IMPLICIT_RESOLVERS, MAX_DEPTH, Refused, duplicate_key, key_not_text, refuse_alias,
                                   refuse_depth, scalar)

__all__ = ["MAX_DEPTH", "LineMap", "Location", "load_yaml"]

USE_LIBYAML = yaml.__with_libyaml__  # tests set it False to run the pure-Python loader alone
Location = tuple  # keys (str) and list indices (int) from the document root


class _SafeLineLoader(yaml.SafeLoader):
    """SafeLoader that leaves timestamps as strings (authors write dates; we parse them ourselves),
    refuses aliases and stops composing deeper than `MAX_DEPTH` levels (PyYAML composes recursively)."""

    yaml_implicit_resolvers = IMPLICIT_RESOLVERS
    _depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise refuse_alias(self.peek_event().start_mark)
        if self._depth >= MAX_DEPTH:
            raise refuse_depth(self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


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
    text, problem = read_author_text(path, shown_as)
    if problem is not None:
        return None, LineMap(shown_as), [problem]
    if USE_LIBYAML and _libyaml_reads_as_pyyaml(text):
        try:
            return _load_with_libyaml(text, shown_as)
        except yaml.YAMLError:  # the pure-Python loader reads it and says what is wrong, as it always has
            pass
    return _load_with_python(text, shown_as)


def _libyaml_reads_as_pyyaml(text: str) -> bool:
    """False for a text holding something where the two part ways: a character YAML does not allow
    (PyYAML reports it before parsing, libyaml where its reading gets to), a tab (libyaml accepts
    one after a value or a colon, where PyYAML finds "a character that cannot start any token"), a
    line break other than LF and CR (NEL, U+2028, U+2029), a byte order mark after the start
    (libyaml skips one at the start of any line) or `#` right after a block scalar's `|` or `>` and
    its indicators (libyaml takes it for a comment, PyYAML reports a syntax error)."""
    return _NOT_FOR_LIBYAML.search(text, 1 if text.startswith("\ufeff") else 0) is None


_NOT_FOR_LIBYAML = re.compile("[^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
                              "|[|>][-+0-9]*#")


def _load_with_libyaml(text: str, shown_as: str):
    """As `load_yaml`, or raises `yaml.YAMLError` for a text to read with the pure-Python loader."""
    lines = LineMap(shown_as)
    root, root_line, problems = yaml_events.compose(text, lines)
    if root_line is None:
        return None, LineMap(shown_as), [_empty(shown_as)]
    if not isinstance(root, dict):
        return None, LineMap(shown_as), [_not_a_mapping(shown_as, root_line)]
    return root, lines, problems


def _load_with_python(text: str, shown_as: str):
    lines = LineMap(shown_as)
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
            return None, lines, [_empty(shown_as)]
        if not isinstance(node, yaml.MappingNode):
            return None, lines, [_not_a_mapping(shown_as, node.start_mark.line + 1)]
        data = _construct(node, (), lines, problems)
    except Refused as exc:
        return None, lines, [_refused(shown_as, exc)]
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


def _empty(shown_as: str) -> Problem:
    return Problem(shown_as, 1, "the file is empty — write the YAML mapping this file needs (see course_content/README.md)")


def _not_a_mapping(shown_as: str, line: int) -> Problem:
    return Problem(shown_as, line, "the file must be a mapping of keys and values (lines like `title: ...`) "
                                   "— write the keys this file needs (see course_content/README.md)")


def _refused(shown_as: str, exc: Refused) -> Problem:
    return Problem(shown_as, exc.problem_mark.line + 1, f"{exc.problem} — {exc.fix}")


def _code(character) -> int:
    """PyYAML's reader reports the character as a one-character string or as its code."""
    return character if isinstance(character, int) else ord(character)


def _construct(node, location, lines: LineMap, problems: list[Problem]):
    lines.record(location, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = _construct(key_node, location + ("<key>",), lines, problems)
            if not isinstance(key, str):
                problems.append(Problem(lines.shown_as, key_node.start_mark.line + 1, key_not_text(key)))
                continue
            if key in result:
                problems.append(Problem(lines.shown_as, key_node.start_mark.line + 1,
                                        duplicate_key(key, lines.line(location + (key,)))))
                continue
            lines.record(location + (key,), key_node.start_mark.line + 1)
            result[key] = _construct(value_node, location + (key,), lines, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, location + (index,), lines, problems) for index, item in enumerate(node.value)]
    value, messages = scalar(node.tag, node.value)
    problems.extend(Problem(lines.shown_as, node.start_mark.line + 1, message) for message in messages)
    return value
