"""The blocks keep no state outside XBlock fields and the records database, so any number of LMS
workers can serve them.

What a worker's memory may hold: constants, and caches of pure functions of the package's own files
or code constants (listed below with the reason). What it may not: anything written while serving a
request — a module- or class-level container that code mutates, a `global`/`nonlocal` rebinding,
an attribute set on a block that is not one of its fields, or a class attribute set at run time.
The checks read the source (ast); the last one also runs every handler of every block and looks
at what the instance holds afterwards.
"""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from webob import Request
from xblock.core import XBlock
from xblock.fields import Field

PACKAGE = Path(__file__).resolve().parents[2] / "xblocks" / "rpt_xblocks"
SOURCES = sorted(PACKAGE.rglob("*.py"))
MUTATORS = {"append", "extend", "update", "add", "setdefault", "pop", "popitem", "clear", "insert", "remove",
            "discard", "sort", "reverse", "__setitem__", "__delitem__"}
ALLOWED_CACHES = {
    ("tracker/requirements.py", "_shipped"): "the shipped requirement sets: a pure function of package data files",
    ("dosimetry/physics.py", "_dimensionality"): "a unit's dimensionality: a pure function of a unit string from code",
    ("sanitizing.py", "sanitize"): "sanitized author text: a pure function of the text, bounded (4,096 entries)",
    ("tracker/requirements.py", "_from_json_text"): "an institution's requirement set checked once: an immutable "
                                                    "RequirementSet, a pure function of the author's stored set, "
                                                    "bounded (256 entries)",
    ("author_input/schema_check.py", "_validator_of"): "a JSON Schema validator: a pure function of the schema's "
                                                        "text (package files), bounded (32 entries)",
    ("quantities.py", "_author_unit"): "an author's unit read once: an immutable Pint Unit, a pure function of the "
                                       "unit text of a question, parameter or step, bounded (256 entries)",
    ("dosimetry/walkthrough_view.py", "_parameter_unit_symbol"): "a walkthrough parameter's unit written out: a pure "
                                                               "function of the author's unit, bounded (256 entries)",
    ("dosimetry/formula.py", "parsed"): "a walkthrough's formula read once: an immutable Formula, a pure function of "
                                        "the author's formula text, bounded (1,024 entries)",
}
TAGS = ("rpt_quiz", "rpt_dosimetry", "rpt_prereq_tracker")


def _module_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(PACKAGE)) for p in SOURCES])
def test_no_code_writes_module_or_class_state(path):
    tree = ast.parse(path.read_text("utf-8"))
    shared = _module_names(tree)
    problems = []
    for function in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
        local = {a.arg for a in function.args.args + function.args.kwonlyargs}
        local |= {t.id for n in ast.walk(function) if isinstance(n, (ast.Assign, ast.For, ast.With, ast.comprehension))
                  for t in ast.walk(n) if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)}
        for node in ast.walk(function):
            if isinstance(node, (ast.Global, ast.Nonlocal)):
                problems.append(f"line {node.lineno}: {type(node).__name__.lower()} {', '.join(node.names)}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in shared - local):
                problems.append(f"line {node.lineno}: {node.func.value.id}.{node.func.attr}(...) changes module state")
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
                for target in (node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]):
                    base = target.value if isinstance(target, (ast.Subscript, ast.Attribute)) else None
                    if isinstance(base, ast.Name) and base.id in shared - local:
                        problems.append(f"line {node.lineno}: writes into module-level {base.id}")
                    if isinstance(base, ast.Name) and base.id == "cls" and isinstance(target, ast.Attribute):
                        problems.append(f"line {node.lineno}: sets class attribute cls.{target.attr}")
    assert problems == []


def test_the_only_caches_are_the_listed_pure_ones():
    found = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    target = decorator.func if isinstance(decorator, ast.Call) else decorator
                    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                    if name in ("cache", "lru_cache", "cached_property"):
                        found.add((str(path.relative_to(PACKAGE)), node.name))
    assert found == set(ALLOWED_CACHES)


HANDLER_CALLS = {
    "rpt_quiz": [("state", {}), ("submit", {"answers": {}}), ("hint", {"question": "x", "index": 0}), ("reset", {})],
    "rpt_dosimetry": [("state", {}), ("hint", {"step": "remaining", "index": 0}),
                      ("check_step", {"step": "remaining", "answer": "0.5"})],
    "rpt_prereq_tracker": [("state", {}), ("set_plan", {"application_date": None, "categories": ["G3"]}),
                           ("add_entry", {"kind": "declaration", "fields": {"requirement": "astro_membership",
                                                                           "date": "2026-01-05", "reference": ""}}),
                           ("delete_entry", {"entry": "e1"}), ("review_entry", {"learner": "x", "entry": "e1",
                                                                               "decision": "verified"})],
}


@pytest.mark.parametrize("tag", TAGS)
def test_serving_requests_leaves_nothing_but_fields_on_the_block(tag, load_olx, runtime):
    """Run the block's views and handlers; then the instance may hold only what XBlock itself keeps."""
    from importlib import resources
    package = {"rpt_quiz": "quiz", "rpt_dosimetry": "dosimetry", "rpt_prereq_tracker": "tracker"}[tag]
    example = resources.files(f"rpt_xblocks.{package}").joinpath("scenarios/example.xml").read_text("utf-8")
    from lxml import etree
    element = next(etree.fromstring(example.encode()).iter(tag))
    block = load_olx(etree.tostring(element, encoding="unicode"))
    cls = type(block)
    class_state = {k: v for k, v in vars(cls).items() if not k.startswith("__")}
    baseline = set(vars(block))
    block.render("student_view", {})
    block.render("studio_view", {})
    for handler, payload in HANDLER_CALLS[tag]:
        block.handle(handler, Request.blank("/", method="POST", body=json.dumps(payload).encode()))
    added = set(vars(block)) - baseline
    field_names = set(block.fields)
    assert {name for name in added if name not in field_names and not name.startswith("_")} == set()
    assert {k: v for k, v in vars(cls).items() if not k.startswith("__")} == class_state
    assert all(isinstance(getattr(cls, name), Field) for name in field_names)
    assert issubclass(cls, XBlock)
