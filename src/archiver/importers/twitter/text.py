"""Tweet text -> Markdown body that shows exactly what was written.

* t.co links become ``[display URL](expanded URL)``; the t.co link of a tweet's photos/video
  is removed (the media are shown under the text, copied from the archive). It is removed
  even when the archive lacks the file, so the legacy and modern copies of a tweet have the
  same body and merge cleanly.
* ``@name`` links to https://twitter.com/name; ``#tag`` links to the site's tag page
  (root-relative ``/tags/<slug>/``; the build makes it relative) and is returned as a tag.
* Everything else is escaped for Markdown (Python-Markdown with "extra" + nl2br, and
  CommonMark): a line starting ``#``, ``>``, ``-``, ``+``, ``1.``, ``:`` or ``~~~`` stays text,
  ``_ * ` [ ] { } | \\`` are backslash-escaped, ``<`` becomes ``&lt;`` (so ``<3`` and
  ``<script>`` show as typed) and ``&`` is escaped only where it would start an entity.
* A note tweet's bold and italic ranges (styles.py) become ``**`` / ``*`` around the text.
"""

from __future__ import annotations

import re
from typing import Iterable, NamedTuple

from archiver.importers.twitter.styles import Style, marks
from archiver.importers.twitter.tweet import Link
from archiver.paths import tag_slug

_TOKEN = re.compile(
    r"(?=[h@#＃])"  # what every token starts with: twice as fast a scan
    r"(?:(?P<url>https?://[^\s<>\"]+)"
    r"|(?<![\w@/.+-])@(?P<mention>\w{1,20})"
    r"|(?<![\w&/#＃])[#＃](?P<tag>\w+))",
    re.IGNORECASE)
_INLINE = re.compile(r"[\\`*_\[\]{}|<]|&(?=#?\w+;)")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_SETEXT = re.compile(r"^=+\s*$")
_SPACE_BEFORE_BREAK = re.compile(r"[ \t]+\n")
_SCHEME = re.compile(r"^https?://(www\.)?")
_TRAILING_PUNCT = ".,;:!?'\"…"
PROFILE_URL = "https://twitter.com/"


class Rendered(NamedTuple):
    body: str
    tags: tuple[str, ...]


def render_tweet_text(text: str, links: Iterable[Link], *, removed: Iterable[str] = (),
                      hashtags: Iterable[str] = (), styles: Iterable[Style] = ()) -> Rendered:
    """Markdown for a tweet's text.

    ``links`` maps t.co links to what they stand for; ``removed`` are t.co links to drop (media
    shown separately); ``hashtags`` are the archive's own hashtag entities, used to find where
    a tag with combining marks ends; ``styles`` are bold/italic ranges of ``text``.
    """
    if "\r" in text:
        styles = [Style(_lf_index(text, s.start), _lf_index(text, s.end), s.flags) for s in styles]
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    matches = _TOKEN.finditer(text)
    first = next(matches, None)
    if first is None and not styles:  # nothing to link or mark: escaping only
        return Rendered(_tidy(escape_plain(text, line_start=True)), ())
    by_short = {link.short: link for link in links if link.short}
    dropped = set(removed)
    known_tags = sorted({h for h in hashtags if h}, key=len, reverse=True)
    tags: dict[str, str] = {}
    tokens: list[tuple[int, int, str, str]] = []  # start, end, kind, Markdown
    pos = 0
    for match in (first, *matches) if first is not None else ():
        if match.start() < pos:
            continue
        kind, end, markdown = _token(text, match, by_short, dropped, known_tags, tags)
        if markdown is not None:
            tokens.append((match.start(), end, kind, markdown))
            pos = end
    emphasis = marks(text, styles, [(start, end) for start, end, *_ in tokens]) if styles else {}
    parts: list[str] = []
    pos = 0
    for start, end, kind, markdown in tokens:
        _plain(parts, text, pos, start, emphasis, before_link=markdown.startswith("["))
        if kind == "drop":
            parts[-1] = parts[-1].rstrip(" \t")
        parts.append(emphasis.get(start, "") + markdown)
        pos = end
    _plain(parts, text, pos, len(text), emphasis, before_link=False)
    parts.append(emphasis.get(len(text), ""))
    return Rendered(_tidy("".join(parts)), tuple(tags.values()))


def _tidy(body: str) -> str:
    """No spaces before a line break, none around the whole."""
    if "\n" in body:
        body = _SPACE_BEFORE_BREAK.sub("\n", body)
    return body.strip()


def _plain(parts: list[str], text: str, start: int, end: int, emphasis: dict[int, str], *,
           before_link: bool) -> None:
    """Append ``text[start:end]`` escaped, with the emphasis marks from ``start`` to before
    ``end`` (a link's own marks go with it; the text's end has its own)."""
    if start == end:
        parts.append("")
        return
    if not emphasis:  # the common case: one piece, no marks
        plain = text[start:end]
        if before_link and plain.endswith("!"):
            parts.append(escape_plain(plain[:-1], line_start=_at_line_start(parts)) + "\\!")
        else:
            parts.append(escape_plain(plain, line_start=_at_line_start(parts)))
        return
    cuts = [p for p in emphasis if start < p < end]
    pieces = [start, *sorted(cuts), end]
    for a, b in zip(pieces, pieces[1:]):
        plain, bang = text[a:b], ""
        if before_link and b == end and plain.endswith("!"):
            plain, bang = plain[:-1], "\\!"  # "![" would start an image
        mark = emphasis.get(a, "")
        parts.append(mark + escape_plain(plain, line_start=not mark and _at_line_start(parts)) + bang)


def _lf_index(text: str, index: int) -> int:
    """``index`` in ``text`` once its CRLF line ends are LF."""
    return index - text.count("\r\n", 0, index)


def _token(text: str, match: re.Match[str], by_short: dict[str, Link], dropped: set[str],
           known_tags: list[str], tags: dict[str, str]) -> tuple[str, int, str | None]:
    """(kind, end, Markdown) for one token; Markdown None leaves the token as plain text."""
    start = match.start()
    if match.group("url"):
        url = match.group("url")
        short = _known_prefix(url, (*by_short, *dropped))
        if short in dropped:
            return "drop", start + len(short), ""
        if short:
            link = by_short[short]
            label = link.display or display_url(link.expanded)
            return "url", start + len(short), link_markdown(label, link.expanded)
        url = _trim_url(url)
        return "url", start + len(url), link_markdown(display_url(url), url)
    if match.group("mention"):
        name = match.group("mention")
        return "mention", match.end(), link_markdown("@" + name, PROFILE_URL + name)
    tag = match.group("tag")
    for known in known_tags:
        if len(known) > len(tag) and text[start + 1:start + 1 + len(known)].lower() == known.lower():
            tag = text[start + 1:start + 1 + len(known)]
            break
    if tag.isdigit() or tag.replace("_", "") == "":
        return "tag", match.end(), None
    slug = tag_slug(tag)
    tags.setdefault(slug, tag)
    return "tag", start + 1 + len(tag), link_markdown(text[start] + tag, f"/tags/{slug}/")


def _known_prefix(url: str, shorts: Iterable[str]) -> str:
    """The longest known t.co link that ``url`` starts with (not followed by more of a URL)."""
    best = ""
    for short in shorts:
        if len(short) > len(best) and url.startswith(short):
            rest = url[len(short):len(short) + 1]
            if rest == "" or not (rest.isalnum() or rest in "/_-"):
                best = short
    return best


def _at_line_start(parts: list[str]) -> bool:
    for part in reversed(parts):
        if part:
            return part.endswith("\n")
    return True


def _trim_url(url: str) -> str:
    while url and url[-1] in _TRAILING_PUNCT:
        url = url[:-1]
    if url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1]
    return url


def display_url(url: str) -> str:
    """How Twitter shows a link: no scheme, no www., cut after 26 characters."""
    shown = _SCHEME.sub("", url, count=1)
    return shown if len(shown) <= 26 else shown[:26] + "…"


def link_markdown(label: str, url: str) -> str:
    target = (url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
              .replace("<", "%3C").replace(">", "%3E"))
    return f"[{escape_inline(label)}]({target})"


def escape_inline(text: str) -> str:
    """Escape characters Markdown would read as markup inside a line."""
    return _INLINE.sub(_inline_replacement, text)


def _inline_replacement(match: re.Match[str]) -> str:
    char = match.group(0)
    if char == "<":
        return "&lt;"
    if char == "&":
        return "&amp;"
    return "\\" + char


def escape_plain(text: str, *, line_start: bool) -> str:
    """Plain text escaped for Markdown; ``line_start`` says the text begins a line."""
    if "\n" not in text:
        return _escape_line_start(text.lstrip(" \t\u3000")) if line_start else escape_inline(text)
    lines = text.split("\n")
    out = []
    for number, line in enumerate(lines):
        if number > 0 or line_start:
            out.append(_escape_line_start(line.lstrip(" \t\u3000")))
        else:
            out.append(escape_inline(line))
    return "\n".join(out)


def _escape_line_start(line: str) -> str:
    """Escape what would make a line a heading, quote, list, rule, code fence or definition."""
    if not line:
        return line
    first = line[0]
    if first in "#>-+":
        return "\\" + first + escape_inline(line[1:])
    if first == "=" and _SETEXT.match(line):
        return "&#61;" + escape_inline(line[1:])
    if first == "~":
        return "&#126;" + escape_inline(line[1:])
    if first == ":" and (len(line) == 1 or line[1] in " \t"):
        return "&#58;" + escape_inline(line[1:])
    ordered = _ORDERED.match(line)
    if ordered:
        return ordered.group(1) + "\\" + ordered.group(2) + escape_inline(line[ordered.end():])
    return escape_inline(line)
