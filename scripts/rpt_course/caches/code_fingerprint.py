"""What a computation depends on, as one hash: an entry of the build cache made under another
fingerprint is never reused.

Contract:
- `CodeFingerprint(entries, libraries)` names a computation: the project modules it starts from
  (`entries`) and the distributions whose code shapes its result (`libraries`). The caches declare
  theirs beside their entry layout (render_cache.RENDERING, check_cache.CHECKING).
- `sources(fingerprint)` is every module of this project (`PROJECT_PACKAGES`) that the entry
  modules import, directly or through other project modules, at module level or inside a function,
  with the `__init__` of each package on the way: found by reading their source (nothing is
  imported), so a module that the computation starts to import is in the fingerprint without anyone
  listing it. Returns `{module name: file}` in name order.
- `libraries` are listed by hand, since code loads some by name (Markdown extensions) or through
  other libraries; a test per fingerprint (tests/authoring/test_code_fingerprint.py) fails when the
  computation loads a module of a distribution that is not listed, or a project module that
  `sources` missed.
- `digest(fingerprint)` is the sha256 over the Python version, the bytes of every file of
  `sources(fingerprint)` (in name order) and the installed version of each library; it is computed
  once per process (`digest.cache_clear()` forgets it).
"""
from __future__ import annotations

import ast
import functools
import hashlib
import platform
from dataclasses import dataclass
from importlib import metadata, util
from pathlib import Path

PROJECT_PACKAGES = ("rpt_course", "rpt_xblocks")


@dataclass(frozen=True)
class CodeFingerprint:
    entries: tuple[str, ...]
    libraries: tuple[str, ...]
    packages: tuple[str, ...] = PROJECT_PACKAGES


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


def sources(fingerprint: CodeFingerprint) -> dict[str, str]:
    """See the module docstring."""
    found: dict[str, str] = {}
    waiting = list(fingerprint.entries)
    while waiting:
        name = waiting.pop()
        if name in found or name.split(".", 1)[0] not in fingerprint.packages:
            continue
        path = _origin(name)
        if path is None:
            continue
        found[name] = path
        parents = [name.rsplit(".", depth)[0] for depth in range(1, name.count(".") + 1)]
        waiting += parents + sorted(_imported(name, path))
    return dict(sorted(found.items()))


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


@functools.lru_cache(maxsize=8)
def digest(fingerprint: CodeFingerprint) -> str:
    """See the module docstring."""
    hashed = hashlib.sha256(f"python {platform.python_implementation()} {platform.python_version()}\n".encode())
    for name, path in sources(fingerprint).items():
        hashed.update(f"{name}\0".encode())
        hashed.update(Path(path).read_bytes())
        hashed.update(b"\0")
    for distribution in fingerprint.libraries:
        hashed.update(f"{distribution}=={_version(distribution)}\n".encode())
    return hashed.hexdigest()
