"""The JSON Schemas of the course's YAML files (rpt_course/schema/), by file name.

Contract: `course_schema(name)` returns the schema file `name` ("quiz.schema.json") shipped in this
package, for `rpt_xblocks.author_input.schema_check`; an unknown name fails when the file is read.
"""
from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def course_schema(name: str) -> Traversable:
    return resources.files("rpt_course").joinpath("schema", name)
