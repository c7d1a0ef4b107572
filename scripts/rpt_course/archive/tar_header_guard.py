"""Extended tar headers (PAX, GNU long names) checked before `tarfile` parses them.

Contract: open a tar with `tarinfo=GuardedTarInfo`; reading then raises `HeaderRefused` (its
message is the author-facing problem) for an extended header over MAX_EXTENDED_HEADER_BYTES, a
malformed PAX header, a PAX header with a digit run over MAX_DIGIT_RUN, or a sparse-file header.
Every other member is parsed by tarfile unchanged.
"""
from __future__ import annotations

import re
import tarfile

MAX_EXTENDED_HEADER_BYTES = 64 * 2**10
MAX_DIGIT_RUN = 64
PAX_TYPES = (tarfile.XHDTYPE, tarfile.XGLTYPE, tarfile.SOLARIS_XHDTYPE)
EXTENDED_TYPES = PAX_TYPES + (tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK)


class HeaderRefused(Exception):
    """An extended header is unsafe to hand to tarfile; the message says why and what to do."""


# --- extended headers, checked before tarfile parses them -----------------------------------

class GuardedTarInfo(tarfile.TarInfo):
    """TarInfo that checks GNU long-name and PAX extended headers before tarfile reads them.

    tarfile keeps an extended header in memory and, in the Python 3.12.1 this project runs on,
    parses PAX headers with regular expressions that take quadratic time on crafted input
    (CVE-2024-6232, fixed in later 3.12 releases): a 32 KiB header of digits takes seconds, 1 MiB
    about an hour. So every extended header must be at most MAX_EXTENDED_HEADER_BYTES, and a PAX
    header must be well-formed records with no run of more than MAX_DIGIT_RUN digits, which keeps
    tarfile's parsing linear. `_proc_member` is the hook
    tarfile documents for subclasses; the checked bytes are handed back to tarfile through
    `_Replay`, so tarfile's own parsing is unchanged.
    """

    def _proc_member(self, tar):
        if self.type not in EXTENDED_TYPES:
            return super()._proc_member(tar)
        if self.size > MAX_EXTENDED_HEADER_BYTES:
            raise HeaderRefused(f"an extended tar header of {self.size} bytes (at byte {self.offset} of the "
                           f"unpacked archive) is over the limit of {MAX_EXTENDED_HEADER_BYTES // 1024} KiB; "
                           "refused as possibly hostile — " + _NO_EXTRAS)
        if self.type not in PAX_TYPES:
            return super()._proc_member(tar)
        stream = tar.fileobj
        padded = stream.read(self._block(self.size))
        reason = _pax_fault(padded[:self.size])
        if reason:
            raise HeaderRefused(f"the PAX extended tar header at byte {self.offset} of the unpacked archive "
                           f"{reason}; refused as possibly hostile — " + _NO_EXTRAS)
        tar.fileobj = _Replay(padded, stream)
        try:
            return super()._proc_member(tar)
        finally:
            tar.fileobj = stream


_NO_EXTRAS = ("rebuild the archive without extended attributes (`tar --no-xattrs -czf NAME.tar.gz course`; "
              "on macOS set COPYFILE_DISABLE=1)")


def _pax_fault(body: bytes) -> str | None:
    """Why a PAX header body is unsafe to hand to tarfile, or None. Linear time."""
    if max(map(len, re.findall(rb"[0-9]+", body)), default=0) > MAX_DIGIT_RUN:
        return f"holds a run of more than {MAX_DIGIT_RUN} digits"
    pos = 0
    while pos < len(body):
        space = body.find(b" ", pos, pos + 21)
        if space <= pos or not body[pos:space].isdigit():
            return "is malformed (a record does not start with its length)"
        end = pos + int(body[pos:space])
        equals = body.find(b"=", space + 1, end)
        if end > len(body) or body[end - 1:end] != b"\n" or equals <= space + 1:
            return "is malformed (a record is not `LENGTH KEYWORD=VALUE` and a newline)"
        if body.startswith(b"GNU.sparse", space + 1):
            return "describes a sparse file, which is not accepted"
        pos = end
    return None


class _Replay:
    """Read-only stream that first gives back bytes already read from `stream`, then reads on."""

    def __init__(self, head: bytes, stream):
        self._head = head
        self._stream = stream

    def read(self, size: int) -> bytes:
        taken, self._head = self._head[:size], self._head[size:]
        if len(taken) < size:
            taken += self._stream.read(size - len(taken))
        return taken

    def tell(self) -> int:
        return self._stream.tell() - len(self._head)

    def seek(self, position: int) -> None:
        if self._head:
            raise OSError("cannot seek while replaying an extended header")
        self._stream.seek(position)
