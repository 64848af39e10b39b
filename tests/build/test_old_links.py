"""Old addresses with a query string (WordPress's /?p=123): old-links.js, loaded by the home
and 404 pages, sends a reader who came by one on to the item's page. The map is checked in
the built site; the script runs in Node with the addresses a browser would give it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from sitegen import write

from archiver.build.pipeline import build
from archiver.config import load_config

POST = """---
title: {title}
date: {date}
{aliases}---
Text.
"""


def old_links_site(site: Path) -> Path:
    write(site, "posts/2010/harbour.md", POST.format(
        title="Harbour", date="2010-05-02T10:00:00+00:00",
        aliases='aliases: ["/?p=12", "/2010/05/harbour.html", "/index.php?p=12&lang=en"]\n'))
    write(site, "posts/2011/gulls.md", POST.format(
        title="Gulls", date="2011-06-01T10:00:00+00:00",
        aliases='aliases: ["/blog/index.html?p=13", "/?p=12"]\n'))  # /?p=12 twice: see below
    write(site, "pages/about.md", POST.format(
        title="About", date="2010-01-01T10:00:00+00:00", aliases='aliases: ["/?page_id=7"]\n'))
    return site


def script_map(public: Path) -> dict[str, str]:
    text = (public / "old-links.js").read_text("ascii")
    return json.loads(text.split("var links = ", 1)[1].split(";\n", 1)[0])


def test_the_map_and_the_pages_that_load_it(site: Path) -> None:
    build(load_config(old_links_site(site)))
    public = site / "public"
    assert script_map(public) == {
        "/?p=12": "2011/06/gulls/index.html",  # two items claim it: the newer, as for path aliases
        "/index.php?p=12&lang=en": "2010/05/harbour/index.html",
        "/blog/?p=13": "2011/06/gulls/index.html",
        "/?page_id=7": "about/index.html",
    }
    assert '<script src="./old-links.js"></script>' in (public / "index.html").read_text("utf-8")
    assert '<script src="/old-links.js"></script>' in (public / "404.html").read_text("utf-8")
    assert "old-links.js" not in (public / "2010" / "05" / "harbour" / "index.html").read_text("utf-8")
    assert (public / "2010" / "05" / "harbour.html").is_file()  # a path alias: its own page


def test_a_site_without_such_addresses_has_no_script(site: Path) -> None:
    write(site, "posts/2010/harbour.md", POST.format(
        title="Harbour", date="2010-05-02T10:00:00+00:00", aliases='aliases: ["/2010/05/harbour.html"]\n'))
    build(load_config(site))
    assert not (site / "public" / "old-links.js").exists()
    assert "old-links" not in (site / "public" / "index.html").read_text("utf-8")


RUN_SCRIPT = """
const source = require("fs").readFileSync(process.argv[2], "utf8");
const results = [];
for (const [scriptSrc, href] of JSON.parse(process.argv[3])) {
  let replaced = null;
  global.document = {currentScript: {src: scriptSrc}};
  global.location = {href: href, search: new URL(href).search, replace: (url) => { replaced = url; }};
  new Function(source)();
  results.push(replaced);
}
console.log(JSON.stringify(results));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run the script")
def test_the_script_sends_an_old_address_on(site: Path, tmp_path: Path) -> None:
    build(load_config(old_links_site(site)))
    runner = tmp_path / "run.js"
    runner.write_text(RUN_SCRIPT, "utf-8")
    host, usb = "http://127.0.0.1:8000", "file:///media/usb/site"
    cases = [
        (f"{host}/old-links.js", f"{host}/?p=12"),
        (f"{host}/old-links.js", f"{host}/index.html?p=12&utm_source=feed"),  # extra parameters
        (f"{host}/old-links.js", f"{host}/index.php?p=12&lang=en"),  # the 404 page at /index.php
        (f"{host}/old-links.js", f"{host}/?utm_source=feed&p=12"),  # by one of its parameters
        (f"{host}/old-links.js", f"{host}/blog/?p=13"),  # the 404 page at /blog/
        (f"{host}/archive/old-links.js", f"{host}/archive/?page_id=7#top"),  # under a base path
        (f"{usb}/old-links.js", f"{usb}/index.html?p=12"),  # the site read from a folder
        (f"{host}/old-links.js", f"{host}/?p=99"),  # unknown: stays
        (f"{host}/old-links.js", f"{host}/?p=toString"),  # not a key of the map's prototype
        (f"{host}/old-links.js", f"{host}/"),
    ]
    done = subprocess.run(["node", str(runner), str(site / "public" / "old-links.js"), json.dumps(cases)],
                          capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(done.stdout) == [
        f"{host}/2011/06/gulls/index.html",
        f"{host}/2011/06/gulls/index.html",
        f"{host}/2010/05/harbour/index.html",
        f"{host}/2011/06/gulls/index.html",
        f"{host}/2011/06/gulls/index.html",
        f"{host}/archive/about/index.html",
        f"{usb}/2011/06/gulls/index.html",
        None, None, None,
    ]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run the script")
def test_a_path_with_non_ascii_letters_matches_however_it_is_written(site: Path, tmp_path: Path) -> None:
    """The map holds paths decoded and NFC-normalised, and so does the script: an export may
    write an alias percent-encoded or not, in NFC or NFD; a browser sends it percent-encoded."""
    nfd_naive = "/nai\u0308ve/?p=21"  # "ï" as i + combining diaeresis
    write(site, "posts/2010/cafe.md", POST.format(
        title="Cafe", date="2010-05-02T10:00:00+00:00",
        aliases=f'aliases: ["/caf%C3%A9/?p=20", "{nfd_naive}"]\n'))
    build(load_config(site))
    public = site / "public"
    assert script_map(public) == {"/café/?p=20": "2010/05/cafe/index.html",
                                  "/naïve/?p=21": "2010/05/cafe/index.html"}
    runner = tmp_path / "run.js"
    runner.write_text(RUN_SCRIPT, "utf-8")
    host = "http://127.0.0.1:8000"
    cases = [
        (f"{host}/old-links.js", f"{host}/caf%C3%A9/?p=20"),  # as a browser sends it
        (f"{host}/old-links.js", f"{host}/na%C3%AFve/?p=21"),  # NFC in the address, NFD in the alias
        (f"{host}/old-links.js", f"{host}/nai%CC%88ve/?p=21"),  # NFD in both
        (f"{host}/old-links.js", f"{host}/caf%E9/?p=20"),  # Latin-1 escape: not UTF-8, no match, no error
    ]
    done = subprocess.run(["node", str(runner), str(public / "old-links.js"), json.dumps(cases)],
                          capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(done.stdout) == [f"{host}/2010/05/cafe/index.html"] * 3 + [None]
