"""The clinical review sheet: for each lesson, the sources it cites and what must be signed off.

Contract: `review_sheet(content_dir)` returns docs/clinical-review.md as Markdown text, a pure
function of course_content/ (the same content gives the same text, so a test can tell when the file
is out of date). For every lesson component, in course order (course.yaml's modules, each
module.yaml's sections, units and components), it lists:
- the lesson's footnote citations (`[^name]: text`) with the entries of sources.yaml each names (a
  citation names an entry when it contains one of the entry's `cites` texts, as the build checks);
- a sign-off checklist, one item per kind of statement the lesson makes, naming who signs it and
  what they check it against: the numbers with units it states (each with its line), the
  regulations and NRC guidance it cites or mentions (10 CFR sections, RG, NUREG, forms; with
  whether it says Agreement States may differ), the FDA labels its clinical statements rest on, the
  literature and reference data it cites, the illustrative values of exercises (which must be
  labelled so), figures drawn from the physics code, and every UNCONFIRMED mark (each must be
  confirmed from a primary source or removed before release); and lines for the reviewers' names.
It reads YAML with PyYAML's safe loader and Markdown as text; it reports nothing (the build checks
the content); a file it cannot read is listed as such.

Run `python -m rpt_course.review_sheet [course_content] [-o docs/clinical-review.md] [--check]`:
writes the sheet, or with `--check` exits 1 when the file differs from what the content gives.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

OUTPUT = Path("docs/clinical-review.md")
COMMAND = "python -m rpt_course.review_sheet course_content -o docs/clinical-review.md"

_FOOTNOTE = re.compile(r"^\[\^([^\]]+)\]:\s*(.+)$")
_UNITS = (r"GBq|MBq|kBq|TBq|Bq|Ci|mCi|µCi|μCi|uCi|nCi|Gy|mGy|cGy|µGy|rad|mrad|Sv|mSv|µSv|μSv|rem|mrem|"
          r"R|mR|µR|keV|MeV|eV|nm|µm|μm|mm|cm|m|km|ng|µg|mg|g|kg|mL|L|s|min|h|hours?|d|days?|weeks?|months?|"
          r"years?|%|cGy/h|mR/h|mrem/h|mSv/h|µSv/h|R/h|Gy/h|kBq/kg|MBq/kg|mCi/kg|µCi/kg|GBq/mL|MBq/mL|mCi/mL")
_NUMBER = r"\d[\d,]*(?:\.\d+)?(?:\s?[×x]\s?10\^?-?\d+)?"
_QUANTITY = re.compile(
    rf"(?<![\w.^])(?:±\s?)?{_NUMBER}(?:\s?(?:–|-|to|and|or)\s?{_NUMBER})?\s?(?:{_UNITS})(?![\w/])"
    rf"(?:\s?\((?:±\s?)?{_NUMBER}(?:\s?(?:–|-|to)\s?{_NUMBER})?\s?(?:{_UNITS})\))?")
_CFR_SECTION = re.compile(r"(?<![\d.])(?:10 CFR (?:Part )?)?((?:19|20|30|32|33|35|37)\.\d{1,4}(?:\([A-Za-z0-9]+\))*)")
_GUIDANCE = re.compile(r"\b(?:RG|Regulatory Guide) \d+\.\d+|\bNUREG-\d+(?:, Vol(?:ume|\.) \d+)?|"
                       r"\bNRC Forms? \d+[A-Z]?(?:\([A-Z]+\))?|\bInformation Notice \d{4}-\d+|\bML\d{8}")
_AGREEMENT_STATES = re.compile(r"Agreement State", re.IGNORECASE)
_UNCONFIRMED = re.compile(r"UNCONFIRMED")
_FIGURE = re.compile(r"!\[[^\]]*\]\(/static/([A-Za-z0-9._-]+\.svg)\)")


@dataclass
class Lesson:
    module_title: str
    title: str
    path: str  # relative to the content folder
    unit: str
    component: str
    text: str | None
    footnotes: list[tuple[int, str, str]] = field(default_factory=list)  # (line, name, citation)


def review_sheet(content_dir: Path) -> str:
    content_dir = Path(content_dir)
    course = _yaml(content_dir / "course.yaml")
    sources = _yaml(content_dir / course.get("sources", "sources.yaml")).get("sources", [])
    lessons = list(_lessons(content_dir, course))
    parts = [_HEADER.format(command=COMMAND, count=len(lessons))]
    module = None
    for lesson in lessons:
        if lesson.module_title != module:
            module = lesson.module_title
            parts.append(f"## {module}\n")
        parts.append(_lesson_section(lesson, sources))
    return "\n".join(parts).rstrip() + "\n"


_HEADER = """# Clinical and physics review before release

Generated from course_content/ by `{command}`; do not edit by hand
(a test fails when this file is out of date with the content: regenerate it after changing a lesson).

Every lesson ({count} in all) is listed in course order with the sources its footnotes cite and the
sign-offs it needs before the course is released to learners. Who signs:

- **Medical physicist**: every number with a unit, against the cited source (value, unit and
  conversion between SI and conventional units), and the worked examples recomputed.
- **Radiation safety officer or medical physicist**: every regulatory statement, against the current
  eCFR text (and NRC guidance against its current revision); NRC rules are federal, Agreement States
  may differ, and the lesson should say so where it states a rule.
- **Authorized User physician**: every clinical statement (indication, dosing, preparation,
  administration, side effects, patient instructions), against the current FDA label or the cited
  literature.
- **Anyone able to confirm it from a primary source**: each UNCONFIRMED mark, confirmed (and the
  mark removed) or the statement removed. None may remain at release.
"""


def _yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _lessons(content_dir: Path, course: dict):
    for folder in course.get("modules") or []:
        module = _yaml(content_dir / str(folder) / "module.yaml")
        for section in module.get("sections") or []:
            for unit in section.get("units") or []:
                for component in unit.get("components") or []:
                    if component.get("kind") != "lesson":
                        continue
                    path = content_dir / str(folder) / str(component.get("file"))
                    try:
                        text = path.read_text("utf-8-sig")
                    except (OSError, UnicodeDecodeError):
                        text = None
                    lesson = Lesson(module_title=str(module.get("title", folder)).strip(),
                                    title=str(component.get("title") or unit.get("title", "")).strip(),
                                    path=f"{folder}/{component.get('file')}", unit=str(unit.get("id")),
                                    component=str(component.get("id")), text=text)
                    for number, line in enumerate((text or "").splitlines(), start=1):
                        if match := _FOOTNOTE.match(line):
                            lesson.footnotes.append((number, match[1], match[2].strip()))
                    yield lesson


def _named_sources(citation: str, sources: list[dict]) -> list[dict]:
    return [source for source in sources if any(text in citation for text in source.get("cites", []))]


def _kind(source: dict) -> str:
    title, publisher = source.get("title", ""), source.get("publisher") or ""
    if "Code of Federal Regulations" in title or any(" FR " in text for text in source.get("cites", [])):
        return "regulation"
    if "Nuclear Regulatory Commission" in publisher:
        return "guidance"
    if "Food and Drug Administration" in publisher or "prescribing information" in title.lower():
        return "label"
    if title.startswith(("Illustrative", "Methods of this course")):
        return "exercise"
    return "literature"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")  # Markdown viewers render HTML


def _lesson_section(lesson: Lesson, sources: list[dict]) -> str:
    out = [f"### {lesson.title}\n",
           f"`{lesson.path}` (unit `{lesson.unit}`, component `{lesson.component}`)\n"]
    if lesson.text is None:
        out.append("**The file cannot be read as UTF-8 text: the build reports why. Review it once it builds.**\n")
        return "\n".join(out)
    lines = lesson.text.splitlines()
    cited: dict[str, dict] = {}
    if lesson.footnotes:
        out += ["**Sources cited**\n", "| Line | Footnote | Citation | Source list entry |", "|---|---|---|---|"]
        for number, name, citation in lesson.footnotes:
            named = _named_sources(citation, sources)
            for source in named:
                cited.setdefault(source["id"], source)
            entries = "; ".join(f"`{s['id']}`: {_cell(s.get('title', ''))}" for s in named) or "none (the build refuses this)"
            out.append(f"| {number} | `[^{_cell(name)}]` | {_cell(citation)} | {entries} |")
        out.append("")
    else:
        out.append("**Sources cited**: none (no footnotes). Check that the lesson states no clinical or "
                   "regulatory fact, or add its citations.\n")
    out += ["**Sign-off before release**\n", *_checklist(lines, list(cited.values())),
            "", "Reviewed by (name, role, date): ____________________\n"]
    return "\n".join(out)


def _checklist(lines: list[str], cited: list[dict]) -> list[str]:
    items = []
    quantities = _quantities(lines)
    if quantities:
        items.append(f"- [ ] **Numbers** (medical physicist): each of these {len(quantities)} values matches its "
                     "cited source, with its unit and conversion (numbers without a unit, such as factors, are "
                     "not listed: check them in the text too):")
        items += [f"  - line {number}: {quantity}" for quantity, number in quantities]
    else:
        items.append("- [ ] **Numbers** (medical physicist): the lesson states no number with a unit; confirm "
                     "nothing quantitative is implied without one.")
    worked = [number for number, line in enumerate(lines, start=1)
              if re.search(r"\d", line) and re.search(r"(?<![<>!=])=(?!=)|×|÷", line) and not _FOOTNOTE.match(line)]
    if worked:
        items.append(f"- [ ] **Worked calculations** (medical physicist): recomputed, with the units carried through, "
                     f"on line{'s' if len(worked) > 1 else ''} {', '.join(map(str, worked))}.")
    sections, guidance = _regulatory(lines)
    by_kind: dict[str, list[dict]] = {}
    for source in cited:
        by_kind.setdefault(_kind(source), []).append(source)
    if sections or "regulation" in by_kind:
        names = ", ".join(sections) or ", ".join(s["cites"][0] for s in by_kind["regulation"])
        says = ("it says Agreement States may differ" if any(_AGREEMENT_STATES.search(line) for line in lines)
                else "it does not mention Agreement States: confirm that needs no note here")
        items.append(f"- [ ] **Regulatory statements** (RSO or medical physicist, against the current eCFR): what "
                     f"the lesson says each of these requires is what the rule's text requires: {names}; {says}.")
    named_guidance = guidance + [s["cites"][0] for s in by_kind.get("guidance", []) if not any(
        text in " ".join(guidance) for text in s["cites"])]
    if named_guidance:
        items.append("- [ ] **NRC guidance and forms** (RSO or medical physicist, against the current revision): "
                     f"{', '.join(dict.fromkeys(named_guidance))}; guidance is not a rule, and the lesson must not "
                     "present it as one.")
    if "label" in by_kind:
        labels = ", ".join(s["cites"][0] for s in by_kind["label"])
        items.append(f"- [ ] **Clinical statements from FDA labels** (Authorized User physician, against the current "
                     f"label): {labels}: indication, dosing, preparation and administration, side effects and "
                     "patient instructions as the lesson states them.")
    if "literature" in by_kind:
        works = "; ".join(s["cites"][0] for s in by_kind["literature"])
        items.append(f"- [ ] **Literature and reference data** (medical physicist for physics and dosimetry data, "
                     f"Authorized User physician for clinical findings): each statement citing {works} says what "
                     "the source says (table or page), and a clinical threshold is not presented as a regulatory limit.")
    if "exercise" in by_kind or any("illustrative" in line.lower() for line in lines):
        items.append("- [ ] **Illustrative values** (medical physicist): values cited as illustrative or as this "
                     "course's method are labelled so where learners see them and are not used as clinical values.")
    figures = list(dict.fromkeys(name for line in lines for name in _FIGURE.findall(line)))
    if figures:
        items.append(f"- [ ] **Figures** (medical physicist): {', '.join(figures)}: drawn from the physics code by "
                     "its figures/*.yaml; its parameters' citations and its alt text match the curve.")
    for number, line in enumerate(lines, start=1):
        if _UNCONFIRMED.search(line):
            items.append(f"- [ ] **UNCONFIRMED** (line {number}: {_cell(line.strip().lstrip('!').strip())[:160]}): "
                         "confirm from a primary source and remove the mark, or remove the statement.")
    return items


def _quantities(lines: list[str]) -> list[tuple[str, int]]:
    """Each distinct number with a unit (a conversion in brackets kept with it), with its first line."""
    found: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        for match in _QUANTITY.finditer(line.replace("**", "")):
            found.setdefault(" ".join(match.group(0).split()), number)
    return list(found.items())


def _regulatory(lines: list[str]) -> tuple[list[str], list[str]]:
    """The 10 CFR sections the lesson names (bare "35.40" read as 10 CFR), and the NRC guidance and forms."""
    sections, guidance = {}, {}
    for line in lines:
        for match in _CFR_SECTION.finditer(line):
            sections.setdefault(f"10 CFR {match[1]}", None)
        for match in _GUIDANCE.finditer(line):
            guidance.setdefault(match.group(0).replace("Regulatory Guide ", "RG "), None)
    return sorted(sections, key=_section_order), list(guidance)


def _section_order(name: str):
    numbers = re.findall(r"\d+", name.split(" ", 2)[2])
    return [int(n) for n in numbers[:2]], name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rpt_course.review_sheet", description=__doc__.split("\n")[0])
    parser.add_argument("content", nargs="?", default="course_content")
    parser.add_argument("-o", "--output", default=str(OUTPUT))
    parser.add_argument("--check", action="store_true", help="exit 1 if the output file is not up to date")
    args = parser.parse_args(argv)
    text = review_sheet(Path(args.content))
    output = Path(args.output)
    if args.check:
        current = output.read_text("utf-8") if output.is_file() else None
        if current != text:
            print(f"{output}: out of date with {args.content} — run `{COMMAND}`", file=sys.stderr)
            return 1
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, "utf-8")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
