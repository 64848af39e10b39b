"""Write synthetic Twitter archives (modern and legacy, folder or zip) for tests and benchmarks.

Two levels:

* ``write_modern_archive(path, n_tweets, as_zip=False, seed=0)`` and
  ``write_legacy_archive(...)``: N realistic tweets (hashtags, mentions, t.co links, self-reply
  threads, replies, retweets, quotes, photos with alt text, long note tweets, deleted tweets),
  streamed to disk so 100,000 tweets take little memory. Deterministic for a seed.
* ``api_tweet(...)`` + ``write_modern(...)`` / ``write_grailbird(...)``: hand-made archives with
  exactly the records a test needs.

The record layout copies Twitter's own: ``window.YTD.tweets.part0 = [ {"tweet": {...}} ]`` with
every number as a string, ``full_text`` HTML-escaped, ``created_at`` in the API format.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

OWNER = {"username": "robin_example", "accountId": "1000", "displayName": "Robin Example",
         "email": "robin@example.com"}
START = datetime(2008, 1, 1, 9, 0, tzinfo=timezone.utc)
SPAN_MINUTES = 15 * 365 * 24 * 60  # synthetic tweets spread over about 15 years
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
       b"\x00\x00IEND\xaeB`\x82")
WORDS = ("bread oven loaf rye starter crumb crust flour water salt bike hall street party "
         "garden beans shed rain sun morning evening coffee tea book notes web feed archive "
         "markdown plain text durable format home platform words thread").split()
TAGS = [f"topic{n}" for n in range(40)] + ["baking", "openweb", "FollowFriday"]
FRIENDS = ["ann_reader", "sam_bakes", "some_user_name", "Dr___Mario", "tea_lover"]


def api_date(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%a %b %d %H:%M:%S +0000 %Y")


def escape(text: str) -> str:
    """Twitter's escaping of ``full_text``: & < > only."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def api_tweet(tweet_id: int | str, text: str, created: datetime, *,
              urls: Iterable[tuple[str, str, str]] = (), hashtags: Iterable[str] = (),
              mentions: Iterable[str] = (), media: Iterable[dict[str, Any]] = (),
              reply_to: tuple[str, str, str] | None = None, text_key: str = "full_text",
              strings: bool = True, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """One API-style tweet object. ``text`` is as written (escaped here).

    ``urls`` are (t.co, expanded, display); ``media`` items come from ``photo()``/``video()``;
    ``reply_to`` is (status id, screen name, user id).
    """
    def num(value: int) -> Any:
        return str(value) if strings else value

    tid = str(tweet_id)
    obj: dict[str, Any] = {
        "id_str": tid, "id": num(int(tid)), "created_at": api_date(created),
        text_key: escape(text), "retweeted": False, "favorited": False, "truncated": False,
        "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
        "entities": {
            "hashtags": [{"text": h, "indices": [num(0), num(0)]} for h in hashtags],
            "user_mentions": [{"screen_name": m, "name": m, "id_str": "9", "indices": [num(0), num(0)]}
                              for m in mentions],
            "urls": [{"url": s, "expanded_url": e, "display_url": d, "indices": [num(0), num(0)]}
                     for s, e, d in urls],
            "symbols": [],
        },
    }
    media = list(media)
    if media:
        obj["entities"]["media"] = [media[0]]
        obj["extended_entities"] = {"media": media}
    if reply_to:
        obj["in_reply_to_status_id_str"], obj["in_reply_to_screen_name"], obj[
            "in_reply_to_user_id_str"] = reply_to
        obj["in_reply_to_status_id"] = reply_to[0]
        obj["in_reply_to_user_id"] = reply_to[2]
    obj.update(extra or {})
    return obj


def photo(tweet_id: int | str, short: str, name: str, alt: str = "", user: str = "robin_example",
          number: int = 1) -> dict[str, Any]:
    """A photo media item; the archive file is ``<tweet id>-<name>``."""
    item = {"type": "photo", "url": short, "display_url": short.replace("https://t.co",
                                                                       "pic.twitter.com"),
            "expanded_url": f"https://twitter.com/{user}/status/{tweet_id}/photo/{number}",
            "media_url_https": f"https://pbs.twimg.com/media/{name}",
            "media_url": f"http://pbs.twimg.com/media/{name}", "id_str": "77"}
    if alt:
        item["ext_alt_text"] = alt
    return item


def video(tweet_id: int | str, short: str, variants: Iterable[tuple[int, str]],
          kind: str = "video", user: str = "robin_example") -> dict[str, Any]:
    """A video/GIF media item with mp4 variants (bitrate, file name) and an m3u8 one."""
    return {"type": kind, "url": short, "display_url": "pic.twitter.com/v",
            "expanded_url": f"https://twitter.com/{user}/status/{tweet_id}/video/1",
            "media_url_https": "https://pbs.twimg.com/ext_tw_video_thumb/1/pu/img/thumb.jpg",
            "video_info": {"variants": [
                *({"bitrate": str(b), "content_type": "video/mp4",
                   "url": f"https://video.twimg.com/ext_tw_video/1/pu/vid/{n}?tag=10"}
                  for b, n in variants),
                {"content_type": "application/x-mpegURL",
                 "url": "https://video.twimg.com/ext_tw_video/1/pu/pl/list.m3u8"}]}}


def note(note_id: int | str, text: str, created: datetime, *,
         urls: Iterable[tuple[str, str, str]] = (), hashtags: Iterable[str] = ()) -> dict[str, Any]:
    """A note-tweet record (the full text of a long tweet; its id is not the tweet's)."""
    stamp = created.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return {"noteTweet": {
        "noteTweetId": str(note_id), "createdAt": stamp, "updatedAt": stamp,
        "lifecycle": {"value": "1", "name": "Active"},
        "core": {"text": text, "styletags": [], "mentions": [], "cashtags": [],
                 "urls": [{"shortUrl": s, "expandedUrl": e, "displayUrl": d,
                           "fromIndex": "0", "toIndex": "1"} for s, e, d in urls],
                 "hashtags": [{"text": h, "fromIndex": "0", "toIndex": "1"} for h in hashtags]}}}


# -- writing files -------------------------------------------------------------------------
class _Sink:
    """Files written into a folder or a zip, by '/'-separated name."""

    def __init__(self, path: Path, as_zip: bool) -> None:
        self.path, self.as_zip = path, as_zip
        path.parent.mkdir(parents=True, exist_ok=True)
        self.zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) if as_zip else None
        if not as_zip:
            path.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def text(self, name: str) -> Iterator[IO[str]]:
        if self.zip is not None:
            with self.zip.open(name, "w", force_zip64=True) as raw, io.TextIOWrapper(
                    raw, encoding="utf-8") as handle:
                yield handle
        else:
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8") as handle:
                yield handle

    def write(self, name: str, data: bytes | str) -> None:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        if self.zip is not None:
            self.zip.writestr(name, payload)
        else:
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(payload)

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def write_js_array(handle: IO[str], global_name: str, records: Iterable[Any]) -> int:
    """``<global_name> = [ ... ]`` in Twitter's layout, one record at a time; the count."""
    handle.write(f"{global_name} = [")
    count = 0
    for record in records:
        handle.write(",\n  " if count else "\n  ")
        handle.write(json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n  "))
        count += 1
    handle.write("\n]" if count else " ]")
    return count


def _manifest(owner: dict[str, str], files: dict[str, list[tuple[str, str, int]]]) -> str:
    types = {kind: {"files": [{"fileName": f, "globalName": g, "count": str(c)}
                              for f, g, c in entries]} for kind, entries in files.items()}
    if "tweets" in types:
        types["tweets"]["mediaDirectory"] = "data/tweets_media"
    config = {"userInfo": {"accountId": owner["accountId"], "userName": owner["username"],
                           "displayName": owner["displayName"]},
              "archiveInfo": {"generationDate": "2024-01-01T00:00:00.000Z",
                              "isPartialArchive": False},
              "dataTypes": types}
    return "window.__THAR_CONFIG = " + json.dumps(config, indent=2)


def write_modern(path: Path, tweets: Iterable[dict[str, Any]] = (), *, as_zip: bool = False,
                 parts: int = 1, notes: Iterable[dict[str, Any]] = (),
                 deleted: Iterable[dict[str, Any]] = (), media: dict[str, bytes] | None = None,
                 owner: dict[str, str] | None = None, manifest: bool = True,
                 file_stem: str = "tweets", top_folder: str = "") -> Path:
    """A modern archive with these tweet objects (split over ``parts`` files), notes, deleted
    tweets and media files (``{file name in tweets_media: bytes}``). Returns ``path``."""
    owner = owner or OWNER
    sink = _Sink(path, as_zip)
    prefix = f"{top_folder}/" if top_folder else ""
    tweets = list(tweets) if parts > 1 else tweets
    files: dict[str, list[tuple[str, str, int]]] = {"tweets": []}
    chunks = ([tweets[i::parts] for i in range(parts)] if parts > 1 else [tweets])  # type: ignore[index]
    for number, chunk in enumerate(chunks):
        name = f"data/{file_stem}.js" if number == 0 else f"data/{file_stem}-part{number}.js"
        global_name = f"YTD.{file_stem}.part{number}"
        with sink.text(prefix + name) as handle:
            count = write_js_array(handle, "window." + global_name, ({"tweet": t} for t in chunk))
        files["tweets"].append((name, global_name, count))
    for kind, stem, global_name, records in (
            ("noteTweet", "note-tweet", "YTD.note_tweet.part0", notes),
            ("deletedTweets", "deleted-tweets", "YTD.deleted_tweets.part0",
             ({"tweet": t} for t in deleted))):
        with sink.text(f"{prefix}data/{stem}.js") as handle:
            count = write_js_array(handle, "window." + global_name, records)
        files[kind] = [(f"data/{stem}.js", global_name, count)]
    with sink.text(prefix + "data/account.js") as handle:
        write_js_array(handle, "window.YTD.account.part0", [{"account": {
            "email": owner["email"], "createdVia": "web", "username": owner["username"],
            "accountId": owner["accountId"], "createdAt": "2008-01-01T00:00:00.000Z",
            "accountDisplayName": owner["displayName"]}}])
    files["account"] = [("data/account.js", "YTD.account.part0", 1)]
    if manifest:
        sink.write(prefix + "data/manifest.js", _manifest(owner, files))
    for name, data in (media or {}).items():
        sink.write(f"{prefix}data/tweets_media/{name}", data)
    sink.close()
    return path


def write_grailbird(path: Path, tweets: Iterable[dict[str, Any]], *, as_zip: bool = False,
                    owner: dict[str, str] | None = None, csv_rows: list[list[str]] | None = None,
                    months: bool = True) -> Path:
    """A legacy archive: month files from ``tweets`` (objects with ``text``), user_details,
    tweet_index, and optionally tweets.csv rows (header included in ``csv_rows``)."""
    owner = owner or OWNER
    sink = _Sink(path, as_zip)
    by_month: dict[str, list[dict[str, Any]]] = {}
    for tweet in tweets:
        stamp = tweet["created_at"]
        created = (datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S %z") if stamp[:1].isdigit()
                   else datetime.strptime(stamp, "%a %b %d %H:%M:%S %z %Y"))
        by_month.setdefault(f"{created:%Y_%m}", []).append(tweet)
    index = []
    if months:
        for month, records in sorted(by_month.items()):
            with sink.text(f"data/js/tweets/{month}.js") as handle:
                write_js_array(handle, f"Grailbird.data.tweets_{month}", records)
            index.append({"file_name": f"data/js/tweets/{month}.js", "year": int(month[:4]),
                          "var_name": f"tweets_{month}", "tweet_count": len(records),
                          "month": int(month[5:])})
    sink.write("data/js/tweet_index.js", "var tweet_index =  " + json.dumps(index, indent=2))
    sink.write("data/js/user_details.js", "var user_details =  " + json.dumps(
        {"screen_name": owner["username"], "full_name": owner["displayName"],
         "id": owner["accountId"], "created_at": "2008-01-01 00:00:00 +0000"}, indent=2))
    if csv_rows is not None:
        out = io.StringIO()
        import csv
        csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(csv_rows)
        sink.write("tweets.csv", out.getvalue())
    sink.close()
    return path


def grailbird_tweet(obj: dict[str, Any], owner: dict[str, str] | None = None) -> dict[str, Any]:
    """An ``api_tweet`` object as Grailbird stores it: ``text``, int ids, Grailbird dates."""
    owner = owner or OWNER
    out = dict(obj)
    out["text"] = out.pop("full_text", out.get("text", ""))
    created = datetime.strptime(out["created_at"], "%a %b %d %H:%M:%S %z %Y")
    out["created_at"] = created.strftime("%Y-%m-%d %H:%M:%S +0000")
    out["id"] = int(out["id_str"])
    out["user"] = {"screen_name": owner["username"], "id_str": owner["accountId"],
                   "name": owner["displayName"]}
    return out


# -- synthetic archives of N tweets ---------------------------------------------------------
@dataclass
class Synthetic:
    """What a synthetic archive holds, for exact assertions."""

    tweets: int = 0  # published tweets and retweets written to tweets.js (all versions)
    retweets: int = 0
    replies_to_others: int = 0
    self_replies: int = 0
    notes: int = 0
    deleted: int = 0
    photos: int = 0
    tags: set[str] | None = None


def _synthetic_tweets(n_tweets: int, seed: int, stats: Synthetic,
                      media: dict[str, bytes], notes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    stats.tags = set()
    moment = START
    previous = ""
    step = max(2, 2 * SPAN_MINUTES // max(n_tweets, 1))
    for number in range(n_tweets):
        moment += timedelta(minutes=rng.randint(1, step))
        tweet_id = str(10_000_000 + number * 7)
        words = rng.choices(WORDS, k=rng.randint(4, 14))
        tags = rng.sample(TAGS, k=rng.choice((0, 0, 1, 2)))
        stats.tags.update(t.lower() for t in tags)
        text = " ".join(words) + "".join(f" #{t}" for t in tags)
        urls, mention, reply, media_items = [], [], None, []
        roll = rng.random()
        if roll < 0.05 and previous:
            reply = (previous, OWNER["username"], OWNER["accountId"])
            stats.self_replies += 1
        elif roll < 0.10:
            friend = rng.choice(FRIENDS)
            text = f"@{friend} {text}"
            mention = [friend]
            reply = (str(9_000_000 + number), friend, "42")
            stats.replies_to_others += 1
        elif roll < 0.13:
            friend = rng.choice(FRIENDS)
            text = f"RT @{friend}: {text}"
            mention = [friend]
            stats.retweets += 1
        if rng.random() < 0.2:
            short = f"https://t.co/u{number}"
            urls = [(short, f"https://example.com/{number}/{words[0]}",
                     f"example.com/{number}/{words[0]}")]
            text += f" {short}"
        if rng.random() < 0.1:
            text += " <3 & more"
        if rng.random() < 0.01:
            short = f"https://t.co/p{number}"
            media_items = [photo(tweet_id, short, f"P{number}.png", alt=f"photo {number}")]
            media[f"{tweet_id}-P{number}.png"] = PNG
            text += f" {short}"
            stats.photos += 1
        if rng.random() < 0.01 and not text.startswith("RT @"):
            full = text + " " + " ".join(rng.choices(WORDS, k=60))
            text = full[:270] + "…"
            notes.append(note(20_000_000 + number, full, moment))
            stats.notes += 1
        stats.tweets += 1
        previous = tweet_id
        yield api_tweet(tweet_id, text, moment, urls=urls, hashtags=tags, mentions=mention,
                        media=media_items, reply_to=reply)


def write_modern_archive(path: Path | str, n_tweets: int, *, as_zip: bool = False,
                         seed: int = 0, deleted: int = 0) -> Synthetic:
    """A modern archive of ``n_tweets`` synthetic tweets (plus ``deleted`` deleted ones)."""
    path = Path(path)
    stats = Synthetic()
    media: dict[str, bytes] = {}
    notes: list[dict[str, Any]] = []
    dead = [api_tweet(5_000_000 + i, f"deleted tweet {i}", START + timedelta(days=i))
            for i in range(deleted)]
    stats.deleted = deleted
    # tweets stream to disk first; notes and media (filled meanwhile) are written after them
    write_modern(path, _synthetic_tweets(n_tweets, seed, stats, media, notes), as_zip=as_zip,
                 notes=notes, deleted=dead, media=media)
    return stats


def write_legacy_archive(path: Path | str, n_tweets: int, *, as_zip: bool = False,
                         seed: int = 0) -> Synthetic:
    """A Grailbird archive holding the same tweets as ``write_modern_archive`` (same seed)."""
    path = Path(path)
    stats = Synthetic()
    tweets = (grailbird_tweet(t) for t in _synthetic_tweets(n_tweets, seed, stats, {}, []))
    write_grailbird(path, tweets, as_zip=as_zip)
    return stats
