"""The one exception tree of vellum.

Every failure below the CLI is one of these, carrying the input it concerns and
the reason in plain words; the CLI turns them into one-line messages and exit
codes. Foreign exceptions are translated at the edge with ``raise ... from err``.

    VellumError
    ├── InputError            unusable input: a bad URL, a missing file, bad options
    ├── FetchError            the page could not be fetched
    │   ├── HTTPStatusError   the server answered with an error status
    │   ├── ContentTypeError  the response is not an HTML page
    │   │   └── FeedError     the response is a feed (RSS, Atom, JSON Feed)
    │   │   └── NotTextError  the body is binary (an image, random bytes), not text
    │   ├── TooLargeError     the body exceeds the size cap
    │   ├── BlockedError      the address is one the SSRF policy refuses
    │   └── OutOfTimeError    the response or the run went past its deadline
    ├── ExtractError          the page could not be turned into an article
    │   └── NotArticleError   the page is not an article (index, login wall, error page)
    ├── StoreError            the archive could not be read or written
    │   └── DamagedIndexError the SQLite index is corrupt: `vellum reindex` rebuilds it
    └── LockedError           another vellum run holds the archive lock
"""

from __future__ import annotations


class VellumError(Exception):
    """Base of every error vellum raises on purpose.

    ``subject`` names the input (a URL, a path); ``reason`` says what is wrong.
    ``str(err)`` is the one-line message the CLI prints.
    """

    def __init__(self, subject: str, reason: str) -> None:
        self.subject = subject
        self.reason = reason
        super().__init__(f"{subject}: {reason}" if subject else reason)

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross process boundaries (conversion workers); subclasses take other
        # arguments than the message, so rebuild from the attributes, not from args.
        return (_restore, (type(self), dict(self.__dict__)))


def _restore(cls: type[VellumError], state: dict[str, object]) -> VellumError:
    err = cls.__new__(cls)
    VellumError.__init__(err, str(state.get("subject", "")), str(state.get("reason", "")))
    err.__dict__.update(state)
    return err


class InputError(VellumError):
    """The input itself is unusable (a malformed URL, a missing file, bad options)."""


class FetchError(VellumError):
    """A page could not be fetched (network error, timeout, too many redirects...)."""


class HTTPStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, subject: str, status: int, reason: str | None = None) -> None:
        self.status = status
        super().__init__(subject, reason or f"HTTP {status}")


class ContentTypeError(FetchError):
    """The response is not an HTML page."""

    def __init__(self, subject: str, content_type: str) -> None:
        self.content_type = content_type
        super().__init__(subject, f"not an HTML page (content type {content_type or 'missing'})")


class FeedError(ContentTypeError):
    """The response is a feed, not a post: ``vellum follow`` is what archives its posts."""

    def __init__(self, subject: str, content_type: str) -> None:
        super().__init__(subject, content_type)
        self.reason = (f"a feed ({content_type or 'RSS/Atom XML'}), not a post; to archive "
                       f"its posts, follow it: vellum follow {subject}")
        self.args = (f"{subject}: {self.reason}",)


class NotTextError(ContentTypeError):
    """The body is binary (NUL bytes, an image signature): refused, never archived as junk."""

    def __init__(self, subject: str, what: str) -> None:
        super().__init__(subject, "")
        self.reason = f"not text ({what})"
        self.args = (f"{subject}: {self.reason}",)


class BlockedError(FetchError):
    """A request the address policy refuses (SSRF): ``reason`` names the URL and the rule."""


class OutOfTimeError(FetchError):
    """A response went past its deadline, or the run past ``--max-time``."""


class TooLargeError(FetchError):
    """The response body exceeds the configured cap."""

    def __init__(self, subject: str, limit: int, *, decoded: bool = False,
                 what: str = "response body", option: str = "") -> None:
        self.limit = limit
        more = " once decompressed (a compression bomb?)" if decoded else ""
        lift = f"; {option} lifts the cap" if option else ""
        super().__init__(subject, f"{what} larger than {limit:,} bytes{more}{lift}")


class ExtractError(VellumError):
    """The page could not be turned into an article."""


class NotArticleError(ExtractError):
    """The page is not an article: an index, a login wall, an error page served with 200."""


class StoreError(VellumError):
    """The archive could not be read or written."""


class DamagedIndexError(StoreError):
    """The index database is corrupt (``vellum reindex`` sets it aside and rebuilds it)."""


class LockedError(VellumError):
    """Another vellum run holds the archive lock."""
