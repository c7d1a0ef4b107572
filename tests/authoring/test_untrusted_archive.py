"""`unpack_untrusted`: hostile archives are refused and nothing is written outside `dest`.

Every archive is generated here with tarfile (or by hand, for the bombs) inside tmp_path. Each
hostile case runs through `Sandbox.unpack`, which snapshots everything in tmp_path outside `dest`
(including a planted `victim.txt` that a traversal would overwrite) before and after, and checks
that `dest` holds nothing but regular files and folders. Absolute names and link targets always
point into tmp_path, never at system files, so that even a broken implementation running as root
can only damage the sandbox.
"""
from __future__ import annotations

import functools
import gzip
import io
import os
import stat
import tarfile
import zlib
from pathlib import Path

import pytest

from rpt_course.archive import untrusted as untrusted_archive
from rpt_course.archive.confined_folder import ConfinedFolder, OutsideRoot
from rpt_course.archive.untrusted import unpack_untrusted

MiB = 2**20
VICTIM = b"planted by the test; must never change\n"
COURSE_XML = b'<course url_name="2025" org="RPT" course="AU101"/>\n'


# --- building archives ----------------------------------------------------------------------

def regular(name: str, data: bytes = b"<x/>\n") -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def folder(name: str) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mode = 0o755
    return info, None


def special(name: str, kind: bytes, linkname: str = "") -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info, None


def tar_bytes(members, *, fmt=tarfile.PAX_FORMAT) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=fmt) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def targz_bytes(members, **kwargs) -> bytes:
    return gzip.compress(tar_bytes(members, **kwargs), mtime=0)


GOOD_MEMBERS = [
    folder("course"),
    regular("course/course.xml", COURSE_XML),
    folder("course/html"),
    regular("course/html/intro.xml", b'<html filename="intro" display_name="Intro"/>\n'),
    regular("course/html/intro.html", b"<p>Welcome</p>\n"),
    regular("course/static/figure.bin", bytes(range(256)) * 64),
]


# --- the sandbox ----------------------------------------------------------------------------

def tree(root: Path, skip: Path) -> dict[str, tuple]:
    """Everything under root except `skip`: type plus content or link target, never following links."""
    seen = {}
    for folder_path, folders, files in os.walk(root, followlinks=False):
        here = Path(folder_path)
        folders[:] = [name for name in folders if here / name != skip]
        for name in folders + files:
            path = here / name
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                entry = ("link", os.readlink(path))
            elif stat.S_ISREG(mode):
                entry = ("file", path.read_bytes(), path.lstat().st_nlink)
            elif stat.S_ISDIR(mode):
                entry = ("folder",)
            else:
                entry = ("other", stat.S_IFMT(mode))
            seen[str(path.relative_to(root))] = entry
    return seen


def assert_only_files_and_folders(dest: Path) -> None:
    for folder_path, folders, files in os.walk(dest, followlinks=False):
        for name in folders + files:
            status = (Path(folder_path) / name).lstat()
            assert stat.S_ISREG(status.st_mode) or stat.S_ISDIR(status.st_mode), f"{folder_path}/{name} is special"
            assert stat.S_ISDIR(status.st_mode) or status.st_nlink == 1, f"{folder_path}/{name} is a hard link"


class Sandbox:
    """tmp_path holding the archive, an empty `dest`, a planted victim file and a neighbour folder."""

    def __init__(self, base: Path):
        self.base = base
        self.archive = base / "upload.tar.gz"
        self.dest = base / "unpacked"
        self.dest.mkdir()
        self.victim = base / "victim.txt"
        self.victim.write_bytes(VICTIM)
        (base / "neighbour").mkdir()
        (base / "neighbour" / "keep.txt").write_bytes(VICTIM)

    def unpack(self, members=None, *, raw: bytes | None = None, **limits):
        if raw is None:
            raw = targz_bytes(members)
        self.archive.write_bytes(raw)
        before = tree(self.base, skip=self.dest)
        files, problems = unpack_untrusted(self.archive, self.dest, **limits)
        assert tree(self.base, skip=self.dest) == before, "something outside dest was created or changed"
        assert self.victim.read_bytes() == VICTIM and self.victim.stat().st_nlink == 1
        assert_only_files_and_folders(self.dest)
        for problem in problems:
            assert problem.path == "upload.tar.gz" and problem.line is None
            assert " — " in problem.message, problem.message
        return files, problems

    def written(self) -> dict[str, bytes]:
        return {str(path.relative_to(self.dest)): path.read_bytes()
                for path in self.dest.rglob("*") if path.is_file()}


@pytest.fixture
def sandbox(tmp_path) -> Sandbox:
    return Sandbox(tmp_path)


def messages(problems) -> str:
    return "\n".join(problem.message for problem in problems)


def assert_refused(files, problems, *phrases: str) -> None:
    assert files is None
    text = messages(problems)
    for phrase in phrases:
        assert phrase in text, f"{phrase!r} not in:\n{text}"


# --- a good archive -------------------------------------------------------------------------

def test_good_archive_returns_every_regular_file_and_writes_it_under_dest(sandbox):
    files, problems = sandbox.unpack(GOOD_MEMBERS)

    expected = {info.name: data for info, data in GOOD_MEMBERS if data is not None}
    assert problems == []
    assert files == expected
    assert sandbox.written() == expected
    assert (sandbox.dest / "course" / "html").is_dir()


def test_archive_made_by_tar_from_a_folder_is_accepted(sandbox, tmp_path):
    source = tmp_path / "neighbour" / "src"
    (source / "course" / "chapter").mkdir(parents=True)
    (source / "course" / "course.xml").write_bytes(COURSE_XML)
    (source / "course" / "chapter" / "one.xml").write_bytes(b"<chapter/>\n")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(source / "course", arcname="course")

    files, problems = sandbox.unpack(raw=buffer.getvalue())

    assert problems == []
    assert files == {"course/course.xml": COURSE_XML, "course/chapter/one.xml": b"<chapter/>\n"}


# --- paths ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["../victim.txt", "course/../../victim.txt", "course/html/../../../victim.txt"])
def test_dot_dot_member_is_refused(sandbox, name):
    files, problems = sandbox.unpack([folder("course"), regular("course/course.xml"), regular(name, b"owned\n")])

    assert_refused(files, problems, f"member {name!r} has a '..' path component")


def test_absolute_member_is_refused(sandbox):
    name = str(sandbox.victim)

    files, problems = sandbox.unpack([regular("course/course.xml"), regular(name, b"owned\n")])

    assert_refused(files, problems, f"member {name!r} has an absolute path")


@pytest.mark.parametrize("name, phrase", [
    ("course\\html\\a.xml", "contains a backslash"),
    ("course/html/a\x01.xml", "control character"),
    ("course/" + "n" * 120 + "\x00.xml", "NUL"),  # long name: goes into a PAX header, which keeps the NUL
    ("course//a.xml", "empty or '.' path component"),
    ("course/./a.xml", "empty or '.' path component"),
    ("course/" + "x" * 300 + ".xml", "longer than 255 bytes"),
    ("course/" + "d/" * 40 + "a.xml", "deeper than 32 folders"),
    ("course/" + ("y" * 200 + "/") * 6 + "a.xml", "longer than 1024 bytes"),
])
def test_bad_member_name_is_refused(sandbox, name, phrase):
    raw = targz_bytes([regular("course/course.xml"), regular(name)])
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        assert name in tar.getnames()  # the hostile name really is in the archive

    files, problems = sandbox.unpack(raw=raw)

    assert_refused(files, problems, phrase, repr(name)[:100])


def test_empty_member_name_is_refused(sandbox):
    files, problems = sandbox.unpack([regular("course/course.xml"), regular("")])

    assert_refused(files, problems, "empty name")


def test_name_that_is_not_utf8_is_refused(sandbox):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT, encoding="latin-1") as tar:
        info, data = regular("course/caf\u00e9.xml")
        tar.addfile(info, io.BytesIO(data))

    files, problems = sandbox.unpack(raw=gzip.compress(buffer.getvalue()))

    assert_refused(files, problems, "not valid UTF-8")


# --- member types ---------------------------------------------------------------------------

def test_symbolic_links_are_refused_whether_they_point_inside_or_outside(sandbox):
    files, problems = sandbox.unpack([
        folder("course"),
        regular("course/course.xml", COURSE_XML),
        special("course/inside.xml", tarfile.SYMTYPE, "course.xml"),
        special("course/escape", tarfile.SYMTYPE, "../.."),
        regular("course/escape/victim.txt", b"owned\n"),  # written through the link if it were made
        special("course/absolute", tarfile.SYMTYPE, str(sandbox.victim)),
    ])

    assert_refused(files, problems,
                   "member 'course/inside.xml' is a symbolic link to 'course.xml'",
                   "member 'course/escape' is a symbolic link to '../..'",
                   f"member 'course/absolute' is a symbolic link to {str(sandbox.victim)!r}")


@pytest.mark.parametrize("target", ["course/course.xml", "../victim.txt", "VICTIM"])
def test_hard_links_are_refused(sandbox, target):
    target = str(sandbox.victim) if target == "VICTIM" else target
    files, problems = sandbox.unpack([
        regular("course/course.xml", COURSE_XML),
        special("course/copy.xml", tarfile.LNKTYPE, target),
    ])

    assert_refused(files, problems, f"member 'course/copy.xml' is a hard link to {target!r}")


@pytest.mark.parametrize("kind, phrase", [
    (tarfile.CHRTYPE, "is a character device"),
    (tarfile.BLKTYPE, "is a block device"),
    (tarfile.FIFOTYPE, "is a FIFO"),
    (b"Z", "is of unsupported tar type 'Z'"),
])
def test_devices_fifos_and_unknown_types_are_refused(sandbox, kind, phrase):
    files, problems = sandbox.unpack([regular("course/course.xml", COURSE_XML), special("course/thing", kind)])

    assert_refused(files, problems, "member 'course/thing' " + phrase)
    assert not (sandbox.dest / "course" / "thing").exists()


# --- names among members --------------------------------------------------------------------

def test_members_under_two_top_folders_are_refused(sandbox):
    files, problems = sandbox.unpack([regular("course/course.xml"), regular("other/sneaky.xml")])

    assert_refused(files, problems, "member 'other/sneaky.xml' is outside the top folder course/")


def test_file_outside_any_folder_is_refused(sandbox):
    files, problems = sandbox.unpack([regular("course/course.xml"), regular("course.xml")])

    assert_refused(files, problems, "member 'course.xml' is not inside a folder")


def test_single_top_folder_with_another_name_is_reported_but_unpacked(sandbox):
    files, problems = sandbox.unpack([regular("export/course.xml", COURSE_XML)])

    assert files == {"export/course.xml": COURSE_XML}
    assert "the top folder is 'export', not 'course'" in messages(problems)


def test_duplicate_member_is_refused(sandbox):
    files, problems = sandbox.unpack([
        regular("course/course.xml", COURSE_XML),
        regular("course/html/a.xml", b"first"),
        regular("course/html/a.xml", b"second"),
    ])

    assert_refused(files, problems, "member 'course/html/a.xml' appears more than once")


def test_names_that_differ_only_in_case_are_refused(sandbox):
    files, problems = sandbox.unpack([
        regular("course/course.xml", COURSE_XML),
        regular("course/html/A.xml"),
        regular("course/html/a.xml"),
    ])

    assert_refused(files, problems, "'course/html/a.xml' differs from 'course/html/A.xml' only in letter case")


def test_folders_that_differ_only_in_case_are_refused(sandbox):
    files, problems = sandbox.unpack([regular("course/HTML/one.xml"), regular("course/html/two.xml")])

    assert_refused(files, problems, "'course/html' (in member 'course/html/two.xml') differs from 'course/HTML'")


def test_name_used_as_file_and_folder_is_refused(sandbox):
    files, problems = sandbox.unpack([regular("course/course.xml"), regular("course/html"), regular("course/html/a.xml")])

    assert_refused(files, problems, "uses 'course/html' as a folder, but the archive also has it as a file")


def test_junk_files_are_reported_but_do_not_refuse(sandbox):
    members = [regular("course/course.xml", COURSE_XML), regular("course/static/.DS_Store"),
               regular("course/static/._figure.png"), regular("course/html/intro.html~")]

    files, problems = sandbox.unpack(members)

    assert files is not None and set(files) == {info.name for info, _ in members}
    text = messages(problems)
    for name in ("course/static/.DS_Store", "course/static/._figure.png", "course/html/intro.html~"):
        assert f"member {name!r} is an operating-system or editor junk file" in text
    assert len(problems) == 3


def test_every_problem_in_the_member_list_is_reported(sandbox):
    files, problems = sandbox.unpack([
        regular("course/course.xml", COURSE_XML),
        regular(str(sandbox.base / "evil.xml")),
        special("course/link", tarfile.SYMTYPE, str(sandbox.victim)),
        special("course/fifo", tarfile.FIFOTYPE),
        regular("course/../../victim.txt", b"owned\n"),
        regular("course/static/.DS_Store"),
        regular("course/course.xml", COURSE_XML),
    ])

    assert_refused(files, problems, f"{str(sandbox.base / 'evil.xml')!r} has an absolute path", "'course/link' is a symbolic link",
                   "'course/fifo' is a FIFO", "'..' path component", ".DS_Store' is an operating-system",
                   "'course/course.xml' appears more than once")


# --- limits and bombs -----------------------------------------------------------------------

class CountingReader:
    def __init__(self, inner):
        self.inner = inner
        self.count = 0

    def read(self, size=-1):
        data = self.inner.read(size)
        self.count += len(data)
        return data

    def __getattr__(self, name):
        return getattr(self.inner, name)


@pytest.fixture
def gzip_spy(monkeypatch):
    """Counts compressed bytes read from the file and decompressed bytes read from gzip."""
    spy = {}
    real = untrusted_archive._decompressing_reader

    def counting(raw):
        spy["compressed"] = CountingReader(raw)
        spy["decompressed"] = CountingReader(real(spy["compressed"]))
        return spy["decompressed"]

    monkeypatch.setattr(untrusted_archive, "_decompressing_reader", counting)
    return spy


@functools.cache
def gzip_of_zeros(size: int) -> bytes:
    """One gzip member holding `size` zero bytes (about 1/1000 of the size)."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(MiB)
    parts = [squeeze.compress(chunk) for _ in range(size // MiB)]
    return b"".join(parts) + squeeze.compress(bytes(size % MiB)) + squeeze.flush()


def zero_file_bomb(name: str, size: int) -> bytes:
    """A tar.gz of one file of `size` zeros, built from concatenated gzip members (all valid gzip)."""
    header = regular(name)[0]
    header.size = size
    parts = [gzip.compress(header.tobuf(tarfile.GNU_FORMAT))]
    parts += [gzip_of_zeros(64 * MiB)] * (size // (64 * MiB))
    parts.append(gzip_of_zeros(size % (64 * MiB)))
    parts.append(gzip.compress(bytes(-size % 512) + bytes(2 * 512)))
    return b"".join(parts)


def test_gzip_bomb_is_refused_without_decompressing_it(sandbox, gzip_spy):
    bomb = zero_file_bomb("course/static/zeros.bin", 64 * MiB)

    files, problems = sandbox.unpack(raw=bomb, max_unpacked_bytes=8 * MiB)

    assert_refused(files, problems, "past the limit of 8 MiB", "decompression bomb")
    assert gzip_spy["decompressed"].count <= 8 * MiB + 1
    assert sandbox.written() == {}


def test_ten_gib_bomb_fails_after_reading_little_of_the_file(sandbox, gzip_spy):
    bomb = zero_file_bomb("course/static/zeros.bin", 10 * 2**30)
    assert len(bomb) > 8 * MiB

    files, problems = sandbox.unpack(raw=bomb)

    assert_refused(files, problems, "decompression bomb")
    assert gzip_spy["compressed"].count < 1 * MiB
    assert gzip_spy["decompressed"].count < 1 * MiB


def test_bytes_after_the_end_of_the_tar_count_too(sandbox, gzip_spy):
    bomb = gzip.compress(tar_bytes(GOOD_MEMBERS)) + gzip_of_zeros(64 * MiB)
    with tarfile.open(fileobj=io.BytesIO(bomb)) as tar:  # tarfile alone reads it happily
        assert tar.getnames() == [info.name for info, _ in GOOD_MEMBERS]

    files, problems = sandbox.unpack(raw=bomb, max_unpacked_bytes=8 * MiB)

    assert_refused(files, problems, "unpacks to more than 8 MiB", "decompression bomb")
    assert gzip_spy["decompressed"].count <= 8 * MiB + 1


def pax_archive(record_size: int, filler: bytes) -> bytes:
    """tar.gz: a PAX header holding one `comment` record of `record_size` bytes, then course/course.xml."""
    head = f"{record_size} comment=".encode()
    filler_size = record_size - len(head) - 1
    header = tarfile.TarInfo("././@PaxHeader")
    header.type = tarfile.XHDTYPE
    header.size = record_size
    squeeze = zlib.compressobj(6, zlib.DEFLATED, 31)
    parts = [squeeze.compress(header.tobuf(tarfile.USTAR_FORMAT) + head)]
    parts += [squeeze.compress(filler * MiB) for _ in range(filler_size // MiB)]
    parts.append(squeeze.compress(filler * (filler_size % MiB) + b"\n" + bytes(-record_size % 512)))
    parts.append(squeeze.compress(tar_bytes([regular("course/course.xml", COURSE_XML)], fmt=tarfile.USTAR_FORMAT)))
    return b"".join(parts) + squeeze.flush()


def test_huge_pax_header_is_refused_before_tarfile_reads_it(sandbox, gzip_spy):
    bomb = pax_archive(64 * MiB, b"a")
    with tarfile.open(fileobj=io.BytesIO(bomb)) as tar:  # a real, readable archive: only its size is hostile
        assert tar.getnames() == ["course/course.xml"]

    files, problems = sandbox.unpack(raw=bomb)

    assert_refused(files, problems, "an extended tar header of 67108864 bytes", "over the limit of 64 KiB")
    assert gzip_spy["decompressed"].count < 1 * MiB


def malformed_pax_archive(body: bytes) -> bytes:
    header = tarfile.TarInfo("././@PaxHeader")
    header.type = tarfile.XHDTYPE
    header.size = len(body)
    rest = tar_bytes([regular("course/course.xml", COURSE_XML)], fmt=tarfile.USTAR_FORMAT)
    return gzip.compress(header.tobuf(tarfile.USTAR_FORMAT) + body + bytes(-len(body) % 512) + rest)


@pytest.mark.parametrize("raw, phrase", [
    # Python 3.12.1's tarfile spends quadratic time on both (CVE-2024-6232); 16 KiB costs about a second.
    (pax_archive(16 * 2**10, b"7"), "holds a run of more than 64 digits"),
    (malformed_pax_archive(b"2 " * 8 * 2**10 + b"x=y\n"), "is malformed"),
    (malformed_pax_archive(b"30 GNU.sparse.size=1000000000\n"), "describes a sparse file"),
], ids=["digit-run", "short-records", "sparse"])
def test_pax_header_that_tarfile_would_mishandle_is_refused(sandbox, raw, phrase):
    files, problems = sandbox.unpack(raw=raw)

    assert_refused(files, problems, "the PAX extended tar header at byte 0", phrase)


def test_ordinary_pax_and_gnu_headers_are_accepted(sandbox):
    long_name = "course/static/" + "deep/" * 25 + "figure.png"
    members = [regular("course/course.xml", COURSE_XML), regular("course/static/caf\u00e9.png", b"png"),
               regular(long_name, b"png"), folder("course/" + "f" * 120)]
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT,
                      pax_headers={"comment": "made by the test", "mtime": "1700000000.5"}) as tar:
        for info, data in members:
            info.pax_headers = {"SCHILY.xattr.user.note": "checked"}
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    gnu = targz_bytes([regular("course/course.xml", COURSE_XML), regular(long_name, b"png")], fmt=tarfile.GNU_FORMAT)

    files, problems = sandbox.unpack(raw=gzip.compress(buffer.getvalue()))

    assert problems == []
    assert files == {info.name: data for info, data in members if data is not None}

    gnu_sandbox = Sandbox(sandbox.base / "neighbour")
    files, problems = gnu_sandbox.unpack(raw=gnu)

    assert problems == []
    assert files == {"course/course.xml": COURSE_XML, long_name: b"png"}


def test_many_files_adding_up_past_the_limit_are_refused(sandbox, gzip_spy):
    members = [regular(f"course/static/part{index}.bin", bytes(MiB)) for index in range(20)]

    files, problems = sandbox.unpack(members, max_unpacked_bytes=8 * MiB)

    assert_refused(files, problems, "8 MiB", "decompression bomb")
    assert gzip_spy["decompressed"].count <= 8 * MiB + 1
    assert len(sandbox.written()) <= 7


def test_too_many_members_are_refused(sandbox):
    members = [regular(f"course/html/page{index}.xml") for index in range(30)]

    files, problems = sandbox.unpack(members, max_members=10)

    assert_refused(files, problems, "more than 10 members")
    assert len(sandbox.written()) <= 10


def test_exactly_the_member_limit_is_accepted(sandbox):
    members = [regular(f"course/html/page{index}.xml") for index in range(10)]

    files, problems = sandbox.unpack(members, max_members=10)

    assert problems == [] and len(files) == 10


# --- files that are not a good tar.gz -------------------------------------------------------

def test_file_that_is_not_gzip_is_refused(sandbox):
    files, problems = sandbox.unpack(raw=b"<course/> this is not an archive\n" * 20)

    assert_refused(files, problems, "not a gzip-compressed tar archive (.tar.gz)")


def test_plain_tar_is_refused_and_told_to_compress(sandbox):
    files, problems = sandbox.unpack(raw=tar_bytes(GOOD_MEMBERS))

    assert_refused(files, problems, "uncompressed tar archive", "only gzip-compressed tar archives")


def test_empty_file_is_refused(sandbox):
    files, problems = sandbox.unpack(raw=b"")

    assert_refused(files, problems, "the file is empty")


def test_gzip_of_something_that_is_not_tar_is_refused(sandbox):
    files, problems = sandbox.unpack(raw=gzip.compress(b"just some text, not a tar archive\n" * 50))

    assert_refused(files, problems, "not a valid tar archive")


def good_archive_with_noise() -> bytes:
    noise = bytes((index * 7919 + index // 3) % 251 for index in range(200_000))
    return targz_bytes(GOOD_MEMBERS + [regular("course/static/noise.bin", noise)])


def test_truncated_gzip_is_refused(sandbox):
    whole = good_archive_with_noise()

    files, problems = sandbox.unpack(raw=whole[: len(whole) // 2])

    assert_refused(files, problems, "the archive is truncated")


def test_gzip_missing_only_its_trailer_is_refused(sandbox):
    whole = good_archive_with_noise()

    files, problems = sandbox.unpack(raw=whole[:-4])

    assert_refused(files, problems, "the archive is truncated")


def test_corrupt_gzip_data_is_refused(sandbox):
    whole = bytearray(good_archive_with_noise())
    middle = len(whole) // 2
    whole[middle:middle + 64] = bytes(255 - byte for byte in whole[middle:middle + 64])

    files, problems = sandbox.unpack(raw=bytes(whole))

    assert files is None
    assert problems  # reported as a problem, not raised


@pytest.mark.parametrize("name", ["../escaped.xml", "course/../../escaped.xml", "planted/escaped.xml"])
def test_writer_stays_inside_dest_even_for_a_name_that_slipped_past_the_checks(sandbox, name):
    """Defence in depth: the name checks refuse these first; the writer must refuse them on its own."""
    (sandbox.dest / "planted").symlink_to(sandbox.base / "neighbour")  # a link the caller left in dest
    before = tree(sandbox.base, skip=sandbox.dest)
    root = sandbox.dest.resolve()

    with pytest.raises((OutsideRoot, OSError)), ConfinedFolder(root) as folder:
        folder.write_file(name, b"owned\n")

    assert tree(sandbox.base, skip=sandbox.dest) == before
    assert not list(sandbox.base.rglob("escaped.xml"))


def test_dest_must_be_an_empty_folder(sandbox):
    sandbox.archive.write_bytes(targz_bytes(GOOD_MEMBERS))
    (sandbox.dest / "left-over").write_bytes(b"x")

    with pytest.raises(ValueError):
        unpack_untrusted(sandbox.archive, sandbox.dest)
