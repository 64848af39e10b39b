"""OutputWriter: keeping a group of the last build's files all or none, recording files
that another tool (Pagefind) wrote in place, and never keeping a file changed since."""

from __future__ import annotations

import json
import os
from pathlib import Path

from archiver.build.manifest import MANIFEST, missing_files
from archiver.build.output import OutputWriter
from archiver.build.stamps import hash_bytes


def first_build(tmp_path: Path) -> None:
    writer = OutputWriter(tmp_path / "public", tmp_path / ".archiver")
    writer.write("part/a.txt", "A", inputs="key-1")
    writer.write("part/b.txt", "B", inputs="key-1")
    writer.write("other.txt", "O", inputs="key-2")
    writer.finish()


def test_keep_all_keeps_every_file_or_none(tmp_path: Path) -> None:
    first_build(tmp_path)
    writer = OutputWriter(tmp_path / "public", tmp_path / ".archiver")
    assert not writer.keep_all(["part/a.txt", "part/b.txt"], "key-2")  # other inputs
    assert not writer.keep_all([], "key-1")
    assert not writer.keep_all(["part/a.txt", "part/new.txt"], "key-1")  # not the last build's
    (tmp_path / "public/part/b.txt").unlink()
    assert not writer.keep_all(["part/a.txt", "part/b.txt"], "key-1")  # one is gone
    assert writer.new == {}  # a refused group records nothing, so it can be written again
    assert writer.keep_all(["other.txt"], "key-2")
    assert writer.new == {"other.txt": hash_bytes(b"O")} and writer.unchanged == 1
    writer.finish()
    assert not (tmp_path / "public/part/a.txt").exists()  # not kept, not written: removed


def test_adopt_records_what_another_tool_wrote(tmp_path: Path) -> None:
    first_build(tmp_path)
    writer = OutputWriter(tmp_path / "public", tmp_path / ".archiver")
    (tmp_path / "public/part/b.txt").write_text("B2")
    writer.adopt("part/a.txt", inputs="key-3")  # the same bytes as the last build's
    writer.adopt("part/b.txt", inputs="key-3")
    assert writer.new == {"part/a.txt": hash_bytes(b"A"), "part/b.txt": hash_bytes(b"B2")}
    assert (writer.written, writer.unchanged) == (1, 1)
    assert writer.new_inputs == {"part/a.txt": "key-3", "part/b.txt": "key-3"}
    writer.finish()
    assert not (tmp_path / "public/other.txt").exists()


def _later(path: Path) -> None:
    """Modified two seconds after now (a hand edit after the build, on any clock granularity)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_a_file_changed_after_the_build_is_neither_kept_nor_skipped(tmp_path: Path) -> None:
    first_build(tmp_path)
    manifest = json.loads((tmp_path / ".archiver" / MANIFEST).read_text("utf-8"))
    assert manifest["finished_ns"] >= (tmp_path / "public/other.txt").stat().st_mtime_ns
    edited = tmp_path / "public/part/a.txt"
    edited.write_text("A edited by hand")
    _later(edited)
    rewritten = tmp_path / "public/part/b.txt"
    rewritten.write_text("B")  # the same bytes, written again by some tool
    _later(rewritten)
    writer = OutputWriter(tmp_path / "public", tmp_path / ".archiver")
    assert not writer.keep("part/a.txt", "key-1")  # the inputs are the same: kept were it untouched
    assert writer.keep("other.txt", "key-2")
    writer.write("part/a.txt", "A")  # the bytes of the last build, which the file no longer has
    writer.write("part/b.txt", "B")
    assert edited.read_text() == "A" and (writer.written, writer.unchanged) == (2, 1)
    writer.finish()
    again = OutputWriter(tmp_path / "public", tmp_path / ".archiver")
    assert again.keep("part/a.txt", None) is False  # no inputs recorded: rendered, as before
    again.write("part/a.txt", "A")
    assert (again.written, again.unchanged) == (0, 1)  # untouched since this build: skipped


def test_missing_files_names_the_gone_and_the_changed_not_an_old_copy(tmp_path: Path) -> None:
    first_build(tmp_path)
    source = tmp_path / "photo.jpg"
    source.write_bytes(b"jpeg")
    os.utime(source, ns=(0, 10**18 * 3))  # a camera's clock far in the future: still a copy
    writer = OutputWriter(tmp_path / "public", tmp_path / ".archiver")
    writer.copy("media/photo.jpg", source)
    for rel in ("part/a.txt", "part/b.txt", "other.txt"):
        writer.keep(rel, "key-1" if rel.startswith("part/") else "key-2")
    writer.finish()
    data = json.loads((tmp_path / ".archiver" / MANIFEST).read_text("utf-8"))
    assert missing_files(tmp_path / "public", data["files"], data["finished_ns"]) == set()
    (tmp_path / "public/part/b.txt").unlink()
    _later(tmp_path / "public/part/a.txt")
    assert missing_files(tmp_path / "public", data["files"], data["finished_ns"]) == {
        "part/a.txt", "part/b.txt"}
    copy = tmp_path / "public/media/photo.jpg"
    copy.write_bytes(b"a smaller or larger file")
    assert "media/photo.jpg" in missing_files(tmp_path / "public", data["files"], data["finished_ns"])
    writer = OutputWriter(tmp_path / "public", tmp_path / ".archiver")
    writer.copy("media/photo.jpg", source)
    assert copy.read_bytes() == b"jpeg" and writer.written == 1
