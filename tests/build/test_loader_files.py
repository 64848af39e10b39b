"""Which files under content/ are entries, from one walk that the up-to-date check shares."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from archiver.build.loader import READ_SIZE, read_text
from archiver.build.stamps import changed_ns, file_stats, markdown_files, tree_stamps
from archiver.errors import ArchiverError


def test_markdown_files_skip_media_and_hidden_folders(tmp_path: Path) -> None:
    for rel in ("posts/a.md", "posts/2020/b.md", "posts/media/c.md", "media/d.md", "media/x/e.md",
                ".git/f.md", "tweets/.cache/g.md", "pages/.h.md", "pages/i.txt", "j.md", "__pycache__/k.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", "utf-8")
    expected = ["__pycache__/k.md", "j.md", "posts/2020/b.md", "posts/a.md", "posts/media/c.md"]
    assert markdown_files(tmp_path) == expected
    stats = file_stats(tmp_path, skip_dirs=())
    assert markdown_files(tmp_path, stats) == expected
    assert stats["posts/a.md"] == (1, changed_ns((tmp_path / "posts/a.md").stat()))
    size, mtime = stats["j.md"]
    assert f"j.md {size} {mtime}" in tree_stamps(tmp_path)
    assert not any(stamp.startswith("__pycache__/") for stamp in tree_stamps(tmp_path))


def test_file_stats_order_links_and_missing_folders(tmp_path: Path) -> None:
    """A folder's files before its subfolders', each sorted; links to files count, links to
    folders are not followed, dangling links are left out; a missing folder has no files."""
    for rel in ("b/z.md", "b/a/y.md", "a.md", "c.md", "outside/o.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel, "utf-8")
    (tmp_path / "b/link.md").symlink_to(tmp_path / "a.md")
    (tmp_path / "b/folder-link").symlink_to(tmp_path / "outside", target_is_directory=True)
    (tmp_path / "b/dangling.md").symlink_to(tmp_path / "nowhere.md")
    stats = file_stats(tmp_path, skip_dirs=("outside",))
    assert list(stats) == ["a.md", "c.md", "b/link.md", "b/z.md", "b/a/y.md"]
    assert stats["b/link.md"] == (4, (tmp_path / "a.md").stat().st_mtime_ns)
    assert stats["b/a/y.md"] == (8, (tmp_path / "b/a/y.md").stat().st_mtime_ns)
    assert file_stats(tmp_path / "nowhere") == {} and file_stats(tmp_path / "a.md") == {}


def test_file_stats_without_folder_handles(tmp_path: Path, monkeypatch) -> None:
    """Where os.scandir takes no folder handle (Windows), paths give the same result."""
    import archiver.build.stamps as stamps

    for rel in ("b/z.md", "b/a/y.md", "a.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel, "utf-8")
    with_handles = file_stats(tmp_path)
    monkeypatch.setattr(stamps, "_BY_FOLDER_HANDLE", False)
    assert list(file_stats(tmp_path).items()) == list(with_handles.items())
    assert list(with_handles) == ["a.md", "b/z.md", "b/a/y.md"]
    assert file_stats(tmp_path / "nowhere") == {}


def test_read_text_reads_whole_files_of_any_length_as_read_text_does(tmp_path: Path) -> None:
    """Read by system calls in 64 KiB pieces: a file shorter than one piece, exactly one, and
    of several (with Windows and old Mac line ends) gives what ``Path.read_text`` gives."""
    line = "A line of a long post, é and ✓.\r\n"
    for name, text in (("empty.md", ""), ("short.md", "---\ntitle: x\n---\nbody\r\n"),
                       ("piece.md", "x" * READ_SIZE), ("long.md", line * 9000 + "end\rlast")):
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8"))
        assert read_text(str(path)) == path.read_text("utf-8")
    assert read_text(str(tmp_path / "long.md")).endswith(".\nend\nlast")
    (tmp_path / "bad.md").write_bytes(b"caf\xe9")
    with pytest.raises(ArchiverError, match="not UTF-8 text"):
        read_text(str(tmp_path / "bad.md"))


def test_a_file_name_that_is_not_utf8_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "café.md").write_text("x", "utf-8")  # UTF-8: fine
    os.mkdir(os.path.join(os.fsencode(tmp_path), b"tweets"))
    with open(os.path.join(os.fsencode(tmp_path), b"tweets", b"caf\xe9.md"), "wb") as latin1:
        latin1.write(b"x")
    with pytest.raises(ArchiverError) as caught:
        markdown_files(tmp_path)
    assert (caught.value.message, caught.value.where) == ("the file name is not UTF-8 text",
                                                          "content/tweets/caf\ufffd.md")
