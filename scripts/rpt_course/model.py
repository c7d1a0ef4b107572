"""The validated course model: what course_content/ says, with every item's source location.

Plain data only. `content.py` builds it from files; `olx.py` turns it into OLX. Each item keeps
`where` (file shown relative to the content folder, 1-based line) so that later stages can still
report `path:line` problems.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

Where = tuple[str, int]


@dataclass(frozen=True)
class Component:
    id: str
    kind: str
    title: str
    file: Path  # absolute path of the source file
    where: Where


@dataclass(frozen=True)
class Unit:
    id: str
    title: str
    components: tuple[Component, ...]
    where: Where


@dataclass(frozen=True)
class Section:
    """An Open edX subsection (sequential). `format` is a grader type when graded, else None."""

    id: str
    title: str
    format: str | None
    start: datetime | None
    due: datetime | None
    units: tuple[Unit, ...]
    where: Where


@dataclass(frozen=True)
class Module:
    """An Open edX section (chapter). `objectives`: its learning objectives (objectives.py), shown
    first in its first unit as a component of kind "objectives"."""

    id: str
    title: str
    sections: tuple[Section, ...]
    where: Where
    objectives: tuple[str, ...] = ()

    def blocks(self):
        """This module and every section, unit and component in it, in course order."""
        yield self
        for section in self.sections:
            yield section
            for unit in section.units:
                yield unit
                yield from unit.components


@dataclass(frozen=True)
class Grader:
    type: str
    short_label: str
    weight: float
    min_count: int
    drop_count: int


@dataclass(frozen=True)
class Course:
    content_dir: Path
    org: str
    number: str
    run: str
    title: str
    start: datetime
    end: datetime
    language: str
    course_image: str | None
    short_description: str
    overview: Path
    handouts: Path | None
    updates: Path | None
    graders: tuple[Grader, ...]
    cutoffs: dict[str, float]
    modules: tuple[Module, ...]
    static_files: dict[str, Path] = field(default_factory=dict)  # name -> file
    sources: Path | None = None  # the source list every citation must name an entry of
    figures: dict[str, Path] = field(default_factory=dict)  # NAME.svg -> its spec, a module's figures/NAME.yaml

    @property
    def units(self) -> list[Unit]:
        return [u for m in self.modules for s in m.sections for u in s.units]

    @property
    def components(self) -> list[Component]:
        return [c for u in self.units for c in u.components]

    def shown(self, path: Path) -> str:
        """`path` as authors see it: relative to the content folder (as `Path.relative_to` gives it,
        lexically); a path outside it as it is. Called for every lesson the build reads, so done on
        the paths' text: `relative_to` cost a tenth of a warm rebuild."""
        text, root = str(path), str(self.content_dir)
        if text == root:
            return "."
        prefix = root if root.endswith("/") else root + "/"
        if root == "." or not text.startswith(prefix) or text.startswith("/", len(prefix)):  # "//x" is not under "/"
            return text
        return text[len(prefix):]
