"""OutputWriter: keeping a group of the last build's files all or none, and recording files
that another tool (Pagefind) wrote in place."""

from __future__ import annotations

from pathlib import Path

from archiver.build.output import OutputWriter, fingerprint


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
    assert writer.new == {"other.txt": fingerprint(b"O")} and writer.unchanged == 1
    writer.finish()
    assert not (tmp_path / "public/part/a.txt").exists()  # not kept, not written: removed


def test_adopt_records_what_another_tool_wrote(tmp_path: Path) -> None:
    first_build(tmp_path)
    writer = OutputWriter(tmp_path / "public", tmp_path / ".archiver")
    (tmp_path / "public/part/b.txt").write_text("B2")
    writer.adopt("part/a.txt", inputs="key-3")  # the same bytes as the last build's
    writer.adopt("part/b.txt", inputs="key-3")
    assert writer.new == {"part/a.txt": fingerprint(b"A"), "part/b.txt": fingerprint(b"B2")}
    assert (writer.written, writer.unchanged) == (1, 1)
    assert writer.new_inputs == {"part/a.txt": "key-3", "part/b.txt": "key-3"}
    writer.finish()
    assert not (tmp_path / "public/other.txt").exists()
