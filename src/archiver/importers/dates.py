"""Dates as feeds and exports write them, to tz-aware datetimes (feeds, Blogger, WordPress).

Understood: ISO 8601 / RFC 3339 (``2010-11-27T08:21:00.000-08:00``, ``...Z``, a date only),
RFC 822 (``Mon, 26 Jun 2017 19:40:58 GMT``, also without the weekday or with a zone name), and
the ``2020/1/10 14:33:00`` form some Chinese forum software writes. A value without an offset
is read in ``default_tz`` (the site's time zone, or the one the user gave).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone, tzinfo
from email.utils import parsedate_to_datetime

_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_SPACES = re.compile(r"\s+")


def parse_date(value: str, default_tz: tzinfo) -> datetime | None:
    """The moment ``value`` names, tz-aware; None when it is empty or not a date."""
    text = _SPACES.sub(" ", value or "").strip()
    if not text:
        return None
    parsed = _iso(text) or _rfc822(text) or _slashed(text)
    if parsed is None:
        return None
    parsed = parsed.replace(microsecond=0)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=default_tz)


def _iso(text: str) -> datetime | None:
    candidate = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d\d-\d\d \d", text) else text
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):  # a 20-digit day: OverflowError
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None and text.endswith("-0000"):
        return parsed.replace(tzinfo=timezone.utc)  # "-0000": UTC, the sender's offset unknown
    return parsed


def _slashed(text: str) -> datetime | None:
    match = _SLASHED.match(text)
    if not match:
        return None
    numbers = [int(part) for part in match.groups(default="0")]
    try:
        return datetime(*numbers)  # type: ignore[arg-type]
    except ValueError:
        return None
