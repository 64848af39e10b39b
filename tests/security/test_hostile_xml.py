"""Hostile XML for every XML importer (WordPress, Blogger, feeds): XXE, billion laughs,
external DTDs and parameter entities, invalid UTF-8, broken XML.

Each ends in one clear line (exit 1, the file named; a line number for syntax errors) with
nothing written, never a traceback; no entity is ever expanded, no file read, no request made.
An external DTD that is only named (not used) is ignored, unfetched, and the import proceeds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from conftest import REPO_ROOT, files_under
from media_server import LocalServer

DATA = REPO_ROOT / "tests" / "data"
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
  <title>A feed</title>
  <link>http://feed.example/</link>
  <item>
    <title>First item</title>
    <link>http://feed.example/1</link>
    <guid>http://feed.example/1</guid>
    <pubDate>Mon, 01 Mar 2010 10:00:00 +0000</pubDate>
    <description>Hello there.</description>
  </item>
</channel>
</rss>
"""
IMPORTERS = {
    "wordpress": (lambda: (DATA / "wordpress/blog.xml").read_text("utf-8"), ["--no-download"]),
    "blogger": (lambda: (DATA / "blogger/classic-labels.xml").read_text("utf-8"), ["--no-download"]),
    "feed": (lambda: RSS, []),
}
LAUGHS = ('<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10)))


DTD_BODY = b'<!ENTITY leak "LEAKED-BY-DTD">'


@pytest.fixture(scope="module")
def listener() -> Iterator[LocalServer]:
    """An HTTP server on 127.0.0.1 that records every request (none may come)."""
    routes = {path: (200, {}, DTD_BODY) for path in ("/e", "/x.dtd", "/p.dtd")}
    with LocalServer(routes) as server:
        yield server


def with_doctype(text: str, doctype: str, title_entity: str = "") -> str:
    head, mark, rest = text.partition("?>")
    if title_entity:
        rest = rest.replace("<title>", f"<title>{title_entity}", 1).replace(
            "<title type='text'>", f"<title type='text'>{title_entity}", 1)
    return head + mark + "\n" + doctype + rest


def attacks(secret: Path, listener: LocalServer) -> dict[str, bytes]:
    return {
        "xxe-file": with_doctype(IMPORTERS_TEXT, f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}">]>',
                                 "&xxe;").encode(),
        "xxe-http": with_doctype(IMPORTERS_TEXT, f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{listener.base}/e">]>',
                                 "&xxe;").encode(),
        "billion-laughs": with_doctype(IMPORTERS_TEXT, f"<!DOCTYPE r [{LAUGHS}]>", "&lol9;").encode(),
        "external-dtd": with_doctype(IMPORTERS_TEXT, f'<!DOCTYPE r SYSTEM "{listener.base}/x.dtd">').encode(),
        "parameter-entity": with_doctype(
            IMPORTERS_TEXT, f'<!DOCTYPE r [<!ENTITY % ext SYSTEM "{listener.base}/p.dtd"> %ext;]>').encode(),
        "invalid-utf8": IMPORTERS_TEXT.replace("</title>", "\udcff</title>", 1).encode("utf-8", "surrogateescape"),
        "broken": IMPORTERS_TEXT.replace("</title>", "</titel>", 1).encode(),
    }


IMPORTERS_TEXT = ""  # set per test (module-level so ``attacks`` stays a plain function)


@pytest.mark.parametrize("attack", ["xxe-file", "xxe-http", "billion-laughs", "external-dtd",
                                    "parameter-entity", "invalid-utf8", "broken"])
@pytest.mark.parametrize("importer", sorted(IMPORTERS))
def test_hostile_xml_is_refused_cleanly(site: Path, tmp_path: Path, run_cli, listener: LocalServer,
                                        monkeypatch: pytest.MonkeyPatch, importer: str, attack: str) -> None:
    base, options = IMPORTERS[importer]
    monkeypatch.setattr(f"{__name__}.IMPORTERS_TEXT", base())
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-FILE-CONTENT", "utf-8")
    hostile = tmp_path / f"{attack}.xml"
    hostile.write_bytes(attacks(secret, listener)[attack])
    before = len(listener.requests)
    result = run_cli("import", importer, hostile, *options, site=site)
    output = result.output
    assert listener.requests[before:] == []
    assert "Traceback" not in output
    if attack == "external-dtd":  # not fetched, not needed: the export imports as without it
        assert result.exit_code == 0, output
        assert files_under(site / "content")
        assert all(b"LEAKED-BY-DTD" not in data for data in files_under(site / "content").values())
        return
    assert result.exit_code == 1, output
    error = output.strip().splitlines()[-1]
    assert error.startswith(f"error: {hostile}") or error.startswith(f"error: {hostile.name}"), error
    if attack in ("broken", "invalid-utf8"):
        assert " line " in error, error
    assert "Traceback" not in output
    assert listener.requests[before:] == []
    written = files_under(site / "content")
    assert written == {}
    assert "SECRET-FILE-CONTENT" not in output and "LEAKED-BY-DTD" not in output
