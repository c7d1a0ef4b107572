"""The preview's pages as an LMS-like course (no browser): the outline, previous/next, MathJax from the
preview itself, and no answer key on any learner page (the workbench's debug panel printed each
scenario's OLX — for a quiz, its correct flags, feedback and explanations)."""
from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest
from lxml import etree

from rpt_course.build import build_files
from rpt_course.preview.scenarios import course_scenarios
from test_workbench_preview import get, index_links, rendered_unit, text_of, unit_heading

COURSE_CONTENT = Path(__file__).resolve().parents[2] / "course_content"
GOOD_COURSE = Path(__file__).resolve().parents[1] / "fixtures" / "courses" / "good"
ASCII_RUN = re.compile(r"[A-Za-z0-9 ,.;:()%/+=_-]{25,}")
CORRECT_FLAGS = re.compile(r"""correct(?:=|&#34;|&quot;|\\?["']\s*:|["']?\s*=\s*["']?)\s*(?:true|1)\b""", re.I)


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


ANSWER_TAGS = ("explanation", "feedback", "formula")


def answer_key(xml: str, public: str = "") -> list[str]:
    """What an author wrote that gives answers away, as text a page would show: the quizzes' choice
    feedback and explanations and the walkthroughs' formulas and explanations (the longest plain
    run of each, placeholders such as {Q0} cut out, so that it is found whatever escaping a page uses),
    less those that the course shows anyway (in `public`: its lessons, prompts, choices and hints)."""
    root = etree.fromstring(xml.encode("utf-8"))
    texts = []
    for element in root.iter(*ANSWER_TAGS):
        runs = ASCII_RUN.findall(re.sub(r"\{[^}]*\}", "|", _text(element)))
        if runs and (secret := max(runs, key=len).strip()) not in public:
            texts.append(secret)
    return texts


def public_text(files, scenarios) -> str:
    """The text the course shows learners before any answer: every lesson, and the blocks' text but
    their answer key (prompts, choices, hints, parameters)."""
    shown = [_text(etree.fromstring(b"<div>" + data + b"</div>")) for path, data in files.items()
             if path.startswith("course/html/") and path.endswith(".html")]
    for _, _, xml in scenarios:
        root = etree.fromstring(xml.encode("utf-8"))
        for element in root.iter():
            if isinstance(element.tag, str) and element.tag not in ANSWER_TAGS and not any(
                    ancestor.tag in ANSWER_TAGS for ancestor in element.iterancestors()):
                shown.append(" ".join((element.text or "").split()))
                shown.extend(" ".join(value.split()) for value in element.attrib.values())
    return "\n".join(shown)


def seen_in(page: str) -> str:
    """The page as text and as markup, whitespace collapsed: a secret in it is shown as text, inside
    an attribute, or inside JSON."""
    return " ".join(text_of(page).split()) + "\n" + " ".join(page.replace('\\"', '"').replace("\\n", " ").split())


def shows(page: str, secret: str) -> bool:
    return secret in seen_in(page)


def course_pages(content: Path):
    _course, files = build_files(content)
    scenarios = course_scenarios(files)
    public = public_text(files, scenarios)
    secrets = {name: answer_key(xml, public) for name, _, xml in scenarios}
    return scenarios, secrets


@pytest.mark.parametrize("which", ["course_preview", "good_preview"])
def test_no_learner_page_holds_an_answer_key(request, which):
    server = request.getfixturevalue(which)
    scenarios, secrets = course_pages(COURSE_CONTENT if which == "course_preview" else GOOD_COURSE)
    every_secret = [secret for found in secrets.values() for secret in found]
    assert len(every_secret) >= (100 if which == "course_preview" else 3)  # the check has something to look for
    control = scenarios[[name for name, _, _ in scenarios].index(next(n for n in secrets if secrets[n]))][2]
    assert all(shows(f"<pre>{escape(control)}</pre>", secret) for secret in answer_key(control)), \
        "control: the detector must see an answer key printed the way the workbench's debug panel printed it"
    pages = ["/"] + [f"/scenario/{name}/" for name, _, _ in scenarios] + [f"/view/{name}/" for name, _, _ in scenarios]
    for path in pages:
        status, _, body = get(server, path + "?student=learner_checking_pages")
        page = body.decode()
        assert status == 200, path
        assert not CORRECT_FLAGS.search(page), (path, CORRECT_FLAGS.search(page)[0])
        assert "<pre>&lt;vertical_demo" not in page and "Reset State" not in page, path
        haystack = seen_in(page)
        leaked = [secret for secret in every_secret if secret in haystack]
        assert leaked == [], (path, leaked[:3])


def test_the_outline_lists_modules_sections_and_units_and_each_unit_has_previous_and_next(course_preview):
    course, _ = build_files(COURSE_CONTENT)
    expected = [(m.title, s.title, u.title) for m in course.modules for s in m.sections for u in s.units]
    status, _, body = get(course_preview, "/")
    assert status == 200
    outline = index_links(body.decode())
    assert [description for _, description in outline] == [" › ".join(titles) for titles in expected]
    assert re.search(r"<title>Course outline — [^<]+</title>", body.decode())
    hrefs = [href for href, _ in outline]
    for position in (0, 1, len(hrefs) - 1):
        _, _, unit = get(course_preview, hrefs[position] + "?student=ann")
        page = unit.decode()
        assert unit_heading(page) == " › ".join(expected[position])
        previous = re.findall(r'<a class="rpt-pager-previous" rel="prev" href="([^"]+)"', page)
        following = re.findall(r'<a class="rpt-pager-next" rel="next" href="([^"]+)"', page)
        assert previous == ([f"{hrefs[position - 1]}?student=ann"] if position else [])
        assert following == ([f"{hrefs[position + 1]}?student=ann"] if position + 1 < len(hrefs) else [])
        assert page.count('aria-current="page"') == 1
        assert f'<a href="{hrefs[position]}?student=ann" aria-current="page">' in page


def test_pages_load_mathjax_from_the_preview_itself_and_lessons_keep_their_math(good_preview):
    _, _, body = get(good_preview, "/scenario/course.0002/")
    page = body.decode()
    (script,) = re.findall(r'<script async src="([^"]+)"></script>', page)
    assert script == "/static/mathjax/es5/tex-chtml.js"
    status, headers, data = get(good_preview, script)
    assert status == 200 and b"MathJax" in data and len(data) > 100_000
    assert "javascript" in headers["content-type"]
    assert not re.search(r'src="(?:https?:)?//', page)  # nothing from elsewhere
    assert r'<span class="arithmatex">\(A = A_0 e^{-\lambda t}\)</span>' in rendered_unit(page)


def test_a_page_without_a_watcher_carries_no_reload_script(good_preview):
    _, _, body = get(good_preview, "/")
    assert "/preview-events/" not in body.decode()
