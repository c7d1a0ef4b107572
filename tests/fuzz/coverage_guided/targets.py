"""Coverage-guided fuzz targets (atheris, libFuzzer) for the parsers that read hostile bytes, where
random generation rarely gets past the first checks: tar headers inside a gzip stream, YAML, the
formula language and learners' answers with units.

Run one target: `python tests/fuzz/coverage_guided/targets.py TARGET [CORPUS...] [libFuzzer flags]`,
e.g. `-runs=20000 -seed=1 -max_len=4096 -artifact_prefix=/tmp/crash-`; with `-runs` omitted it runs
until stopped (`make fuzz-deep`). TARGET is one of `TARGETS`. Each target checks its contract and
raises on a breach: libFuzzer then writes the input to `<artifact_prefix>crash-<sha1>` and exits 1;
replay it with `python tests/fuzz/coverage_guided/targets.py TARGET <that file>`.

Contracts (the same as the hypothesis tests in tests/fuzz state):
- archive: the input is an uncompressed tar; gzip-compressed, `unpack_untrusted` returns files or
  refuses with problems, never raises, writes nothing outside its folder, creates only regular files
  and folders, and every problem prints on one line that says how to fix it.
- yaml: `load_yaml` returns a mapping or problems located at a line of the file, never raises, and
  gives the same data, lines and problems with libyaml and with the pure-Python loader alone.
- formula: `Formula` and `evaluate` raise nothing but FormulaError and return finite values.
- answer: `parse_answer` and `parse_unit` raise nothing but AnswerError.
"""
from __future__ import annotations

import gzip
import math
import os
import re
import stat
import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "xblocks")]

# Coverage is collected from our packages and the parsers they hand bytes to (instrumenting every
# import, pint included, costs half a minute per run).
with atheris.instrument_imports(include=["rpt_course", "rpt_xblocks", "tarfile", "gzip", "yaml"]):
    from rpt_course.archive.untrusted import unpack_untrusted
    from rpt_xblocks.author_input import yaml_source
    from rpt_xblocks.author_input.yaml_source import load_yaml
    from rpt_xblocks.dosimetry.formula import Formula, FormulaError, evaluate
    from rpt_xblocks.quantities import AnswerError, Quantity, parse_answer, parse_unit

# Set by main(): a folder beside the first corpus folder or crash file. libFuzzer ends the process with
# C exit(), so no Python `finally` or atexit runs after fuzzing; a folder the caller owns (the test's
# tmp_path, or var/fuzz) does not leak into /tmp.
SCRATCH: Path
FORMULA_VALUES = {"A0": Quantity(7.4, "GBq"), "T_half": Quantity(6.647, "d"), "t": Quantity(3, "d"), "x": 2.0}


def _one_line_with_fix(problems) -> None:
    for problem in problems:
        shown = str(problem)
        if "\n" in shown or " — " not in problem.message:
            raise AssertionError(f"problem not on one line with a fix: {shown!r}")


def archive(data: bytes) -> None:
    work = Path(tempfile.mkdtemp(dir=SCRATCH))
    try:
        packed = work / "course.tar.gz"
        packed.write_bytes(gzip.compress(data, compresslevel=1, mtime=0))
        dest = work / "dest"
        dest.mkdir()
        files, problems = unpack_untrusted(packed, dest, max_unpacked_bytes=2**20, max_members=500)
        if files is None and not problems:
            raise AssertionError("refused without a problem")
        if sorted(p.name for p in work.iterdir()) != ["course.tar.gz", "dest"]:
            raise AssertionError(f"something was written beside the folder: {sorted(work.iterdir())}")
        for folder, subfolders, names in os.walk(dest):
            for name in subfolders + names:
                mode = os.lstat(os.path.join(folder, name)).st_mode
                if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                    raise AssertionError(f"created {os.path.join(folder, name)} with mode {mode:o}")
        _one_line_with_fix(problems)
    finally:
        _remove(work)


def yaml(data: bytes) -> None:
    path = SCRATCH / "file.yaml"
    path.write_bytes(data)
    loaded, _lines, problems = load_yaml(path, "file.yaml")
    if problems:
        last_line = _yaml_line_count(data)
        if any(p.line is None or not 1 <= p.line <= last_line + 1 for p in problems):
            raise AssertionError(f"a problem past the file's {last_line} lines: {problems}")
        _one_line_with_fix(problems)
    elif not isinstance(loaded, dict):
        raise AssertionError(f"loaded {type(loaded).__name__} without a problem")
    if yaml_source.USE_LIBYAML:  # the pure-Python loader alone must read it alike
        yaml_source.USE_LIBYAML = False
        try:
            alone = load_yaml(path, "file.yaml")
        finally:
            yaml_source.USE_LIBYAML = True
        if (repr(alone[0]), alone[1]._lines, alone[2]) != (repr(loaded), _lines._lines, problems):
            raise AssertionError(f"libyaml read {loaded!r} {problems}, the pure-Python loader {alone[0]!r} {alone[2]}")


def _yaml_line_count(data: bytes) -> int:
    """The lines of `data` as YAML counts them: a UTF-8 text breaks at LF, CR LF, a lone CR, NEL,
    U+2028 and U+2029 (a file saved with CR line breaks has as many lines); other bytes at LF."""
    try:
        return len(_YAML_LINE_BREAK.findall(data.decode("utf-8"))) + 1
    except UnicodeDecodeError:
        return data.count(b"\n") + 1


_YAML_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def formula(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    try:
        value = evaluate(Formula(text), FORMULA_VALUES)
    except FormulaError:
        return
    magnitude = getattr(value, "magnitude", value)
    if not math.isfinite(float(magnitude)):
        raise AssertionError(f"{text!r} gave {value!r}")


def answer(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    for parse in (parse_answer, parse_unit):
        try:
            parse(text)
        except AnswerError:
            pass


TARGETS = {"archive": archive, "yaml": yaml, "formula": formula, "answer": answer}


def _remove(path: Path) -> None:
    for folder, subfolders, names in os.walk(path, topdown=False):
        for name in names:
            os.unlink(os.path.join(folder, name))
        for name in subfolders:
            entry = os.path.join(folder, name)
            os.unlink(entry) if os.path.islink(entry) else os.rmdir(entry)
    os.rmdir(path)


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[1] not in TARGETS:
        sys.exit(f"usage: {argv[0]} {{{','.join(TARGETS)}}} [corpus folders or crash files] [libFuzzer flags]")
    target = TARGETS[argv[1]]
    global SCRATCH
    inputs = [arg for arg in argv[2:] if not arg.startswith("-")]
    SCRATCH = Path(inputs[0] if inputs else ".").resolve().parent / f"scratch-{argv[1]}"
    if SCRATCH.exists():
        _remove(SCRATCH)
    SCRATCH.mkdir()
    atheris.Setup([argv[0]] + argv[2:], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
