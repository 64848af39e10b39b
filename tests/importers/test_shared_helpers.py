"""Helpers shared between importers: tag names, and the WXR reader's XML error messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.errors import ArchiverError
from archiver.importers import tag_names
from archiver.importers.wordpress.wxr import WxrReader, WxrSyntaxError


def test_tag_names_keeps_first_casing_and_drops_uncategorized_and_blanks() -> None:
    assert tag_names([" Open   Web ", "open web", "Uncategorized", "", "  ", "Café", "CAFÉ"]) \
        == ("Open Web", "Café")


def _read(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    list(WxrReader(path, where="export.xml").items())


def test_wxr_not_well_formed_names_line_column_and_wordpress_hint(tmp_path: Path) -> None:
    with pytest.raises(WxrSyntaxError) as caught:
        _read(tmp_path, b'<?xml version="1.0"?>\n<rss><channel>\n<item></channel></rss>\n')
    assert caught.value.message.startswith("not well-formed XML at line 3, column ")
    assert caught.value.where == "export.xml"
    assert caught.value.hint == "the export is damaged; export it again from WordPress"


def test_wxr_entity_declaration_refused_with_wordpress_hint(tmp_path: Path) -> None:
    with pytest.raises(ArchiverError) as caught:
        _read(tmp_path, b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "b">]>\n'
                        b"<rss><channel>&a;</channel></rss>\n")
    assert not isinstance(caught.value, WxrSyntaxError)
    assert caught.value.message.startswith("refusing unsafe XML (")
    assert caught.value.hint == "WordPress exports never declare entities"


def test_wxr_unknown_encoding_with_wordpress_hint(tmp_path: Path) -> None:
    with pytest.raises(ArchiverError) as caught:
        _read(tmp_path, b'<?xml version="1.0" encoding="no-such-codec"?>\n<rss/>\n')
    assert caught.value.message.startswith("unknown character encoding in the XML declaration")
    assert caught.value.hint == 'fix the encoding="..." in the first line (WordPress writes UTF-8)'
