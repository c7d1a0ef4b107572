"""Check YAML data against a declared JSON Schema, reporting every error at once.

Contract: `schema_problems(schema, data, lines)` returns a list of `Problem`s (empty when
the data conforms), each located at the line of the offending value and phrased for an author:
what is wrong, then how to fix it (taken from the schema's `description`s where present).
`schema` is the schema file, as a `pathlib.Path` or an `importlib.resources` traversable, so that
each package checks its data against a schema it ships (the authoring command's in
rpt_course/schema/, the tracker's requirement sets beside the tracker).

Both take an optional `CheckMemo` (check_memo.py) that may know the data clean: the check is named
`"schema"` and its inputs are the schema's text and `repr(data)` (data is plain dicts, lists, str,
int, float, bool and None, whose repr tells any two apart).
"""
from __future__ import annotations

import difflib
import functools
import json
from importlib.resources.abc import Traversable
from os import PathLike, fspath
from pathlib import Path

from jsonschema import Draft202012Validator

from rpt_xblocks.author_input.check_memo import CheckMemo, checked
from rpt_xblocks.author_input.problems import Problem
from rpt_xblocks.author_input.yaml_rules import FLOAT_TAG, INT_TAG, resolve_tag
from rpt_xblocks.author_input.yaml_source import LineMap, load_yaml

SchemaSource = PathLike | Traversable  # the schema file


def _schema_file(schema: SchemaSource):
    if hasattr(schema, "read_text"):
        return schema
    return Path(fspath(schema))


@functools.lru_cache(maxsize=32)
def _validator_of(document: str) -> Draft202012Validator:
    """A validator of the schema text `document`, checked against its metaschema: a pure function of
    the text (the schemas are package files), kept so each schema is checked once per process."""
    schema = json.loads(document)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_problems(schema: SchemaSource, data, lines: LineMap, memo: CheckMemo | None = None) -> list[Problem]:
    """All schema violations of `data` as author-facing problems (the schema file is read each time;
    the checked validator is kept per text)."""
    document = _schema_file(schema).read_text("utf-8")

    def run() -> list[Problem]:
        problems = []
        for error in _validator_of(document).iter_errors(data):
            problems.extend(_explain(error, lines))
        return problems

    return checked(memo, "schema", lambda: (document, repr(data)), run)


def _name(location) -> str:
    """A readable name for a location: the last key, or `item N of KEY`."""
    for index in range(len(location) - 1, -1, -1):
        if isinstance(location[index], str):
            key = location[index]
            trailing = [i for i in location[index + 1:] if isinstance(i, int)]
            return f"item {trailing[-1] + 1} of '{key}'" if trailing else f"'{key}'"
    return "the file"


def _hint(schema: dict) -> str:
    description = schema.get("description") if isinstance(schema, dict) else None
    return f" — write {description}" if description else ""


def _explain(error, lines: LineMap) -> list[Problem]:
    location = tuple(error.absolute_path)
    name = _name(location)
    kind = error.validator
    schema = error.schema
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = [key for key in error.instance if key not in schema.get("properties", {})]
        found = []
        for key in extra:
            close = difflib.get_close_matches(key, allowed, n=1)
            fix = f"did you mean '{close[0]}'?" if close else "remove it"
            found.append(lines.problem(location + (key,),
                                       f"unknown key '{key}' — {fix} (allowed here: {', '.join(allowed)})"))
        return found
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        sub = schema.get("properties", {}).get(missing, {})
        hint = sub.get("description") if isinstance(sub, dict) else None
        how = f"add `{missing}:` with {hint}" if hint else f"add `{missing}:`"
        return [lines.problem(location, f"{name} lacks the required key '{missing}' — {how}")]
    if kind == "type":
        expected = schema.get("type")
        shown = json.dumps(error.instance, default=str) if not isinstance(error.instance, (dict, list)) else type(error.instance).__name__
        hint = _hint(schema)
        if expected == "string":
            how = f"{hint} (put text in quotes, e.g. '2027')" if hint else " — put text in quotes, e.g. '2027'"
        elif isinstance(error.instance, str) and _number_in_text(error.instance) and _wants_number(expected):
            how = f" — write {error.instance.strip()} without quotes (in quotes a number is text)"
        else:
            how = hint or f" — {_HOW_TO_WRITE.get(expected, 'write ' + _article(expected) + ' here')}"
        return [lines.problem(location, f"{name} must be {_article(expected)}, not {shown}{how}")]
    if kind == "enum":
        choices = ", ".join(str(c) for c in schema["enum"])
        return [lines.problem(location, f"{name} is {json.dumps(error.instance, default=str)}, which is not one of: {choices} — use one of those")]
    if kind in {"pattern", "minLength", "maxLength"}:
        return [lines.problem(location, f"{name} has the value {json.dumps(error.instance, default=str)}, which is not allowed here{_hint(schema) or ' — write a non-empty value without unusual characters'}")]
    if kind in {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}:
        return [lines.problem(location, f"{name} is {error.instance}: {error.message.split(' is ', 1)[-1]}{_hint(schema) or ' — use a value in that range'}")]
    if kind in {"minItems", "minProperties"}:
        return [lines.problem(location, f"{name} is empty — add at least one entry{_hint(schema)}")]
    return [lines.problem(location, f"{name}: {error.message}{_hint(schema) or ' — correct the value (see course_content/README.md)'}")]


def _wants_number(expected) -> bool:
    return bool({"number", "integer"} & set([expected] if isinstance(expected, str) else expected or []))


def _number_in_text(text: str) -> bool:
    """Whether YAML reads `text` as a number when it is written without quotes."""
    return resolve_tag(text.strip(), (True, False)) in (FLOAT_TAG, INT_TAG)


_HOW_TO_WRITE = {
    "array": "list the entries under it, each on its own line starting with `- `",
    "object": "write its keys and values under it, indented",
    "integer": "write a whole number such as 3",
    "number": "write a number such as 0.5",
    "boolean": "write true or false",
}


def _article(expected) -> str:
    words = {"string": "text", "integer": "a whole number", "number": "a number", "object": "a mapping of keys",
             "array": "a list", "boolean": "true or false"}
    if isinstance(expected, list):
        return " or ".join(words.get(e, e) for e in expected)
    return words.get(expected, str(expected))


def load_checked_yaml(path, shown: str, schema: SchemaSource, problems: list[Problem], memo: CheckMemo | None = None):
    """Load a YAML file and check it against a schema (see `schema_problems`): `(data, lines)`, or
    None after adding every syntax or schema problem to `problems`."""
    data, lines, found = load_yaml(path, shown)
    problems += found
    if data is None or found:
        return None
    schema_found = schema_problems(schema, data, lines, memo)
    problems += schema_found
    return None if schema_found else (data, lines)
