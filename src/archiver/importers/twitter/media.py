"""Media of a tweet: find its files in the archive and name their copies in content/media.

Modern archives keep media in ``data/tweets_media/`` (2019-2020: ``data/tweet_media/``), each
named ``<tweet id>-<file name of the photo or video URL>``; an archive holds one mp4 per
video/GIF. Photos are matched by name, videos by the best mp4 variant that the archive has.
Copies go to ``media/tweets/YYYY/<safe name>`` and are never hot-linked from Twitter.
Legacy (Grailbird) archives hold no media files at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from archiver.importers.twitter.archive import MAX_MEDIA_FILE, MEDIA_RATIO, Archive
from archiver.importers.twitter.tweet import MediaRef, Tweet
from archiver.model import Media
from archiver.paths import safe_filename
from archiver.store import Store

MEDIA_FOLDERS = ("data/tweets_media", "data/tweet_media")


@dataclass(frozen=True)
class CopiedMedia:
    """Media of one tweet found in the archive: entries for front matter, files to copy."""

    media: tuple[Media, ...]
    members: dict[str, str]  # path under content/ -> archive member (``files`` reads them)
    missing: int  # media the archive has no file for


_NO_MEDIA = CopiedMedia(media=(), members={}, missing=0)  # shared: never changed


class MediaIndex:
    """File names in the archive's media folder, grouped by the tweet id they start with."""

    def __init__(self, archive: Archive, folders: list[str]) -> None:
        self.archive = archive
        self._by_tweet: dict[str, dict[str, str]] = {}
        self.refused: list[tuple[str, str]] = []  # (member, why): too large or a zip bomb
        for folder in folders:
            for name in archive.names_under(folder):
                problem = archive.inflation_problem(name, MAX_MEDIA_FILE, MEDIA_RATIO)
                if problem:
                    self.refused.append((name, problem))
                    continue
                file_name = name.rsplit("/", 1)[-1]
                tweet_id, dash, _ = file_name.partition("-")
                if dash and tweet_id.isdigit():
                    self._by_tweet.setdefault(tweet_id, {}).setdefault(file_name, name)

    def __len__(self) -> int:
        return sum(len(files) for files in self._by_tweet.values())

    def find(self, tweet_id: str, ref: MediaRef, used: set[str]) -> str | None:
        """The archive member holding ``ref``'s file, or None."""
        files = self._by_tweet.get(tweet_id)
        if not files:
            return None
        for name in ref.file_names:
            if name in files and files[name] not in used:
                return files[name]
        if ref.type in ("video", "gif"):  # a variant we did not expect: any unused mp4
            for file_name, member in sorted(files.items()):
                if file_name.endswith(".mp4") and member not in used:
                    return member
        return None

    def copy_for(self, tweet: Tweet) -> CopiedMedia:
        """What of ``tweet``'s media the archive holds, with paths under content/media."""
        if not tweet.media:
            return _NO_MEDIA  # most tweets
        media, members, missing, used = [], {}, 0, set()
        for ref in tweet.media:
            member = None if tweet.deleted else self.find(tweet.id, ref, used)
            if member is None:
                missing += 1
                continue
            used.add(member)
            name = safe_filename(member.rsplit("/", 1)[-1], fallback=f"{tweet.id}-media")
            path = Store.media_path(f"tweets/{tweet.date:%Y}", name)
            media.append(Media(path=path, alt=ref.alt, type=ref.type))
            members[path] = member
        return CopiedMedia(media=tuple(media), members=members, missing=missing)

    def files(self, members: dict[str, str]) -> dict[str, Callable[[], bytes]]:
        """The store's ``ImportedItem.files`` for ``CopiedMedia.members``: readers of the
        archive members (called only for files content/ does not have yet)."""
        return {path: self._reader(member) for path, member in members.items()}

    def _reader(self, member: str) -> Callable[[], bytes]:
        return lambda: self.archive.read_bytes(member)
