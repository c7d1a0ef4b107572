"""Lesson Markdown -> sanitized XHTML that Open edX's HTML block imports.

Contract: `render_lesson(text, anchor_prefix)` returns `(xhtml, problems, links)`: the body as an
XHTML fragment (parses as XML when wrapped in one root element; only XML's own entities),
`markup_problems(...)`: whatever the allow-list dropped (so the build reports it to the author
instead of silently losing it) and images without alt text, and the XHTML's links (`tree_links`
of the tree it is written from, so no second parse). Markdown gets tables, footnotes and admonitions
(footnote references side by side are separated by a comma: "¹,²", not "¹²"); math in `$...$`,
`\\(...\\)`, `$$...$$` or `\\[...\\]` is left intact as `\\(...\\)` / `\\[...\\]` for the LMS's MathJax.
Images may come only from `/static/`; links may be relative, http(s) or mailto.
A text with more of `[`, `<` or `\\` than `MARKUP_LIMITS` allows in one paragraph (lines up to a
blank one) or in all is not rendered (Python-Markdown's link, raw-HTML and escape parsing takes
time growing with the square of their number in a paragraph: 4,000 `[` or `<a ` take seconds,
15,000 minutes): its one problem says so at the paragraph's first line holding one, and the XHTML
is empty. course_content/ has at most 4 `[`, 1 `<` and 8 `\\` in a paragraph.

Two lxml parses per text remain, of two different texts: `markup_problems` reads the HTML that
Markdown wrote (what the author asked for), `to_xhtml` the HTML the allow-list let through.
"""
from __future__ import annotations

import re
import threading

import markdown
from lxml import etree, html as lxml_html

from rpt_xblocks import safe_xml
from rpt_xblocks.plainly_allowed import is_plainly_allowed
from rpt_xblocks.sanitizing import ALLOWED_PROTOCOLS, ALLOWED_TAGS, STATIC_PREFIX, new_cleaner, sanitize_once

JUMP_PREFIX = "/jump_to_id/"


_MARKDOWN_EXTENSIONS = ["tables", "footnotes", "admonition", "sane_lists", "pymdownx.arithmatex"]
_MARKDOWN_CONFIG = {"pymdownx.arithmatex": {"generic": True}}


_PER_THREAD = threading.local()  # a converter and a Cleaner keep parser state: one of each per thread


def _converter() -> markdown.Markdown:
    converter = getattr(_PER_THREAD, "converter", None)
    if converter is None:
        converter = _PER_THREAD.converter = markdown.Markdown(
            extensions=_MARKDOWN_EXTENSIONS, extension_configs=_MARKDOWN_CONFIG, output_format="html")
    return converter


def forget_converters() -> None:
    """Drop this thread's converter and Cleaner (rendering was stopped part-way: start the next text afresh)."""
    _PER_THREAD.__dict__.clear()


def _cleaner():
    cleaner = getattr(_PER_THREAD, "cleaner", None)
    if cleaner is None:
        cleaner = _PER_THREAD.cleaner = new_cleaner()
    return cleaner


def _markdown_to_html(text: str) -> str:
    """This thread's converter, `reset()` before each text (footnotes, abbreviations and the like start
    empty), which gives the same HTML as a new converter per text; building one cost 4.7% of a build."""
    converter = _converter()
    converter.reset()
    return converter.convert(text)


def markup_problems(raw_html: str) -> list[tuple[str, str]]:
    """What the author must fix in `raw_html`, as `(text to find in the source, message)` in
    document order: what the allow-list would silently drop (tags that are not allowed, images that
    do not come from /static/, links with other schemes, event-handler attributes) and images
    without a text alternative (WCAG 2.1, 1.1.1)."""
    if not raw_html.strip():
        return []
    root = lxml_html.fragment_fromstring(raw_html, create_parent="div")
    found: list[tuple[str, str]] = []
    for element in root.iter():
        if element is root or not isinstance(element.tag, str):
            continue
        if element.tag not in ALLOWED_TAGS:
            needle = f"<{element.tag}"
            message = f"the tag <{element.tag}> is not allowed in lessons — remove it (lessons allow text formatting, tables, figures, images from /static/ and links)"
        elif element.tag == "img" and not (element.get("src") or "").startswith(STATIC_PREFIX):
            needle = element.get("src") or "<img"
            message = f"the image '{element.get('src') or ''}' does not come from static/ — put the file in course_content/static/ and link it as /static/NAME"
        elif element.tag == "img" and not (element.get("alt") or "").strip():
            needle = element.get("src")
            message = f"the image '{element.get('src')}' has no alt text — describe it for readers who cannot see it: ![what the image shows]({element.get('src')})"
        elif element.tag == "a" and _scheme(element.get("href") or "") not in ALLOWED_PROTOCOLS | {""}:
            needle = element.get("href").strip()
            message = f"the link '{element.get('href')}' uses a scheme that is not allowed — link with http, https or mailto, or to /static/ or /jump_to_id/"
        elif any(name.lower().startswith("on") for name in element.attrib):
            needle = next(name for name in element.attrib if name.lower().startswith("on"))
            message = f"event-handler attributes (on...) are not allowed on <{element.tag}> — remove them; lessons cannot run scripts"
        else:
            continue
        if all(message != seen for _, seen in found):
            found.append((needle, message))
    return found


def _scheme(url: str) -> str:
    """The URL's scheme in lower case ('' for a relative URL), ignoring characters browsers ignore."""
    compact = re.sub(r"[\x00-\x20]", "", url)
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", compact)
    return match.group(1).lower() if match else ""


def to_xhtml(clean_html: str, anchor_prefix: str) -> tuple[str, list[str]]:
    """Serialize sanitized HTML as an XHTML fragment; prefix in-page anchors so that several
    lessons on one page never share an id. Returns the fragment and its `tree_links` (after the
    prefixing)."""
    if not clean_html.strip():
        return "", []
    root = lxml_html.fragment_fromstring(clean_html, create_parent="div")
    for element in root.iter(tag=etree.Element):
        if element.get("id"):
            element.set("id", _anchor(anchor_prefix, element.get("id")))
        href = element.get("href")
        if href and href.startswith("#") and len(href) > 1:
            element.set("href", "#" + _anchor(anchor_prefix, href[1:]))
    _separate_adjacent_footnote_refs(root)
    parts = [_escape_text(root.text or "")]
    parts += [etree.tostring(child, encoding="unicode", method="xml") for child in root]
    return "".join(parts).strip() + "\n", tree_links(root)


def _footnote_ref(element) -> etree._Element | None:
    """The `<a class="footnote-ref">` of a `<sup>` that holds only that, else None."""
    if element.tag != "sup" or len(element) != 1 or (element.text or "").strip():
        return None
    link = element[0]
    return link if link.tag == "a" and "footnote-ref" in (link.get("class") or "").split() and not (link.tail or "").strip() else None


def _separate_adjacent_footnote_refs(root) -> None:
    """Footnote references written side by side ("[^a][^b]") would read as one number ("¹²"): put a
    comma inside each such superscript but the last ("¹,²")."""
    for sup in list(root.iter("sup")):
        link = _footnote_ref(sup)
        following = sup.getnext()
        if link is not None and not (sup.tail or "").strip() and following is not None and _footnote_ref(following) is not None:
            link.tail = ","


def _anchor(prefix: str, name: str) -> str:
    return f"{prefix}-{re.sub(r'[^A-Za-z0-9_-]', '-', name)}"


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# character: (at most in one paragraph, at most in one text)
MARKUP_LIMITS = {"[": (100, 1_000), "<": (200, 2_000), "\\": (500, 5_000)}
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def markup_run_problem(text: str) -> tuple[str, str] | None:
    """`(text to find in the source, message)` for too many of a character that starts markup (see the
    module docstring), else None."""
    for character, (per_paragraph, in_all) in MARKUP_LIMITS.items():
        total = text.count(character)
        if total <= per_paragraph:
            continue
        for paragraph in _PARAGRAPH_BREAK.split(text):
            count = paragraph.count(character)
            if count > per_paragraph:
                return _first_line_with(paragraph, character), (
                    f"this paragraph has {count:,} {character} (at most {per_paragraph} are allowed: rendering time grows "
                    "with the square of their number) — split the paragraph, or remove the run of them")
        if total > in_all:
            return _first_line_with(text, character), (
                f"this text has {total:,} {character} (at most {in_all:,} are allowed in one lesson) — split it into several lessons")
    return None


def _first_line_with(text: str, character: str) -> str:
    return next(line.strip() for line in text.splitlines() if character in line)[:200]


def render_lesson(text: str, anchor_prefix: str) -> tuple[str, list[tuple[str, str]], list[str]]:
    """See the module docstring."""
    too_many = markup_run_problem(text)
    if too_many is not None:
        return "", [too_many], []
    raw = _markdown_to_html(text)
    clean = raw if is_plainly_allowed(raw) else sanitize_once(raw, _cleaner())  # same XHTML either way
    xhtml, found_links = to_xhtml(clean, anchor_prefix)
    return xhtml, markup_problems(raw), found_links  # each page once: no cache


_LINK_ATTRIBUTES = ("href", "src")


def tree_links(root) -> list[str]:
    """What a link is: every non-empty href and src value of the elements under `root` (an lxml
    tree, HTML or XML), in document order."""
    return [value for element in root.iter(tag=etree.Element) for name in _LINK_ATTRIBUTES
            if (value := element.get(name))]


def links(xhtml: str) -> list[str]:
    """`tree_links` of an XHTML fragment (for XHTML read from an archive; rendering gets them from
    `render_lesson`)."""
    if not xhtml.strip():
        return []
    return tree_links(safe_xml.parse(f"<div>{xhtml}</div>".encode("utf-8")))
