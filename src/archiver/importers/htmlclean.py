"""Imported blog HTML cleaned before it is converted (steps 1 and 2 of ``html_to_markdown``).

1. leftovers of old blog tools are removed while their class names are still there: Zemanta
   blocks ("Enhanced by Zemanta", related-articles lists, its pixel), 1x1 tracking pixels
   (width/height 1, stats.wordpress.com, feedburner ``~r`` / feedsportal beacons), FeedBurner
   feedflare blocks, Blogger's post footer; protocol-relative ``//host/x`` URLs become https;
   embedded players (``<iframe>``) become links to what they showed; old editors' formatting
   (Blogger's bold and italic ``style``, ``<center>``, ``<font>``, ``<strike>``) becomes the
   elements the sanitiser keeps; lazy-loaded pictures (``<noscript>``, ``data-src``) plain ones;
   WordPress's emoji pictures the emoji they show; an old named anchor (``<a name>``) gets
   the id a link to it needs;
2. the HTML is sanitised with nh3 (``archiver.build.markup.sanitize_html``): no scripts, no
   event handlers, no ``javascript:`` URLs, no comments.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from archiver.build.markup import sanitize_html
from archiver.importers import join_url, split_url

# -- step 1: leftovers -------------------------------------------------------------------------
_TRACKER_SRC = re.compile(
    r"(?:stats\.wordpress\.com|pixel\.wp\.com|feeds\.feedburner\.com/~r/|feedburner\.com/~ff/"
    r"|feedsportal\.com|img\.zemanta\.com|zemanta\.com/|blogger\.googleusercontent\.com/tracker"
    r"|www\.blogger\.com/img/blank\.gif|b\.scorecardresearch\.com|/1x1\.gif|/pixel\.gif"
    r"|/spacer\.gif|/beacon\b|/b\.gif)", re.IGNORECASE)
_LEFTOVER_CLASS = re.compile(r"zemanta|feedflare|blogger-post-footer|wp-socializer|sharedaddy"
                             r"|sd-sharing|jp-relatedposts|wpcnt|feedburnerFlareBlock",
                             re.IGNORECASE)
_LEFTOVER_LINK = re.compile(r"(?:zemanta\.com|feeds\.feedburner\.com/~(?:ff|a|f)/)",
                            re.IGNORECASE)
_ZEMANTA_TEXT = re.compile(r"^\s*(?:Enhanced by Zemanta|Reblog this post \[with Zemanta\])\s*$",
                           re.IGNORECASE)


_LEFTOVER_HINT = re.compile(
    rf"{_TRACKER_SRC.pattern}|{_LEFTOVER_CLASS.pattern}|{_LEFTOVER_LINK.pattern}|Zemanta"
    r"|\b(?:width|height)\s*[=:]\s*[\"']?\s*[01](?:px)?\b", re.IGNORECASE)


def _is_tracking_pixel(img: Tag) -> bool:
    src = str(img.get("src") or "")
    sizes = {str(img.get("width") or "").strip().rstrip("px"),
             str(img.get("height") or "").strip().rstrip("px")}
    style = str(img.get("style") or "").replace(" ", "").lower()
    if sizes & {"0", "1"} and not sizes - {"0", "1"}:
        return True
    if "width:1px" in style and "height:1px" in style:
        return True
    return bool(_TRACKER_SRC.search(src))


def _remove_leftovers(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        classes = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
        if _LEFTOVER_CLASS.search(classes):
            tag.decompose()
    for link in soup.find_all("a"):
        if link.decomposed:
            continue
        if _LEFTOVER_LINK.search(str(link.get("href") or "")) or _ZEMANTA_TEXT.match(
                link.get_text() or str(link.get("title") or "")):
            link.decompose()
    for img in soup.find_all("img"):
        if not img.decomposed and _is_tracking_pixel(img):
            img.decompose()
    for text in soup.find_all(string=_ZEMANTA_TEXT):
        text.extract()


_PROTOCOL_RELATIVE = re.compile(r"""(\s(?:src|href|poster)\s*=\s*["']?)//(?=[\w.-])""",
                                re.IGNORECASE)


_YOUTUBE_EMBED = re.compile(r"^https?://(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)")
_VIMEO_EMBED = re.compile(r"^https?://player\.vimeo\.com/video/(\d+)")


def embed_page(src: str) -> str:
    """The page a viewer would open for an embedded player's URL."""
    youtube = _YOUTUBE_EMBED.match(src)
    if youtube:
        return f"https://www.youtube.com/watch?v={youtube.group(1)}"
    vimeo = _VIMEO_EMBED.match(src)
    return f"https://vimeo.com/{vimeo.group(1)}" if vimeo else src


def iframes_to_links(soup: BeautifulSoup) -> None:
    """Replace each http(s) ``<iframe>`` with a link to what it showed; drop the others."""
    for frame in soup.find_all("iframe"):
        src = join_url("https:", str(frame.get("src") or "").strip())  # //host/... -> https:
        if not src.startswith(("http://", "https://")):
            frame.decompose()
            continue
        page = embed_page(src)
        host = (split_url(page).hostname or "").removeprefix("www.")
        label = str(frame.get("title") or "").strip() or f"Video on {host}"
        link = soup.new_tag("a", href=page)
        link.string = label
        paragraph = soup.new_tag("p")
        paragraph.append(link)
        frame.replace_with(paragraph if frame.parent is None or frame.parent.name != "p" else link)


_OLD_FORMATTING = re.compile(r"<(?:center|font|strike)\b|font-(?:weight|style)\s*:", re.IGNORECASE)
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)\b", re.IGNORECASE)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*(?:italic|oblique)\b", re.IGNORECASE)


def formatting_to_tags(soup: BeautifulSoup) -> None:
    """Old editors' formatting as the elements the sanitiser keeps (it drops ``style``):
    Blogger's ``<span style="font-weight: bold;">`` becomes ``<strong>``, italic ``<em>``,
    ``<center>`` a ``<div>`` (it was glued to the next words), ``<strike>`` an ``<s>``,
    ``<font>`` its text."""
    for tag in soup.find_all(["span", "font"]):
        style = str(tag.get("style") or "")
        bold, italic = _BOLD_STYLE.search(style), _ITALIC_STYLE.search(style)
        if bold and italic:
            tag.name = "strong"
            tag.wrap(soup.new_tag("em"))
        elif bold or italic:
            tag.name = "strong" if bold else "em"
        elif tag.name == "font":
            tag.unwrap()
    for tag in soup.find_all(["center", "strike"]):
        tag.name = "div" if tag.name == "center" else "s"


_LAZY_HINT = re.compile(r"<noscript|\sdata-(?:lazy-)?src\s*=|\sdata-original\s*=", re.IGNORECASE)
_LAZY_SOURCES = ("data-src", "data-lazy-src", "data-original")


def lazy_images_to_images(soup: BeautifulSoup) -> None:
    """Lazy-loading markup as plain pictures: a ``<noscript>`` fallback is kept as HTML (the
    sanitiser reads its inside as text and showed ``<img src=...>``), an ``<img>`` whose real
    address is in ``data-src`` (``data-lazy-src``, ``data-original``) gets it as ``src``, and
    the same picture twice in a row (the fallback and the lazy one) is kept once."""
    for noscript in soup.find_all("noscript"):
        noscript.unwrap()
    for img in soup.find_all("img"):
        src = str(img.get("src") or "")
        lazy = next((str(img[name]) for name in _LAZY_SOURCES if img.get(name)), "")
        if lazy and (not src or src.startswith("data:")):
            img["src"] = lazy
    for img in soup.find_all("img"):
        following = img.find_next_sibling()
        between = img.next_sibling
        while between is not None and between is not following and not str(between).strip():
            between = between.next_sibling
        if (following is not None and between is following and following.name == "img"
                and following.get("src") == img.get("src")):
            following.decompose()


_EMOJI_HINT = re.compile(r"wp-smiley|[\s\"']emoji[\s\"']|/images/core/emoji/|twemoji",
                         re.IGNORECASE)
_EMOJI_SRC = re.compile(r"/images/core/emoji/|twemoji|/images/smilies/", re.IGNORECASE)


def emoji_images_to_text(soup: BeautifulSoup) -> None:
    """WordPress turns emoji into pictures in its feeds (``wp-smiley``, ``emoji`` pictures
    from s.w.org); each becomes the character it shows again (its ``alt``), which also
    reads right inside code."""
    for img in soup.find_all("img"):
        classes = " ".join(img.get("class") or []).lower()
        alt = str(img.get("alt") or "").strip()
        is_emoji = "wp-smiley" in classes or "emoji" in classes.split()
        if alt and len(alt) <= 8 and (is_emoji or _EMOJI_SRC.search(str(img.get("src") or ""))):
            img.replace_with(alt)


_NAMED_ANCHOR_HINT = re.compile(r"<a\s[^>]*\bname\s*=", re.IGNORECASE)


def named_anchors_to_ids(soup: BeautifulSoup) -> None:
    """An old named anchor, ``<a name="fn1">`` (footnotes before HTML5), gets the id it
    stands for: ``#fn1`` finds either, and the sanitiser keeps ids but not names."""
    for anchor in soup.find_all("a", attrs={"name": True}):
        if not anchor.get("id"):
            anchor["id"] = str(anchor["name"])


def clean_html(html: str) -> str:
    """Steps 1 and 2 of the module docstring: leftovers removed, then sanitised (HTML out).

    The HTML is parsed only when a cheap search finds something a fix of step 1 handles;
    empty elements are dropped later by the converter, without another parse.
    """
    html = _PROTOCOL_RELATIVE.sub(r"\1https://", html or "")
    fixes = [fix for hint, fix in _SOUP_FIXES if hint.search(html)]
    if fixes:
        soup = BeautifulSoup(html, "html.parser")
        for fix in fixes:
            fix(soup)
        html = str(soup)
    return sanitize_html(html)


# each fix of step 1, run (in this order) only when a cheap search finds what it fixes
_SOUP_FIXES = (
    (_LEFTOVER_HINT, _remove_leftovers),
    (re.compile(r"<iframe", re.IGNORECASE), iframes_to_links),
    (_OLD_FORMATTING, formatting_to_tags),
    (_LAZY_HINT, lazy_images_to_images),
    (_EMOJI_HINT, emoji_images_to_text),
    (_NAMED_ANCHOR_HINT, named_anchors_to_ids),
)
