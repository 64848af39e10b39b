"""site.yaml validation: every problem reported at once, with its key and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.config import DEFAULT_PERMALINKS, load_config
from archiver.errors import ArchiverError


def write(root: Path, text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(text, "utf-8")
    return root


def test_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "title: T\n"))
    assert (config.title, config.timezone, config.pagination, config.output_dir) == ("T", "UTC", 20, "public")
    assert config.permalinks == DEFAULT_PERMALINKS


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    write(tmp_path, "titel: x\npagination: many\ntimezone: Mars/Olympus\nsearch: 'yes'\n")
    with pytest.raises(ArchiverError) as caught:
        load_config(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'site.yaml'}: 4 problem(s): ")
    assert "titel: unknown key (did you mean 'title'?)" in message
    assert "pagination: expected a whole number from 1 to 1000, got 'many'" in message
    assert "timezone: unknown time zone 'Mars/Olympus'" in message
    assert "search: expected true or false, got 'yes'" in message


def test_bool_is_not_a_number(tmp_path: Path) -> None:
    write(tmp_path, "pagination: true\n")
    with pytest.raises(ArchiverError, match="pagination: expected a whole number"):
        load_config(tmp_path)


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    write(tmp_path, "title: ok\nauthor: [unclosed\n")
    with pytest.raises(ArchiverError, match=r"not valid YAML at line \d"):
        load_config(tmp_path)


def test_not_a_mapping(tmp_path: Path) -> None:
    write(tmp_path, "- a\n- b\n")
    with pytest.raises(ArchiverError, match="must be a mapping"):
        load_config(tmp_path)


def test_missing_site_yaml(tmp_path: Path) -> None:
    with pytest.raises(ArchiverError, match="no site.yaml here"):
        load_config(tmp_path)


@pytest.mark.parametrize(("yaml_text", "expected"), [
    ("permalinks: {post: '/:year/:title/'}", "permalinks.post: must contain :slug or :id"),
    ("permalinks: {post: 'x'}", "permalinks.post: expected a path like /:year/:slug/"),
    ("permalinks: {video: '/:slug/'}", "permalinks.video: unknown kind"),
    ("permalinks: {post: '/:yr/:slug/'}", "permalinks.post: unknown field :yr"),
    ("output_dir: content", "output_dir: 'content' would overwrite the site"),
    ("output_dir: templates/", "output_dir: 'templates/' would overwrite the site"),
    ("base_url: example.org", "base_url: expected an http(s) URL"),
    ("words: {stopwords: the}", "words.stopwords: expected a list of words"),
])
def test_value_checks(tmp_path: Path, yaml_text: str, expected: str) -> None:
    write(tmp_path, yaml_text + "\n")
    with pytest.raises(ArchiverError) as caught:
        load_config(tmp_path)
    assert expected in str(caught.value)
