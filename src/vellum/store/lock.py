"""The archive lock: one writing run at a time (`<archive>/.vellum/lock`).

Where ``fcntl`` exists the lock is an ``flock`` on the lock file: the kernel drops
it when the holder exits, however it dies, so a crashed run never leaves a stale
lock behind. Elsewhere the file is created with ``O_EXCL`` and a lock whose pid no
longer runs (or that is older than ``stale_after``) is taken over.

The file holds the holder's pid, host and start time, for the message the second
run shows.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
from pathlib import Path
from types import TracebackType

from ..errors import LockedError, StoreError
from .files import sweep_temp
from .paths import LOCK_FILE

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# An O_EXCL lock older than this is taken over even if its pid seems alive (pid reuse).
STALE_AFTER = 24 * 3600.0


class ArchiveLock:
    """Hold the lock of the archive at ``root`` for the life of a ``with`` block.

    Raises ``LockedError`` at once, without waiting, when another run holds it.
    """

    def __init__(self, root: Path | str, *, use_flock: bool | None = None,
                 stale_after: float = STALE_AFTER) -> None:
        self.root = Path(root)
        self.path = self.root / LOCK_FILE
        self.use_flock = fcntl is not None if use_flock is None else use_flock
        self.stale_after = stale_after
        self._fd: int | None = None
        self.recovered = False
        """True when the previous holder died without releasing the lock (a crashed run)."""
        self.swept = 0
        """Temporary files of killed runs deleted when the lock was taken."""

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock; ``LockedError`` when another run has it, ``StoreError`` when the
        lock file cannot be made or written (a folder in its place, a full disk)."""
        if self._fd is not None:
            return
        if self.path.is_dir():
            raise StoreError(str(self.path), "the lock path is a folder, not a file; "
                             "remove it and run again")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = self._flock() if self.use_flock else self._exclusive()
        except OSError as err:
            raise StoreError(str(self.path), "cannot create the archive lock "
                             f"({err.strerror or err})") from err
        try:
            if self.use_flock:  # a released lock is unlinked: content means its holder died
                self.recovered = bool(_read(fd).replace("\x00", "").strip())
            data = _describe().encode("utf-8")
            os.pwrite(fd, data, 0)
            os.ftruncate(fd, len(data))
        except OSError as err:
            os.close(fd)  # drops the flock: this run never held the archive
            raise StoreError(str(self.path), "cannot write the archive lock "
                             f"({err.strerror or err})") from err
        self._fd = fd
        # Holding the lock, no other run is writing: any temp file is a killed run's.
        self.swept = sweep_temp(self.root)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        # Unlink while still holding the lock: a waiter that opened the old inode
        # notices (see _flock) instead of locking a file nobody else can see.
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        finally:
            os.close(fd)

    def __enter__(self) -> ArchiveLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()

    def _flock(self) -> int:
        assert fcntl is not None
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = _read(fd)
                os.close(fd)
                raise self._locked(holder) from None
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                return fd
            os.close(fd)  # the holder released and unlinked it meanwhile: retry

    def _exclusive(self) -> int:
        for _ in range(3):
            try:
                return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                holder = self._holder_text()
                if not self._stale(holder):
                    raise self._locked(holder) from None
                self.recovered = True
                self.path.unlink(missing_ok=True)
        raise self._locked(self._holder_text())

    def _holder_text(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def _stale(self, holder: str) -> bool:
        """True when the recorded holder is gone (or the lock is too old to trust)."""
        try:
            age = time.time() - self.path.stat().st_mtime
        except FileNotFoundError:
            return True
        if age > self.stale_after:
            return True
        fields = _fields(holder)
        if fields.get("host", socket.gethostname()) != socket.gethostname():
            return False  # another machine's run: its pid means nothing here
        pid = fields.get("pid", "")
        return pid.isdigit() and not _alive(int(pid))

    def _locked(self, holder: str) -> LockedError:
        fields = _fields(holder)
        who = f"pid {fields['pid']}" if "pid" in fields else "another process"
        if "host" in fields and fields["host"] != socket.gethostname():
            who += f" on {fields['host']}"
        since = f", started {fields['started']}" if "started" in fields else ""
        return LockedError(str(self.path), f"another vellum run ({who}{since}) is writing to "
                           "this archive; try again when it has finished")


def _describe() -> str:
    started = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    return f"pid: {os.getpid()}\nhost: {socket.gethostname()}\nstarted: {started}\n"


def _read(fd: int) -> str:
    try:
        return os.pread(fd, 4096, 0).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _fields(text: str) -> dict[str, str]:
    pairs = (line.split(":", 1) for line in text.splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it just is not ours
    except OSError:
        return False
    return True
