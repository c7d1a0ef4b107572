"""Fixtures of the concurrency suite: a private MariaDB server, the preview served from it by gunicorn
with several worker processes (as the LMS is served), and the plain SQLite preview (`serve`, Django's
threaded development server) — both on the small OLX course under fixtures/olx/ (a tracker, a quiz
with max_attempts=2 and a walkthrough with step_attempts=2; see harness.py for the units)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from harness import STAFF, Preview

FIXTURE_OLX = Path(__file__).parent / "fixtures" / "olx"
REPOSITORY = Path(__file__).resolve().parents[2]
# The servers run in other folders: give them this checkout's code by absolute paths, so that a
# relative PYTHONPATH (or another checkout's editable install) cannot slip in other code.
SOURCE_PATH = os.pathsep.join([str(REPOSITORY / "xblocks"), str(REPOSITORY / "scripts"),
                               *(p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p)])
GUNICORN_WORKERS = 4
GUNICORN_THREADS = 2
DB_NAME = "rpt_concurrency"


class MariaDB:
    """A MariaDB server of our own: data folder and unix socket in a temporary folder, no TCP port."""

    def __init__(self, root: Path):
        self.root = root
        self.socket = root / "sock"
        self.pid_file = root / "pid"
        self.log = root / "err.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        install_db, server = shutil.which("mariadb-install-db"), _mariadbd()
        if not install_db or not server:
            pytest.fail("MariaDB is not installed (mariadb-install-db and mariadbd are needed): as root, "
                        "apt-get install -y mariadb-server libmariadb-dev pkg-config build-essential "
                        "(.ci/run does this on CI)", pytrace=False)
        user = ["--user=root"] if os.geteuid() == 0 else []
        init = subprocess.run([install_db, f"--datadir={self.root / 'data'}", *user,
                               "--auth-root-authentication-method=socket", "--skip-test-db"],
                              capture_output=True, text=True, timeout=120)
        if init.returncode != 0:
            pytest.fail(f"mariadb-install-db failed:\n{init.stdout}\n{init.stderr}", pytrace=False)
        self.process = subprocess.Popen(
            [server, "--no-defaults", f"--datadir={self.root / 'data'}", f"--socket={self.socket}",
             "--skip-networking", *user, f"--pid-file={self.pid_file}", f"--log-error={self.log}",
             "--max-connections=500"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while not self.socket.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"mariadbd did not start:\n{self.log.read_text(errors='replace') if self.log.exists() else ''}",
                            pytrace=False)
            time.sleep(0.05)
        self.sql(f"CREATE DATABASE {DB_NAME} CHARACTER SET utf8mb4")

    def sql(self, statement: str) -> str:
        client = shutil.which("mariadb") or shutil.which("mysql")
        result = subprocess.run([client, f"--socket={self.socket}", "-uroot", "-N", "-e", statement],
                                capture_output=True, text=True, timeout=30)
        if result.returncode != 0:
            raise RuntimeError(f"{statement}: {result.stderr}")
        return result.stdout

    def stop(self) -> None:
        """Stop the server we started, by its own pid (never by name)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _mariadbd() -> str | None:
    return shutil.which("mariadbd") or next(
        (p for p in ("/usr/sbin/mariadbd", "/usr/sbin/mysqld") if os.access(p, os.X_OK)), None)


@pytest.fixture(scope="session")
def mariadb():
    """A private MariaDB server for the session (database `rpt_concurrency`), stopped afterwards.
    Fails (does not skip) when MariaDB is not installed."""
    root = Path(tempfile.mkdtemp(prefix="rpt-mariadb-"))  # short: a unix socket path has ~100 bytes at most
    server = MariaDB(root)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def _environment(**variables: str) -> list[str]:
    """`env` prefix for a command started by `preview_launcher` (which passes this process's
    environment without the preview's own variables)."""
    return ["env", f"PYTHONPATH={SOURCE_PATH}", *(f"{name}={value}" for name, value in variables.items())]


@pytest.fixture(scope="session")
def gunicorn_preview(tmp_path_factory, preview_launcher, mariadb):
    """The fixture course served by gunicorn (`rpt_course.preview.wsgi`, --preload, 4 worker
    processes of 2 threads each) on MariaDB, with staff, staff2 and staff3 as course staff."""
    working = tmp_path_factory.mktemp("gunicorn-preview")

    def command(port: int, state: Path) -> list[str]:
        return [*_environment(RPT_PREVIEW_OLX=str(FIXTURE_OLX), RPT_PREVIEW_STATE_DIR=str(state),
                              RPT_PREVIEW_DB_SOCKET=str(mariadb.socket), RPT_PREVIEW_DB_NAME=DB_NAME,
                              RPT_PREVIEW_STAFF=",".join(STAFF), DJANGO_SETTINGS_MODULE="rpt_course.preview.settings"),
                sys.executable, "-m", "gunicorn", "--preload", "--workers", str(GUNICORN_WORKERS),
                "--threads", str(GUNICORN_THREADS), "--bind", f"127.0.0.1:{port}", "--timeout", "60",
                "--graceful-timeout", "5", "rpt_course.preview.wsgi:application"]

    for server in preview_launcher(working, command):
        yield Preview(server.base_url, "gunicorn+mariadb", server.output)


_SERVE_OLX = """
import os, sys
from pathlib import Path
os.environ["RPT_PREVIEW_STAFF"] = sys.argv[4]
from rpt_course.preview.server import serve
root = Path(sys.argv[1])
serve({p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()},
      port=int(sys.argv[2]), state_dir=sys.argv[3])
"""


@pytest.fixture(scope="session")
def sqlite_preview(tmp_path_factory, preview_launcher):
    """The fixture course served by the preview's own `serve` (Django's threaded development server,
    SQLite in the state folder), with staff, staff2 and staff3 as course staff."""
    working = tmp_path_factory.mktemp("sqlite-preview")
    for server in preview_launcher(working, lambda port, state: [
            *_environment(), sys.executable, "-c", _SERVE_OLX, str(FIXTURE_OLX), str(port), str(state), ",".join(STAFF)]):
        yield Preview(server.base_url, "runserver+sqlite", server.output)
