"""Which files under content/ are entries, from one walk that the up-to-date check shares."""

from __future__ import annotations

from pathlib import Path

from archiver.build.loader import markdown_files
from archiver.build.stamps import file_stats, tree_stamps


def test_markdown_files_skip_media_and_hidden_folders(tmp_path: Path) -> None:
    for rel in ("posts/a.md", "posts/2020/b.md", "posts/media/c.md", "media/d.md", "media/x/e.md",
                ".git/f.md", "tweets/.cache/g.md", "pages/.h.md", "pages/i.txt", "j.md", "__pycache__/k.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", "utf-8")
    expected = ["__pycache__/k.md", "j.md", "posts/2020/b.md", "posts/a.md", "posts/media/c.md"]
    assert markdown_files(tmp_path) == expected
    stats = file_stats(tmp_path, skip_dirs=())
    assert markdown_files(tmp_path, stats) == expected
    assert stats["posts/a.md"] == (1, (tmp_path / "posts/a.md").stat().st_mtime_ns)
    size, mtime = stats["j.md"]
    assert f"j.md {size} {mtime}" in tree_stamps(tmp_path)
    assert not any(stamp.startswith("__pycache__/") for stamp in tree_stamps(tmp_path))
