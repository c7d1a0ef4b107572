"""Compile a tracker's YAML (in a module folder) into the fields of an rpt_prereq_tracker block.

Contract: `compile_tracker(path, shown, content_dir, problems)` returns `(title, set_ids,
institution_sets)` — the latter as `RequirementSet.to_data()` dicts — or None after adding every
problem at `file:line`: YAML syntax, schema, a shipped set id that does not exist, an institution
set file that is missing, outside course_content, or invalid (reported at its own lines).
"""
from __future__ import annotations

from pathlib import Path

from rpt_course.course_schemas import course_schema
from rpt_xblocks.author_input.problems import Problem
from rpt_xblocks.author_input.check_memo import CheckMemo
from rpt_xblocks.author_input.schema_check import load_checked_yaml
from rpt_xblocks.tracker.requirements import load_requirement_set, shipped_sets


def compile_tracker(path: Path, shown: str, content_dir: Path, problems: list[Problem], memo: CheckMemo | None = None):
    loaded = load_checked_yaml(path, shown, course_schema("tracker.schema.json"), problems, memo)
    if loaded is None:
        return None
    data, lines = loaded
    before = len(problems)
    known = shipped_sets()
    for index, set_id in enumerate(data["sets"]):
        if set_id not in known:
            problems.append(lines.problem(("sets", index), f"“{set_id}” is not a shipped requirement set — use one "
                                                           f"of {', '.join(known)}, or list your own file under institution_sets"))
    institution = []
    root = Path(content_dir).resolve()
    for index, relative in enumerate(data.get("institution_sets", [])):
        target = (path.parent / relative).resolve()
        if not target.is_relative_to(root):
            problems.append(lines.problem(("institution_sets", index), f"'{relative}' points outside course_content "
                                                                       "— keep requirement sets inside it"))
            continue
        if not target.is_file():
            problems.append(lines.problem(("institution_sets", index), f"the file '{relative}' does not exist — "
                                                                       "create it or fix the path (relative to this file)"))
            continue
        loaded_set, set_problems = load_requirement_set(target, target.relative_to(root).as_posix())
        problems.extend(set_problems)
        if loaded_set is not None:
            if loaded_set.id in data["sets"] or loaded_set.id in [s["id"] for s in institution]:
                problems.append(lines.problem(("institution_sets", index), f"the set id “{loaded_set.id}” is used twice "
                                                                           "— give your set its own id"))
            institution.append(loaded_set.to_data())
    if not data["sets"] and not data.get("institution_sets"):
        problems.append(lines.problem(("sets",), "the tracker shows no requirement set — list at least one"))
    if len(problems) > before:
        return None
    return data["title"], list(data["sets"]), institution
