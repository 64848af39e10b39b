"""The plain subset of Markdown, rendered without Python-Markdown: the same bytes, ~50x faster.

Most tweets and many posts use nothing but paragraphs, ``## headings``, ``- lists`` (tight,
one line per item), inline links ``[label](url)``, autolinks ``<https://...>``, backslash
escapes and ``&amp; &lt; &gt;``. ``simple_html`` renders exactly that subset the way
``markup.render_markdown`` does (Python-Markdown with "extra" + "sane_lists", + "nl2br" for
tweets, HTML output), and only where nh3 with our allowlist would leave the result
unchanged, so it stands for both the sanitised and the trusted rendering. Anything else
(emphasis, code, images, HTML, tables, tabs, odd whitespace or line starts, other entities,
URLs outside http(s) and the site, ...) returns None and goes through Markdown.

tests/build/test_read_speed_markdown.py runs both on thousands of generated, imported and
real bodies.
"""

from __future__ import annotations

import re

_ESCAPE = r"\\[\\`*_{}\[\]()>#+\-.!|]"  # Python-Markdown's ESCAPED_CHARS with "extra"
_URL_CHAR = r"(?:[A-Za-z0-9\-._~:/?#@!$+,;=%]|&(?:amp;|(?![#\w]*;)))"  # no other entity
# a host the URL parser of nh3 accepts (else it drops the href): lower-case DNS labels, the
# last one starting with a letter (not an IPv4 number), no punycode, no port, no user
_LABEL63 = r"(?!xn--)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = rf"(?:{_LABEL63}\.)*(?=[a-z]){_LABEL63}"
_WEB_URL = rf"https?://{_HOST}(?:[/?#]{_URL_CHAR}*)?"
_URL = rf"(?:{_WEB_URL}|/(?![/\\]){_URL_CHAR}*)"  # the web, or within the site
_LABEL = rf"(?:[^\\`*_{{}}\[\]<>&|^\n]++|{_ESCAPE})++"
_LINK = rf"\[({_LABEL})\]\(({_URL})\)"
_AUTOLINK = rf"<({_WEB_URL})>"
_AMP = r"&(?:amp;|lt;|gt;|(?![#\w]*;))"
_TEXT = r"(?:[^\\`*_{}\[\]<&|\n!]++|!(?!\[))"  # "![" would be an image
# each alternative starts with its own character, so nothing needs to be tried again
_INLINE = rf"(?:{_TEXT}|{_LINK}|{_AUTOLINK}|{_ESCAPE}|{_AMP})*+"
# what cannot start a line of a paragraph, item or heading: blocks, lists, rules, HTML, ...
_LINE_START = r"(?![\s#>+*=~:|<\-]|\d+[.)])"
_LINE_END = r"(?<![ #])"  # trailing spaces make a <br>; trailing #s close a heading

_PARAGRAPH_LINE = re.compile(_LINE_START + _INLINE + _LINE_END)
_HEADING = re.compile(r"(#{1,6}) (" + _LINE_START + _INLINE + _LINE_END + ")")
_BLOCK_SEPARATOR = re.compile(r"\n{2,}")
_TOKEN = re.compile(rf"{_LINK}|{_AUTOLINK}|\\(.)|(&(?:amp|lt|gt);)|&|>")
_LABEL_ESCAPE = re.compile(r"\\(.)")
_MARKUP_CHARS = re.compile(r"[\[<\\&>]")
_JOINER = "\u200d"  # zero-width joiner, inside emoji such as 👨‍💻


def simple_html(text: str, *, tweet: bool = False) -> str | None:
    """``render_markdown(text, tweet=tweet)`` for a body in the plain subset, else None."""
    text = text.strip("\n")
    if not text:
        return ""
    visible = text.replace("\n", " ")
    if not visible.isprintable() and not visible.replace(_JOINER, "").isprintable():
        return None  # tabs, controls, nbsp, zero-width space, bidi marks, ... (emoji joiners are fine)
    html: list[str] = []
    after_list = False
    for block in _BLOCK_SEPARATOR.split(text):
        first = block[0]
        if first == "#":
            heading = _HEADING.fullmatch(block)
            if heading is None:
                return None
            level = len(heading.group(1))
            html.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
            after_list = False
        elif first == "-":
            if after_list:  # two lists apart are one loose list (<li><p>)
                return None
            items = _list_items(block)
            if items is None:
                return None
            html.append(items)
            after_list = True
        else:
            lines = block.split("\n")
            for line in lines:
                if _PARAGRAPH_LINE.fullmatch(line) is None:
                    return None
            joiner = "<br>\n" if tweet else "\n"
            html.append(f"<p>{joiner.join(map(_inline, lines))}</p>")
            after_list = False
    return "\n".join(html)


def _list_items(block: str) -> str | None:
    items = []
    for line in block.split("\n"):
        if not line.startswith("- ") or _PARAGRAPH_LINE.fullmatch(line, 2) is None:
            return None
        items.append(f"<li>{_inline(line[2:])}</li>\n")
    return f"<ul>\n{''.join(items)}</ul>"


def _inline(line: str) -> str:
    """HTML of one validated line: links, autolinks, escapes and & > made HTML."""
    if _MARKUP_CHARS.search(line) is None:
        return line
    return _TOKEN.sub(_token_html, line)


def _token_html(match: re.Match[str]) -> str:
    label, url, autolink, escaped, entity = match.groups()
    if url is not None:
        return f'<a href="{_attribute(url)}">{_LABEL_ESCAPE.sub(_escaped_html, label)}</a>'
    if autolink is not None:
        shown = _attribute(autolink)
        return f'<a href="{shown}">{shown}</a>'
    if escaped is not None:
        return "&gt;" if escaped == ">" else escaped
    if entity is not None:
        return entity
    return "&amp;" if match.group() == "&" else "&gt;"


def _escaped_html(match: re.Match[str]) -> str:
    return "&gt;" if match.group(1) == ">" else match.group(1)


def _attribute(url: str) -> str:
    """A URL as Python-Markdown writes it into an attribute (an & not already &amp; escaped)."""
    return url.replace("&amp;", "&").replace("&", "&amp;") if "&" in url else url
