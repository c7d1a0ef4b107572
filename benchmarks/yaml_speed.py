"""Reading course YAML: yaml_source's libyaml loader against its pure-Python loader, side by side.

Contract: `compare_yaml_loaders(content_dir, rounds)` reads every `*.yaml` under `content_dir` with
`yaml_source.load_yaml` as shipped (libyaml when PyYAML has it) and with the pure-Python loader alone
(`yaml_source.USE_LIBYAML` off), alternating which goes first in each round, in this process, and
checks both give the same data, lines and problems. Returns the number of files and bytes, the
summaries of both (seconds for all the files) and the ratio of their medians (pure-Python / libyaml).
Run: `python -m benchmarks.yaml_speed [content_dir] [rounds]` (course_content/ and 15 by default).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from benchmarks.stats import ratio, summary


def compare_yaml_loaders(content_dir: Path, rounds: int = 15) -> dict:
    from rpt_xblocks.author_input import yaml_source

    paths = sorted(Path(content_dir).rglob("*.yaml"))
    shipped = yaml_source.USE_LIBYAML

    def read_all(use_libyaml: bool) -> list:
        yaml_source.USE_LIBYAML = use_libyaml
        try:
            return [yaml_source.load_yaml(path, path.name) for path in paths]
        finally:
            yaml_source.USE_LIBYAML = shipped

    def same(results) -> list:
        return [(repr(data), lines._lines, problems) for data, lines, problems in results]

    if same(read_all(True)) != same(read_all(False)):
        raise RuntimeError("the two loaders read the files differently — the comparison is not valid")
    times: dict[str, list[float]] = {"libyaml": [], "pure_python": []}
    for round_number in range(rounds):
        order = [("libyaml", True), ("pure_python", False)]
        for name, use_libyaml in (order if round_number % 2 == 0 else order[::-1]):
            started = time.perf_counter()
            read_all(use_libyaml)
            times[name].append(time.perf_counter() - started)
    fast, pure = summary(times["libyaml"]), summary(times["pure_python"])
    return {"files": len(paths), "bytes": sum(p.stat().st_size for p in paths), "rounds": rounds,
            "libyaml": fast, "pure_python": pure, "speedup": ratio(pure, fast)}


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "course_content"
    result = compare_yaml_loaders(folder, int(sys.argv[2]) if len(sys.argv) > 2 else 15)
    print(f"{result['files']} files, {result['bytes'] / 1e3:.0f} kB, {result['rounds']} rounds: "
          f"pure-Python {result['pure_python']['median'] * 1e3:.0f} ms, libyaml {result['libyaml']['median'] * 1e3:.0f} ms "
          f"(median), {result['speedup']:.1f}x faster")
