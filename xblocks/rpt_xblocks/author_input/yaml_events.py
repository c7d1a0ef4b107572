"""Course data composed from libyaml's event stream: yaml_source's fast loader.

Contract: `compose(text, lines)` parses `text` (which yaml_source has checked to hold only LF, CR
and printable characters YAML allows, none that XML cannot store) with libyaml's C parser
(`yaml.CParser`, present when `yaml.__with_libyaml__`) and builds the data straight from its events, with the rules of
yaml_rules applied exactly as yaml_source's pure-Python loader applies them. It returns
`(root, root_line, problems)`: `root_line` is None for a stream without a document, else the line
where the root value starts; `root` is the document's data when it is a mapping (a dict), else not
a dict; `problems` are the Problems of its values (keys that are not text, duplicate keys,
characters XML cannot store, values that do not fit their resolved type). It records in the
LineMap `lines` the line of every value of a mapping root as yaml_source's construction does.

It composes only what course content is made of, where libyaml and PyYAML are known to agree, and
raises `NotLikePyYAML` at the first event of anything else: a tag, an anchor, an alias, a value
deeper than `MAX_DEPTH` (so recursion is bounded and nesting costs nothing past the limit), a
second document, and a plain value holding `?` inside a flow collection (libyaml reads `[Is it?]`
as one value, PyYAML ends the value at `?` and reports a syntax error). The C parser's own errors
(`yaml.YAMLError`) pass through. yaml_source then reads the text with the pure-Python loader, which
reports each of these exactly as before.
"""
from __future__ import annotations

import sys

from yaml import YAMLError
from yaml.cyaml import CParser
from yaml.events import (MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent,
                         StreamEndEvent)

from rpt_xblocks.author_input.problems import Problem
from rpt_xblocks.author_input.yaml_rules import MAX_DEPTH, STR_TAG, duplicate_key, key_not_text, resolve_tag, scalar


class NotLikePyYAML(YAMLError):
    """The text holds something this composer leaves to PyYAML's pure-Python loader."""


def compose(text: str, lines) -> tuple[object, int | None, list[Problem]]:
    """See the module docstring."""
    parser = CParser(text)
    try:
        return _EventComposer(parser.get_event, lines, _last_line(text)).document()
    finally:
        parser.dispose()


def _last_line(text: str) -> int:
    """The last line libyaml's marks may give, as PyYAML counts lines. libyaml ends a text that does
    not end with a line break on the line after (and marks an empty value at the end there); PyYAML
    on its last line."""
    if text.endswith(("\n", "\r")):
        return sys.maxsize
    return text.count("\n") + text.count("\r") - text.count("\r\n") + 1


class _EventComposer:
    """One document's events, taken one at a time from the parser, turned into data."""

    def __init__(self, next_event, lines, last_line: int):
        self.next_event = next_event
        self.lines = lines
        self.last_line = last_line
        self.problems: list[Problem] = []

    def document(self):
        self.next_event()  # StreamStartEvent
        if self.next_event().__class__ is StreamEndEvent:  # else a DocumentStartEvent
            return None, None, []
        first = self.next_event()
        # Like the pure-Python loader, which composes the whole document before it constructs data:
        # a root that is not a mapping is composed but not recorded.
        root = self.value(first, (), 0, first.__class__ is MappingStartEvent, False)
        self.next_event()  # DocumentEndEvent
        if self.next_event().__class__ is not StreamEndEvent:
            raise NotLikePyYAML("a second document")
        return root, self._line(first), self.problems

    def _line(self, event) -> int:
        line = event.start_mark.line + 1
        return line if line <= self.last_line else self.last_line

    def value(self, event, location: tuple, depth: int, record: bool, in_flow: bool):
        """The value that starts with `event`, its line recorded at `location` (its lines and
        problems are not recorded, only its events consumed, when `record` is False: the value of a
        duplicate key or of a key that is not text, which the pure-Python loader never constructs);
        `in_flow` when it is inside a [flow] or {flow} collection."""
        kind = event.__class__
        if kind is not ScalarEvent and kind is not SequenceStartEvent and kind is not MappingStartEvent:
            raise NotLikePyYAML("an alias")
        if event.tag is not None or event.anchor is not None:
            raise NotLikePyYAML("a tag or an anchor")
        if depth >= MAX_DEPTH:
            raise NotLikePyYAML("nesting past MAX_DEPTH")
        line = self._line(event)
        if record:
            self.lines.record(location, line)
        if kind is ScalarEvent:
            if in_flow and not event.style and "?" in event.value:
                raise NotLikePyYAML("a plain value holding '?' in a flow collection")
            if not record:
                return None
            tag = resolve_tag(event.value, event.implicit) if event.implicit[0] else STR_TAG
            if tag == STR_TAG and event.style != '"':
                # yaml_source sends no text holding a character XML cannot store; only an escape
                # of a "double-quoted" value can make one
                return event.value
            result, messages = scalar(tag, event.value)
            self.problems.extend(Problem(self.lines.shown_as, line, message) for message in messages)
            return result
        if kind is SequenceStartEvent:
            return self._sequence(location, depth + 1, record, in_flow or event.flow_style)
        return self._mapping(location, depth + 1, record, in_flow or event.flow_style)

    def _sequence(self, location: tuple, depth: int, record: bool, in_flow: bool) -> list:
        result = []
        event = self.next_event()
        while event.__class__ is not SequenceEndEvent:
            result.append(self.value(event, location + (len(result),), depth, record, in_flow))
            event = self.next_event()
        return result

    def _mapping(self, location: tuple, depth: int, record: bool, in_flow: bool) -> dict:
        result = {}
        event = self.next_event()
        while event.__class__ is not MappingEndEvent:
            key_line = self._line(event)
            key = self.value(event, location + ("<key>",), depth, record, in_flow)
            keep = record
            if not record:
                pass
            elif not isinstance(key, str):
                self.problems.append(Problem(self.lines.shown_as, key_line, key_not_text(key)))
                keep = False
            elif key in result:
                self.problems.append(Problem(self.lines.shown_as, key_line,
                                             duplicate_key(key, self.lines.line(location + (key,)))))
                keep = False
            else:
                self.lines.record(location + (key,), key_line)
            item = self.value(self.next_event(), location + (key,) if keep else location, depth, keep, in_flow)
            if keep:
                result[key] = item
            event = self.next_event()
        return result
