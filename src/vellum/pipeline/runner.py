"""The one policy for what goes wrong while one input is processed.

A ``VellumError`` is an input that failed for a reason the user can act on: its
one-line message. Any other exception is a bug in vellum, met on one input: that
input fails with ``<input>: internal error (...)`` and its traceback (shown under
``--verbose``), and the others go on. Every command that works through a list
(add, import, refresh, ingest, rebuild) reports through here, so one odd page
never ends a run, whichever command met it.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import replace

from ..errors import HTTPStatusError, VellumError
from ..models import Outcome


def run_one(name: str, work: Callable[[], Outcome], *, path: str | None = None) -> Outcome:
    """``work()``'s outcome for the input ``name``, timed; a failed one if it raised."""
    started = time.monotonic()
    try:
        outcome = work()
    except Exception as err:  # the policy above: one input fails, never the run
        outcome = failed(name, err, path=path)
    return replace(outcome, seconds=time.monotonic() - started)


def failed(name: str, err: BaseException, *, path: str | None = None,
           http_status: int | None = None, seconds: float = 0.0) -> Outcome:
    """The failed outcome of ``name`` for ``err``."""
    if isinstance(err, HTTPStatusError):
        http_status = err.status
    return Outcome(name, "failed", path, error=reason(name, err), http_status=http_status,
                   seconds=seconds, detail=detail(err))


def reason(name: str, err: BaseException) -> str:
    """The one-line message: a ``VellumError``'s own, or a bug's, naming the input."""
    if isinstance(err, VellumError):
        return str(err)
    return f"{name}: internal error ({err!r})"


def detail(err: BaseException) -> str | None:
    """The traceback of a bug (``None`` for a ``VellumError``: its message says it all).

    An exception raised in a worker process carries the worker's traceback as its
    cause, so the lines shown are where the bug is, not where the result was read.
    """
    if isinstance(err, VellumError):
        return None
    return "".join(traceback.format_exception(type(err), err, err.__traceback__)).rstrip()
