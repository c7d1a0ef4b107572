"""Unpack a course archive that came from elsewhere without trusting it.

Contract: `unpack_untrusted(archive, dest)` returns `(files, problems)`.

- `files` maps every regular file's archive path (e.g. "course/course.xml") to its bytes; it is
  None when the archive is refused. `problems` lists everything found, each a `Problem` located
  at the archive's file name with no line.
- Only a gzip-compressed tar (`.tar.gz`, what Studio imports) is accepted; a plain `.tar`, any
  other file, or a truncated or corrupt one is refused with a problem, never an exception.
- The archive is streamed once. Decompressed bytes are counted as they are read, so a
  decompression bomb is stopped as soon as `max_unpacked_bytes` (counted over the whole
  decompressed tar stream: headers, file data and padding) is passed, and reading stops when the
  archive holds more than `max_members` members. Past either limit nothing more is read.
- Refused (the mapping is None): absolute paths; `..`, `.` or empty path components; backslashes,
  NUL and other control characters, names that are not UTF-8, empty names, components over 255
  bytes, paths over 1024 bytes or 32 folders deep;
  symbolic and hard links; character and block devices, FIFOs, sparse files and every other
  member that is neither a regular file nor a folder; files outside a top folder or members spread
  over several top folders; duplicate names; a name used for both a file and a folder; names
  that differ only in letter case (they collide on case-insensitive file systems); extended
  headers (PAX, GNU long names) over 64 KiB, and malformed PAX headers (see `tar_header_guard`).
- Reported but not refused (the mapping is returned): a single top folder not named `course/`,
  junk files (`.DS_Store`, `._*`, `*~`), an archive with no members.
- Every header is checked, also after a refusal, so that all problems are reported at once; the
  byte and member limits, a hostile extended header and unreadable data stop the reading at once.
- Regular files are written under `dest` (an existing, empty folder the caller owns and deletes)
  so that olxcleaner can read them, until the first refusal, through `confined_folder`: nothing
  is ever created outside `dest` (every target is checked to resolve inside it, folders are
  entered one at a time without following symbolic links, files are created exclusively with
  fixed modes), and no link, device or FIFO is ever created.
"""
from __future__ import annotations

import gzip
import re
import tarfile
import unicodedata
import zlib
from pathlib import Path
from typing import BinaryIO

from rpt_course.archive.confined_folder import ConfinedFolder, OutsideRoot
from rpt_xblocks.author_input.problems import Problem
from rpt_course.archive.tar_header_guard import GuardedTarInfo, HeaderRefused

MAX_UNPACKED_BYTES = 512 * 2**20
MAX_MEMBERS = 200_000  # a 10,000-unit course built by rpt-course has about 31,000; bytes are the real bound
TOP_FOLDER = "course"
MAX_NAME_COMPONENT_BYTES = 255
MAX_PATH_BYTES = 1024
MAX_PATH_DEPTH = 32


GZIP_MAGIC = b"\x1f\x8b"
TAR_MAGIC_OFFSET = 257
TAR_MAGIC = b"ustar"
DRAIN_CHUNK = 64 * 1024

REGULAR_TYPES = (tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.CONTTYPE)
JUNK_NAMES = (".DS_Store",)

REBUILD = "rebuild the archive from the folder that holds course/ with `tar -czf NAME.tar.gz course`"
_CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f]")
_TYPE_NAMES = {
    tarfile.CHRTYPE: "a character device",
    tarfile.BLKTYPE: "a block device",
    tarfile.FIFOTYPE: "a FIFO (named pipe)",
    tarfile.GNUTYPE_SPARSE: "a sparse file",
}


class _LimitExceeded(Exception):
    """The decompressed stream passed `max_unpacked_bytes`."""


class _Refused(Exception):
    """Reading cannot go on; the message is the problem to report."""


class _LimitedReader:
    """Read-only file that counts the bytes read through it and stops past a limit.

    It never asks the underlying reader for more than one byte beyond the limit, so a
    decompressor under it does no more than that much work.
    """

    def __init__(self, inner: BinaryIO, limit: int):
        self._inner = inner
        self._limit = limit
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        allowed = self._limit - self.count + 1
        if size is None or size < 0 or size > allowed:
            size = allowed
        data = self._inner.read(size)
        self.count += len(data)
        if self.count > self._limit:
            raise _LimitExceeded
        return data


class _Report:
    """Problems about one archive, and whether any of them refuses it."""

    def __init__(self, archive_name: str):
        self.archive_name = archive_name
        self.problems: list[Problem] = []
        self._seen: set[Problem] = set()
        self.refused = False

    def refuse(self, message: str) -> None:
        self.refused = True
        self._add(message)

    def note(self, message: str) -> None:
        self._add(message)

    def _add(self, message: str) -> None:
        problem = Problem(self.archive_name, None, message)
        if problem not in self._seen:
            self._seen.add(problem)
            self.problems.append(problem)


def unpack_untrusted(archive: Path, dest: Path, *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
                     max_members: int = MAX_MEMBERS) -> tuple[dict[str, bytes] | None, list[Problem]]:
    """Check and unpack `archive` under `dest`; see the module docstring for the contract."""
    if max_unpacked_bytes <= 0 or max_members <= 0:
        raise ValueError("max_unpacked_bytes and max_members must be positive")
    root = _empty_folder(dest)
    archive = Path(archive)
    report = _Report(archive.name)
    files: dict[str, bytes] = {}
    try:
        with archive.open("rb") as raw:
            _require_gzip(raw)
            stream = _LimitedReader(_decompressing_reader(raw), max_unpacked_bytes)
            _read_members(stream, root, report, files, max_unpacked_bytes, max_members)
            if not report.refused:
                _drain(stream)
    except (_Refused, HeaderRefused) as refusal:
        report.refuse(str(refusal))
    except _LimitExceeded:
        report.refuse(_too_big(max_unpacked_bytes))
    except (tarfile.TarError, gzip.BadGzipFile, EOFError, zlib.error, OSError) as error:
        report.refuse(_unreadable(error))
    except RecursionError:
        report.refuse("the archive chains too many extended headers one after another; refused as "
                      "possibly hostile — " + REBUILD)
    return (None if report.refused else files), report.problems


def _empty_folder(dest: Path) -> Path:
    root = Path(dest).resolve(strict=True)
    if not root.is_dir() or any(root.iterdir()):
        raise ValueError(f"{dest} must be an existing empty folder")
    return root


def _decompressing_reader(raw: BinaryIO) -> BinaryIO:
    """The gzip layer; a separate function so tests can measure what passes through it."""
    return gzip.GzipFile(fileobj=raw, mode="rb")


def _require_gzip(raw: BinaryIO) -> None:
    head = raw.read(TAR_MAGIC_OFFSET + len(TAR_MAGIC))
    raw.seek(0)
    if head.startswith(GZIP_MAGIC):
        return
    if not head:
        raise _Refused("the file is empty — upload the course's .tar.gz archive")
    if head[TAR_MAGIC_OFFSET:] == TAR_MAGIC:
        raise _Refused("the file is an uncompressed tar archive; only gzip-compressed tar archives "
                       "(.tar.gz), which Studio imports, are accepted — compress it with "
                       "`gzip NAME.tar`, or " + REBUILD)
    raise _Refused("the file is not a gzip-compressed tar archive (.tar.gz) — upload the course's "
                   ".tar.gz archive, or " + REBUILD)


def _read_members(stream: _LimitedReader, root: Path, report: _Report, files: dict[str, bytes],
                  max_bytes: int, max_members: int) -> None:
    ledger = _Ledger()
    declared = 0
    with tarfile.open(fileobj=stream, mode="r|", encoding="utf-8", errors="surrogateescape",
                      tarinfo=GuardedTarInfo) as tar, ConfinedFolder(root) as folder:
        for count, member in enumerate(tar, start=1):
            if count > max_members:
                raise _Refused(f"the archive holds more than {max_members} members; reading stopped "
                               "to protect the server — a course needs far fewer files: remove the "
                               "ones it does not use")
            reasons = _member_refusals(member)
            if not reasons:
                reasons = ledger.add(member.name, member.isdir())
            for reason in reasons:
                report.refuse(reason)
            junk = _junk_reason(member.name)
            if junk:
                report.note(junk)
            if member.isreg():
                declared += member.size
                if declared > max_bytes:
                    raise _Refused(f"member {member.name!r} brings the files' size past the limit "
                                   f"of {_size(max_bytes)}; reading stopped as a possible "
                                   "decompression bomb — remove large files the course does not use")
            if not report.refused:
                _unpack(tar, member, folder, files)
    for refusing, message in ledger.top_folder_problems():
        (report.refuse if refusing else report.note)(message)


def _unpack(tar: tarfile.TarFile, member: tarfile.TarInfo, folder: ConfinedFolder, files: dict[str, bytes]) -> None:
    try:
        if member.isdir():
            folder.make_folders(member.name)
            return
        data = tar.extractfile(member).read()  # tarfile raises ReadError if the data is cut short
        files[member.name] = data
        folder.write_file(member.name, data)
    except OutsideRoot:
        raise _Refused(f"member path {member.name!r} resolves outside the unpacking folder — " + REBUILD) from None


def _drain(stream: _LimitedReader) -> None:
    """Read to the end, so that gzip checks its checksum and a truncated end is noticed."""
    while stream.read(DRAIN_CHUNK):
        pass


# --- checks on one member -------------------------------------------------------------------

def _member_refusals(member: tarfile.TarInfo) -> list[str]:
    type_reason = _type_reason(member)
    return _name_reasons(member.name) + ([type_reason] if type_reason else [])


def _name_reasons(name: str) -> list[str]:
    shown = repr(name)
    if name == "":
        return ["the archive holds a member with an empty name — " + REBUILD]
    try:
        encoded_parts = [part.encode("utf-8") for part in name.split("/")]
    except UnicodeEncodeError:
        return [f"member {shown} has a name that is not valid UTF-8 — rename the file with UTF-8 "
                "characters and " + REBUILD]
    reasons = []
    if name.startswith("/"):
        reasons.append(f"member {shown} has an absolute path, which would be written outside the "
                       "unpacking folder — " + REBUILD)
    if ".." in name.split("/"):
        reasons.append(f"member {shown} has a '..' path component, which would be written outside "
                       "the unpacking folder — " + REBUILD)
    if "\\" in name:
        reasons.append(f"member {shown} contains a backslash — use '/' as the only path separator: "
                       + REBUILD)
    if _CONTROL_CHARACTER.search(name):
        reasons.append(f"member {shown} contains a NUL or another control character — rename the file "
                       "and " + REBUILD)
    if any(part in ("", ".") for part in name.lstrip("/").split("/")):
        reasons.append(f"member {shown} has an empty or '.' path component — " + REBUILD)
    if any(len(part) > MAX_NAME_COMPONENT_BYTES for part in encoded_parts):
        reasons.append(f"member {shown} has a path component longer than {MAX_NAME_COMPONENT_BYTES} "
                       "bytes — shorten the file or folder name")
    if len(name.encode("utf-8")) > MAX_PATH_BYTES or len(encoded_parts) > MAX_PATH_DEPTH:
        start = shown if len(shown) <= 100 else shown[:100] + "…"
        reasons.append(f"member {start} is longer than {MAX_PATH_BYTES} bytes or deeper than "
                       f"{MAX_PATH_DEPTH} folders — shorten the path")
    return reasons


def _type_reason(member: tarfile.TarInfo) -> str | None:
    shown = repr(member.name)
    if member.issym():
        return (f"member {shown} is a symbolic link to {member.linkname!r}; links are refused — "
                "replace the link with a copy of the file it points to")
    if member.islnk():
        return (f"member {shown} is a hard link to {member.linkname!r}; links are refused — "
                "replace the link with a copy of the file")
    if member.sparse is not None or member.type == tarfile.GNUTYPE_SPARSE:
        return (f"member {shown} is a sparse file — only regular files and folders are accepted: "
                "rebuild the archive without --sparse")
    if member.type in REGULAR_TYPES or member.isdir():
        return None
    kind = _TYPE_NAMES.get(member.type) or f"of unsupported tar type {member.type.decode('latin-1')!r}"
    return (f"member {shown} is {kind}; only regular files and folders are accepted — "
            "remove it and " + REBUILD)


def _junk_reason(name: str) -> str | None:
    base = name.rstrip("/").rsplit("/", 1)[-1]
    if base in JUNK_NAMES or base.startswith("._") or base.endswith("~"):
        return (f"member {name!r} is an operating-system or editor junk file — delete it before "
                "packing (on macOS, set COPYFILE_DISABLE=1 before running tar)")
    return None


class _Ledger:
    """Names seen so far: duplicates, file/folder clashes, case collisions and top folders."""

    def __init__(self) -> None:
        self._members: set[str] = set()
        self._kinds: dict[str, str] = {}  # path (member or implied folder) -> "file" | "folder"
        self._folded: dict[str, str] = {}  # case-folded path -> first spelling seen
        self._tops: dict[str, str] = {}  # top folder -> first member under it
        self._loose: list[str] = []  # files with no folder

    def add(self, name: str, is_folder: bool) -> list[str]:
        if name in self._members:
            return [f"member {name!r} appears more than once; a later copy would silently replace "
                    "the earlier one — keep one copy and " + REBUILD]
        self._members.add(name)
        parts = name.split("/")
        self._tops.setdefault(parts[0], name)
        if len(parts) == 1 and not is_folder:
            self._loose.append(name)
        reasons = []
        for depth in range(1, len(parts) + 1):
            path = "/".join(parts[:depth])
            kind = "folder" if depth < len(parts) or is_folder else "file"
            reasons += self._register(name, path, kind)
        return reasons

    def _register(self, name: str, path: str, kind: str) -> list[str]:
        known = self._kinds.get(path)
        if known is not None:
            if known == kind:
                return []
            return [f"member {name!r} uses {path!r} as a {kind}, but the archive also has it as a "
                    f"{known} — rename one of them"]
        self._kinds[path] = kind
        first = self._folded.setdefault(_fold(path), path)
        if first == path:
            return []
        where = "" if path == name else f" (in member {name!r})"
        return [f"{path!r}{where} differs from {first!r} only in letter case; they collide on "
                "case-insensitive file systems — rename one of them"]

    def top_folder_problems(self) -> list[tuple[bool, str]]:
        """(refuses, message) pairs about the single top folder, once all members are known."""
        if not self._tops:
            return [(False, "the archive holds no files — " + REBUILD)]
        problems = [(True, f"member {name!r} is not inside a folder — put every file under the "
                           f"single top folder {TOP_FOLDER}/ and " + REBUILD) for name in self._loose]
        tops = [top for top in self._tops if top not in self._loose]
        if len(tops) == 1 and tops[0] != TOP_FOLDER:
            problems.append((False, f"the top folder is {tops[0]!r}, not {TOP_FOLDER!r} — name it "
                                    f"{TOP_FOLDER}/ as Open edX course exports do"))
        if len(tops) > 1:
            keep = TOP_FOLDER if TOP_FOLDER in tops else tops[0]
            listing = ", ".join(f"{top}/" for top in tops)
            problems += [(True, f"member {self._tops[top]!r} is outside the top folder {keep}/ (the "
                                f"archive has several top folders: {listing}) — put every file under "
                                f"the single top folder {TOP_FOLDER}/") for top in tops if top != keep]
        return problems


def _fold(path: str) -> str:
    return unicodedata.normalize("NFC", path).casefold()


# --- messages -------------------------------------------------------------------------------

def _size(count: int) -> str:
    for unit, scale in (("MiB", 2**20), ("KiB", 2**10)):
        if count >= scale:
            return f"{count / scale:g} {unit}"
    return f"{count} bytes"


def _too_big(limit: int) -> str:
    return (f"the archive unpacks to more than {_size(limit)}; reading stopped as a possible "
            "decompression bomb — remove large files the course does not use")


def _unreadable(error: BaseException) -> str:
    if isinstance(error, EOFError) or "unexpected end" in str(error):
        what = "is truncated"
    elif isinstance(error, (gzip.BadGzipFile, zlib.error)):
        what = "has corrupt gzip data"
    elif isinstance(error, tarfile.TarError):
        what = "is not a valid tar archive inside its gzip compression"
    else:
        what = "could not be read or unpacked"
    return f"the archive {what} ({error}) — download or build it again: " + REBUILD
