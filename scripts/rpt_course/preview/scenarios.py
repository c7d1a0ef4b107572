"""Turn an OLX file mapping into xblock-sdk workbench scenarios, one per unit, in course order.

Pure: no Django import, no file-system or network access; the only outside lookup is the XBlock
plugin registry (`XBlock.load_class`) to tell which custom components can really run here.

Contract of `course_scenarios(files)`:
- one `(scenario_name, description, xml)` per vertical, in course order (course -> chapters ->
  sequentials -> verticals, each in document order); `scenario_name` is `course.0001`,
  `course.0002`, ... so that sorting the names (as the workbench index does) keeps course order;
- `description` is `"Module › Section › Unit"` (the display names; url_name when one is missing);
- `xml` is a `<vertical_demo>` with, per component in order:
  * `html`: an `<html_demo>` holding the lesson's XHTML, with every `$` doubled (the SDK's
    `html_demo` runs `string.Template(...).substitute()` on its content), `/static/NAME` links
    pointed at the preview's static route and `/jump_to_id/URL_NAME` links pointed at the
    scenario page of the unit holding that block;
  * an installed XBlock tag: the element copied unchanged (a pointer is replaced by its file);
  * any other tag: an `<html_demo>` with a visible note saying that the component is not installed.
- Problems in the OLX (missing file, malformed XML, a DTD) raise `ProblemsFound`.

`jump_targets(files)` maps each url_name to the scenario showing it and `preview_url(url, targets)`
points one link into the preview, as the lessons' links are pointed; the preview's `replace_urls`
service (`links.py`) does the same for the links the blocks make.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from lxml import etree
from xblock.core import XBlock
from xblock.plugin import PluginMissingError

from rpt_xblocks import safe_xml
from rpt_xblocks.author_input.problems import Problem, ProblemsFound

SCENARIO_PREFIX = "course"
"""Scenario names are `course.NNNN`; the workbench index filters on the part before the dot."""

COURSE_STATIC_URL = "/course-static/"
"""Where the preview serves `course/static/NAME` (see `rpt_course.preview.urls`)."""

DESCRIPTION_SEPARATOR = " › "

_ROOT = "course/"
_STATIC_LINK = "/static/"
_JUMP_LINK = re.compile(r"/jump_to_id/(?P<url_name>[A-Za-z0-9_-]+)/?(?P<rest>[?#].*)?")
_LINK_ATTRIBUTES = frozenset({"href", "src", "poster", "data"})


Component = tuple[etree._Element, str]
"""A component element (pointer already replaced by its file where needed) and the file it came from."""


@dataclass(frozen=True)
class _Unit:
    """One vertical, with the display names and url_names of its module and section."""

    titles: tuple[str, str, str]
    url_names: tuple[str, str, str]
    element: etree._Element
    path: str


def course_scenarios(files: Mapping[str, bytes]) -> list[tuple[str, str, str]]:
    """Return `(scenario_name, description, xml)` for every unit of the course in `files`, in course order."""
    units, names, components = _walk(files)
    targets = _jump_targets(units, names, components)
    return [
        (name, DESCRIPTION_SEPARATOR.join(unit.titles), _scenario_xml(files, unit_components, targets))
        for name, unit, unit_components in zip(names, units, components)
    ]


def course_outline(files: Mapping[str, bytes]) -> tuple[str, list[tuple[str, tuple[str, str, str]]]]:
    """The course's display name and, for every unit in course order, `(scenario_name, (module title,
    section title, unit title))` — the names and titles `course_scenarios` gives, without building
    the scenarios' XML."""
    units = list(_units(files))
    return _course_title(files), list(zip(_scenario_names(len(units)), (unit.titles for unit in units)))


def jump_targets(files: Mapping[str, bytes]) -> dict[str, str]:
    """url_name of every chapter, sequential, unit and component of the course in `files` -> the
    name of the first scenario showing it (what `/jump_to_id/URL_NAME` links are pointed at)."""
    return _jump_targets(*_walk(files))


def preview_url(url: str, targets: Mapping[str, str]) -> str:
    """`url` as the preview serves it: `/static/NAME` -> the preview's static route;
    `/jump_to_id/X` (with any query or fragment) -> the scenario page showing X, for X in `targets`
    (`jump_targets`); any other URL unchanged."""
    if url.startswith(_STATIC_LINK):
        return COURSE_STATIC_URL + url[len(_STATIC_LINK):]
    jump = _JUMP_LINK.fullmatch(url)
    if jump and jump["url_name"] in targets:
        return scenario_url(targets[jump["url_name"]]) + (jump["rest"] or "")
    return url


def scenario_url(scenario_name: str) -> str:
    """The workbench page showing one scenario."""
    return f"/scenario/{scenario_name}/"


def xblock_installed(tag: str) -> bool:
    """Whether an XBlock class is registered for `tag` (an `xblock.v1` entry point)."""
    try:
        XBlock.load_class(tag)
    except PluginMissingError:
        return False
    return True


# ---- walking the course -------------------------------------------------------------------------


def _units(files: Mapping[str, bytes]) -> Iterator[_Unit]:
    course_pointer = _parse(files, _ROOT + "course.xml")
    run = course_pointer.get("url_name")
    if not run:
        raise ProblemsFound([Problem(_ROOT + "course.xml", None, "<course> has no url_name — set it to the run")])
    course, _ = _resolve(files, etree.Element("course", url_name=run), _ROOT + "course.xml")
    for chapter, _ in _children(files, course, "chapter"):
        for sequential, _ in _children(files, chapter, "sequential"):
            for vertical, vertical_path in _children(files, sequential, "vertical"):
                yield _Unit(
                    titles=(_title(chapter), _title(sequential), _title(vertical)),
                    url_names=tuple(e.get("url_name", "") for e in (chapter, sequential, vertical)),
                    element=vertical,
                    path=vertical_path,
                )


def _children(files: Mapping[str, bytes], parent: etree._Element, tag: str) -> Iterator[Component]:
    """The `tag` children of `parent`, pointers replaced by their files (other tags are skipped)."""
    for child in parent:
        if child.tag == tag:
            yield _resolve(files, child, child.base or "")


def _components(files: Mapping[str, bytes], unit: _Unit) -> Iterator[Component]:
    """The components of a unit, in order; pointers of uninstalled custom tags are left as they are."""
    for child in unit.element:
        if not isinstance(child.tag, str):
            continue  # comments, processing instructions
        if child.tag == "html" or xblock_installed(child.tag):
            yield _resolve(files, child, unit.path)
        else:
            yield child, unit.path


def _resolve(files: Mapping[str, bytes], element: etree._Element, path: str) -> Component:
    """Replace a pointer tag (only `url_name`, no children) by the root of `course/TAG/URL_NAME.xml`."""
    url_name = element.get("url_name")
    if url_name is None or len(element) or set(element.attrib) != {"url_name"}:
        return element, path
    target = f"{_ROOT}{element.tag}/{url_name}.xml"
    if target not in files:
        raise ProblemsFound([Problem(path, element.sourceline, f"<{element.tag} url_name=\"{url_name}\"/> points to "
                                     f"{target}, which is missing — add the file or remove the pointer")])
    root = _parse(files, target)
    if root.tag != element.tag:
        raise ProblemsFound([Problem(target, root.sourceline, f"root element is <{root.tag}>, expected "
                                     f"<{element.tag}> — a pointer loads a file with the same root tag")])
    root.set("url_name", url_name)
    return root, target


def _title(element: etree._Element) -> str:
    return element.get("display_name") or element.get("url_name") or element.tag


def _walk(files: Mapping[str, bytes]) -> tuple[list[_Unit], list[str], list[list[Component]]]:
    """The units of the course in order, their scenario names and their components."""
    units = list(_units(files))
    return units, _scenario_names(len(units)), [list(_components(files, unit)) for unit in units]


def _scenario_names(count: int) -> list[str]:
    width = max(4, len(str(count)))
    return [f"{SCENARIO_PREFIX}.{number:0{width}d}" for number in range(1, count + 1)]


def _course_title(files: Mapping[str, bytes]) -> str:
    run = _parse(files, _ROOT + "course.xml").get("url_name")
    course, _ = _resolve(files, etree.Element("course", url_name=run or ""), _ROOT + "course.xml")
    return course.get("display_name") or run or "Course"


def _jump_targets(units: list[_Unit], names: list[str], components: list[list[Component]]) -> dict[str, str]:
    """url_name of every chapter, sequential, vertical and component -> first scenario showing it."""
    targets: dict[str, str] = {}
    for name, unit, unit_components in zip(names, units, components):
        for url_name in unit.url_names:
            targets.setdefault(url_name, name)
        for element, _ in unit_components:
            targets.setdefault(element.get("url_name", ""), name)
    targets.pop("", None)
    return targets


# ---- building one scenario ----------------------------------------------------------------------


def _scenario_xml(files: Mapping[str, bytes], components: list[Component], targets: Mapping[str, str]) -> str:
    vertical_demo = etree.Element("vertical_demo")
    for element, path in components:
        if element.tag == "html":
            vertical_demo.append(_point_links_and_escape(_html_body(files, element, path), targets))
        elif xblock_installed(element.tag):
            vertical_demo.append(_detached_copy(element))
        else:
            vertical_demo.append(_missing_component_note(element.tag))
    return etree.tostring(vertical_demo, encoding="unicode")


def _html_body(files: Mapping[str, bytes], element: etree._Element, path: str) -> etree._Element:
    """The lesson body of an html component, as the children (and text) of an `<html_demo>` element."""
    filename = element.get("filename")
    if filename is None:  # inline html: the body is the element's own content
        body = _detached_copy(element)
        body.attrib.clear()
        body.tag = "html_demo"
        return body
    body_path = f"{_ROOT}html/{filename}.html"
    if body_path not in files:
        raise ProblemsFound([Problem(path, element.sourceline, f"filename=\"{filename}\" needs {body_path}, "
                                     "which is missing — add the lesson body or fix the filename")])
    return _parse(files, body_path, wrap_in="html_demo")


def _point_links_and_escape(body: etree._Element, targets: Mapping[str, str]) -> etree._Element:
    """Point the links of an `<html_demo>` body into the preview, then double its `$` (in place)."""
    for node in body.iter(etree.Element):
        for attribute, value in node.attrib.items():
            local_name = etree.QName(attribute).localname
            if local_name in _LINK_ATTRIBUTES:
                node.set(attribute, preview_url(value, targets))
            elif local_name == "srcset":
                node.set(attribute, ", ".join(preview_url(part.strip(), targets) for part in value.split(",")))
    _double_dollars(body)
    return body


def _double_dollars(root: etree._Element) -> None:
    """Escape `$` as `$$` in all text, tails, attribute values and comments under (and of) root."""
    for node in root.iter():
        if node.text:
            node.text = node.text.replace("$", "$$")
        if node.tail and node is not root:
            node.tail = node.tail.replace("$", "$$")
        if isinstance(node.tag, str):
            for attribute, value in node.attrib.items():
                node.set(attribute, value.replace("$", "$$"))


def _missing_component_note(tag: str) -> etree._Element:
    demo = etree.Element("html_demo")
    note = etree.SubElement(demo, "p", {"class": "rpt-preview-missing"})
    note.text = f"This component ({tag}) is not installed in this preview."
    _double_dollars(demo)
    return demo


def _detached_copy(element: etree._Element) -> etree._Element:
    """A deep copy of `element` without the text that followed it in its file."""
    copied = copy.deepcopy(element)
    copied.tail = None
    return copied


# ---- parsing ------------------------------------------------------------------------------------


def _parse(files: Mapping[str, bytes], path: str, wrap_in: str | None = None) -> etree._Element:
    """Parse `files[path]` safely (no DTD, no entities, no network); `wrap_in` wraps a fragment first."""
    if path not in files:
        raise ProblemsFound([Problem(path, None, "file is missing from the built course — rebuild the course")])
    data = files[path]
    if wrap_in is not None:
        data = f"<{wrap_in}>".encode() + data + f"</{wrap_in}>".encode()
    try:
        return safe_xml.parse(data, base_url=path)
    except safe_xml.DtdRefused:
        raise ProblemsFound([_doctype_problem(path)]) from None
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else None
        raise ProblemsFound([Problem(path, line, f"not well-formed XML ({error.msg}) — fix the markup")]) from None


def _doctype_problem(path: str) -> Problem:
    return Problem(path, 1, "has a DOCTYPE — OLX files must not declare a DTD or entities; remove it")
