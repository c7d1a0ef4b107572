"""`rpt-course`: build, validate and preview the course in course_content/.

Exit codes: 0 success; 1 author mistakes (each printed as `path:line: what — how`, all at once,
on stderr); 2 wrong usage. A failed build leaves any earlier archive untouched.

`build` keeps rendered lessons and the YAML files found clean in a cache folder (default:
var/build-cache/ beside the content folder, or $RPT_BUILD_CACHE_DIR), so a rebuild renders and
checks only what changed; the archive and the problems reported are the same with or without it.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from rpt_course.archive.write import write_archive
from rpt_course.build import build_files
from rpt_course.content import Overrides
from rpt_course.model import Course
from rpt_course.checks.olx_checks import olx_problems
from rpt_xblocks.author_input.problems import Problem, ProblemsFound
from rpt_course.caches.build_cache import BuildCache
from rpt_course.render_pool import default_workers
from rpt_course.archive.staging import Interrupted, staging_folder

DEFAULT_CONTENT = "course_content"
DEFAULT_OUT = "dist"
CACHE_ENV = "RPT_BUILD_CACHE_DIR"
PROGRESS_FROM = 100  # show progress when a build renders at least this many lessons


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rpt-course", description="Build and check the rpt-au Open edX course.")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build the OLX .tar.gz that Studio imports")
    build.add_argument("content", nargs="?", default=DEFAULT_CONTENT, help="content folder (default: course_content)")
    build.add_argument("-o", "--out", default=DEFAULT_OUT, help="output folder (default: dist)")
    _term_options(build)
    build.add_argument("--cache-dir", help="where rendered lessons and clean checks are kept so that a rebuild "
                                           f"renders and checks only what changed (default: ${CACHE_ENV}, else var/build-cache beside the content "
                                           "folder; safe to delete)")
    build.add_argument("--no-cache", action="store_true", help="render and check everything, and neither read nor write the cache")
    build.add_argument("-j", "--jobs", type=int, default=None,
                       help="processes that render lessons the cache lacks (default: the number of CPUs)")

    validate = commands.add_parser("validate", help="check a content folder or an archive (ours or from elsewhere)")
    validate.add_argument("source", nargs="?", default=DEFAULT_CONTENT, help="content folder or .tar.gz archive")
    _term_options(validate)

    preview = commands.add_parser("preview", help="serve the course's units in the xblock-sdk workbench")
    preview.add_argument("content", nargs="?", default=DEFAULT_CONTENT)
    preview.add_argument("--port", type=int, default=8000)
    preview.add_argument("--state-dir", help="where the preview keeps its SQLite state (default: $RPT_PREVIEW_STATE_DIR or var/preview)")
    preview.add_argument("--no-watch", action="store_true",
                         help="do not watch the content folder (by default a save rebuilds the course and reloads the open pages)")
    preview.add_argument("--cache-dir", help="the build cache, as for build (default: $RPT_BUILD_CACHE_DIR, else var/build-cache beside the content folder)")
    return parser


def _term_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--run", help="course run for this term (url_names do not change)")
    parser.add_argument("--start", help="course start date, e.g. 2027-09-01")
    parser.add_argument("--end", help="course end date")


def _overrides(args) -> Overrides:
    return Overrides(run=args.run, start=args.start, end=args.end)


def _report(problems: list[Problem]) -> int:
    problems = ProblemsFound(problems).problems  # sorted, without repeats
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", file=sys.stderr)
    return 1


def _progress(done: int, total: int) -> None:
    if total >= PROGRESS_FROM and (done == total or done % max(1, total // 10) == 0):
        print(f"  rendering lessons: {done}/{total}", file=sys.stderr, flush=True)


def _summary(course: Course, archive: Path, size: int, sha256: str) -> str:
    sections = sum(len(m.sections) for m in course.modules)

    def count(n, word):
        return f"{n} {word}{'' if n == 1 else 's'}"

    return (f"Built {archive}\n"
            f"  {count(len(course.modules), 'module')}, {count(sections, 'section')}, "
            f"{count(len(course.units), 'unit')}, {count(len(course.components), 'component')}\n"
            f"  {size:,} bytes, sha256 {sha256}")


def _cache_folder(args) -> Path:
    return Path(args.cache_dir or os.environ.get(CACHE_ENV) or Path(args.content).resolve().parent / "var" / "build-cache")


def _cache(args) -> BuildCache | None:
    if args.no_cache:
        return None
    return BuildCache(_cache_folder(args))


def _cannot_write(where, exc: OSError) -> int:
    print(f"{where}: cannot write the archive ({exc.strerror}) — check the output folder and free space; any earlier archive is untouched", file=sys.stderr)
    return 1


def _build(args) -> int:
    """Build into a staging folder inside the output folder (the OLX is written there as it is made,
    not held in memory), check it, pack it; the staging folder is removed in every case, also when
    the build is stopped by SIGTERM or SIGINT (exit status 128 + the signal's number)."""
    content, out = Path(args.content), Path(args.out)
    if args.jobs is not None and args.jobs < 1:
        print("--jobs must be at least 1", file=sys.stderr)
        return 2
    try:
        return _staged_build(args, content, out)
    except Interrupted as stopped:
        print(f"the build was stopped ({stopped}); nothing was written and any earlier archive is untouched", file=sys.stderr)
        return stopped.code


def _staged_build(args, content: Path, out: Path) -> int:
    with contextlib.ExitStack() as stack:
        try:
            staging = stack.enter_context(staging_folder(out))
        except OSError as exc:
            return _cannot_write(out, exc)
        try:
            course, files = build_files(content, _overrides(args), progress=_progress, cache=_cache(args),
                                        workers=args.jobs or default_workers(), staging=staging)
        except ProblemsFound as found:
            return _report(found.problems)
        except OSError as exc:
            if exc.filename is None or staging not in Path(exc.filename).parents:
                raise
            return _cannot_write(out, exc)
        problems = olx_problems(files, "(built OLX)")
        if problems:
            return _report(problems)
        archive = out / f"{course.org}-{course.number}-{course.run}.tar.gz"
        try:
            size, sha256 = write_archive(files, archive)
        except OSError as exc:
            return _cannot_write(archive, exc)
    print(_summary(course, archive, size, sha256))
    return 0


def _validate(args) -> int:
    from rpt_course.checks.validate import validate_archive, validate_content

    source = Path(args.source)
    if source.is_dir():
        problems = validate_content(source, _overrides(args))
    elif source.is_file():
        problems = validate_archive(source)
    else:
        problems = [Problem(str(source), None, "no such folder or file — give a course_content folder or a .tar.gz archive")]
    if problems:
        return _report(problems)
    print(f"{source}: valid (our checks and olxcleaner step 8: 0 errors, 0 warnings)")
    return 0


def _preview(args) -> int:
    try:
        import mathjax  # noqa: F401  (django-static-mathjax: the preview serves MathJax from it)

        from rpt_course.preview.server import serve
    except ImportError as exc:
        print(f"the preview needs the development extras ({exc.name} is missing) — run `make run`, or pip install -e '.[dev]'", file=sys.stderr)
        return 1
    try:
        _course, files = build_files(Path(args.content), cache=BuildCache(_cache_folder(args)))
        serve(files, port=args.port, state_dir=args.state_dir, watch_content=None if args.no_watch else args.content,
              cache_dir=_cache_folder(args))
    except ProblemsFound as found:
        return _report(found.problems)
    except KeyboardInterrupt:
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = {"build": _build, "validate": _validate, "preview": _preview}[args.command]
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
