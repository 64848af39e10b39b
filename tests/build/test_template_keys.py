"""A template's key covers it and the templates it reaches by name; a computed name, all of them."""

from __future__ import annotations

import os
from pathlib import Path

from archiver.build.templatekeys import TemplateKeys


def _write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def _touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_keys_follow_extends_include_import_and_from(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    _write(theme, "base.html", "<body>{% block main %}{% endblock %}</body>")
    _write(theme, "partials/macros.html", "{% macro card(x) %}{{ x }}{% endmacro %}")
    _write(theme, "partials/foot.html", "foot")
    _write(theme, "list.html", '{% extends "base.html" %}\n{%- from \'partials/macros.html\' import card %}')
    _write(theme, "stats.html", '{% extends "base.html" %}{% include "partials/foot.html" ignore missing %}')
    _write(theme, "lone.html", "no other template")
    before = TemplateKeys([theme])
    keys = {name: before.key(name) for name in ("list.html", "stats.html", "lone.html")}
    _touch_later(theme / "partials/macros.html")
    after = TemplateKeys([theme])
    assert after.key("list.html") != keys["list.html"]
    assert (after.key("stats.html"), after.key("lone.html")) == (keys["stats.html"], keys["lone.html"])
    _touch_later(theme / "partials/foot.html")
    again = TemplateKeys([theme])
    assert (again.key("stats.html") != keys["stats.html"], again.key("lone.html")) == (True, keys["lone.html"])


def test_the_first_folder_that_has_a_name_gives_its_file(tmp_path: Path) -> None:
    site, theme = tmp_path / "site", tmp_path / "theme"
    _write(theme, "tags.html", "theme's tags")
    _write(theme, "stats.html", "theme's stats")
    site.mkdir()
    before = TemplateKeys([site, theme])
    _write(site, "tags.html", "my tags")  # an override in the site's own templates/
    after = TemplateKeys([site, theme])
    assert after.key("tags.html") != before.key("tags.html")
    assert after.key("stats.html") == before.key("stats.html")


def test_a_computed_name_depends_on_every_template(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    _write(theme, "list.html", '{% include ["a.html", "b.html"] %}')
    _write(theme, "page.html", "{% extends layout %}")
    _write(theme, "other.html", "other")
    before = TemplateKeys([theme])
    _touch_later(theme / "other.html")
    after = TemplateKeys([theme])
    assert after.key("list.html") != before.key("list.html")
    assert after.key("page.html") != before.key("page.html")
