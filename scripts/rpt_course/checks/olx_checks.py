"""Checks on an OLX file mapping that olxcleaner does not make (or makes too late to be safe).

Contract: `olx_problems(files, shown_as)` takes `{"course/...": bytes}` (from our build or from an
untrusted archive, already unpacked safely) and returns every problem found, located as
`shown_as/<archive path>:line`. It never resolves entities or touches the network, and refuses any
DTD. Checked: strict XML everywhere; course.xml and pointer shapes; url_name characters and
uniqueness; graded `format` <-> GRADER types; policy and grading-policy JSON; course and
subsection dates; `/static/` link targets; `/jump_to_id/` targets; static file names. A policy
file whose arrays and objects nest deeper than `MAX_JSON_DEPTH` is reported (Python's JSON reader,
and olxcleaner's, would end in a RecursionError) and, like unsafe XML, keeps olxcleaner away.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping

from lxml import etree

from rpt_xblocks import safe_xml
from rpt_course.dates import parse_date
from rpt_course.compile.lessons import JUMP_PREFIX, STATIC_PREFIX, links
from rpt_xblocks.author_input.problems import Problem
from rpt_xblocks.quiz.bank import TAG as QUIZ_TAG

URL_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
COURSE_KEY_PART = re.compile(r"^[A-Za-z0-9_.-]+$")
STATIC_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
JUNK = re.compile(r"(^|/)(\._[^/]*|\.DS_Store|[^/]*~)$")
STRUCTURE = {"course": "chapter", "chapter": "sequential", "sequential": "vertical"}
NOT_WELL_FORMED = "not well-formed XML"
DTD_REFUSED = "a DOCTYPE or entity declaration is not allowed — remove it; use character references like &#160;"
JSON_TOO_DEEP = "arrays or objects nest deeper than"
MAX_JSON_DEPTH = 100  # Studio's own policy files nest 3 or 4 levels
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(rb"[\[\]{}]")
_ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$")


def unsafe_xml(problems: list[Problem]) -> bool:
    """True if any XML failed the strict, DTD-free parse (such files must not reach a parser that
    resolves entities, olxcleaner's) or a policy file nests too deep for a recursive JSON reader."""
    return any(p.message == DTD_REFUSED or p.message.startswith((NOT_WELL_FORMED, JSON_TOO_DEEP)) for p in problems)


class _Checker:
    def __init__(self, files: Mapping[str, bytes], shown_as: str):
        self.files = files
        self.shown_as = shown_as
        self.problems: list[Problem] = []
        self.url_names: dict[str, str] = {}
        self.link_sources: list[tuple[str, str]] = []  # (archive path, link)
        self.top = next(iter(sorted(files)), "course/").split("/", 1)[0]

    def problem(self, path: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(f"{self.shown_as}/{path}", line, message))

    def parse(self, path: str) -> etree._Element | None:
        data = self.files.get(path)
        if data is None:
            return None
        try:
            return safe_xml.parse(data)
        except safe_xml.DtdRefused as refused:
            self.problem(path, refused.line, DTD_REFUSED)
        except etree.XMLSyntaxError as exc:
            self.problem(path, exc.lineno or None, f"{NOT_WELL_FORMED}: {exc.msg} — fix the markup (use <br/>, &#160; and closed tags)")
        return None

    def path(self, tag: str, name: str) -> str:
        return f"{self.top}/{tag}/{name}.xml"


def olx_problems(files: Mapping[str, bytes], shown_as: str) -> list[Problem]:
    checker = _Checker(files, shown_as)
    for path in sorted(files):
        if path.endswith(".xml"):
            checker.parse(path)  # every XML file is strict and DTD-free, even if nothing points to it
    root_path = f"{checker.top}/course.xml"
    root = checker.parse(root_path)
    if root is None:
        if root_path not in files:
            checker.problem("course.xml", None, "the archive has no course.xml in its top folder — export the course again")
        return checker.problems
    run = _check_course_xml(checker, root, root_path)
    if run is None:
        return checker.problems
    course_path = checker.path("course", run)
    course = checker.parse(course_path)
    if course is None:
        if course_path not in files:
            checker.problem(course_path, None, f"course.xml names the run '{run}' but this file is missing — add it")
        return checker.problems
    graders = _check_policies(checker, run)
    window = _check_course_dates(checker, course, course_path)
    _walk(checker, course, course_path, graders, window)
    _check_pages_and_static(checker)
    return checker.problems


def _check_course_xml(checker: _Checker, root, path: str) -> str | None:
    if root.tag != "course" or set(root.attrib) != {"url_name", "org", "course"}:
        checker.problem(path, root.sourceline, "course.xml must be <course url_name=RUN org=ORG course=NUMBER/> with only those attributes — move other settings into course/RUN.xml")
        return None
    for name in ("url_name", "org", "course"):
        if not COURSE_KEY_PART.match(root.get(name)):
            checker.problem(path, root.sourceline, f"{name} '{root.get(name)}' may use only letters, digits, _ . and - — rename it")
            return None
    return root.get("url_name")


def _check_policies(checker: _Checker, run: str) -> set[str] | None:
    policy_path = f"{checker.top}/policies/{run}/policy.json"
    policy = _json(checker, policy_path)
    if policy is not None and not (isinstance(policy, dict) and isinstance(policy.get(f"course/{run}"), dict)):
        checker.problem(policy_path, None, f"the policy must be a JSON object with a 'course/{run}' object inside — Studio silently ignores it otherwise")
    grading_path = f"{checker.top}/policies/{run}/grading_policy.json"
    grading = _json(checker, grading_path)
    if grading is None:
        return None
    graders = grading.get("GRADER") if isinstance(grading, dict) else None
    if not isinstance(graders, list) or not graders:
        checker.problem(grading_path, None, "GRADER must be a non-empty list — Studio silently ignores the grading policy otherwise")
        return None
    types: set[str] = set()
    total = 0.0
    for index, grader in enumerate(graders, start=1):
        fields_ok = (isinstance(grader, dict) and isinstance(grader.get("type"), str)
                     and isinstance(grader.get("weight"), (int, float)) and 0 <= grader["weight"] <= 1
                     and isinstance(grader.get("min_count"), int) and grader["min_count"] >= 1
                     and isinstance(grader.get("drop_count"), int) and grader["drop_count"] >= 0)
        if not fields_ok:
            checker.problem(grading_path, None, f"GRADER entry {index} needs type (text), weight (0 to 1), min_count (>= 1) and drop_count (>= 0) — fix that entry")
            continue
        if grader["type"] in types:
            checker.problem(grading_path, None, f"GRADER type '{grader['type']}' appears twice — types must be unique")
        types.add(grader["type"])
        total += grader["weight"]
    if not math.isclose(total, 1.0, abs_tol=1e-9):
        checker.problem(grading_path, None, f"GRADER weights sum to {total:g}, not 1 — adjust them")
    cutoffs = grading.get("GRADE_CUTOFFS")
    if not (isinstance(cutoffs, dict) and cutoffs and all(isinstance(v, (int, float)) and 0 < v <= 1 for v in cutoffs.values())):
        checker.problem(grading_path, None, "GRADE_CUTOFFS must map grade names to fractions above 0 and at most 1 — e.g. {\"Pass\": 0.8}")
    return types


def _json(checker: _Checker, path: str):
    data = checker.files.get(path)
    if data is None:
        checker.problem(path, None, "this policy file is missing — export or build the course again")
        return None
    deepest = _json_depth(data)
    if deepest > MAX_JSON_DEPTH:
        checker.problem(path, None, f"{JSON_TOO_DEEP} {MAX_JSON_DEPTH} levels (found {deepest}) — "
                                    "Studio's policy files nest a few levels; export the course again")
        return None
    try:
        return json.loads(data.decode("utf-8"))
    except RecursionError:  # not reached below MAX_JSON_DEPTH; kept so that no traceback can escape
        checker.problem(path, None, f"{JSON_TOO_DEEP} Python can read — export the course again")
        return None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        checker.problem(path, getattr(exc, "lineno", None), f"not valid JSON ({exc}) — Studio would silently ignore it; fix the syntax")
        return None


def _json_depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects in JSON `data`, brackets inside strings aside
    (linear in the size: no parser is run)."""
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub(b"", data)):
        depth += 1 if match[0] in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _check_course_dates(checker: _Checker, course, path: str):
    moments = {}
    for name in ("start", "end"):
        value = course.get(name)
        if value is None or not _ISO_Z.match(value) or parse_date(value[:19] + "Z") is None:
            checker.problem(path, course.sourceline, f"the course needs `{name}` as an ISO date ending in Z (found {value!r}) — set it, e.g. 2027-01-11T00:00:00Z")
        else:
            moments[name] = parse_date(value[:19] + "Z")
    if len(moments) == 2 and moments["end"] <= moments["start"]:
        checker.problem(path, course.sourceline, "the course ends before it starts — make `end` later than `start`")
        return None
    return (moments["start"], moments["end"]) if len(moments) == 2 else None


def _record(checker: _Checker, element, path: str) -> None:
    name = element.get("url_name")
    if name is None:
        checker.problem(path, element.sourceline, f"<{element.tag}> has no url_name — give every block an explicit, stable url_name")
        return
    if not URL_NAME.match(name):
        checker.problem(path, element.sourceline, f"url_name '{name}' may use only ASCII letters, digits, _ and - — rename it")
    if name in checker.url_names:
        checker.problem(path, element.sourceline, f"url_name '{name}' is already used in {checker.url_names[name]} — url_names must be unique in the course")
    else:
        checker.url_names[name] = path


def _walk(checker: _Checker, node, path: str, graders, window) -> None:
    child_tag = STRUCTURE.get(node.tag)
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child_tag is None:  # a vertical: components
            _component(checker, child, path)
            continue
        if child.tag != child_tag:
            checker.problem(path, child.sourceline, f"<{child.tag}> cannot sit inside <{node.tag}> — only <{child_tag}> pointers belong here")
            continue
        if set(child.attrib) != {"url_name"}:
            checker.problem(path, child.sourceline, f"a <{child.tag}> pointer carries only url_name — move other attributes into {child.tag}/NAME.xml")
        _record(checker, child, path)
        name = child.get("url_name")
        if not name or not URL_NAME.match(name):
            continue
        target = checker.path(child.tag, name)
        element = checker.parse(target)
        if element is None:
            if target not in checker.files:
                checker.problem(path, child.sourceline, f"points to {target}, which is missing — add the file or remove the pointer")
            continue
        if element.tag != child.tag:
            checker.problem(target, element.sourceline, f"the root tag must be <{child.tag}>, not <{element.tag}> — make the file a <{child.tag}> or point to the right file")
            continue
        if element.tag == "sequential":
            _check_sequential(checker, element, target, graders, window)
        _walk(checker, element, target, graders, window)


def _check_sequential(checker: _Checker, element, path: str, graders, window) -> None:
    if element.get("graded") == "true":
        fmt = element.get("format")
        if graders is not None and fmt not in graders:
            known = ", ".join(sorted(graders)) or "none"
            checker.problem(path, element.sourceline, f"graded with format {fmt!r}, which is no GRADER type ({known}) — it would count for nothing; set format to a GRADER type")
    for name in ("start", "due"):
        value = element.get(name)
        if value is None:
            continue
        moment = parse_date(value[:19] + "Z") if _ISO_Z.match(value) else None
        if moment is None:
            checker.problem(path, element.sourceline, f"`{name}` {value!r} is not an ISO date ending in Z — fix it")
        elif window and not window[0] <= moment <= window[1]:
            checker.problem(path, element.sourceline, f"`{name}` {value} is outside the course dates — move it inside them")


def _component(checker: _Checker, element, path: str) -> None:
    _record(checker, element, path)
    if element.tag != "html" or set(element.attrib) != {"url_name"}:
        for node in element.iter():  # an inline block: its own attributes and its content's links
            if not isinstance(node.tag, str):
                continue
            for value in node.attrib.values():
                if value.startswith((STATIC_PREFIX, JUMP_PREFIX)):
                    checker.link_sources.append((path, value))
            if element.tag == QUIZ_TAG and node.tag == "question" and node.get("teaches"):
                checker.link_sources.append((path, JUMP_PREFIX + node.get("teaches")))
        return
    target = checker.path("html", element.get("url_name"))
    html = checker.parse(target)
    if html is None:
        if target not in checker.files:
            checker.problem(path, element.sourceline, f"points to {target}, which is missing — add the file or remove the pointer")
        return
    filename = html.get("filename")
    if filename is None:
        return
    body_path = f"{checker.top}/html/{filename}.html"
    if body_path not in checker.files:
        checker.problem(target, html.sourceline, f"names the file html/{filename}.html, which is missing — add it")


def _check_pages_and_static(checker: _Checker) -> None:
    for path in sorted(checker.files):
        relative = path.split("/", 1)[1] if "/" in path else path
        if JUNK.search(path):
            checker.problem(relative, None, "system or backup file — remove it from the archive")
        if relative.startswith("static/") and not STATIC_NAME.match(relative[len("static/"):]):
            checker.problem(relative, None, "static file names may use only letters, digits, '.', '_' and '-' (no folders) — rename it")
        if path.endswith(".html"):
            body = checker.files[path].decode("utf-8", errors="replace")
            try:
                for link in links(body):
                    checker.link_sources.append((path, link))
            except etree.XMLSyntaxError as exc:
                checker.problem(path, exc.lineno or None, f"the HTML does not parse strictly ({exc.msg}) — Studio's import needs well-formed XHTML")
            except safe_xml.DtdRefused:
                checker.problem(path, 1, "a DOCTYPE or entity declaration is not allowed — remove it; write characters as they are")
    for path, link in checker.link_sources:
        bare = link.split("#", 1)[0].split("?", 1)[0]
        if bare.startswith(STATIC_PREFIX) and f"{checker.top}/static/{bare[len(STATIC_PREFIX):]}" not in checker.files:
            checker.problem(path, None, f"the link {link} has no file in static/ — add the file or fix the link")
        if bare.startswith(JUMP_PREFIX) and bare[len(JUMP_PREFIX):] not in checker.url_names:
            checker.problem(path, None, f"the link {link} names no block in this course — fix the url_name")
