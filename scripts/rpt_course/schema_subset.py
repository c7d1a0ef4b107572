"""A quick "yes" for data that plainly conforms to a JSON Schema, before jsonschema is asked.

Contract: `plainly_valid(schema, data)` returns True only when jsonschema (draft 2020-12) would find
no error in `data`; False means "not shown here": the data may be invalid, or the schema or data use
something this module does not decide, and the caller must ask jsonschema (which also phrases the
errors). What it decides, reading the schema document itself (so there is no second copy of any
rule): the keywords in DECIDED, with `type` a single name, `enum` a list of strings and
`additionalProperties` false; annotations (ANNOTATIONS) are ignored. Data is decided only when made
of exact JSON types (dict, list, str, int, float, bool, None: no subclasses, no tuples); an
"integer" must be an int, and a bool never counts as a number. Any other keyword ($ref, $defs,
anyOf, patternProperties, format, ...) anywhere it is reached gives False.

Why: the tracker checks its own requirement sets, stored in a block field, against
requirement_set.schema.json on every request; jsonschema's generic validation was the largest
single cost of `add_entry` (docs/benchmarks.md). tests/tracker/test_schema_subset.py checks, on
arbitrary data, that a True here always matches no error from jsonschema.
"""
from __future__ import annotations

import re

DECIDED = frozenset({"type", "properties", "additionalProperties", "required", "items", "minItems", "enum",
                     "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum"})
ANNOTATIONS = frozenset({"$schema", "$id", "title", "description"})
_KNOWN = DECIDED | ANNOTATIONS
_TYPES = {"object": (dict,), "array": (list,), "string": (str,), "integer": (int,), "number": (int, float),
          "boolean": (bool,), "null": (type(None),)}
_JSON_TYPES = (dict, list, str, int, float, bool, type(None))


def plainly_valid(schema, data) -> bool:
    """See the module docstring."""
    if type(schema) is not dict or not schema.keys() <= _KNOWN or type(data) not in _JSON_TYPES:
        return False
    kind = schema.get("type")
    if kind is not None and (type(kind) is not str or type(data) not in _TYPES.get(kind, ())):
        return False
    if "enum" in schema:
        choices = schema["enum"]
        if type(choices) is not list or not all(type(c) is str for c in choices) or type(data) is not str \
                or data not in choices:
            return False
    if type(data) is str:
        return _string_ok(schema, data)
    if type(data) in (int, float):
        return _number_ok(schema, data)
    if type(data) is list:
        return _array_ok(schema, data)
    if type(data) is dict:
        return _object_ok(schema, data)
    return True


def _string_ok(schema: dict, data: str) -> bool:
    if "minLength" in schema and not (type(schema["minLength"]) is int and len(data) >= schema["minLength"]):
        return False
    if "maxLength" in schema and not (type(schema["maxLength"]) is int and len(data) <= schema["maxLength"]):
        return False
    pattern = schema.get("pattern")
    return pattern is None or (type(pattern) is str and re.search(pattern, data) is not None)


def _number_ok(schema: dict, data: int | float) -> bool:
    bounds = (("minimum", lambda limit: data >= limit), ("maximum", lambda limit: data <= limit),
              ("exclusiveMinimum", lambda limit: data > limit))
    return all(name not in schema or (type(schema[name]) in (int, float) and holds(schema[name]))
               for name, holds in bounds)


def _array_ok(schema: dict, data: list) -> bool:
    if "minItems" in schema and not (type(schema["minItems"]) is int and len(data) >= schema["minItems"]):
        return False
    return "items" not in schema or all(plainly_valid(schema["items"], item) for item in data)


def _object_ok(schema: dict, data: dict) -> bool:
    properties = schema.get("properties", {})
    required = schema.get("required", [])
    others_allowed = schema.get("additionalProperties", True)
    if type(properties) is not dict or type(required) is not list or type(others_allowed) is not bool:
        return False
    if not all(type(key) is str and key in data for key in required):
        return False
    for key, value in data.items():
        if key in properties:
            if not plainly_valid(properties[key], value):
                return False
        elif not others_allowed or type(value) not in _JSON_TYPES:
            return False
    return True
