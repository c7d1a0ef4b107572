"""The tracker's OLX: `<rpt_prereq_tracker sets="ids…">` with institution sets as child elements.

Contract: `tracker_from_xml(element)` -> (fields dict, problems list of author messages);
`tracker_to_xml(fields)` -> the element; the two round-trip. Shape:

    <rpt_prereq_tracker display_name="…" sets="nrc-35-390 nrc-35-396">
      <requirement_set id="…" title="…" citation="…" description="…">
        <requirement id="…" kind="cases" title="…" citation="…" quantity="3" unit="cases" category="G3"/>
      </requirement_set>
    </rpt_prereq_tracker>

`sets` names shipped sets (`requirements.shipped_sets()`); each child is a set of the institution's
own (an Agreement State's, say), checked with `requirement_set_from_data`.
"""
from __future__ import annotations

from lxml import etree

from rpt_xblocks.tracker.requirements import RequirementSetError, requirement_set_from_data, shipped_sets

TAG = "rpt_prereq_tracker"
_LISTS = ("topics",)
_NUMBERS = {"quantity": float, "years": int}


def _requirement_from(element) -> dict:
    data = dict(element.attrib)
    for name in _LISTS:
        if name in data:
            data[name] = data[name].split()
    for name, kind in _NUMBERS.items():
        if name in data:
            try:
                data[name] = kind(data[name])
            except ValueError:
                pass  # left as text: requirement_set_from_data reports it
    return data


def tracker_from_xml(element) -> tuple[dict, list[str]]:
    problems = []
    if element.tag != TAG:
        return {}, [f"the element is <{element.tag}>, not <{TAG}> — rename it"]
    known = shipped_sets()
    set_ids = (element.get("sets") or "").split()
    for set_id in set_ids:
        if set_id not in known:
            problems.append(f"sets: “{set_id}” is not a shipped requirement set — use one of {', '.join(known)}, "
                            "or add the set as a <requirement_set> child")
    custom = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag != "requirement_set":
            problems.append(f"<{child.tag}> cannot be inside <{TAG}> — only <requirement_set> elements")
            continue
        data = {**child.attrib, "requirements": [_requirement_from(r) for r in child if isinstance(r.tag, str)]}
        try:
            custom.append(requirement_set_from_data(data).to_data())
        except RequirementSetError as error:
            problems.append(f"requirement set “{child.get('id', '?')}”: {error}")
    if not set_ids and not custom:
        problems.append("the tracker shows no requirement set — name shipped sets in sets=\"…\" or add a "
                        "<requirement_set>")
    ids = set_ids + [c["id"] for c in custom]
    if len(set(ids)) != len(ids):
        problems.append("a requirement set is named twice — list each set once")
    fields = {"sets": " ".join(set_ids), "custom_sets": custom}
    if element.get("display_name"):
        fields["display_name"] = element.get("display_name")
    return fields, problems


def tracker_to_xml(display_name: str, set_ids: list, custom_sets: list) -> etree._Element:
    root = etree.Element(TAG, display_name=display_name, sets=" ".join(set_ids))
    for data in custom_sets:
        child = etree.SubElement(root, "requirement_set",
                                 {k: str(v) for k, v in data.items() if k != "requirements" and v not in (None, "")})
        for requirement in data["requirements"]:
            attributes = {}
            for name, value in requirement.items():
                if value in (None, "", [], ()):
                    continue
                if name in _LISTS:
                    value = " ".join(value)
                elif isinstance(value, float) and value.is_integer():
                    value = int(value)
                attributes[name] = str(value)
            etree.SubElement(child, "requirement", attributes)
    return root
