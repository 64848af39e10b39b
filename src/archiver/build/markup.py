"""Markdown to HTML: Python-Markdown, nh3 sanitising for imported text, relative links.

Bodies keep internal links root-relative (``/tags/x/``); ``relativize`` turns every
``href``/``src`` that starts with one ``/`` into a link relative to the page being written,
ending in ``index.html`` for folders, so the site works from file:// and from any sub-path.
"""

from __future__ import annotations

import html as html_lib
import re
from functools import lru_cache
from typing import TYPE_CHECKING

import nh3

if TYPE_CHECKING:
    import markdown

MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]
TWEET_EXTENSIONS = [*MARKDOWN_EXTENSIONS, "nl2br"]

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "u", "ul", "var", "video", "audio", "source",
}
ALLOWED_ATTRIBUTES = {
    "*": {"title", "lang", "dir", "id"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "video": {"src", "controls", "width", "height", "poster", "loop", "muted", "playsinline"},
    "audio": {"src", "controls"},
    "source": {"src", "type"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "abbr": {"title"},
    "code": {"class"},
    "div": {"class"},
    "span": {"class"},
    "pre": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _after_attribute(*names: str) -> str:
    """A regex matching ``="`` right after `` name`` for one of ``names``.

    The match starts at the literal ``="`` (which the regex engine finds fast), and the
    attribute name is checked looking back, so a page is scanned once, quickly. A page has
    about 130 ``="``, mostly ``class="``: a look at the two letters before each rules out
    most of them before the names are tried one by one (the scan takes half the time). At
    most one name can match at a place, so the names are an atomic group: when what follows
    does not match (a link that is not root-relative), the others are not tried too.
    """
    def letters(position: int) -> str:
        return "".join(sorted({re.escape(name[position]) for name in names}))

    quick = f'(?<=[{letters(-2)}][{letters(-1)}]=")'
    return '="' + quick + "(?>" + "|".join(rf'(?<=\s{re.escape(name)}=")' for name in names) + ")"


# a root-relative link (one leading "/") in href/src/poster, from its ="; group 1: the path after "/"
ROOT_LINK = re.compile(_after_attribute("href", "src", "poster") + r'/(?!/)([^"]*)"')
_TAG_RE = re.compile(r"<[^>]+>")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these before reading a scheme
_URL_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_URL_ATTRIBUTES = {"href", "src", "poster", "cite"}
# URL attributes whose value does not start in a way that is safe at a glance (those are
# skipped by the regex itself, so a page costs one scan and a call per doubtful URL only)
_PAGE_URL = re.compile(_after_attribute("href", "src", "poster", "cite", "action", "formaction",
                                         "background", "data", "xlink:href")
                       + r'(?!(?i:https?)://|\.\.?/|#|/[^/\\"])([^"]*)"')  # ~15 us for a 4 kB page


def safe_url(url: str) -> str:
    """The URL to write into ``href``/``src`` for a URL from imported data, or '' when unsafe.

    Kept: http(s), mailto, and links within the site. Removed (''): ``javascript:``,
    ``data:``, ``vbscript:`` and every other scheme, also when hidden by control characters,
    spaces or entities (browsers drop those before reading the scheme), and ``/\\host``
    tricks. A protocol-relative ``//host/x`` becomes ``https://host/x`` (from file:// it would
    otherwise point at the local disk).
    """
    stripped = (url or "").strip(_C0_AND_SPACE)
    cleaned = _URL_IGNORED.sub("", stripped).replace("\\", "/")
    scheme = _URL_SCHEME.match(cleaned)
    if not cleaned or (scheme and scheme.group(1).lower() not in URL_SCHEMES):
        return ""
    if cleaned.startswith("//"):
        return "https:" + stripped if stripped.startswith("//") and "\\" not in stripped else ""
    return stripped


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3 hook: URL attributes pass through ``safe_url``; an unsafe one is dropped."""
    if attribute in _URL_ATTRIBUTES:
        return safe_url(value) or None
    return value


def neutralize_urls(html: str) -> str:
    """Empty every double-quoted URL attribute in a whole page whose URL ``safe_url`` refuses.

    The last line of defence for templates: an imported URL written into ``href`` by a
    template (an item's original address, a quoted tweet) can never be ``javascript:``.
    """
    def check(match: re.Match[str]) -> str:
        return f'="{html_lib.escape(safe_url(html_lib.unescape(match.group(1))))}"'

    return _PAGE_URL.sub(check, html)


@lru_cache(maxsize=2)
def _converter(tweet: bool) -> markdown.Markdown:
    import markdown  # only when a body needs it: plain bodies never do (simplemd)

    return markdown.Markdown(extensions=TWEET_EXTENSIONS if tweet else MARKDOWN_EXTENSIONS,
                             output_format="html")


def render_markdown(text: str, *, tweet: bool = False, sanitize: bool = True,
                    link_rel: str | None = None) -> str:
    """Markdown -> HTML; ``sanitize`` removes scripts, event handlers and unsafe URLs.

    ``link_rel`` is set on every link (``"nofollow ugc"`` for text written by visitors).
    """
    converter = _converter(tweet)
    try:
        html = converter.reset().convert(text)
    except BaseException as exc:
        # a converter stopped half-way keeps its block parser's state (reset() does not reset
        # it): kept, it showed the following texts' Markdown as written, their pictures lost
        _converter.cache_clear()
        if isinstance(exc, RecursionError):  # nested deeper than Python-Markdown can follow
            return escaped_paragraphs(text)
        raise
    return sanitize_html(html, link_rel=link_rel) if sanitize else html


def escaped_paragraphs(text: str) -> str:
    """``text`` shown as written: HTML-escaped, one ``<p>`` per block between blank lines."""
    blocks = (block.strip() for block in _BLANK_LINE.split(text))
    return "\n".join(f"<p>{html_lib.escape(block, quote=False)}</p>" for block in blocks if block)


def sanitize_html(html: str, link_rel: str | None = None) -> str:
    """Keep only the allowlisted tags, attributes and URL schemes (nh3/ammonia)."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     attribute_filter=_filter_attribute, url_schemes=URL_SCHEMES,
                     link_rel=link_rel, strip_comments=True)


def plain_text(html: str) -> str:
    """Visible text of an HTML fragment, whitespace folded (split() splits where \\s matches)."""
    text = _TAG_RE.sub(" ", html)
    return " ".join((html_lib.unescape(text) if "&" in text else text).split())


def relative_url(path: str, root: str) -> str:
    """A root-relative path as seen from a page whose way back to the root is ``root``.

    ``relative_url("/tags/x/", "../../")`` -> ``"../../tags/x/index.html"``; a query
    (``/search/?q=bread``) and a fragment are kept after the file name.
    """
    return root + _link_target(path.lstrip("/"))


@lru_cache(maxsize=1 << 16)
def _link_target(path: str) -> str:
    """A root-relative link without its leading ``/``, with ``index.html`` for a folder."""
    path, hash_mark, fragment = path.partition("#")
    path, question_mark, query = path.partition("?")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return f"{path}{question_mark}{query}{hash_mark}{fragment}"


def relativize(html: str, root: str) -> str:
    """Rewrite every root-relative href/src/poster in ``html`` for a page at depth ``root``.

    Same result as ``relative_url`` on each link; a page repeats the same few dozen links
    (navigation, years, tags), so each link's target is computed once per build. The page is
    split at its links (every other part is a link's path) rather than substituted with a
    function: no match object and no call per link, 30 % quicker.
    """
    parts = ROOT_LINK.split(html)
    if len(parts) == 1:
        return html
    parts[1::2] = [f'="{root}{_link_target(path)}"' for path in parts[1::2]]
    return "".join(parts)


def root_for(path: str) -> str:
    """The ``../`` prefix that leads from the output file ``path`` back to the site root."""
    depth = path.count("/")
    return "../" * depth if depth else "./"
