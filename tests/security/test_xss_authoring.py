"""`rpt-course build` with the XSS payloads in the content: it refuses what its allow-list would
drop, naming each file and line and writing nothing; what it accepts comes out of the build as
markup that cannot run (checked here in the OLX, and in Chromium by test_xss_in_browser.py).
"""
from __future__ import annotations

import re

from lxml import html as lxml_html

from rpt_course.cli import main
from xss_course import Authored, payloads, write_content

SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data|livescript):", re.IGNORECASE)
SCRIPTING = {"script", "iframe", "frame", "object", "embed", "applet", "base", "meta", "link", "style", "form", "svg",
             "math", "template", "noscript"}


def test_the_build_refuses_the_payloads_it_would_drop_naming_file_and_line(tmp_path, capsys):
    authored = Authored(folder=tmp_path / "content", texts=payloads())
    write_content(authored)  # every payload everywhere, nothing refused yet
    assert main(["build", str(authored.folder), "-o", str(tmp_path / "dist")]) == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err and not (tmp_path / "dist").exists()
    assert "Traceback" not in err
    lessons = set(re.findall(r"^intro/lessons/(xss-\d+)\.md:\d+: ", err, re.M))
    assert len(lessons) > len(authored.texts) // 2, "most raw payloads are refused, each at its lesson and line"
    assert re.search(r"^sources\.yaml:\d+: .*url", err, re.M | re.I), "a script URL as a source's url is refused"
    assert "is not allowed in lessons" in err and "event-handler attributes" in err and "scheme that is not allowed" in err


def test_what_the_build_accepts_cannot_run(xss_authored, tmp_path, capsys):
    authored, files = xss_authored
    assert authored.kept("lesson") and len(authored.kept("lesson")) < len(authored.texts)
    assert main(["build", str(authored.folder), "-o", str(tmp_path / "dist")]) == 0, capsys.readouterr().err
    bodies = {name: data.decode() for name, data in files.items()
              if name.endswith(".html") or name.startswith("course/vertical/")}
    found = []
    for name, body in bodies.items():
        for element in lxml_html.fragment_fromstring(body, create_parent="div").iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag.lower() in SCRIPTING:
                found.append(f"{name}: <{element.tag}>")
            for attribute, value in element.attrib.items():
                if attribute.lower().startswith("on") or (attribute.lower() in ("href", "src", "action", "formaction")
                                                          and SCRIPT_URL.match(value)):
                    found.append(f"{name}: {attribute}={value!r} on <{element.tag}>")
                if attribute.lower() == "style" and re.search(r"url\(|expression\(|javascript:", value, re.I):
                    found.append(f"{name}: style={value!r}")
    assert found == []
