"""Helpers for the security tests: scan built HTML (and feeds) for anything that could run.

``unsafe_markup(html)`` returns one line per problem: dangerous elements, ``on*`` event
handlers, ``style``/``srcdoc`` attributes, URLs with a scheme other than http/https/mailto
(``javascript:``, ``data:``, ``vbscript:`` ... after the browser's own clean-up of control
characters and whitespace), and meta refreshes that leave the site.

The theme's own scripts are trusted: an inline ``<script>`` whose text is that of a script in a
template of the default theme, a ``<script src>`` that loads a file of the site itself
(``static/``, ``pagefind/``), and JSON data blocks. Any other script is a problem.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from defusedxml import ElementTree

DANGEROUS_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "form",
    "input", "button", "textarea", "select", "base", "template", "noscript",
    "portal", "xmp", "plaintext", "noembed", "isindex",
    # inline SVG (the theme draws charts and the word cloud) is fine; these parts of it are not
    "animate", "set", "animatemotion", "animatetransform", "foreignobject", "handler", "listener",
}
URL_ATTRIBUTES = {"href", "src", "poster", "action", "formaction", "background", "cite",
                  "data", "xlink:href", "longdesc", "lowsrc", "dynsrc", "codebase", "manifest",
                  "icon", "ping"}
SAFE_SCHEMES = {"", "http", "https", "mailto"}
SAFE_LINK_RELS = {"stylesheet", "alternate", "canonical", "icon", "search"}
THEME_TEMPLATES = Path(__file__).resolve().parents[2] / "themes" / "default" / "templates"
SCRIPT_FOLDERS = ("static/", "pagefind/")
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
_SCRIPT_BODY = re.compile(r"<script[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_JINJA = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})", re.DOTALL)
_SPACES = re.compile(r"\s+")
_STRIP = re.compile(r"[\x00-\x20\x7f]+")


def url_scheme(value: str) -> str:
    """The scheme a browser would see (control characters and spaces are dropped first)."""
    cleaned = _STRIP.sub("", value)
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else ""


def theme_scripts(templates: Path = THEME_TEMPLATES) -> tuple[re.Pattern[str], ...]:
    """Patterns of the inline scripts written in the theme's templates (trusted code).

    A ``{{ ... }}`` or ``{% ... %}`` inside a script may become any text without ``<`` (the
    value is autoescaped, so it cannot end the script); whitespace runs count as one space.
    """
    found = set()
    for path in templates.rglob("*.html"):
        for body in _SCRIPT_BODY.findall(path.read_text("utf-8")):
            parts = _JINJA.split(_fold(body))
            found.add("".join(re.escape(part) if i % 2 == 0 else "[^<]*?"
                              for i, part in enumerate(parts)))
    return tuple(re.compile(pattern) for pattern in sorted(found) if pattern)


def _fold(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _is_own_file(src: str) -> bool:
    """A relative URL that stays inside the site and points into a folder of site assets."""
    if url_scheme(src) or src.startswith(("//", "/\\")) or "\\" in src:
        return False
    path = src.lstrip("/")
    while path.startswith(("../", "./")):
        path = path.split("/", 1)[1]
    return path.startswith(SCRIPT_FOLDERS) and "/../" not in f"/{path}"


class _Scanner(HTMLParser):
    def __init__(self, trusted_scripts: tuple[re.Pattern[str], ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.trusted_scripts = trusted_scripts
        self._script: list[str] | None = None  # text of the inline script being read
        self._script_type = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            body = "".join(self._script).strip()
            if self._script_type in DATA_SCRIPT_TYPES:
                try:
                    json.loads(body)
                except ValueError:
                    self.problems.append(f"<script type={self._script_type!r}> is not JSON")
            elif body and not any(p.fullmatch(_fold(body)) for p in self.trusted_scripts):
                self.problems.append(f"<script> element not from the theme: {body[:80]!r}")
            self._script = None

    def _check_script(self, values: dict[str, str]) -> None:
        src = values.get("src")
        if src is not None:
            if not _is_own_file(src):
                self.problems.append(f"<script> loads {src!r}")
            return
        self._script = []
        self._script_type = values.get("type", "").lower()

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        where = f"<{tag}>"
        if tag == "script":
            self._check_script({name: value or "" for name, value in attrs})
        elif tag in DANGEROUS_TAGS:
            self.problems.append(f"{where} element")
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"{where} event handler {name}={value!r}")
            elif name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"{where} attribute {name}={value!r}")
            elif name in URL_ATTRIBUTES and url_scheme(value) not in SAFE_SCHEMES:
                self.problems.append(f"{where} {name} with scheme {url_scheme(value)!r}: {value!r}")
            elif name == "srcset":
                for part in value.split(","):
                    if url_scheme(part.strip()) not in SAFE_SCHEMES:
                        self.problems.append(f"{where} srcset {value!r}")
        if tag == "link" and not set(values.get("rel", "").split()) <= SAFE_LINK_RELS:
            self.problems.append(f"{where} rel={values.get('rel')!r}")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            target = values.get("content", "").partition("url=")[2]
            if url_scheme(target) or target.startswith("//"):
                self.problems.append(f"{where} refresh leaves the site: {values.get('content')!r}")
        if tag in ("img", "video", "audio", "source") and values.get("src", "").startswith("//"):
            self.problems.append(f"{where} protocol-relative src {values['src']!r}")


def unsafe_markup(html: str, trusted_scripts: tuple[re.Pattern[str], ...] = ()) -> list[str]:
    """Problems in one HTML page or fragment; ``trusted_scripts`` are inline scripts allowed."""
    scanner = _Scanner(trusted_scripts)
    scanner.feed(html)
    scanner.close()
    return scanner.problems


def feed_fragments(path: Path) -> list[str]:
    """The HTML fragments inside an Atom feed or a JSON Feed (what feed readers render)."""
    if path.name == "feed.json":
        data = json.loads(path.read_text("utf-8"))
        return [item.get("content_html", "") for item in data.get("items", [])]
    if path.suffix == ".xml":
        tree = ElementTree.fromstring(path.read_bytes())
        return [el.text or "" for el in tree.iter() if el.tag.endswith("}content")]
    return []


def scan_output(out: Path) -> list[str]:
    """Every problem in every HTML file and feed under ``out``, prefixed with its path."""
    problems: list[str] = []
    trusted = theme_scripts()
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(out).as_posix()
        if path.suffix in (".html", ".htm"):
            problems += [f"{rel}: {p}" for p in unsafe_markup(path.read_text("utf-8"), trusted)]
        for fragment in feed_fragments(path):
            problems += [f"{rel} (feed content): {p}" for p in unsafe_markup(fragment)]
        if path.suffix in (".svg", ".xhtml", ".xml") and b"<script" in path.read_bytes().lower():
            problems.append(f"{rel}: script in XML")
    return problems


def temp_files(root: Path) -> list[str]:
    """Leftover temporary files (``.tmp-*``) anywhere under ``root``."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob(".tmp-*"))
