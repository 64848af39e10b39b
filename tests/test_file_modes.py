"""Files archiver writes get the permissions of any new file (0666 less the umask), so what a
web server publishes is readable: an imported photo, a post, a built page, a copied medium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from archiver.build.pipeline import build
from archiver.config import load_config
from archiver.importers.movabletype import MovableTypeImporter
from archiver.importing import run_import
from archiver.safewrite import atomic_write
from media_server import LocalServer


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def modes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mode & 0o777
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_atomic_write_follows_the_umask(tmp_path: Path, umask_022) -> None:
    atomic_write(tmp_path / "new.txt", b"one")
    (tmp_path / "old.txt").write_bytes(b"before")
    atomic_write(tmp_path / "old.txt", b"two")
    os.umask(0o077)
    atomic_write(tmp_path / "private.txt", b"three")
    assert modes(tmp_path) == {"new.txt": 0o644, "old.txt": 0o644, "private.txt": 0o600}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp-")] == []


def test_imported_media_and_the_built_copies_are_readable_by_all(tmp_path: Path, site: Path,
                                                                umask_022) -> None:
    from importers.test_movabletype import typepad_export

    routes = {"/.a/6a00d8-pi": (200, {"Content-Type": "image/jpeg"}, b"JPEG"),
              "/files/map.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF")}
    with LocalServer(routes) as server:
        run_import(load_config(site), MovableTypeImporter(), [str(typepad_export(tmp_path, server.base))])
    media = site / "content" / "media" / "movabletype"
    (media / "2008/harbour-walk/map.pdf").chmod(0o600)  # a file of the user's own, kept private
    build(load_config(site))
    content, public = modes(site / "content"), modes(site / "public")
    assert content["posts/2008/harbour-walk.md"] == 0o644
    assert content["media/movabletype/2008/harbour-walk/6a00d8-pi.jpg"] == 0o644
    assert public["media/movabletype/2008/harbour-walk/6a00d8-pi.jpg"] == 0o644
    assert public["media/movabletype/2008/harbour-walk/map.pdf"] == 0o644  # published: readable
    assert {rel: mode for rel, mode in public.items() if mode != 0o644} == {}
    source = media / "2008/harbour-walk/6a00d8-pi.jpg"
    copy = site / "public/media/movabletype/2008/harbour-walk/6a00d8-pi.jpg"
    assert copy.stat().st_mtime_ns == source.stat().st_mtime_ns


def test_a_copy_an_older_build_left_unreadable_is_made_readable(site: Path, umask_022) -> None:
    """Builds before 22ee005 published a 0600 photo as 0600; the next build mends the copy
    it keeps (the source is unchanged, so it is not copied again)."""
    photo = site / "content" / "media" / "photo.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"JPEG")
    photo.chmod(0o600)
    post = site / "content" / "posts" / "with-photo.md"
    post.write_text("---\ntitle: With a photo\ndate: 2020-01-02T03:04:05Z\nmedia:\n"
                    "- path: media/photo.jpg\n---\nLook.\n", "utf-8")
    build(load_config(site))
    copy = site / "public" / "media" / "photo.jpg"
    copy.chmod(0o600)  # as an older build left it
    copy_written = copy.stat().st_mtime_ns
    post.write_text(post.read_text("utf-8") + "More.\n", "utf-8")
    build(load_config(site))
    assert copy.stat().st_mode & 0o777 == 0o644
    assert copy.stat().st_mtime_ns == copy_written  # kept, not copied again
    assert photo.stat().st_mode & 0o777 == 0o600  # the user's own file is left as it is
