"""Old addresses with a query string, such as WordPress's ``/?p=123`` and ``/?page_id=7``.

An alias such as ``/2010/05/old-name/`` gets a redirect page at that path (``pages.
redirect_pages``), but no file can stand for ``/?p=123``: a web server (and a browser
reading the site from a folder) serves the home page for it, and the 404 page for
``/index.php?p=123`` or ``/blog/?p=123``. So the build writes ``old-links.js``, the map
from each such address to its item's new page, and those two pages load it: when the
address they were opened at is in the map, the script sends the reader on (``location.
replace``, so the back button does not return to the home page).

The address is matched relative to the site's root (where the script is), so the map works
at any base path and from ``file://``; extra parameters (``?p=123&utm_source=x``) do not stop
a match. Paths are compared decoded and NFC-normalised on both sides (``paths.decoded_path``
here, ``decodeURIComponent`` and ``normalize`` in the script): a browser sends ``/café/`` as
``/caf%C3%A9/``, and an export may write either.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from archiver.paths import decoded_path
from archiver.build.site import SiteIndex

OLD_LINKS_FILE = "old-links.js"  # loaded by base.html on index.html and 404.html

_SCRIPT = """// Old addresses with a query string (WordPress's /?p=123) and the pages they are now.
// The home page and the 404 page load this file; it sends a reader who came by such an
// address on to the page. Written by archiver: rebuilt with the site.
(function () {
  var links = %s;
  var script = document.currentScript;
  if (!script || !location.search) return;
  var root = new URL(".", script.src).href;
  var here = location.href.split(/[?#]/)[0];
  if (here.indexOf(root) !== 0) return;
  var path;
  try {  // decoded and NFC-normalised, as the build wrote the map's paths
    path = "/" + decodeURIComponent(here.slice(root.length)).normalize("NFC").replace(/index\\.html$/, "");
  } catch (error) {  // a malformed escape: no old address of ours
    return;
  }
  var keys = [path + location.search];
  new URLSearchParams(location.search).forEach(function (value, name) {
    keys.push(path + "?" + name + "=" + value);
  });
  for (var i = 0; i < keys.length; i++) {
    if (Object.prototype.hasOwnProperty.call(links, keys[i])) {
      location.replace(root + links[keys[i]]);
      return;
    }
  }
})();
"""


def query_links(site: SiteIndex) -> dict[str, str]:
    """Each alias with a query string (``/?p=123``) -> the output path of its item's page
    (``2010/05/post/index.html``); the first item to claim an address keeps it."""
    links: dict[str, str] = {}
    for item in site.all_items:
        for alias in item.entry.aliases:
            if "?" not in alias:
                continue
            parts = urlsplit(alias)
            if parts.query:
                path = "/" + decoded_path(parts.path).lstrip("/").removesuffix("index.html")
                links.setdefault(f"{path}?{parts.query}", item.out_path)
    return links


def old_links_script(links: dict[str, str]) -> str:
    """The script with its map (JSON, non-ASCII escaped: the file is ASCII whatever it holds)."""
    data = json.dumps(links, ensure_ascii=True, sort_keys=True, indent=0).replace("</", "<\\/")
    return _SCRIPT % data
