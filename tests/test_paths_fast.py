"""is_safe_relative's one-regex shortcut for plain paths decides as the full check does."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver import paths

PIECES = ["a", "z", "0", "9", "_", "-", ".", "..", "/", "//", "con", "CON", "aux", "nul", "prn", "com1",
          "com10", "lpt9", "lpt", "x.html", "index.html", " ", "\\", ":", "\x00", "\n", "é", "A", "*"]


def _full_check(path: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    with monkeypatch.context() as patched:
        patched.setattr(paths, "_PLAIN_PATH", re.compile(r"(?!)"))  # never matches: no shortcut
        return paths.is_safe_relative(path)


@settings(max_examples=3000, deadline=None)
@given(path=st.lists(st.sampled_from(PIECES), max_size=8).map("".join))
def test_shortcut_agrees_with_the_full_check(path: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert paths.is_safe_relative(path) == _full_check(path, monkeypatch), repr(path)


@pytest.mark.parametrize("path, safe", [
    ("2019/03/16/1106796573225913071/index.html", True), ("tags/bread-1/index.html", True),
    ("con/index.html", False), ("a/aux.html", False), ("a/com1", False), ("a/com10", True),
    ("a/cons/index.html", True), ("a..b", True), ("a/./b", False), ("../a", False), ("a/", False),
    ("/a", False), ("a.", False), ("a/b.", False), ("x" * 256, False), ("x" * 255, True),
    ("a\n", False), ("con\n", False),
])
def test_known_paths(path: str, safe: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    assert paths.is_safe_relative(path) is safe
    assert _full_check(path, monkeypatch) is safe
