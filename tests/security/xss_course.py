"""The XSS course: the small fixture course (tests/fixtures/courses/good) with the payloads of
tests/fixtures/xss_payloads.txt in each kind of author text, built two ways.

- Authored (`authored_course`): the payloads in a content folder, as an author would write them —
  one lesson file per payload, one course source per payload (title, publisher, url, cited text),
  requirements of the institution's set (title, citation), quiz questions (prompt, choice, feedback,
  explanation, hint) and walkthrough steps (prompt, hint, explanation, source). The build refuses
  what its allow-list would drop, naming the file and line: each refused placement is replaced by
  plain text until the build passes. What survives must be inert in the browser. Quiz and
  walkthrough texts take the payloads the lessons kept (they go through the same Markdown renderer).
- Hand-edited OLX (`with_olx_blocks`): every payload as raw markup inside block OLX, as staff can
  type it in Studio or an archive from elsewhere can hold it; the blocks must sanitize it when they
  render. Each payload becomes XHTML the way a browser's parser would build it, with non-void
  elements always closed so that one payload never swallows the next (payloads XML cannot hold are
  used as text).

Payloads share a question or a step in groups of `GROUP` (each in its own element): the blocks
do work per question and step on every request, and a few hundred steps would take minutes.
"""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree, html as lxml_html

from rpt_course.build import build_files
from rpt_xblocks.author_input.problems import ProblemsFound
from rpt_xblocks.dosimetry.scenario import Parameter, Plot, Scenario, Step
from rpt_xblocks.dosimetry.scenario_olx import scenario_to_xml
from rpt_xblocks.quiz.bank import Choice, Item, Question, QuizSettings, quiz_to_xml
from rpt_xblocks.tracker.tracker_olx import tracker_to_xml

TESTS = Path(__file__).resolve().parents[1]
PAYLOADS_FILE = TESTS / "fixtures" / "xss_payloads.txt"
GOOD_COURSE = TESTS / "fixtures" / "courses" / "good"
GROUP = 6
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
         "keygen", "isindex"}
_SWALLOWS_THE_REST = re.compile(r"<\s*plaintext", re.IGNORECASE)  # nothing after it can be markup


def payloads() -> list[str]:
    lines = PAYLOADS_FILE.read_text("utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#:")]


def groups(indexes: list[int], texts: list[str], size: int = GROUP) -> list[list[int]]:
    """`indexes` in groups of `size`; a payload that swallows what follows it goes alone."""
    alone = [[i] for i in indexes if _SWALLOWS_THE_REST.search(texts[i])]
    rest = [i for i in indexes if not _SWALLOWS_THE_REST.search(texts[i])]
    return [rest[n:n + size] for n in range(0, len(rest), size)] + alone


def packed(texts: list[str], limit: int) -> list[str]:
    """`texts` joined with spaces into as few strings of at most `limit` characters as they fit in
    (a longer text is cut to `limit`)."""
    out: list[str] = []
    for text in texts:
        text = text[:limit]
        if out and len(out[-1]) + 1 + len(text) <= limit:
            out[-1] += " " + text
        else:
            out.append(text)
    return out


# ---- authored content ----------------------------------------------------------------------------

PER_PAYLOAD = ("lesson", "source_title", "source_publisher", "source_url", "source_cites", "requirement_citation")
PER_GROUP = ("quiz_question", "step", "requirement")
_PLAIN = {"requirement_citation": "Test State rule 1.2", "source_url": "https://example.org/",
          "source_cites": "xss-cite-{i:03d}", "source_title": "Refused title {i:03d}",
          "source_publisher": "Refused publisher"}


@dataclass
class Authored:
    """The authored XSS course: which payloads the build refused where (payload indexes per place;
    for quiz questions and steps, indexes of groups of the lessons' survivors; for requirements,
    indexes of groups of all payloads)."""

    folder: Path
    texts: list[str]
    refused: dict[str, set[int]] = field(default_factory=lambda: {k: set() for k in PER_PAYLOAD + PER_GROUP})
    where: dict = field(default_factory=dict)

    def kept(self, place: str) -> list[int]:
        return [i for i in range(len(self.texts)) if i not in self.refused[place]]

    def markdown_groups(self) -> list[list[int]]:
        return groups(self.kept("lesson"), self.texts)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string escapes are a subset of YAML's)."""
    return json.dumps(text)


def write_content(authored: Authored) -> None:
    """Write the content folder: a copy of the good course with the payloads placed (the refused
    ones as plain text), and record in `authored.where` which (file, line) holds which placement."""
    folder, texts = authored.folder, authored.texts
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(GOOD_COURSE, folder)
    where = authored.where = {}

    def text(place, i):
        return _PLAIN.get(place, "Refused").format(i=i) if i in authored.refused[place] else texts[i]

    lines: list[str] = []

    def put(path, place, i, line):
        where[(path, len(lines) + 1)] = (place, i)
        lines.append(line)

    # Lessons: one file per payload, all in the welcome unit.
    module = (GOOD_COURSE / "intro" / "module.yaml").read_text("utf-8")
    components = "".join(f"          - id: xss_lesson_{i:03d}\n            kind: lesson\n"
                         f"            file: lessons/xss-{i:03d}.md\n" for i in authored.kept("lesson"))
    module = module.replace("            file: lessons/welcome.md\n", "            file: lessons/welcome.md\n" + components, 1)
    (folder / "intro" / "module.yaml").write_text(module, "utf-8")
    for i, payload in enumerate(texts):
        (folder / "intro" / "lessons" / f"xss-{i:03d}.md").write_text(payload + "\n", "utf-8")
        where[(f"intro/lessons/xss-{i:03d}.md", None)] = ("lesson", i)

    # Sources: one per payload; citations elsewhere name a payload, so they resolve to its source.
    path = "sources.yaml"
    lines = (GOOD_COURSE / path).read_text("utf-8").rstrip("\n").splitlines()
    for i in range(len(texts)):
        lines.append(f"  - id: xss-{i:03d}")
        put(path, "source_title", i, "    title: " + _q(text("source_title", i)))
        put(path, "source_publisher", i, "    publisher: " + _q(text("source_publisher", i)))
        put(path, "source_url", i, "    url: " + _q(text("source_url", i)))
        put(path, "source_cites", i, "    cites: [" + _q(text("source_cites", i)) + "]")
    (folder / path).write_text("\n".join(lines) + "\n", "utf-8")

    # The institution's requirement set: one requirement per group of payloads (title), each citing one.
    path = "intro/trackers/state-set.yaml"
    lines = ["id: test-state", "title: \"Test State: extra cases\"", "citation: \"Test State rule 1.2\"", "requirements:"]
    for n, group in enumerate(groups(list(range(len(texts))), texts)):
        title = packed([texts[i] for i in group], 255)[0] if n not in authored.refused["requirement"] else f"Refused {n}"
        citation = texts[group[0]] if group[0] not in authored.refused["requirement_citation"] else "Test State rule 1.2"
        put(path, "requirement", n, f"  - id: xss_{n:03d}")
        lines.append("    kind: cases")
        put(path, "requirement", n, "    title: " + _q(title))
        put(path, "requirement_citation", group[0], "    citation: " + _q(citation))
        lines += ["    quantity: 1", "    category: G3"]
    (folder / path).write_text("\n".join(lines) + "\n", "utf-8")

    # Quiz and walkthrough: groups of the payloads the lessons kept, one Markdown paragraph each.
    cited = [i for i in authored.kept("source_cites") if i not in authored.refused["source_title"]]
    path = "intro/quizzes/check.yaml"
    lines = ["title: Payload check", "max_attempts: 1", "show_answer: finished", "show_correctness: always",
             "shuffle_choices: false", "questions:"]
    for n, group in enumerate(authored.markdown_groups()):
        markdown = _q("\n\n".join(texts[i] for i in group)) if n not in authored.refused["quiz_question"] else '"Refused"'
        inline = _q(" ".join(texts[i] for i in group)) if n not in authored.refused["quiz_question"] else '"Refused"'
        start = len(lines)
        lines += [f"  - id: xss_{n:03d}", "    type: single", "    citation: 10 CFR 20.1301", "    prompt: " + markdown,
                  "    explanation: " + markdown, "    hints:", "      - " + markdown, "    choices:",
                  "      - text: " + inline, "        feedback: " + markdown, "      - text: Right answer",
                  "        correct: true"]
        for line in range(start + 1, len(lines) + 1):
            where[(path, line)] = ("quiz_question", n)
    (folder / path).write_text("\n".join(lines) + "\n", "utf-8")

    path = "intro/walkthroughs/decay.yaml"
    lines = ["title: Payload walkthrough", "step_attempts: 1", "parameters:",
             "  A0: {label: Activity, value: 7.4, unit: GBq, citation: \"Lutathera US label\"}", "steps:"]
    for n, group in enumerate(authored.markdown_groups()):
        markdown = _q("\n\n".join(texts[i] for i in group)) if n not in authored.refused["step"] else '"Refused"'
        source = _q(texts[cited[n % len(cited)]]) if cited else '"Test source"'
        start = len(lines)
        lines += [f"  - id: s{n:03d}", "    formula: \"1\"", "    unit: \"\"", "    tolerance: 1%", "    prompt: " + markdown,
                  "    hints:", "      - " + markdown, "    explanation: " + markdown, "    source: " + source]
        for line in range(start + 1, len(lines) + 1):
            where[(path, line)] = ("step", n)
    lines += ["plot:", "  title: Activity over two weeks", "  x: time", "  x_unit: h", "  from: 0", "  to: 336",
              "  formula: 'activity_at(A0, q(6.647, \"d\"), time)'", "  y_unit: GBq"]
    (folder / path).write_text("\n".join(lines) + "\n", "utf-8")


def authored_course(folder: Path, texts: list[str] | None = None) -> tuple[Authored, dict[str, bytes]]:
    """The authored XSS course in `folder` with every refused placement made plain, and its built OLX."""
    authored = Authored(folder=folder, texts=payloads() if texts is None else texts)
    for _round in range(6):
        write_content(authored)
        try:
            _course, files = build_files(folder)
            return authored, files
        except ProblemsFound as found:
            lessons_before = set(authored.refused["lesson"])
            unplaced = []
            for problem in found.problems:
                key = (problem.path, None) if problem.path.startswith("intro/lessons/xss-") else (problem.path, problem.line)
                if key in authored.where:
                    place, index = authored.where[key]
                    authored.refused[place].add(index)
                else:
                    unplaced.append(str(problem))
            assert not unplaced, "the build refused something that is not a payload:\n" + "\n".join(unplaced)
            if authored.refused["lesson"] != lessons_before:  # the groups change: judge them again
                authored.refused["quiz_question"].clear()
                authored.refused["step"].clear()
    raise AssertionError("the build still refuses the course after every refused payload was made plain")


# ---- hand-edited OLX ------------------------------------------------------------------------------

def as_xhtml(payload: str) -> str | None:
    """The payload as a browser's HTML parser would build it, serialized as XHTML inside a <span>;
    None when XML cannot hold it (an attribute name XML does not allow, say)."""
    try:
        wrapper = lxml_html.fragment_fromstring(payload, create_parent="span")
    except (etree.ParserError, ValueError):
        return None
    for node in wrapper.iter(etree.Element):
        if node.tag not in _VOID and node.text is None and len(node) == 0:
            node.text = ""  # <textarea></textarea>, never <textarea/>, which HTML parsers leave open
    try:
        text = etree.tostring(wrapper, encoding="unicode", method="xml")
        etree.fromstring(text)
    except (ValueError, etree.XMLSyntaxError):
        return None
    return text


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markup(texts: list[str]) -> str:
    """Payloads as XHTML, one after the other (as text where XML cannot hold one)."""
    return "".join(as_xhtml(t) or f"<span>{_escape(t)}</span>" for t in texts)


def _plain(text: str) -> str:
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)


def olx_quiz(texts: list[str]) -> etree._Element:
    questions = []
    for n, group in enumerate(groups(list(range(len(texts))), texts)):
        chunk = [texts[i] for i in group]
        questions.append(Question(
            id=f"raw_{n:03d}", type="single", prompt=markup(chunk), citation=_plain(" ".join(chunk)),
            explanation=markup(chunk), hints=(markup(chunk), _escape(" ".join(chunk))),
            choices=(Choice(id="a", text=markup(chunk), feedback=markup(chunk)),
                     Choice(id="b", text="Right answer", correct=True))))
        questions.append(Question(id=f"raw_order_{n:03d}", type="ordering", prompt="<p>Order these.</p>",
                                  citation="10 CFR 20.1301", explanation=_escape(" ".join(chunk)),
                                  items=tuple(Item(id=f"step{k + 1}", text=markup([t])) for k, t in enumerate(chunk))
                                  + (Item(id="last", text="Last"),)))
    return quiz_to_xml(QuizSettings(display_name=packed([_plain(t) for t in texts], 255)[0], max_attempts=1,
                                    show_answer="finished", show_correctness="always", shuffle_choices=False),
                       questions, url_name="xss_raw_quiz")


PLACEHOLDER_LIKE = re.compile(r"\{[A-Za-z][A-Za-z0-9_]*\}")


def olx_walkthrough(texts: list[str]) -> etree._Element:
    """A walkthrough whose steps' prompts, hints and explanations hold `texts`, except those with a
    `{name}` that names no parameter or earlier step: the block refuses those at import (a prompt
    shows only parameters and earlier steps), so they never reach a learner."""
    texts = [t for t in texts if not PLACEHOLDER_LIKE.search(t)]
    chunks = [[texts[i] for i in group] for group in groups(list(range(len(texts))), texts)]
    steps = tuple(Step(id=f"r{n:03d}", prompt=markup(chunk), formula="1", unit="", tolerance="1%", hints=(markup(chunk),),
                       explanation=markup(chunk), source=_plain(" ".join(chunk))) for n, chunk in enumerate(chunks))
    plain = packed([_plain(t) for t in texts], 255)
    scenario = Scenario(
        title=plain[0],
        parameters=(Parameter(name="A0", unit="GBq", value=7.4, citation=plain[1 % len(plain)]),
                    Parameter(name="T_half", unit="d", value=6.647, citation=plain[2 % len(plain)]),
                    Parameter(name="t", unit="h", low=24, high=72, step=12, citation=plain[3 % len(plain)])),
        steps=steps,
        plot=Plot(title=plain[4 % len(plain)], x="time", x_unit="h", start=0, stop=336,
                  formula="activity_at(A0, T_half, time)", y_unit="GBq", x_label=plain[5 % len(plain)],
                  y_label=plain[6 % len(plain)], mark="t"))
    element = scenario_to_xml(scenario, url_name="xss_raw_walkthrough")
    element.set("step_attempts", "1")
    return element


def olx_tracker(texts: list[str]) -> etree._Element:
    plain = packed([_plain(t) for t in texts], 255)
    requirements = [{"id": f"raw_{n:03d}", "kind": "cases", "title": title, "citation": plain[(n + 1) % len(plain)],
                     "description": title, "quantity": 1.0, "category": "G3"} for n, title in enumerate(plain)]
    custom = [{"id": "raw-set", "title": plain[0], "citation": plain[1 % len(plain)],
               "description": packed(texts, 2000)[0], "requirements": requirements}]
    element = tracker_to_xml(plain[-1], ["nrc-35-390"], custom)
    element.set("url_name", "xss_raw_tracker")
    return element


def with_olx_blocks(files: dict[str, bytes], texts: list[str]) -> dict[str, bytes]:
    """The built course with one hand-edited block of each kind added to the unit of its kind."""
    files = dict(files)
    for path, element in (("course/vertical/decay.xml", olx_walkthrough(texts)),
                          ("course/vertical/check_unit.xml", olx_quiz(texts)),
                          ("course/vertical/records_unit.xml", olx_tracker(texts))):
        vertical = etree.fromstring(files[path])
        vertical.append(element)
        files[path] = etree.tostring(vertical, encoding="utf-8")
    return files
