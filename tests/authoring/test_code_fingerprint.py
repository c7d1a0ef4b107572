"""The build cache's fingerprints (scripts/rpt_course/caches/code_fingerprint.py) cover what the cached
computations depend on: the project modules are found by following imports, and running the
computation on inputs that reach all its code loads no project module outside them and no library
outside its `libraries` (checked in a fresh process, so that nothing else has loaded modules
before). Rendering: texts using every Markdown feature. Checking: every YAML file of course_content/
against its schema and every walkthrough's and figure's scenario check, plus files with mistakes."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from rpt_course.caches import code_fingerprint
from rpt_course.caches.check_cache import CHECKING
from rpt_course.caches.code_fingerprint import CodeFingerprint, digest, sources
from rpt_course.caches.render_cache import RENDERING

COURSE_CONTENT = Path(__file__).resolve().parents[2] / "course_content"

# Every construct the lesson renderer handles: the Markdown extensions, raw and hostile HTML, styles.
_TEXTS = [
    "# Title\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\nText[^n], $x^2$ and \\(y\\).\n\n$$\nD = A S\n$$\n\n"
    "!!! warning \"Dose\"\n    Careful.\n\n1. one\n2. two\n\n- a\n- b\n\n[^n]: 10 CFR 35.75.\n",
    "<p style=\"text-align: center; color: red\">x</p> <script>1</script> <img src=x onerror=y> "
    "[a](javascript:x) [b](/jump_to_id/u1) ![c](/static/c.png) <a href='#top'>top</a> &amp; &nbsp;",
    "",
]

_RENDER = """
    from rpt_course.caches.render_cache import render_text
    for text in json.loads(sys.argv[2]):
        render_text(text, "probe")
"""

# Each YAML file of course_content/ with its schema, walkthroughs' and figures' scenarios checked too,
# and mistakes of every kind the checks explain (schema, formulas, units, plot).
_CHECK = """
    from pathlib import Path
    from rpt_xblocks.author_input.schema_check import load_checked_yaml
    from rpt_xblocks.dosimetry.scenario import scenario_errors, scenario_from_data
    import rpt_course.caches.check_cache
    root, scratch = Path(sys.argv[2]), Path(sys.argv[3])
    schemas = Path(rpt_course.caches.check_cache.__file__).parents[1] / "schema"
    kinds = {"quizzes": "quiz", "walkthroughs": "walkthrough", "figures": "figure", "trackers": "tracker"}
    files = []
    for path in sorted(root.rglob("*.yaml")):
        kind = kinds.get(path.parent.name) or path.stem
        files.append((path, kind))
        if kind == "walkthrough":
            text = path.read_text("utf-8")
            for n, (old, new) in enumerate([("formula: ", "formula: 1/0 + "), ("unit: ", "unit: furlong"),
                                            ("steps:", "bogus: 1\\nsteps:"), ("title: ", "title: [")]):
                (scratch / f"{n}{path.name}").write_text(text.replace(old, new, 1), "utf-8")
                files.append((scratch / f"{n}{path.name}", kind))
    for path, kind in files:
        loaded = load_checked_yaml(path, path.name, schemas / f"{kind}.schema.json", [])
        if loaded and kind == "walkthrough":
            scenario_errors(scenario_from_data(loaded[0]))
        if loaded and kind == "figure":
            data = loaded[0]
            scenario_errors(scenario_from_data({"title": data["title"], "parameters": data["parameters"], "steps": [],
                                                "plot": {"title": "t", "from": data["from"], "to": data["to"],
                                                         **{k: data[k] for k in ("x", "x_unit", "formula", "y_unit")}}}))
"""

_PROBE = """
    import json, sys
    from importlib import metadata
    before = set(sys.modules)
{run}
    loaded = set(sys.modules) - before
    owners = metadata.packages_distributions()
    print(json.dumps({{"project": sorted(n for n in loaded if n.split(".")[0] in json.loads(sys.argv[1])),
                      "distributions": sorted({{d for n in loaded for d in owners.get(n.split(".")[0], [])}})}}))
"""


def _probe(run: str, *arguments: str) -> dict:
    script = textwrap.dedent(_PROBE.format(run=textwrap.indent(textwrap.dedent(run), "    ")))
    reply = subprocess.run([sys.executable, "-c", script, json.dumps(code_fingerprint.PROJECT_PACKAGES), *arguments],
                           capture_output=True, text=True, check=True)
    return json.loads(reply.stdout)


@pytest.fixture(scope="module")
def loaded_by_rendering() -> dict:
    return _probe(_RENDER, json.dumps(_TEXTS))


@pytest.fixture(scope="module")
def loaded_by_checking(tmp_path_factory) -> dict:
    return _probe(_CHECK, str(COURSE_CONTENT), str(tmp_path_factory.mktemp("mistakes")))


@pytest.fixture(params=["rendering", "checking"])
def computation(request, loaded_by_rendering, loaded_by_checking):
    return {"rendering": (RENDERING, loaded_by_rendering), "checking": (CHECKING, loaded_by_checking)}[request.param]


def test_every_project_module_the_computation_loads_is_in_its_fingerprint(computation):
    fingerprint, loaded = computation
    assert set(loaded["project"]) <= set(sources(fingerprint))


def test_every_library_the_computation_loads_is_in_its_fingerprint(computation):
    fingerprint, loaded = computation
    project = {"rpt-au"}  # this repository's own distribution (its modules are hashed as sources)
    assert set(loaded["distributions"]) - project <= set(fingerprint.libraries)


def test_the_modules_are_found_without_being_listed():
    assert {"rpt_course.caches.render_cache", "rpt_course.compile.lessons", "rpt_xblocks.sanitizing", "rpt_xblocks.safe_xml",
            "rpt_xblocks.plainly_allowed", "rpt_course.caches.code_fingerprint", "rpt_course", "rpt_course.caches",
            "rpt_course.compile", "rpt_xblocks"} \
        <= set(sources(RENDERING))
    assert "rpt_course.build" not in sources(RENDERING)  # only what rendering imports
    assert {"rpt_course.caches.check_cache", "rpt_xblocks.author_input.yaml_source", "rpt_xblocks.author_input.check_memo",
            "rpt_xblocks.dosimetry.formula", "rpt_xblocks.quantities"} <= set(sources(CHECKING))
    assert "rpt_course.compile.lessons" not in sources(CHECKING)
    assert len(digest(RENDERING)) == len(digest(CHECKING)) == 64 and digest(RENDERING) != digest(CHECKING)


def test_a_library_version_is_part_of_the_digest():
    assert digest(replace(CHECKING, libraries=CHECKING.libraries + ("not-installed",))) != digest(CHECKING)


@pytest.fixture
def fake_project(tmp_path, monkeypatch):
    """A package `fakeproj` whose render module imports a helper, which imports a subpackage's
    module; another module is imported only inside a function; one module is imported by nobody."""
    files = {
        "fakeproj/__init__.py": "",
        "fakeproj/render.py": "import json\nfrom . import helper\n\ndef later():\n    import fakeproj.lazy\n",
        "fakeproj/helper.py": "from .sub.deep import VALUE\nfrom fakeproj import sub\n",
        "fakeproj/sub/__init__.py": "",
        "fakeproj/sub/deep.py": "VALUE = 1\n",
        "fakeproj/lazy.py": "LAZY = 1\n",
        "fakeproj/unused.py": "UNUSED = 1\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    digest.cache_clear()
    _forget_fakeproj()  # finding a submodule imports its packages: each test gets its own
    yield tmp_path
    _forget_fakeproj()
    digest.cache_clear()


FAKE = CodeFingerprint(entries=("fakeproj.render",), libraries=(), packages=("fakeproj",))


def _forget_fakeproj() -> None:
    for name in [n for n in sys.modules if n.split(".")[0] == "fakeproj"]:
        del sys.modules[name]


def test_imports_are_followed_through_modules_packages_and_functions(fake_project):
    assert set(sources(FAKE)) == {
        "fakeproj", "fakeproj.render", "fakeproj.helper", "fakeproj.sub", "fakeproj.sub.deep", "fakeproj.lazy"}
    assert set(sources(replace(FAKE, entries=("fakeproj.lazy", "fakeproj.unused")))) == {
        "fakeproj", "fakeproj.lazy", "fakeproj.unused"}


def test_editing_a_module_imported_indirectly_changes_the_fingerprint(fake_project):
    before = digest(FAKE)
    digest.cache_clear()
    assert digest(FAKE) == before
    (fake_project / "fakeproj" / "sub" / "deep.py").write_text("VALUE = 2\n")
    digest.cache_clear()
    assert digest(FAKE) != before
    (fake_project / "fakeproj" / "unused.py").write_text("UNUSED = 2\n")
    changed = digest(FAKE)
    digest.cache_clear()
    assert digest(FAKE) == changed  # a module the computation does not import does not count
