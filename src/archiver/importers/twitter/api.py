"""API-style tweet objects (both archive formats use them) -> ``Tweet``.

Modern archives hold ``{"tweet": {...}}`` records with ``full_text``; Grailbird month files hold
the same object with ``text`` and a full ``retweeted_status``. Numbers may be strings or ints.
Media come from ``extended_entities`` (every photo, video variants), falling back to
``entities.media``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from archiver.importers.twitter.tweet import (
    Link, MediaRef, Tweet, as_str, parse_date, retweeted_user, unescape,
)

_STATUS_URL = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(\w{1,20})/status(?:es)?/(\d+)/?(?:[?#].*)?$",
    re.IGNORECASE)
_MEDIA_TYPES = {"photo": "image", "video": "video", "animated_gif": "gif"}


@dataclass(frozen=True)
class Owner:
    """The archive owner's account (never their email)."""

    screen_name: str = ""
    user_id: str = ""
    display_name: str = ""


def tweet_from_api(obj: dict[str, Any], owner: Owner, *, deleted: bool = False) -> Tweet:
    """A ``Tweet`` from an API v1.1-style object; raises KeyError/ValueError when unusable."""
    tweet_id = as_str(obj.get("id_str") or obj.get("id"))
    if not tweet_id.isdigit():
        raise ValueError("no tweet id")
    text = unescape(obj.get("full_text") or obj.get("text") or "")
    entities = obj.get("entities") or {}
    tweet = Tweet(
        id=tweet_id,
        date=parse_date(obj.get("created_at", "")),
        text=text,
        screen_name=owner.screen_name,
        links=links_of(entities),
        media=media_of(obj, tweet_id),
        hashtags=[as_str(h.get("text")) for h in entities.get("hashtags") or [] if h.get("text")],
        reply_to_id=as_str(obj.get("in_reply_to_status_id_str") or obj.get("in_reply_to_status_id")),
        reply_to_user=as_str(obj.get("in_reply_to_screen_name")),
        reply_to_user_id=as_str(obj.get("in_reply_to_user_id_str")
                                or obj.get("in_reply_to_user_id")),
        deleted=deleted,
    )
    if tweet.reply_to_user_id and not tweet.reply_to_user and tweet.reply_to_user_id == owner.user_id:
        tweet.reply_to_user = owner.screen_name
    _set_retweet(tweet, obj)
    _set_quote(tweet, obj)
    return tweet


def links_of(entities: dict[str, Any]) -> list[Link]:
    links = []
    for item in entities.get("urls") or []:
        short = as_str(item.get("url"))
        if short:
            links.append(Link(short=short, expanded=as_str(item.get("expanded_url")) or short,
                              display=as_str(item.get("display_url"))))
    return links


def media_of(obj: dict[str, Any], tweet_id: str) -> list[MediaRef]:
    """Every photo/video/GIF of a tweet, with the archive file names to look for, best first."""
    extended = (obj.get("extended_entities") or {}).get("media")
    items = extended or (obj.get("entities") or {}).get("media") or []
    found = []
    for item in items:
        kind = _MEDIA_TYPES.get(as_str(item.get("type")), "image")
        names = _file_names(item, kind, tweet_id)
        found.append(MediaRef(
            short=as_str(item.get("url")),
            expanded=as_str(item.get("expanded_url")),
            display=as_str(item.get("display_url")),
            type=kind,
            file_names=tuple(names),
            alt=as_str(item.get("ext_alt_text") or item.get("alt_text") or "").strip(),
        ))
    return found


def _file_names(item: dict[str, Any], kind: str, tweet_id: str) -> list[str]:
    """Archive media file names (``<tweet id>-<file>``) for one media item, best first."""
    names = []
    if kind in ("video", "gif"):
        variants = (item.get("video_info") or {}).get("variants") or []
        mp4s = [v for v in variants if as_str(v.get("content_type")) == "video/mp4"]
        mp4s.sort(key=lambda v: int(as_str(v.get("bitrate")) or 0), reverse=True)
        names += [f"{tweet_id}-{_basename(as_str(v.get('url')))}" for v in mp4s if v.get("url")]
    photo = as_str(item.get("media_url_https") or item.get("media_url"))
    if photo and kind == "image":
        names.append(f"{tweet_id}-{_basename(photo)}")
    return [n for n in dict.fromkeys(names) if not n.endswith("-")]


def _basename(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[-1]


def _set_retweet(tweet: Tweet, obj: dict[str, Any]) -> None:
    original = obj.get("retweeted_status")
    if isinstance(original, dict):
        user = as_str((original.get("user") or {}).get("screen_name"))
        tweet.is_retweet = True
        tweet.retweet_id = as_str(original.get("id_str") or original.get("id"))
        tweet.retweet_user = user or retweeted_user(tweet.text)
        full = unescape(original.get("full_text") or original.get("text") or "")
        if full and user:
            # the original's whole text: the RT copy is cut at 140 characters
            tweet.text = f"RT @{user}: {full}"
            entities = original.get("entities") or {}
            tweet.links = links_of(entities) + tweet.links
            tweet.hashtags = [as_str(h.get("text")) for h in entities.get("hashtags") or []]
            tweet.media = media_of(original, tweet.id) or tweet.media
        return
    user = retweeted_user(tweet.text)
    if user:
        tweet.is_retweet = True
        tweet.retweet_user = user


def _set_quote(tweet: Tweet, obj: dict[str, Any]) -> None:
    if tweet.is_retweet:
        return
    quoted_id = as_str(obj.get("quoted_status_id_str") or obj.get("quoted_status_id"))
    for link in reversed(tweet.links):
        match = status_url(link.expanded)
        if match and (not quoted_id or match[1] == quoted_id):
            tweet.quote_id, tweet.quote_url = match[1], link.expanded
            return
    if quoted_id:
        tweet.quote_id = quoted_id


def status_url(url: str) -> tuple[str, str] | None:
    """(user, id) when ``url`` is a tweet's address on twitter.com / x.com."""
    match = _STATUS_URL.match(url or "")
    return (match.group(1), match.group(2)) if match else None
