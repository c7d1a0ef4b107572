"""What the build's sanitizing fast path (rpt_xblocks.plainly_allowed) saves, measured side by side.

Contract: `measure(units, rounds)` renders two corpora with the fast path (as shipped: bleach only
for HTML that `is_plainly_allowed` refuses) and with bleach forced, in alternating order
(`what_if.compare`), after checking that both give the same XHTML, problems and links for every
text: (1) every Markdown text a build of course_content/ renders (lessons, overview, quiz and
walkthrough texts; `rendered_texts`), (2) the lessons of a generated course of `units` units
(benchmarks.generate_course). For each it times the sanitize step alone (on the HTML Markdown
wrote) and the whole `render_lesson`, and returns the medians and their ratio (fast / forced).

    python -m benchmarks.sanitize_fast_path [--units 1000] [--rounds 5]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from unittest import mock

from benchmarks.generate_course import generate_course
from benchmarks.what_if import compare

ROOT = Path(__file__).resolve().parent.parent


def rendered_texts(content_dir: Path) -> list[tuple[str, str]]:
    """Every distinct (Markdown text, anchor prefix) that a build of `content_dir` renders, in order."""
    from rpt_course.compile import lessons
    from rpt_course.build import build_files

    seen: list[tuple[str, str]] = []
    render = lessons.render_lesson

    def recording(text, anchor_prefix):
        seen.append((text, anchor_prefix))
        return render(text, anchor_prefix)

    with mock.patch.object(lessons, "render_lesson", recording):
        build_files(content_dir)  # no cache, one process: every text is rendered here
    return list(dict.fromkeys(seen))


def _side_by_side(texts: list[tuple[str, str]], rounds: int) -> dict:
    from rpt_course.compile import lessons
    from rpt_xblocks.plainly_allowed import is_plainly_allowed
    from rpt_xblocks.sanitizing import new_cleaner, sanitize_once

    cleaner = new_cleaner()
    htmls = [lessons._markdown_to_html(text) for text, _ in texts]

    def sanitize_fast():
        return [html if is_plainly_allowed(html) else sanitize_once(html, cleaner) for html in htmls]

    def sanitize_forced():
        return [sanitize_once(html, cleaner) for html in htmls]

    def render_fast():
        return [lessons.render_lesson(text, prefix) for text, prefix in texts]

    def render_forced():
        with mock.patch.object(lessons, "is_plainly_allowed", lambda html: False):
            return render_fast()

    fast_xhtml = [lessons.to_xhtml(html, prefix) for html, (_, prefix) in zip(sanitize_fast(), texts)]
    forced_xhtml = [lessons.to_xhtml(html, prefix) for html, (_, prefix) in zip(sanitize_forced(), texts)]
    if fast_xhtml != forced_xhtml or render_fast() != render_forced():
        raise RuntimeError("the fast path gives other XHTML than bleach — the measurement is not valid")
    result = {"texts": len(texts), "fast_path_taken": sum(map(is_plainly_allowed, htmls)),
              "html_kib": sum(map(len, htmls)) / 1024}
    for step, fast, forced in (("sanitize", sanitize_fast, sanitize_forced), ("render", render_fast, render_forced)):
        times = compare(fast, forced, rounds)
        result[step] = {"fast": times["shipped"], "forced": times["variant"],
                        "ratio": times["shipped"] / times["variant"]}
    return result


def measure(units: int = 1000, rounds: int = 5, log=print) -> dict:
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        generated = Path(scratch) / "content"
        generate_course(generated, units)
        corpora = {
            "course_content (every text the build renders)": rendered_texts(ROOT / "course_content"),
            f"generated {units}-unit course (lessons)": [(path.read_text("utf-8"), path.stem)
                                                         for path in sorted(generated.glob("*/lessons/*.md"))],
        }
        for name, texts in corpora.items():
            result = results[name] = _side_by_side(texts, rounds)
            log(f"{name}: {result['texts']} texts, {result['html_kib']:.0f} KiB of HTML, fast path taken for "
                f"{result['fast_path_taken']}; {rounds} alternating rounds, medians:")
            for step in ("sanitize", "render"):
                times = result[step]
                log(f"  {step:8s} fast path {times['fast']:.3f} s, bleach forced {times['forced']:.3f} s: "
                    f"ratio {times['ratio']:.3f}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    measure(args.units, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
