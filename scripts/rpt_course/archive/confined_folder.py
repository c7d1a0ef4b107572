"""Create folders and files under one folder from untrusted relative names, never outside it.

Contract: `ConfinedFolder(root)` (a context manager; `root` an existing folder the caller owns)
offers `make_folders(name)` and `write_file(name, data)` for '/'-separated relative names that the
caller has already checked. Each raises `OutsideRoot` for a name that is absolute or has a '..',
'.' or empty component (checked again here, before anything is created), and `OSError` as the
system reports it (an existing file is never replaced: files are created exclusively; a symbolic
link met on the way is an error). Guarantees:

- nothing is created outside `root`: a name is plain components only, and each folder is entered
  one level at a time with O_NOFOLLOW, relative to its parent's descriptor, so no component can
  lead out of its parent (no '..', no symbolic link followed); files are opened O_EXCL | O_NOFOLLOW.
  This holds by construction, without resolving each path (`realpath` cost a third of unpacking);
  a folder swapped for a link after it was entered is not followed either: the kept descriptor
  still names the folder that was entered, inside `root`;
- modes are fixed: 0755 folders, 0644 files; nothing but folders and regular files is created.

Why descriptors are kept: a course archive lists thousands of files in a few folders, and opening
every folder from `root` for every file cost about four system calls per file (most of unpacking a
10,000-unit course). At most `OPEN_FOLDERS` descriptors stay open (least recently used closed
first), so a hostile archive with many folders cannot exhaust the process's descriptors; all are
closed on leaving the context.
"""
from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path

FILE_MODE = 0o644
FOLDER_MODE = 0o755
OPEN_FOLDERS = 32


class OutsideRoot(Exception):
    """A name resolves outside the root folder."""


class ConfinedFolder:
    """See the module docstring."""

    def __init__(self, root: Path):
        self._root = os.path.realpath(root)
        self._open: OrderedDict[tuple[str, ...], int] = OrderedDict()

    def __enter__(self) -> "ConfinedFolder":
        self._open[()] = os.open(self._root, os.O_RDONLY | os.O_DIRECTORY)
        return self

    def __exit__(self, *_exc) -> None:
        while self._open:
            os.close(self._open.popitem()[1])

    def make_folders(self, name: str) -> None:
        self._check_inside(name)
        self._folder(tuple(name.split("/")))

    def write_file(self, name: str, data: bytes) -> None:
        self._check_inside(name)
        *folders, leaf = name.split("/")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        with os.fdopen(os.open(leaf, flags, FILE_MODE, dir_fd=self._folder(tuple(folders))), "wb") as out:
            out.write(data)

    def _folder(self, parts: tuple[str, ...]) -> int:
        """A descriptor of root/parts (created as needed); it stays owned by this object."""
        known = self._open.get(parts)
        if known is not None:
            self._open.move_to_end(parts)
            return known
        parent = self._folder(parts[:-1])
        try:
            os.mkdir(parts[-1], FOLDER_MODE, dir_fd=parent)
        except FileExistsError:
            pass
        fd = os.open(parts[-1], os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent)
        self._open[parts] = fd
        while len(self._open) > OPEN_FOLDERS:
            oldest = next(key for key in self._open if key)  # the root's descriptor stays open
            os.close(self._open.pop(oldest))
        return fd

    @staticmethod
    def _check_inside(relative: str) -> None:
        """Refuse a name that could lead out of its folder: absolute, or with a '..', '.' or empty part."""
        if relative.startswith("/") or "\0" in relative or any(part in ("", ".", "..") for part in relative.split("/")):
            raise OutsideRoot(relative)
