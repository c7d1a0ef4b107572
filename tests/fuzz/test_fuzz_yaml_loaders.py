"""yaml_source's two loaders agree on generated YAML: texts put together from YAML's indicators,
scalars and line breaks, and line edits of the fixture course's YAML files, give identical data,
lines and problems with libyaml (yaml_events) and with the pure-Python loader alone."""
from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import given, settings, strategies as st

from rpt_xblocks.author_input import yaml_source

from test_fuzz_content import FUZZ, ORIGINAL_LINES, YAML_FILES, _LINE_EDIT, _edit_lines, examples


PIECES = [
    "a", "key", "title", ":", ": ", " ", "  ", "\n", "\n  ", "\n    ", "- ", "-", "  - ", "[", "]", "{", "}", ",", ", ",
    "?", "? ", "?x", "x?", "&x ", "*x", "!!int ", "!!str ", "! ", "!foo ", "'", '"', "\\", "#", " # c", "|", ">", "|-",
    ">+", "|2", "---", "...", "%YAML 1.1\n", "\t", "1", "0x_", "1.5", "-.5", "1_0", "yes", "No", "~", "null", "<<",
    "2027-01-01", "\r", "\r\n", "\x85", "\u2028", "\ufeff", "é", "日本", "\\x1f", "\\u2028", "@", "`", "%", "a:b",
    "http://x?y", "'a''b'", '"a\\"b"', "\x1f",
]
GENERATED = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), min_size=1, max_size=20).map("".join)
EDITED = st.tuples(st.sampled_from(YAML_FILES), st.lists(_LINE_EDIT, min_size=1, max_size=4)).map(
    lambda case: _edit_lines(ORIGINAL_LINES[case[0]], case[1]))


def _read(path: Path, use_libyaml: bool) -> tuple:
    yaml_source.USE_LIBYAML = use_libyaml
    try:
        data, lines, problems = yaml_source.load_yaml(path, "file.yaml")
    finally:
        yaml_source.USE_LIBYAML = yaml.__with_libyaml__
    return repr(data), lines._lines, problems


@settings(FUZZ, max_examples=examples(300))
@given(text=GENERATED | EDITED)
def test_both_loaders_read_generated_yaml_alike(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.yaml"
        path.write_text(text, "utf-8", errors="surrogatepass")
        assert _read(path, True) == _read(path, False)
