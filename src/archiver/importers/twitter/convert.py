"""``Tweet`` -> ``Entry``: body, tags, media, relations, status; and the threads.

Threads: a reply to one's own tweet belongs to the thread of its first tweet; ``Threads`` is
built from a first pass over the archive (ids only, so it stays small) and gives every tweet
of a self-reply chain the id of the chain's first tweet that the archive holds. ``convert``
does not need it (it may run before the first pass ends, in another process): the thread is
set by ``with_thread`` when the entry is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archiver.importers.twitter.api import status_url
from archiver.importers.twitter.media import MediaIndex
from archiver.importers.twitter.text import render_tweet_text
from archiver.importers.twitter.tweet import Tweet
from archiver.model import Entry

SOURCE = "twitter"
TWITTER = "https://twitter.com/"


@dataclass
class Threads:
    """Own tweet ids and who replies to whom among them (ints keep 100k tweets small)."""

    ids: set[int] = field(default_factory=set)
    parent: dict[int, int] = field(default_factory=dict)  # own reply -> own tweet it answers
    has_replies: set[int] = field(default_factory=set)
    roots: dict[int, int] = field(default_factory=dict)  # tweet -> its thread's first, once found

    def add(self, tweet_id: str, self_reply_to: str) -> None:
        self.ids.add(int(tweet_id))
        if self_reply_to.isdigit():
            self.parent[int(tweet_id)] = int(self_reply_to)

    def finish(self) -> None:
        """Forget parents that are not in the archive; remember who has replies."""
        self.parent = {child: up for child, up in self.parent.items() if up in self.ids}
        self.has_replies = set(self.parent.values())

    def root_of(self, tweet_id: str) -> str:
        """The first tweet of ``tweet_id``'s thread, '' when it is not part of one.

        The first tweets found are remembered for every tweet on the way, so a chain of
        20,000 replies is walked once, not once per reply (200 million steps).
        """
        current = int(tweet_id)
        if current not in self.parent and current not in self.has_replies:
            return ""
        path, seen = [current], {current}
        while current in self.parent and current not in self.roots and self.parent[current] not in seen:
            current = self.parent[current]
            path.append(current)
            seen.add(current)
        if current in self.roots:
            current = self.roots[current]
        elif current in self.parent:  # a cycle of replies: its first tweet depends on the start
            return str(current)
        self.roots.update(dict.fromkeys(path, current))
        return str(current)


Converted = tuple[Entry, dict[str, str], int]  # entry, media path -> archive member, missing


def convert(tweet: Tweet, media_index: MediaIndex) -> Converted:
    """The entry for ``tweet`` (no thread yet), its media files in the archive (path under
    content/ -> member) and how many of its media the archive lacks."""
    copied = media_index.copy_for(tweet)
    media_links = {m.short for m in tweet.media if m.short}
    rendered = render_tweet_text(tweet.text, tweet.links, removed=media_links,
                                 hashtags=tweet.hashtags, styles=tweet.styles)
    body = rendered.body
    if tweet.leading_mentions:
        body = render_tweet_text(tweet.leading_mentions, []).body + " " + body
    user = tweet.screen_name or "i/web"
    entry = Entry(
        kind="retweet" if tweet.is_retweet else "tweet",
        date=tweet.date,
        body=body,
        tags=rendered.tags,
        source=SOURCE,
        source_id=tweet.id,
        url=f"{TWITTER}{user}/status/{tweet.id}",
        status="deleted" if tweet.deleted else "private" if tweet.private else "published",
        media=copied.media,
        reply_to=_relation(tweet.reply_to_id, tweet.reply_to_user),
        quote_of=_relation(tweet.quote_id, _quote_user(tweet), tweet.quote_url),
        retweet_of=_relation(tweet.retweet_id, tweet.retweet_user),
    )
    return entry, copied.members, copied.missing


def with_thread(entry: Entry, threads: Threads) -> Entry:
    """``entry`` with the first tweet of its thread (deleted and private tweets are in none)."""
    if entry.status != "published":
        return entry
    root = threads.root_of(entry.source_id)
    return entry.with_changes(thread=root) if root else entry


def _quote_user(tweet: Tweet) -> str:
    found = status_url(tweet.quote_url)
    return found[0] if found else ""


def _relation(tweet_id: str, user: str, url: str = "") -> dict[str, str]:
    """A ``{id, user, url}`` mapping with only what is known ({} when nothing is)."""
    if not tweet_id and not user:
        return {}
    relation = {}
    if tweet_id:
        relation["id"] = tweet_id
    if user:
        relation["user"] = user
    if url:
        relation["url"] = url
    elif tweet_id and user:
        relation["url"] = f"{TWITTER}{user}/status/{tweet_id}"
    elif user:
        relation["url"] = f"{TWITTER}{user}"
    return relation
