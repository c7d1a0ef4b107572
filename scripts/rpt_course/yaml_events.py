"""Course data composed from libyaml's event stream: yaml_source's fast loader.

Contract: `compose(source, lines)` parses `source` (UTF-8 bytes or text) with libyaml's C parser
(`yaml.CParser`, present when `yaml.__with_libyaml__`) and builds the data straight from its events,
with the rules of yaml_rules applied as the pure-Python loader applies them. It returns
`(root, root_line, problems)`: `root_line` is None for a stream without a document, else the line
where the root value starts; `root` is the document's data when it is a mapping (a dict), else not
a dict; `problems` are the Problems of its values (unsupported tags, keys that are not text,
duplicate keys, characters XML cannot store). It records in the LineMap `lines` the line of every
value of a mapping root exactly as yaml_source's construction does. It raises `yaml_rules.Refused` at the first
alias or the first value deeper than `MAX_DEPTH` (located at its event, before anything after it is
parsed, so an alias is never expanded and nesting costs nothing past the limit), PyYAML's
`ComposerError` for a duplicate anchor or a second document, and the C parser's own errors
(`yaml.YAMLError`). Recursion is bounded by `MAX_DEPTH`.
"""
from __future__ import annotations

from yaml.composer import ComposerError
from yaml.cyaml import CParser
from yaml.events import (AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent,
                         SequenceStartEvent, StreamEndEvent)

from rpt_course.problems import Problem
from rpt_course.yaml_rules import (MAX_DEPTH, duplicate_key, key_not_text, refuse_alias, refuse_depth, resolve_tag,
                                   scalar)


def compose(source, lines) -> tuple[object, int | None, list[Problem]]:
    """See the module docstring."""
    parser = CParser(source)
    try:
        return _EventComposer(parser.get_event, lines).document()
    finally:
        parser.dispose()


class _EventComposer:
    """One document's events, taken one at a time from the parser, turned into data."""

    def __init__(self, next_event, lines):
        self.next_event = next_event
        self.lines = lines
        self.problems: list[Problem] = []
        self.anchors: dict = {}  # anchor name -> mark of its first use

    def document(self):
        self.next_event()  # StreamStartEvent
        if self.next_event().__class__ is StreamEndEvent:  # else a DocumentStartEvent
            return None, None, []
        first = self.next_event()
        # Like the pure-Python loader, which composes the whole document before it constructs data:
        # a root that is not a mapping is composed (aliases and nesting refused) but not recorded.
        root = self.value(first, (), 0, first.__class__ is MappingStartEvent)
        self.next_event()  # DocumentEndEvent
        after = self.next_event()
        if after.__class__ is not StreamEndEvent:
            raise ComposerError("expected a single document in the stream", first.start_mark,
                                "but found another document", after.start_mark)
        return root, first.start_mark.line + 1, self.problems

    def value(self, event, location: tuple, depth: int, record: bool):
        """The value that starts with `event`, its line recorded at `location` (its lines and
        problems are not recorded, only its events consumed, when `record` is False: the value of a
        duplicate key or of a key that is not text, which the Python loader never constructs)."""
        kind = event.__class__
        if kind is AliasEvent:
            raise refuse_alias(event.start_mark)
        if depth >= MAX_DEPTH:
            raise refuse_depth(event.start_mark)
        if event.anchor is not None:
            if event.anchor in self.anchors:
                raise ComposerError(f"found duplicate anchor {event.anchor!r}; first occurrence",
                                    self.anchors[event.anchor], "second occurrence", event.start_mark)
            self.anchors[event.anchor] = event.start_mark
        line = event.start_mark.line + 1
        if record:
            self.lines.record(location, line)
        if kind is ScalarEvent:
            if not record:
                return None
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve_tag(event.value, event.implicit)
            result, messages = scalar(tag, event.value)
            self.problems.extend(Problem(self.lines.shown_as, line, message) for message in messages)
            return result
        if kind is SequenceStartEvent:
            return self._sequence(location, depth + 1, record)
        return self._mapping(location, depth + 1, record)

    def _sequence(self, location: tuple, depth: int, record: bool) -> list:
        result = []
        event = self.next_event()
        while event.__class__ is not SequenceEndEvent:
            result.append(self.value(event, location + (len(result),), depth, record))
            event = self.next_event()
        return result

    def _mapping(self, location: tuple, depth: int, record: bool) -> dict:
        result = {}
        event = self.next_event()
        while event.__class__ is not MappingEndEvent:
            key_line = event.start_mark.line + 1
            key = self.value(event, location + ("<key>",), depth, record)
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
            item = self.value(self.next_event(), location + (key,) if keep else location, depth, keep)
            if keep:
                result[key] = item
            event = self.next_event()
        return result
