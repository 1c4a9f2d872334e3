"""The archive lock: one writing run at a time, never a stale lock after a crash."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vellum.errors import LockedError
from vellum.store.lock import ArchiveLock

HOLD = """
import sys, time
from vellum.store.lock import ArchiveLock
lock = ArchiveLock(sys.argv[1], use_flock={flock})
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def _holder(root: Path, flock: bool = True) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD.format(flock=flock), str(root)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_lock_file_exists_while_held_and_goes_away(tmp_path: Path) -> None:
    with ArchiveLock(tmp_path) as lock:
        assert lock.held
        text = (tmp_path / ".vellum" / "lock").read_text()
        assert f"pid: {os.getpid()}" in text
        assert "started: " in text
    assert not (tmp_path / ".vellum" / "lock").exists()
    assert not lock.held


def test_second_lock_in_the_same_process_is_refused(tmp_path: Path) -> None:
    with ArchiveLock(tmp_path), pytest.raises(LockedError) as err:
        ArchiveLock(tmp_path).acquire()
    assert f"pid {os.getpid()}" in str(err.value)
    assert "another vellum run" in str(err.value)
    # ...and the holder's release leaves the archive free again.
    with ArchiveLock(tmp_path):
        pass


@pytest.mark.parametrize("flock", [True, False], ids=["flock", "excl"])
def test_lock_held_by_another_process_is_refused_at_once(tmp_path: Path, flock: bool) -> None:
    proc = _holder(tmp_path, flock)
    try:
        started = time.monotonic()
        with pytest.raises(LockedError) as err:
            ArchiveLock(tmp_path, use_flock=flock).acquire()
        assert time.monotonic() - started < 1.0
        assert f"pid {proc.pid}" in str(err.value)
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize("flock", [True, False], ids=["flock", "excl"])
def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path, flock: bool) -> None:
    proc = _holder(tmp_path, flock)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (tmp_path / ".vellum" / "lock").exists()  # left behind by the dead process
    with ArchiveLock(tmp_path, use_flock=flock) as lock:
        assert f"pid: {os.getpid()}" in lock.path.read_text()
        assert lock.recovered  # the caller may want to check what the dead run left
    with ArchiveLock(tmp_path, use_flock=flock) as lock:
        assert not lock.recovered


def test_excl_lock_older_than_the_limit_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / ".vellum" / "lock"
    path.parent.mkdir()
    path.write_text(f"pid: {os.getppid()}\nhost: elsewhere\n")
    with pytest.raises(LockedError, match="on elsewhere"):
        ArchiveLock(tmp_path, use_flock=False).acquire()
    old = time.time() - 3600
    os.utime(path, (old, old))
    with ArchiveLock(tmp_path, use_flock=False, stale_after=60):
        assert f"pid: {os.getpid()}" in path.read_text()
