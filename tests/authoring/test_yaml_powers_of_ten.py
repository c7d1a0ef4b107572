"""Issue 16: `6.022e23` in course YAML is a number (YAML 1.2), not text as PyYAML's YAML 1.1 SafeLoader
reads it (its float needs a point and a signed exponent, 6.022e+23). Both of yaml_source's loaders
read it so; a number written in quotes is refused where a number is needed, with how to fix it."""
from __future__ import annotations

import pytest

from rpt_course.cli import main
from rpt_xblocks.author_input import yaml_source
from rpt_xblocks.author_input.yaml_source import load_yaml

TEXT = """\
avogadro: 6.022e23
small: 1e-3
big: 7E9
signed: -2.5e+3
point: .5e3
yaml11: 6.022e+23
quoted: "6.022e23"
word: 1e5x
plain: 12
"""
EXPECTED = {"avogadro": 6.022e23, "small": 1e-3, "big": 7e9, "signed": -2.5e3, "point": 500.0,
            "yaml11": 6.022e23, "quoted": "6.022e23", "word": "1e5x", "plain": 12}


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
def test_both_loaders_read_powers_of_ten_as_numbers(tmp_path, monkeypatch, libyaml):
    # The pinned PyYAML wheel has libyaml (test_yaml_loaders_agree.py asserts it): both loaders run here.
    monkeypatch.setattr(yaml_source, "USE_LIBYAML", libyaml)
    path = tmp_path / "numbers.yaml"
    path.write_text(TEXT, "utf-8")
    data, lines, problems = load_yaml(path, "numbers.yaml")
    assert problems == []
    assert data == EXPECTED
    assert all(type(data[k]) is float for k in ("avogadro", "small", "big", "signed", "point", "yaml11"))
    assert lines.line(("quoted",)) == 7


DECAY = "intro/walkthroughs/decay.yaml"
PARAMETER = "  A0: {label: \"Calibrated activity\", value: 7.4, unit: GBq, citation: \"Lutathera US label: 7.4 GBq (200 mCi)\"}"


def test_a_walkthrough_parameter_written_6_022e23_builds(good_course, tmp_path, capsys):
    path = good_course / DECAY
    path.write_text(path.read_text("utf-8").replace(
        PARAMETER, PARAMETER + "\n  N_A: {label: Avogadro constant, value: 6.02214076e23, unit: /mol}", 1), "utf-8")
    assert main(["build", str(good_course), "-o", str(tmp_path / "dist")]) == 0, capsys.readouterr().err


def test_a_number_in_quotes_is_refused_with_how_to_write_it(good_course, tmp_path, capsys):
    path = good_course / DECAY
    text = path.read_text("utf-8")
    line = text.splitlines().index(PARAMETER) + 2
    path.write_text(text.replace(PARAMETER, PARAMETER + "\n  N_A: {label: Avogadro constant, value: \"6.022e23\", unit: /mol}", 1), "utf-8")
    assert main(["build", str(good_course), "-o", str(tmp_path / "dist")]) == 1
    err = capsys.readouterr().err
    assert (f"{DECAY}:{line}: 'value' must be a number, not \"6.022e23\" — write 6.022e23 without quotes"
            in err), err
