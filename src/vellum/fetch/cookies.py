"""Cookies for posts behind a login: the Netscape ``cookies.txt`` that browsers export."""

from __future__ import annotations

from http.cookiejar import LoadError, MozillaCookieJar

from ..errors import InputError


def load_cookies(path: str | None) -> MozillaCookieJar | None:
    """The cookie jar in ``path`` (None without a path); ``InputError`` if it is unusable.

    Session cookies and expired ones are kept: an export often holds the login as a
    session cookie, and whether the site still accepts it is for the site to say.
    """
    if not path:
        return None
    jar = MozillaCookieJar(path)
    try:
        jar.load(ignore_discard=True, ignore_expires=True)
    except FileNotFoundError:
        raise InputError(path, "no such cookies file") from None
    except LoadError as err:
        raise InputError(path, f"not a Netscape cookies.txt file ({err})") from None
    except OSError as err:
        raise InputError(path, f"cannot read the cookies file ({err.strerror or err})") from None
    for cookie in jar:
        if cookie.expires == 0:  # how exports write a session cookie; 0 would read as expired
            cookie.expires, cookie.discard = None, True
    return jar
