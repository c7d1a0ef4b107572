"""What the rendering of Markdown depends on, as one hash: a render cache entry made under another
fingerprint is never reused.

Contract:
- `render_sources()` is every module of this project (`PROJECT_PACKAGES`) that the render function's
  module (`RENDER_MODULE`, rpt_course.render_cache) imports, directly or through other project
  modules, at module level or inside a function, with the `__init__` of each package on the way:
  found by reading their source (nothing is imported), so a module that the rendering starts to
  import is in the fingerprint without anyone listing it. Returns `{module name: file}`.
- `LIBRARIES` are the distributions whose code shapes the output; they are listed by hand, since
  the rendering loads some by name (Markdown extensions) or through other libraries (bleach's
  CSS sanitizer), and tests/authoring/test_render_fingerprint.py fails when rendering loads a
  module of a distribution that is not listed, or a project module that `render_sources` missed.
- `fingerprint()` is the sha256 over the Python version, the bytes of every file of
  `render_sources()` (in name order; render_cache.py, which lays out the entries, is one) and the
  installed version of each of `LIBRARIES`.
"""
from __future__ import annotations

import ast
import functools
import hashlib
import platform
from importlib import metadata, util
from pathlib import Path

RENDER_MODULE = "rpt_course.render_cache"
PROJECT_PACKAGES = ("rpt_course", "rpt_xblocks")
LIBRARIES = ("Markdown", "pymdown-extensions", "bleach", "tinycss2", "webencodings", "lxml")


def _project(name: str) -> bool:
    return name.split(".", 1)[0] in PROJECT_PACKAGES


def _origin(name: str) -> str | None:
    """The source file of module `name`, or None if it is no module (e.g. a name imported from one)."""
    try:
        spec = util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return spec.origin if spec is not None and spec.has_location and spec.origin.endswith(".py") else None


def _imported(name: str, path: str) -> set[str]:
    """The absolute names of the modules (and of the names taken from them) that `path` imports."""
    is_package = Path(path).name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(Path(path).read_bytes(), path)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


def render_sources() -> dict[str, str]:
    """See the module docstring."""
    sources: dict[str, str] = {}
    waiting = [RENDER_MODULE]
    while waiting:
        name = waiting.pop()
        if name in sources or not _project(name):
            continue
        path = _origin(name)
        if path is None:
            continue
        sources[name] = path
        parents = [name.rsplit(".", depth)[0] for depth in range(1, name.count(".") + 1)]
        waiting += parents + sorted(_imported(name, path))
    return dict(sorted(sources.items()))


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """See the module docstring."""
    digest = hashlib.sha256(f"python {platform.python_implementation()} {platform.python_version()}\n".encode())
    for name, path in render_sources().items():
        digest.update(f"{name}\0".encode())
        digest.update(Path(path).read_bytes())
        digest.update(b"\0")
    for distribution in LIBRARIES:
        digest.update(f"{distribution}=={_version(distribution)}\n".encode())
    return digest.hexdigest()
