"""The render cache's fingerprint (scripts/rpt_course/render_fingerprint.py) covers what the
rendering depends on: the project modules are found by following imports, and rendering texts that
use every Markdown feature loads no project module outside them and no library outside `LIBRARIES`
(checked in a fresh process, so that nothing else has loaded modules before)."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from rpt_course import render_fingerprint

# Every construct the lesson renderer handles: the Markdown extensions, raw and hostile HTML, styles.
_TEXTS = [
    "# Title\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\nText[^n], $x^2$ and \\(y\\).\n\n$$\nD = A S\n$$\n\n"
    "!!! warning \"Dose\"\n    Careful.\n\n1. one\n2. two\n\n- a\n- b\n\n[^n]: 10 CFR 35.75.\n",
    "<p style=\"text-align: center; color: red\">x</p> <script>1</script> <img src=x onerror=y> "
    "[a](javascript:x) [b](/jump_to_id/u1) ![c](/static/c.png) <a href='#top'>top</a> &amp; &nbsp;",
    "",
]

_PROBE = textwrap.dedent("""
    import json, sys
    from importlib import metadata
    before = set(sys.modules)
    from rpt_course.render_cache import render_text
    for text in json.loads(sys.argv[1]):
        render_text(text, "probe")
    loaded = set(sys.modules) - before
    owners = metadata.packages_distributions()
    print(json.dumps({"project": sorted(n for n in loaded if n.split(".")[0] in json.loads(sys.argv[2])),
                      "distributions": sorted({d for n in loaded for d in owners.get(n.split(".")[0], [])})}))
""")


@pytest.fixture(scope="module")
def loaded_by_rendering() -> dict:
    packages = list(render_fingerprint.PROJECT_PACKAGES)
    reply = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(_TEXTS), json.dumps(packages)],
                           capture_output=True, text=True, check=True)
    return json.loads(reply.stdout)


def test_every_project_module_rendering_loads_is_in_the_fingerprint(loaded_by_rendering):
    assert set(loaded_by_rendering["project"]) <= set(render_fingerprint.render_sources())


def test_every_library_rendering_loads_is_in_the_fingerprint(loaded_by_rendering):
    project = {"rpt-au"}  # this repository's own distribution (its modules are hashed as sources)
    assert set(loaded_by_rendering["distributions"]) - project <= set(render_fingerprint.LIBRARIES)


def test_the_renderer_modules_are_found_without_being_listed():
    assert {"rpt_course.render_cache", "rpt_course.lessons", "rpt_xblocks.sanitizing", "rpt_xblocks.safe_xml",
            "rpt_xblocks.plainly_allowed",
            "rpt_course", "rpt_xblocks"} <= set(render_fingerprint.render_sources())
    assert "rpt_course.build" not in render_fingerprint.render_sources()  # only what rendering imports
    assert len(render_fingerprint.fingerprint()) == 64


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
    monkeypatch.setattr(render_fingerprint, "RENDER_MODULE", "fakeproj.render")
    monkeypatch.setattr(render_fingerprint, "PROJECT_PACKAGES", ("fakeproj",))
    render_fingerprint.fingerprint.cache_clear()
    _forget_fakeproj()  # finding a submodule imports its packages: each test gets its own
    yield tmp_path
    _forget_fakeproj()
    render_fingerprint.fingerprint.cache_clear()


def _forget_fakeproj() -> None:
    for name in [n for n in sys.modules if n.split(".")[0] == "fakeproj"]:
        del sys.modules[name]


def test_imports_are_followed_through_modules_packages_and_functions(fake_project):
    assert set(render_fingerprint.render_sources()) == {
        "fakeproj", "fakeproj.render", "fakeproj.helper", "fakeproj.sub", "fakeproj.sub.deep", "fakeproj.lazy"}


def test_editing_a_module_imported_indirectly_changes_the_fingerprint(fake_project):
    before = render_fingerprint.fingerprint()
    render_fingerprint.fingerprint.cache_clear()
    assert render_fingerprint.fingerprint() == before
    (fake_project / "fakeproj" / "sub" / "deep.py").write_text("VALUE = 2\n")
    render_fingerprint.fingerprint.cache_clear()
    assert render_fingerprint.fingerprint() != before
    (fake_project / "fakeproj" / "unused.py").write_text("UNUSED = 2\n")
    changed = render_fingerprint.fingerprint()
    render_fingerprint.fingerprint.cache_clear()
    assert render_fingerprint.fingerprint() == changed  # a module rendering does not import does not count
