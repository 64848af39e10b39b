"""Find private strings (emails, IPs, draft text) in a site's content/ or public/ folder.

Every file is read as bytes; gzip members (search index fragments) are unpacked first, and
each text is searched as written and with HTML entities and JSON escapes decoded, so an
``&#64;`` or ``\\u0040`` does not hide an address.
"""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path
from typing import Iterable

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")


def readable_text(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except OSError:
            pass
    text = data.decode("utf-8", errors="ignore")
    decoded = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), html.unescape(text))
    return text + "\n" + decoded


def leaks(folders: Iterable[Path], secrets: Iterable[str]) -> list[str]:
    """``"<file>: <secret>"`` for each secret found in a file under the folders."""
    wanted = [s for s in dict.fromkeys(secrets) if s]
    found = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            text = readable_text(path)
            found.extend(f"{path}: {secret}" for secret in wanted if secret in text)
    return found


_PRIVATE_FIELDS = re.compile(
    r"<wp:(?:comment_author_email|comment_author_IP|author_email)>\s*(?:<!\[CDATA\[)?"
    r"\s*([^<\]]*?)\s*(?:\]\]>)?\s*</wp:", re.IGNORECASE)


def private_values_of_wxr(path: Path) -> set[str]:
    """The commenter/author emails and IPs a WXR file holds (what must never be published)."""
    text = path.read_text("utf-8", errors="replace")
    return {value for value in _PRIVATE_FIELDS.findall(text) if value.strip()}
