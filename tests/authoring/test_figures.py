"""Figures are drawn at build time from the physics code: the curve in the archive's SVG is the
decay law the walkthroughs use, and its text alternative is the author's."""
from __future__ import annotations

import io
import math
import tarfile

from lxml import etree

from rpt_course.cli import main
from rpt_xblocks.dosimetry import plot

SVG = "{http://www.w3.org/2000/svg}"
ALT = "Line chart: the activity falls from 7.4 GBq on day 0, halving every 6.647 days, to under 0.5 GBq by day 28."


def _svg(good_course, tmp_path):
    assert main(["build", str(good_course), "-o", str(tmp_path)]) == 0
    (archive,) = tmp_path.glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        return etree.parse(io.BytesIO(tar.extractfile("course/static/lu177-decay.svg").read())).getroot()


def test_the_figure_is_the_decay_law_with_the_authors_alt_text(good_course, tmp_path):
    svg = _svg(good_course, tmp_path)
    assert svg.get("role") == "img" and svg.findtext(f"{SVG}desc") == ALT
    assert svg.findtext(f"{SVG}title") == "Lu-177 activity after a 7.4 GBq administration"
    pixels = [tuple(map(float, p.split(","))) for p in svg.find(f"{SVG}polyline").get("points").split()]
    assert len(pixels) == 60
    y_high = 7.4 * 1.05  # plot.svg_plot: the y axis runs from 0 to 5% above the highest value
    for px, py in pixels:
        days = (px - plot.LEFT) / (plot.WIDTH - plot.RIGHT - plot.LEFT) * 28
        gbq = (plot.HEIGHT - plot.BOTTOM - py) / (plot.HEIGHT - plot.BOTTOM - plot.TOP) * y_high
        assert abs(gbq - 7.4 * math.exp(-math.log(2) * days / 6.647)) < 0.01  # 0.1 px of rounding is < 0.01 GBq


def test_a_lesson_shows_the_figure(good_course, tmp_path):
    _svg(good_course, tmp_path)
    with tarfile.open(next(tmp_path.glob("*.tar.gz"))) as tar:
        lesson = tar.extractfile("course/html/decay_text.html").read().decode()
    assert '<img alt="Line chart: the activity falls' in lesson and 'src="/static/lu177-decay.svg"' in lesson
