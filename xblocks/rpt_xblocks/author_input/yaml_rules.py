"""What a course YAML file may hold: the rules both of yaml_source's loaders apply, in one place.

Contract: `MAX_DEPTH`, the refusals `refuse_alias(mark)` and `refuse_depth(mark)` (a `Refused`
error, located at `mark`), `resolve_tag(value, implicit)` (PyYAML's SafeLoader resolution of an
untagged scalar, except that timestamps stay strings and that 6.022e23, 1e-3 are numbers as in YAML 1.2), `scalar(tag, value)` (the Python value of a
scalar with its tag, and the messages of what is wrong with it) and the messages about mapping keys.
The pure-Python loader (yaml_source) and the libyaml event composer (yaml_events) both use them, so
that both give the same data and the same problems.
"""
from __future__ import annotations

import re

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from rpt_xblocks.author_input.xml_characters import first_unstorable

MAX_DEPTH = 40  # values on one path from the root, leaf included; course files need about 8

STR_TAG = "tag:yaml.org,2002:str"
PLAIN_TAGS = {STR_TAG, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
              "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}

# SafeLoader's implicit resolvers without the timestamp one (authors write dates, the schema and the
# course model parse them), and with YAML 1.2's power-of-ten numbers: SafeLoader (YAML 1.1) reads a
# float only with a point and a signed exponent (6.022e+23), so 6.022e23, 1e-3 and 7E9 were text and
# a number field refused them. They are numbers here, as in YAML 1.2 and as authors mean them.
FLOAT_TAG, INT_TAG = "tag:yaml.org,2002:float", "tag:yaml.org,2002:int"
POWER_OF_TEN = re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$")
IMPLICIT_RESOLVERS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    + ([(FLOAT_TAG, POWER_OF_TEN)] if first in tuple("+-.0123456789") else [])
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _CourseResolver(Resolver):
    yaml_implicit_resolvers = IMPLICIT_RESOLVERS


_RESOLVER = _CourseResolver()
_CONSTRUCTOR = SafeConstructor()  # its scalar constructors keep no state between calls


class Refused(yaml.MarkedYAMLError):
    """YAML that parses but that course content never needs: `problem` says what, `fix` how."""

    def __init__(self, problem: str, fix: str, mark):
        super().__init__(problem=problem, problem_mark=mark)
        self.fix = fix


def refuse_alias(mark) -> Refused:
    return Refused("an alias (*name) repeats a value marked with &name",
                   "write the value out in full: course files do not use anchors and aliases", mark)


def refuse_depth(mark) -> Refused:
    return Refused(f"the values nest more than {MAX_DEPTH} levels deep",
                   "check the indentation and the brackets: course files need about 8 levels", mark)


def resolve_tag(value: str, implicit) -> str:
    """The tag SafeLoader gives a scalar written without one (or with the non-specific `!`)."""
    return _RESOLVER.resolve(ScalarNode, value, implicit)


def scalar(tag: str, value: str) -> tuple[object, list[str]]:
    """The value of a scalar tagged `tag`, and messages (`what — how`) of what is wrong with it."""
    if tag not in PLAIN_TAGS:
        return None, [f"unsupported YAML tag {tag} — remove the tag and write a plain value"]
    found = []
    unstorable = first_unstorable(value)
    if unstorable is not None:
        found.append(unstorable[1])
    if tag == STR_TAG:
        return value, found
    try:
        return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, ScalarNode(tag, value)), found
    except (ValueError, LookupError):  # `!!int abc`, `!!bool maybe`, `!!int ""`, `0x_`, an int of over 4300 digits
        kind = tag.rsplit(":", 1)[-1]
        found.append(f"the value {value[:40]!r} cannot be read as {kind} — write a valid {kind}, "
                     f"or put the value in quotes (without a !!{kind} tag) to keep it as text")
        return None, found


def key_not_text(key) -> str:
    return f"the key {key!r} is not text — write keys as plain words like `title`"


def duplicate_key(key: str, first_line: int) -> str:
    return f"duplicate key '{key}' (first given on line {first_line}) — keep only one"
