"""Convert jobs in worker processes, so parsing never stalls the downloads.

Only the main process writes; workers get a picklable page and return a picklable
``Converted``. The pool starts at the first job (a run with nothing changed never
starts one), and with ``workers=0`` jobs run inline (tests, tiny archives).

Workers die with the run that started them, however it ends (``watch_parent``): a
``kill -9`` would otherwise leave them blocked forever on their job queue, and the
forkserver and resource tracker alive with them, since each worker holds the pipe
whose closing tells those two to go.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")
# Jobs in flight per worker before the reader waits: keeps memory flat on big runs.
QUEUE_PER_WORKER = 4
# How often a worker checks that the run that started it is still alive (seconds).
PARENT_POLL = 0.5


class WorkerPool:
    """The worker processes that convert pages (or the calling thread, with 0 workers)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = (os.cpu_count() or 1) if workers is None else max(0, workers)
        self._pool: Executor | None = None

    @property
    def capacity(self) -> int:
        return max(1, self.workers) * QUEUE_PER_WORKER

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        if self.workers == 0:
            return _run_inline(fn, *args)
        if self._pool is None:
            self._pool = start_pool(self.workers)
        return self._pool.submit(fn, *args)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def start_pool(workers: int, *, own_interrupts: bool = False) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that die with this run (``watch_parent``); with
    ``own_interrupts`` they ignore Ctrl-C, since the run stops them itself."""
    init = ignore_interrupts_and_watch if own_interrupts else watch_parent
    return ProcessPoolExecutor(workers, mp_context=_context(), initializer=init,
                               initargs=(os.getpid(),))


def _run_inline(fn: Callable[..., T], *args: Any) -> Future[T]:
    future: Future[T] = Future()
    try:
        future.set_result(fn(*args))
    except Exception as err:  # delivered through the future, as a pool would
        future.set_exception(err)
    return future


def _context() -> Any:
    # The crawl engine runs threads; forking a threaded process can deadlock the child.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def watch_parent(pid: int) -> None:
    """Pool initializer: end this worker as soon as process ``pid`` (the run) is gone.

    A worker's parent is the forkserver, not the run, so ``getppid()`` and Linux's
    PR_SET_PDEATHSIG (which watch the parent) cannot tell; a daemon thread polls the run.
    """
    threading.Thread(target=_watch, args=(pid,), name="vellum-parent-watch",
                     daemon=True).start()


def ignore_interrupts_and_watch(pid: int) -> None:
    """Pool initializer for runs that stop their workers themselves on Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch_parent(pid)


def _watch(pid: int) -> None:
    while not _gone(pid):
        time.sleep(PARENT_POLL)
    os._exit(1)  # no cleanup to do: only the run writes, and it is dead


def _gone(pid: int) -> bool:
    """True when ``pid`` no longer runs: no such process, or a zombie not yet reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it exists (not ours to signal)
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False  # no /proc (macOS): kill(0) alone decides
    return state in ("Z", "X")
