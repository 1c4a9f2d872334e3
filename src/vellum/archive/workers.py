"""Convert jobs in worker processes, so parsing never stalls the downloads.

Only the main process writes; workers get a picklable page and return a picklable
``Converted``. The pool starts at the first job (a run with nothing changed never
starts one), and with ``workers=0`` jobs run inline (tests, tiny archives).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")
# Jobs in flight per worker before the reader waits: keeps memory flat on big runs.
QUEUE_PER_WORKER = 4


class Converter:
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
            self._pool = ProcessPoolExecutor(self.workers, mp_context=_context())
        return self._pool.submit(fn, *args)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


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
