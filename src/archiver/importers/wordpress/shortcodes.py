"""WordPress shortcodes -> plain HTML, so no ``[name ...]`` is left raw on the new site.

``expand_shortcodes(html, ...)`` replaces, before the HTML becomes Markdown:

* ``[caption ...]<img ...> text[/caption]`` -> ``<figure><img ...><figcaption>text</figcaption>
  </figure>`` (the caption from the ``caption=`` attribute of old exports or the trailing text);
* ``[gallery]`` -> the images of the post's attachments (or of ``ids="1,2"``), each a figure;
* ``[embed]URL[/embed]``, ``[youtube URL]``, ``[youtube=URL&w=..]``, ``[vimeo ID]``,
  ``[audio mp3=URL]``, ``[video src=URL]``, ``[soundcloud url=...]``... -> a link to the URL
  (a link to a media file is then downloaded like any other);
* ``[code lang="x"]...[/code]`` / ``[sourcecode language="x"]`` -> ``<pre><code>``;
* any other shortcode: the content of an enclosing one is kept, a self-closing one becomes a
  link when it names a URL and is removed otherwise. Each replacement is reported through
  ``note``.

``[[name]]`` is WordPress's escape and becomes the literal text ``[name]``. Text in brackets
that is not a shortcode (``[sic]``, ``[edge case]``) stays as it is: a bracket is a shortcode
when its name is known, or it has ``key=value`` attributes, or a closing ``[/name]`` follows.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from typing import Callable, Mapping

_OPENER = re.compile(r"\[(\[?)([A-Za-z_][\w-]*)((?:=|\s)[^\[\]]*?)?(/)?\](\]?)")
_CLOSER = re.compile(r"\[/([A-Za-z_][\w-]*)\]")
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)""")
_URL = re.compile(r"https?://[^\s\"'<>\[\]]+")
_CODE_NAMES = {"code", "sourcecode", "source", "sourcecode_lang"}
_LINK_NAMES = {"embed", "youtube", "vimeo", "audio", "video", "soundcloud", "slideshare",
               "twitter", "tweet", "instagram", "googlevideo", "dailymotion", "flickr",
               "spotify", "ted", "scribd", "wpvideo", "videopress", "playlist", "googlemaps",
               "facebook", "vine", "blip.tv", "archiveorg", "gist", "kickstarter", "pinterest"}
_PLAIN_NAMES = {"contact-form", "contact-form-7", "polldaddy", "crowdsignal", "archives",
                "sitemap", "toc", "latex", "more", "nextpage", "recipe", "simple-links",
                "wpforms", "ninja_form", "gravityform", "mailchimp", "subscribe", "column",
                "one_half", "one_third", "two_third", "button", "box", "tabs", "tab", "quote",
                "pullquote", "footnote", "fn", "ref", "dropcap", "highlight", "alert", "note"}
_KNOWN = {"caption", "wp_caption", "gallery", *_CODE_NAMES, *_LINK_NAMES, *_PLAIN_NAMES}
_ID_URLS = {"youtube": "https://www.youtube.com/watch?v={}", "vimeo": "https://vimeo.com/{}",
            "wpvideo": "https://videopress.com/v/{}", "videopress": "https://videopress.com/v/{}",
            "gist": "https://gist.github.com/{}", "dailymotion": "https://www.dailymotion.com/video/{}"}


@dataclass(frozen=True)
class Attachment:
    """A WXR attachment item: the uploaded file's URL and its words."""

    id: str
    url: str
    title: str = ""
    caption: str = ""
    parent: str = ""


def parse_attributes(text: str) -> tuple[dict[str, str], list[str]]:
    """WordPress's shortcode_parse_atts: named attributes and positional values."""
    named: dict[str, str] = {}
    positional: list[str] = []
    for match in _ATTRIBUTE.finditer(html.unescape(text or "").strip() + " "):
        groups = match.groups()
        for key_at in (0, 2, 4):
            if groups[key_at]:
                named[groups[key_at].lower()] = groups[key_at + 1]
                break
        else:
            positional.append(next(g for g in groups[6:] if g is not None))
    return named, positional


def attachments_by_parent(attachments: Mapping[str, Attachment]) -> dict[str, list[Attachment]]:
    """The attachments of each post (by ``parent``), in export order: what ``[gallery]`` shows."""
    children: dict[str, list[Attachment]] = {}
    for attachment in attachments.values():
        children.setdefault(attachment.parent, []).append(attachment)
    return children


def _closers(text: str) -> dict[str, list[re.Match[str]]]:
    """Every ``[/name]`` of the text by lower-cased name, in order (found in one scan, so a
    body with thousands of ``[sic]`` is not searched to its end once for each)."""
    found: dict[str, list[re.Match[str]]] = {}
    for match in _CLOSER.finditer(text):
        found.setdefault(match.group(1).lower(), []).append(match)
    return found


def _next(closers: list[re.Match[str]], after: int) -> re.Match[str] | None:
    """The first of ``closers`` that starts at or after ``after``."""
    index = bisect.bisect_left(closers, after, key=lambda match: match.start())
    return closers[index] if index < len(closers) else None


class ShortcodeExpander:
    """Expands the shortcodes of one post body (see the module docstring)."""

    def __init__(self, attachments: Mapping[str, Attachment], post_id: str,
                 note: Callable[[str], None],
                 children: Mapping[str, list[Attachment]] | None = None) -> None:
        self.attachments = attachments
        self.post_id = post_id
        self.note = note
        # attachments by parent post, for [gallery]; the importer passes one index for all posts
        self.children = attachments_by_parent(attachments) if children is None else children

    def expand(self, text: str) -> str:
        out: list[str] = []
        position = 0
        closers = _closers(text)
        for match in _OPENER.finditer(text):
            if match.start() < position:
                continue
            escaped_open, name, raw_attrs, self_closing, escaped_close = match.groups()
            name_key = name.lower()
            close = None if self_closing else _next(closers.get(name_key, []), match.end())
            if escaped_open and escaped_close:  # [[name]] -> literal [name]
                out.append(text[position:match.start()] + match.group(0)[1:-1])
                position = match.end()
                continue
            if not self._is_shortcode(name_key, raw_attrs or "", close is not None):
                continue
            inner = text[match.end():close.start()] if close else None
            end = close.end() if close else match.end()
            out.append(text[position:match.start()])
            out.append(self._replace(name_key, raw_attrs or "", inner))
            position = end
        out.append(text[position:])
        return "".join(out)

    @staticmethod
    def _is_shortcode(name: str, raw_attrs: str, has_close: bool) -> bool:
        return name in _KNOWN or has_close or "=" in raw_attrs

    def _replace(self, name: str, raw_attrs: str, inner: str | None) -> str:
        if raw_attrs.startswith("="):  # WordPress.com: [youtube=http://...&w=425]
            named, positional = {}, [html.unescape(raw_attrs[1:].strip())]
        else:
            named, positional = parse_attributes(raw_attrs)
        if name in ("caption", "wp_caption"):
            return self._caption(named, inner or "")
        if name == "gallery":
            return self._gallery(named)
        if name in _CODE_NAMES:
            language = named.get("lang") or named.get("language") or ""
            css = f' class="language-{html.escape(language)}"' if language else ""
            return f"<pre><code{css}>{html.escape(inner or '')}</code></pre>"
        url = self._url_of(name, named, positional, inner)
        if url:
            self.note(f"[{name}] shortcode replaced by a link")
            shown = html.escape(url)
            return f'<a href="{shown}">{shown}</a>'
        if inner is not None:
            self.note(f"[{name}] shortcode removed, its text kept")
            return self.expand(inner)
        self.note(f"[{name}] shortcode removed (nothing to show without WordPress)")
        return ""

    # -- the ones with their own rules ---------------------------------------------------
    def _caption(self, named: dict[str, str], inner: str) -> str:
        inner = self.expand(inner).strip()
        media = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)", inner,
                         re.IGNORECASE)
        image = media.group(1) if media else ""
        caption = named.get("caption") or (inner[media.end():] if media else inner).strip()
        if not image:
            return caption
        if not caption:
            return f"<figure>{image}</figure>"
        return f"<figure>{image}<figcaption>{caption}</figcaption></figure>"

    def _gallery(self, named: dict[str, str]) -> str:
        ids = [part.strip() for part in (named.get("ids") or named.get("include") or "")
               .split(",") if part.strip()]
        if ids:
            chosen = [self.attachments[i] for i in ids if i in self.attachments]
        else:
            parent = named.get("id") or self.post_id
            chosen = self.children.get(parent, [])
        images = [a for a in chosen if a.url]
        if not images:
            self.note("[gallery] shortcode removed: the export has none of its images")
            return ""
        self.note("[gallery] shortcode replaced by its images")
        return "".join(_figure(a) for a in images)

    @staticmethod
    def _url_of(name: str, named: dict[str, str], positional: list[str],
                inner: str | None) -> str:
        candidates = [named.get(k, "") for k in ("url", "src", "mp3", "m4a", "ogg", "wav",
                                                 "mp4", "m4v", "webm", "ogv", "wmv", "flv",
                                                 "href", "link")]
        candidates += positional + [inner or ""] + list(named.values())
        for value in candidates:
            found = _URL.search(html.unescape(value or ""))
            if found:
                return found.group(0)
        pattern = _ID_URLS.get(name)
        identifier = named.get("id") or (positional[0] if positional else "")
        if pattern and re.fullmatch(r"[\w-]+", identifier or ""):
            return pattern.format(identifier)
        return ""


def _figure(attachment: Attachment) -> str:
    src = html.escape(attachment.url)
    alt = html.escape(attachment.title)
    caption = html.escape(attachment.caption)
    image = f'<img src="{src}" alt="{alt}">'
    return (f"<figure>{image}<figcaption>{caption}</figcaption></figure>" if caption
            else f"<figure>{image}</figure>")
