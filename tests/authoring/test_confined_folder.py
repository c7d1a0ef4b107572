"""`rpt_course.archive.confined_folder.ConfinedFolder`: files and folders land where named, under the root
only, with fixed modes; the descriptors it keeps are bounded and closed on leaving."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from rpt_course.archive import confined_folder
from rpt_course.archive.confined_folder import ConfinedFolder, OutsideRoot


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def _tree(root: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None) for p in sorted(root.rglob("*"))}


def test_files_in_more_folders_than_it_keeps_open_all_land_with_fixed_modes(tmp_path):
    """Folders visited in an order that evicts descriptors and comes back to evicted ones."""
    names = [f"course/f{i % 50}/deep/x{i}.xml" for i in range(300)]
    before = _open_descriptors()
    with ConfinedFolder(tmp_path) as folder:
        for name in names:
            folder.write_file(name, name.encode())
        folder.make_folders("course/empty/inside")
        assert _open_descriptors() - before <= confined_folder.OPEN_FOLDERS + 1
    assert _open_descriptors() == before
    written = {name: data for name, data in _tree(tmp_path).items() if data is not None}
    assert written == {name: name.encode() for name in names}
    assert (tmp_path / "course/empty/inside").is_dir()
    for path in tmp_path.rglob("*"):
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert mode == (0o755 if path.is_dir() else 0o644), (path, oct(mode))


def test_an_existing_file_is_never_replaced(tmp_path):
    with ConfinedFolder(tmp_path) as folder:
        folder.write_file("course/a.xml", b"first")
        with pytest.raises(FileExistsError):
            folder.write_file("course/a.xml", b"second")
    assert (tmp_path / "course/a.xml").read_bytes() == b"first"


@pytest.mark.parametrize("name", ["../escaped.xml", "course/../../escaped.xml", "planted/escaped.xml",
                                  "planted/deeper/escaped.xml"])
def test_names_resolving_outside_the_root_write_nothing_outside(tmp_path, name):
    root, neighbour = tmp_path / "root", tmp_path / "neighbour"
    root.mkdir()
    neighbour.mkdir()
    (root / "planted").symlink_to(neighbour)
    with pytest.raises((OutsideRoot, OSError)), ConfinedFolder(root) as folder:
        folder.write_file(name, b"owned")
    assert not list(tmp_path.rglob("escaped.xml")) and not list(neighbour.iterdir())


def test_a_link_placed_after_a_folder_was_entered_is_not_followed(tmp_path):
    """Even when the folder is swapped for a link between two writes, nothing lands outside: the
    write goes to the folder that was entered (its descriptor), or, once that descriptor was let
    go, meets the link and fails."""
    root, neighbour = tmp_path / "root", tmp_path / "neighbour"
    root.mkdir()
    neighbour.mkdir()
    with ConfinedFolder(root) as folder:
        folder.write_file("course/a/1.xml", b"1")
        (root / "course/a").rename(root / "course/moved")
        (root / "course/a").symlink_to(neighbour)
        folder.write_file("course/a/2.xml", b"2")
        for n in range(confined_folder.OPEN_FOLDERS + 1):  # let the kept descriptor of course/a go
            folder.write_file(f"other{n}/x.xml", b"x")
        with pytest.raises(OSError):
            folder.write_file("course/a/3.xml", b"3")
    assert not list(neighbour.iterdir())
    assert sorted(p.name for p in (root / "course/moved").iterdir()) == ["1.xml", "2.xml"]


@pytest.mark.parametrize("name", ["/abs.xml", "course//a.xml", "course/./a.xml", "course/a.xml/", "", "a\0b.xml"])
def test_names_that_are_not_plain_components_are_refused_before_anything_is_created(tmp_path, name):
    with ConfinedFolder(tmp_path) as folder:
        with pytest.raises(OutsideRoot):
            folder.write_file(name, b"x")
        with pytest.raises(OutsideRoot):
            folder.make_folders(name)
    assert not list(tmp_path.iterdir())
