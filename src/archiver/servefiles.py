"""What ``archiver serve`` answers with: the file a request path names (never one outside the
output folder), its content type, and HTML with the live-reload script added.

The script listens on ``EVENTS_PATH`` (server-sent events): it reloads the page when a newer
build is ready, and shows a build's error at the foot of the page (``ERROR_BANNER_ID``) while
the site stays at the last good build. The files in the output folder are never changed.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

EVENTS_PATH = "/__archiver/events"
_UNSAFE_ENCODED = re.compile(r"%(?:2f|5c|00)", re.IGNORECASE)
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)
_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json",
    ".xml": "application/xml", ".svg": "image/svg+xml", ".wasm": "application/wasm",
    ".txt": "text/plain; charset=utf-8", ".webp": "image/webp", ".mp4": "video/mp4",
}
ERROR_BANNER_ID = "archiver-serve-error"
RELOAD_SCRIPT = (
    '<script>/* added by archiver serve, not part of the site */(function(){{var built="{generation}";'
    'var events=new EventSource("{path}");events.onmessage=function(e){{'
    'if(e.data!==built){{events.close();location.reload();}}}};'
    'events.addEventListener("failed",function(e){{var b=document.getElementById("{banner}");'
    'if(!b){{b=document.createElement("pre");b.id="{banner}";b.setAttribute("role","alert");'
    'b.style.cssText="position:fixed;left:0;right:0;bottom:0;z-index:2147483647;margin:0;'
    'padding:.75em 1em;background:#8b0000;color:#fff;font:14px/1.4 system-ui,sans-serif;'
    'white-space:pre-wrap;max-height:50vh;overflow:auto";document.body.appendChild(b);}}'
    'b.textContent="archiver serve: the last change did not build; this is the last good build.\\n"'
    '+JSON.parse(e.data);}});}})();</script>'
)


def resolve_request(root: Path, raw_path: str) -> Path | None:
    """The file or folder inside ``root`` that a request path names, or None (answer 404).

    ``root`` must be resolved. Query strings and fragments are ignored.
    """
    path = urlsplit(raw_path).path
    if not path.startswith("/") or "\\" in path or _UNSAFE_ENCODED.search(path):
        return None
    try:
        parts = unquote(path, errors="strict").split("/")
    except UnicodeDecodeError:
        return None
    if any(part in (".", "..") or "\x00" in part or "\\" in part for part in parts):
        return None
    try:
        target = root.joinpath(*(part for part in parts if part)).resolve(strict=True)
    except (OSError, RuntimeError, UnicodeError, ValueError):
        return None
    if target != root and root not in target.parents:
        return None
    return target


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def inject_reload(html: bytes, generation: int) -> bytes:
    """``html`` with the live-reload script before its last ``</body>`` (or at the end)."""
    script = RELOAD_SCRIPT.format(generation=generation, path=EVENTS_PATH,
                                  banner=ERROR_BANNER_ID).encode()
    matches = list(_BODY_END.finditer(html))
    if not matches:
        return html + script
    at = matches[-1].start()
    return html[:at] + script + html[at:]
