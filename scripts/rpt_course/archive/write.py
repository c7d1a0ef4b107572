"""Pack OLX files into a byte-identical, atomically written `.tar.gz`.

Contract: `write_archive(files, target)` writes `target` from `files` (a mapping of archive paths
to bytes, read one file at a time, so a mapping backed by a folder keeps memory flat) so that the
same files always give the same bytes (sorted members, folders included, mtime 0, uid/gid 0, no owner names, fixed modes,
gzip header without name or time), replaces any earlier archive only once the new one is complete
(temporary file in the same folder + fsync + rename), and leaves no partial file on failure.
Returns the archive's size and sha256.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

FILE_MODE = 0o644
DIR_MODE = 0o755
COMPRESS_LEVEL = 9


def _folders(paths) -> set[str]:
    folders = set()
    for path in paths:
        for parent in PurePosixPath(path).parents:
            if str(parent) != ".":
                folders.add(str(parent))
    return folders


def _info(name: str, kind: bytes, mode: int, size: int = 0) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.size = size
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def pack(files: Mapping[str, bytes], stream) -> None:
    """Write the deterministic tar.gz of `files` to the binary `stream`, holding one file at a time."""
    with gzip.GzipFile(filename="", mode="wb", fileobj=stream, mtime=0, compresslevel=COMPRESS_LEVEL) as zipped:
        with tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar:
            folders = _folders(files)
            for name in sorted(folders | set(files)):
                if name in folders:
                    tar.addfile(_info(name, tarfile.DIRTYPE, DIR_MODE))
                else:
                    data = files[name]
                    tar.addfile(_info(name, tarfile.REGTYPE, FILE_MODE, len(data)), io.BytesIO(data))
                tar.members.clear()  # tarfile's list of written members is only read back by getmembers()


def write_archive(files: Mapping[str, bytes], target: Path) -> tuple[int, str]:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            pack(files, stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    digest = hashlib.sha256()
    with open(target, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return target.stat().st_size, digest.hexdigest()
