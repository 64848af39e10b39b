"""A small in-memory importer for fault tests: posts with media, tweets, a thread."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterator

from archiver.importers import ImportContext, Importer
from archiver.model import Comment, Entry, Media
from archiver.store import ImportedItem

START = datetime(2011, 5, 1, 9, 0, tzinfo=timezone.utc)


def sample_items(posts: int = 8, tweets: int = 16, first: int = 0) -> list[ImportedItem]:
    """Posts (each with an image) and tweets (replies form a thread); ids start at ``first``."""
    items = []
    for number in range(first, first + posts):
        media = f"media/posts/{number}-photo.jpg"
        entry = Entry(kind="post", date=START + timedelta(days=number), title=f"Post number {number}",
                      body=f"Text of post {number}.\n\n![photo](/{media})\n" + "More words. " * 50,
                      tags=("faults", f"t{number % 3}"), source="wordpress", source_id=str(number),
                      url=f"http://old.example/?p={number}", media=(Media(path=media, alt="A photo"),),
                      comments=(Comment(author="Ann", body=f"Nice {number}", id=f"c{number}",
                                        date=START + timedelta(days=number, hours=1)),))
        items.append(ImportedItem(entry, files={media: lambda n=number: b"JPEG" * 500 + str(n).encode()}))
    for number in range(first, first + tweets):
        reply = {"id": str(1000 + number - 1), "user": "me"} if number % 4 else {}
        entry = Entry(kind="tweet", date=START + timedelta(hours=number), body=f"Tweet {number} #faults",
                      tags=("faults",), source="twitter", source_id=str(1000 + number), reply_to=reply)
        items.append(ImportedItem(entry))
    return items


class ListImporter(Importer):
    """Yields the items it was given, whatever the source."""

    name = "list"

    def __init__(self, items: list[ImportedItem]) -> None:
        super().__init__()
        self.items = items

    def read(self, source: str, context: ImportContext) -> Iterator[ImportedItem]:
        context.total = len(self.items)
        yield from self.items
