"""What-if measurements: how much time a candidate optimization would save, measured, not guessed.

Nothing here changes product code. Each what-if runs the product's own step as it is and a variant
side by side (alternating which goes first, same inputs, outputs checked equal; the saving is the
median of the paired differences), so a recommendation in docs/benchmarks.md can quote a measured
saving:

- `build_what_ifs(content_dir, sample, rounds)`: on a generated course, (1) one reused `markdown.Markdown`
  (`reset()` between texts, as `lessons` now ships) against a new converter per text; (2) one reused
  bleach `Cleaner` (as the build now reuses one from `sanitizing.new_cleaner`) against `bleach.clean` building one per
  text; (3) reading every YAML file with `yaml_source`'s libyaml loader (shipped) against its
  pure-Python loader (`benchmarks.yaml_speed`). Savings are seconds per text (1, 2: what the shipped
  reuse saves) and for the whole course (3).
- `memoized_sanitize(repeat, loop)`: our three handlers with `sanitize` uncached and cached with
  `functools.lru_cache` (it is a pure function of its text), round-robin on one runtime, whichever of
  the two the product ships (`product_caches` says which), and how often each calls `sanitize`.
"""
from __future__ import annotations

import functools
import time
from pathlib import Path

from statistics import median

from benchmarks.stats import summary
from benchmarks.yaml_speed import compare_yaml_loaders


def compare(shipped, variant, rounds: int) -> dict:
    """Time `shipped()` and `variant()` in alternating order, `rounds` times each; the medians and the
    median of the per-round differences (paired, so that a change of load hits both alike)."""
    times = {"shipped": [], "variant": []}
    for round_number in range(rounds):
        order = (("shipped", shipped), ("variant", variant))
        for name, function in (order if round_number % 2 == 0 else order[::-1]):
            started = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - started)
    return {"shipped": median(times["shipped"]), "variant": median(times["variant"]),
            "saving": median(a - b for a, b in zip(times["shipped"], times["variant"]))}


def build_what_ifs(content_dir: Path, sample: int = 100, rounds: int = 7) -> dict:
    import bleach
    import markdown
    from bleach.css_sanitizer import CSSSanitizer

    from rpt_course.compile import lessons
    from rpt_xblocks import sanitizing

    texts = [p.read_text("utf-8") for p in sorted(Path(content_dir).glob("*/lessons/*.md"))[:sample]]

    def new_converters():
        return [markdown.Markdown(extensions=lessons._MARKDOWN_EXTENSIONS, extension_configs=lessons._MARKDOWN_CONFIG,
                                  output_format="html").convert(text) for text in texts]

    def one_converter():  # as shipped
        return [lessons._markdown_to_html(text) for text in texts]

    if new_converters() != one_converter():
        raise RuntimeError("a reused Markdown converter gives other HTML — the what-if is not valid")
    converting = compare(new_converters, one_converter, rounds)

    htmls = new_converters()

    def clean_each():
        return [bleach.clean(html, tags=sanitizing.ALLOWED_TAGS, attributes=sanitizing.allowed_attribute,
                             protocols=sanitizing.ALLOWED_PROTOCOLS, css_sanitizer=CSSSanitizer(allowed_css_properties=sanitizing.ALLOWED_CSS_PROPERTIES),
                             strip=True, strip_comments=True) for html in htmls]

    def clean_reused():  # as the build ships: one Cleaner for every page, no memo
        cleaner = sanitizing.new_cleaner()
        return [sanitizing.sanitize_once(html, cleaner) for html in htmls]

    if clean_each() != clean_reused():
        raise RuntimeError("a reused bleach Cleaner gives other HTML — the what-if is not valid")
    cleaning = compare(clean_each, clean_reused, rounds)

    yaml_files = compare_yaml_loaders(content_dir, rounds)
    return {
        "sample_texts": len(texts), "rounds": rounds,
        "markdown_saving_per_text": converting["saving"] / len(texts),
        "markdown_per_text": converting["shipped"] / len(texts),
        "cleaner_saving_per_text": cleaning["saving"] / len(texts),
        "sanitize_per_text": cleaning["shipped"] / len(texts),
        "yaml_files": yaml_files["files"], "yaml_python_seconds": yaml_files["pure_python"]["median"],
        "yaml_c_seconds": yaml_files["libyaml"]["median"],
        "yaml_saving_seconds": yaml_files["pure_python"]["median"] - yaml_files["libyaml"]["median"],
    }


_SANITIZE_USERS = ("rpt_xblocks.quiz.learner_view", "rpt_xblocks.quiz.block",
                   "rpt_xblocks.dosimetry.walkthrough_view", "rpt_xblocks.dosimetry.block")


def uncached(function):
    """`function` without the `functools.lru_cache` the product may have put on it."""
    return getattr(function, "__wrapped__", function)


def memoized_sanitize(repeat: int, loop: int, log=print) -> dict:
    """Our handlers with `sanitize` uncached and cached (whichever the product ships, both are run)."""
    import importlib

    from benchmarks.block_speed import Bench, _check, _timed, operations
    from rpt_xblocks import sanitizing

    modules = [importlib.import_module(name) for name in _SANITIZE_USERS]
    shipped = sanitizing.sanitize
    plain = uncached(shipped)
    cached = shipped if plain is not shipped else functools.lru_cache(maxsize=4096)(plain)
    variants = {"uncached": plain, "cached": cached}

    def use(function):
        for module in modules:
            module.sanitize = function

    bench = Bench()
    handlers = [op for op in operations() if op.kind == "handler" and op.ours]
    samples = {(op.label, variant): [] for op in handlers for variant in variants}
    log(f"what-if: sanitize uncached and cached, {len(handlers)} handlers, {repeat} rounds of {loop} calls "
        f"(the product ships it {'cached' if plain is not shipped else 'uncached'})")
    counted = {"calls": 0}

    def counting(html):
        counted["calls"] += 1
        return plain(html)

    calls_per_request = {}
    try:
        use(counting)  # how often each handler calls `sanitize` per request, untimed
        for op in handlers:
            counted["calls"] = 0
            for call in bench.prepared(op, 1):
                _check(op, call())
            calls_per_request[op.label] = counted["calls"]
        for function in variants.values():  # warm-up, fills the cache
            use(function)
            for op in handlers:
                for call in bench.prepared(op, 2):
                    _check(op, call())
        for round_number in range(repeat):
            order = ("uncached", "cached") if round_number % 2 == 0 else ("cached", "uncached")
            for op in handlers:
                for variant in order:
                    use(variants[variant])
                    elapsed, results = _timed(bench.prepared(op, loop))
                    for result in results:
                        _check(op, result)
                    samples[(op.label, variant)].append(elapsed / loop)
    finally:
        use(shipped)
    result = {"product_caches": plain is not shipped, "handlers": {}}
    for op in handlers:
        before, after = summary(samples[(op.label, "uncached")]), summary(samples[(op.label, "cached")])
        result["handlers"][op.label] = {"uncached": before, "cached": after, "sanitize_calls": calls_per_request[op.label],
                                        "saving": 1 - after["median"] / before["median"]}
        log(f"  {op.label:34s} {before['median'] * 1000:.3f} ms -> {after['median'] * 1000:.3f} ms")
    return result
