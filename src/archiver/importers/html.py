"""Imported blog HTML -> clean Markdown, shared by every blog importer.

``html_to_markdown(html)`` is the one way an importer turns a post or comment body into
Markdown:

1. and 2. (htmlclean.py) leftovers of old blog tools are removed (Zemanta, tracking pixels,
   FeedBurner flare ...), embedded players become links, old editors' formatting becomes
   elements, and the HTML is sanitised with nh3: no scripts, event handlers, ``javascript:``
   URLs or comments;
3. it is converted with markdownify plus our rules: ATX headings, ``-`` bullets, fenced code
   blocks (language from a ``language-x``/``lang-x``/``brush: x`` class), tables kept as pipe
   tables, ``<figure>`` with a caption kept as an HTML block whose inside is Markdown
   (``<figure markdown="1">`` — the build's md_in_html renders it), images as
   ``![alt](src "title")``, empty divs/spans and stray blank lines dropped.

``autop(text)`` is WordPress's wpautop (blank line -> paragraph, single newline -> ``<br>``)
for bodies written without ``<p>``; Movable Type's "convert breaks" is the same rule.

``plain_text_to_markdown(text)`` escapes plain text (a title, a Movable Type body written as
text) so that Markdown shows it literally; paragraphs stay, single line breaks become hard
breaks.
"""

from __future__ import annotations

import html as html_lib
import re

from bs4 import BeautifulSoup, Tag
from markdownify import ATX, MarkdownConverter

from archiver.build.markup import plain_text, sanitize_html
from archiver.importers import url_file_name
from archiver.importers.htmlclean import clean_html

# -- step 3: conversion ------------------------------------------------------------------------
_CODE_LANGUAGE = re.compile(r"(?:language-|lang-|brush:\s*)([A-Za-z0-9_+#-]+)")


def _code_language(el: Tag) -> str:
    for node in (el, el.find("code")):
        if isinstance(node, Tag):
            match = _CODE_LANGUAGE.search(" ".join(node.get("class") or []))
            if match:
                return match.group(1).lower()
    return ""


_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
_LINK_LIKE = re.compile(r"\](?=[(\[:])")
_BLOCK_START = re.compile(r"^(\s*)(#|>|[-+](?=\s)|=+(?=\s*$))")
_NUMBER_START = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")


def _has_text(text: str) -> bool:
    return bool(text.replace("\xa0", " ").strip())


class _BlogConverter(MarkdownConverter):
    """markdownify with our rules for figures, captions, lists, cells and link targets.

    ``targets``: the ids that links of the body point at (``href="#fn1"``); Markdown has no
    place for an element's id, so each such element keeps it on an empty ``<span>``.
    """

    def __init__(self, targets: frozenset[str] = frozenset(), **options: object) -> None:
        super().__init__(**options)
        self.targets = targets
        self._item_numbers: dict[int, int] = {}  # id of an <ol>'s <li> -> its number

    def convert_soup(self, soup: BeautifulSoup) -> str:
        for element in soup.find_all(id=True) if self.targets else ():
            target = str(element["id"])
            if target in self.targets and element.name != "span":
                anchor = soup.new_tag("span", id=target)
                if element.name in _VOID_ELEMENTS:
                    element.insert_before(anchor)
                else:  # into its first paragraph, when it starts with one (a footnote's <li>)
                    first = next((c for c in element.children if str(c).strip()), None)
                    (first if isinstance(first, Tag) and first.name == "p" else element).insert(0, anchor)
                del element["id"]
        for text in soup.find_all(string=_BLANK_RUN):
            if text.find_parent("pre") is None:
                text.replace_with(_BLANK_RUN.sub(" ", text))
        return super().convert_soup(soup)

    def convert_span(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        target = str(el.get("id") or "")
        if target in self.targets and not text.strip():
            return f'<span id="{html_lib.escape(target)}"></span>{text}'
        return text

    def convert_figure(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        caption = el.find("figcaption", recursive=False)
        caption_md = ""
        if caption is not None:
            caption_md = self.process_tag(caption, parent_tags={"figcaption"}).strip()
        body = text.strip()
        if caption_md and body.endswith(caption_md):
            body = body[: -len(caption_md)].strip()
        if "_inline" in parent_tags:
            return f" {body} {caption_md} ".strip()
        if "li" in parent_tags or el.find("figure") is not None:
            # a gallery (figures in a list): its pictures and captions as Markdown blocks
            return f"\n\n{body}\n\n{caption_md}\n\n"
        if not body:
            return f"\n\n{caption_md}\n\n"
        if not caption_md:
            return f"\n\n{body}\n\n"
        caption_md = " ".join(caption_md.split())
        return (f'\n\n<figure markdown="1">\n{body}\n'
                f'<figcaption markdown="span">{caption_md}</figcaption>\n</figure>\n\n')

    def escape(self, text: str, parent_tags: set[str]) -> str:
        """Text shows as written: markdownify's escapes plus what Python-Markdown would misread."""
        if not text:
            return ""
        text = super().escape(text.replace("\\", "\\\\").replace("`", "\\`"), parent_tags)
        text = _ENTITY_LIKE.sub("&amp;", text)
        text = _TAG_LIKE.sub("&lt;", text)
        text = _LINK_LIKE.sub(r"\\]", text)
        text = _NUMBER_START.sub(r"\1\\\2", text)
        if "td" in parent_tags or "th" in parent_tags:
            text = text.replace("|", "\\|")  # a pipe in a cell would start a new cell
        return _BLOCK_START.sub(r"\1\\\2", text)

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """markdownify's item with its following lines indented by four spaces, not by the
        bullet's width: Python-Markdown reads a nested list or a second paragraph of an item
        only at four, so "- a" + "  - b" lost the nesting; a blank line after an item of
        several blocks."""
        if el.parent is not None and el.parent.name == "ol":
            item = self._numbered_item(el, el.parent, text)
        else:
            item = super().convert_li(el, text, parent_tags)
        bullet = _BULLET.match(item)
        width = len(bullet.group(0)) if bullet else 0
        if width and width < LIST_INDENT:
            first, _, rest = item.partition("\n")
            pad = " " * (LIST_INDENT - width)
            item = first + "\n" + _INDENTED_LINE.sub(lambda line: pad + line.group(0), rest)
        # after an item of several blocks the next one must follow a blank line, or
        # Python-Markdown reads it as more text of this one
        return item + "\n" if "\n\n" in item.strip("\n") else item

    def _numbered_item(self, el: Tag, ordered: Tag, text: str) -> str:
        """markdownify's item of an ``<ol>``, its number looked up: markdownify counts the
        items before each one, quadratic in the list's length (8,000 items: 8 s)."""
        text = (text or "").strip()
        if not text:
            return "\n"
        if id(el) not in self._item_numbers:  # number every item of this <ol> at once
            start = str(ordered.get("start") or "")
            items = ordered.find_all("li", recursive=False)
            for number, item in enumerate(items, start=int(start) if start.isnumeric() else 1):
                self._item_numbers[id(item)] = number
        bullet = f"{self._item_numbers[id(el)]}. "
        first, *rest = text.split("\n")
        pad = " " * len(bullet)
        return "\n".join([bullet + first, *(pad + line if line else "" for line in rest)]) + "\n"

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Code in a list item is an indented block: Python-Markdown reads no fences there."""
        block = super().convert_pre(el, text, parent_tags)
        if "li" not in parent_tags or not block.strip():
            return block
        code = block.strip("\n").split("\n")[1:-1]  # without the fences
        return "\n\n" + "\n".join(" " * LIST_INDENT + line for line in code) + "\n\n"

    def convert_blockquote(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        quoted = super().convert_blockquote(el, text, parent_tags)
        return quoted if "_inline" in parent_tags else "\n\n" + quoted.lstrip("\n")

    def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return "\n" if "pre" in parent_tags else super().convert_br(el, text, parent_tags)

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """An image whose source the sanitiser removed (``javascript:``...), or one in code,
        leaves its alt."""
        if not str(el.get("src") or "").strip():
            return self.escape(str(el.get("alt") or ""), parent_tags)
        if "pre" in parent_tags:  # code shows no pictures: Markdown there would be literal
            return str(el.get("alt") or "")
        return super().convert_img(el, text, parent_tags)

    def convert_figcaption(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "figcaption" in parent_tags:
            return text
        return f"\n\n{text.strip()}\n\n" if text.strip() else ""

    def convert_div(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return super().convert_div(el, text, parent_tags) if _has_text(text) else ""

    def convert_p(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return super().convert_p(el, text, parent_tags) if _has_text(text) else ""

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if not _has_text(text):
            return ""
        if _BLANK_LINE.search(text.strip()):  # a link around paragraphs (an <a> left open):
            return text  # Markdown cannot link across them, so the text stays, the link goes
        return super().convert_a(el, text, parent_tags)

    def convert_details(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """A disclosure stays one (an HTML block whose inside is Markdown, like a figure)."""
        summary = el.find("summary", recursive=False)
        label = self.process_tag(summary, parent_tags={"summary"}).strip() if summary else ""
        body = text.strip()
        if label and body.startswith(label):
            body = body[len(label):].strip()
        if "_inline" in parent_tags or "li" in parent_tags:
            return f"\n\n{label}\n\n{body}\n\n"
        label = " ".join(label.split())
        summary_line = f'<summary markdown="span">{label}</summary>\n' if label else ""
        return f'\n\n<details markdown="1">\n{summary_line}\n{body}\n\n</details>\n\n'

    def convert_summary(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return text if "summary" in parent_tags else f"\n\n{text.strip()}\n\n"

    def convert_video(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """A player becomes a link that says what it opens (markdownify's had no text)."""
        source = el if el.get("src") else el.find("source")
        src = str(source.get("src") or "") if isinstance(source, Tag) else ""
        if not src:
            return text
        src = _CACHE_BUSTER.sub("", src)  # WordPress's "?_=1" on its player's sources
        name = url_file_name(src) or src
        label = f"{'Video' if el.name == 'video' else 'Audio'}: {name}"
        return f"[{self.escape(label, parent_tags)}]({src})"

    convert_audio = convert_video

    def convert_sup(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Inline formatting Markdown has no syntax for (E = mc², and ~~struck~~ is not
        Python-Markdown's) stays an HTML element, which the build keeps (it is allowlisted)."""
        inner = text.strip("\n")
        if not inner.strip() or "\n\n" in inner:  # nothing, or blocks: keep only the text
            return text
        title = str(el.get("title") or "") if el.name == "abbr" else ""
        attribute = f' title="{html_lib.escape(title)}"' if title else ""
        return f"<{el.name}{attribute}>{inner}</{el.name}>"

    convert_sub = convert_del = convert_s = convert_u = convert_ins = convert_mark = convert_sup
    convert_abbr = convert_small = convert_sup
    convert_section = convert_div
    convert_article = convert_div


LIST_INDENT = 4  # Python-Markdown's tab_length: where an item's following blocks must start
_BULLET = re.compile(r"[-*+] |\d+\. ")
_INDENTED_LINE = re.compile(r"^(?=[ ]+\S)", re.MULTILINE)


_MARKDOWN_OPTIONS = dict(heading_style=ATX, bullets="-", strong_em_symbol="*",
                         code_language_callback=_code_language, escape_misc=False,
                         table_infer_header=True, keep_inline_images_in=["td", "th", "a"])
_BLANK_RUNS = re.compile(r"\n{3,}")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_CACHE_BUSTER = re.compile(r"\?_=\d+$")
_IN_PAGE_LINK = re.compile(r'href="#([^"]+)"')  # the sanitiser writes attributes in "
_VOID_ELEMENTS = frozenset({"img", "br", "hr", "col", "source"})
# each starts only where its run of blanks starts: tried inside a long run of spaces (a pasted
# row of &nbsp;), a match was sought from every space of it to its end (20,000: 0.9 s)
_TRAILING_SPACE_LINES = re.compile(r"(?<![ \t])[ \t]+\n(?=\n)")
# runs of blanks outside <pre> become one space before markdownify sees them: it would make
# them one space too, but its newline regex tries every blank of a run (20,000 spaces: 3 s)
_BLANK_RUN = re.compile(r"[ \t]{2,}")
_LINE_BREAK = re.compile(r"(?<!<br />)(?<!\s)\s*\n\s*|(?<=<br />\s)\s*\n\s*")  # wpautop's


def html_to_markdown(html: str) -> str:
    """Sanitised, tidied Markdown for one imported HTML body ('' for an empty one)."""
    if not html or not html.strip():
        return ""
    try:
        cleaned = clean_html(html)
        targets = frozenset(html_lib.unescape(t) for t in _IN_PAGE_LINK.findall(cleaned))
        markdown = _BlogConverter(targets, **_MARKDOWN_OPTIONS).convert(cleaned)
    except RecursionError:  # tags nested deeper than the parser and converter follow
        return plain_text_to_markdown(_block_text(sanitize_html(html)))
    markdown = _TRAILING_SPACE_LINES.sub("\n", markdown.replace("\xa0", " "))
    return _BLANK_RUNS.sub("\n\n", markdown).strip()


def _block_text(html: str) -> str:
    """The text of sanitised HTML, a paragraph per block element (wpautop's list) or line break."""
    return "\n\n".join(plain_text(block) for block in _BLOCK_BREAK.split(html))


# -- wpautop ----------------------------------------------------------------------------------
_BLOCK_TAGS = ("table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
               "|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section"
               "|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary"
               "|object|embed|iframe|video|audio|source")
_BLOCK_OPEN_OR_CLOSE = re.compile(rf"(<(?:{_BLOCK_TAGS})[\s/>])", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCK_TAGS})>)", re.IGNORECASE)
_BLOCK_BREAK = re.compile(rf"</(?:{_BLOCK_TAGS})>|<br\s*/?>", re.IGNORECASE)  # for _block_text
_KEPT_BLOCK = re.compile(r"<(pre|figure)[\s>].*?</\1>", re.IGNORECASE | re.DOTALL)
_STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{_BLOCK_TAGS})[\s/>]", re.IGNORECASE)
_ENDS_WITH_BLOCK = re.compile(rf"</?(?:{_BLOCK_TAGS})[^>]*>$", re.IGNORECASE)


def has_paragraphs(html: str) -> bool:
    """True when the body already marks its paragraphs (so wpautop must not run)."""
    return bool(re.search(r"<p[\s>]", html or "", re.IGNORECASE))


def autop(text: str) -> str:
    """WordPress's wpautop: blank lines -> ``<p>``, single newlines -> ``<br />``.

    Block-level tags stay outside paragraphs; ``<pre>`` and ``<figure>`` blocks are left
    untouched.
    """
    if not text or not text.strip():
        return ""
    saved: list[str] = []

    def keep(match: re.Match[str]) -> str:
        saved.append(match.group(0))
        return f"\n\n\x00{len(saved) - 1}\x00\n\n"

    text = _KEPT_BLOCK.sub(keep, text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _BLOCK_OPEN_OR_CLOSE.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    out = []
    for part in paragraphs:
        if part.startswith("\x00") and part.endswith("\x00") or (
                _STARTS_WITH_BLOCK.match(part) and _ENDS_WITH_BLOCK.search(part)):
            out.append(part)
            continue
        out.append("<p>" + _LINE_BREAK.sub("<br />\n", part) + "</p>")
    html = "\n".join(out)
    return re.sub(r"\x00(\d+)\x00", lambda m: saved[int(m.group(1))], html)


# -- plain text -------------------------------------------------------------------------------
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]|])")
_LINE_START_SPECIALS = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))(?=[\s.)]|$)")


def escape_markdown(line: str) -> str:
    """One line of plain text escaped so Markdown shows it as written."""
    escaped = line.replace("&", "&amp;").replace("<", "&lt;")
    escaped = _INLINE_SPECIALS.sub(r"\\\1", escaped)
    return _LINE_START_SPECIALS.sub(_escape_line_start, escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    return indent + (marker + "\\" if marker[0].isdigit() else "\\" + marker)


def plain_text_to_markdown(text: str) -> str:
    """Plain text -> Markdown that renders as the same text (paragraphs and line breaks kept)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n\n".join("  \n".join(escape_markdown(line.strip()) for line in p.split("\n"))
                       for p in paragraphs)
