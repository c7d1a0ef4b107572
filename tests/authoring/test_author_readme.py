"""course_content/README.md (issue 17): it points at nothing outside the repository, and tells authors
what they need: the YAML is the source of truth, how citations match the source list, how numbers are
shown and where math works."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "course_content" / "README.md"


def test_the_author_readme_points_at_nothing_outside_the_repository():
    text = README.read_text("utf-8")
    outside = re.findall(r"(?:\.\./[\w./-]+|/work/[\w./-]+|~/[\w./-]+)", text)
    assert outside == [], outside
    for target in re.findall(r"`((?:docs|course_content|scripts|tests|requirements)/[\w./-]+)`", text):
        assert (ROOT / target).exists() or (ROOT / "course_content" / target).exists(), target


def test_the_author_readme_says_what_authors_need():
    text = README.read_text("utf-8")
    for heading in ("**This folder is the source of truth.**", "**Sources and citations.**",
                    "**How numbers are shown.**", "**Where math works.**"):
        assert heading in text, heading
    assert "replaces it" in text and "Studio" in text  # a Studio edit is overwritten by the next import
