"""Media behind a symbolic link is never published (Jekyll's symlink CVE: a site repository
that publishes files of the machine that builds it, e.g. a CI runner's)."""

from __future__ import annotations

import os
from pathlib import Path

from archiver.build.pipeline import build
from archiver.config import load_config
from sitegen import write


def test_media_through_a_linked_folder_or_a_linked_file_is_not_copied(site: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "hostname").write_text("SECRET-HOST")
    media = site / "content" / "media"
    (media / "real").mkdir(parents=True)
    (media / "real" / "ok.txt").write_text("fine")
    os.symlink(outside, media / "photos")
    os.symlink(outside / "hostname", media / "real" / "h.jpg")
    write(site, "posts/2021/a.md", "---\ntitle: A\ndate: 2021-01-01T00:00:00Z\n---\n"
                                   "![x](/media/photos/hostname) ![y](/media/real/h.jpg) [f](/media/real/ok.txt)\n")
    result = build(load_config(site))
    public = site / "public"
    assert (public / "media/real/ok.txt").read_text() == "fine"
    assert not (public / "media/photos").exists() and not (public / "media/real/h.jpg").exists()
    assert "SECRET-HOST" not in "".join(p.read_text(errors="replace") for p in public.rglob("*") if p.is_file())
    linked = [w for w in result.warnings if "symbolic link" in w]
    assert linked == [
        "content/media/photos/hostname is a symbolic link or in a linked folder; not copied "
        "(a link could publish any file of this computer: copy the file in)",
        "content/media/real/h.jpg is a symbolic link or in a linked folder; not copied "
        "(a link could publish any file of this computer: copy the file in)"]
