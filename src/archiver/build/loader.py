"""Read content/ into Entries, once per file, with a persistent cache.

The cache (``.archiver/cache/entries-NN.pickle``) keeps each file's parsed Entry, its body
rendered to HTML, that body's plain text and its words for the word clouds, keyed by its path,
size and change time (``stamps.changed_ns``), so an unchanged file is neither parsed,
rendered nor tokenised again; and a digest of its text, which is what its pages depend on. It
is split into shards by path, so editing one post rewrites one small shard, not the cache of
the whole archive. A damaged or foreign shard is ignored (and rewritten).

A first build of a big archive parses the files in forked worker processes, in chunks.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import sys
import zlib
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator
from zoneinfo import ZoneInfo

from archiver import __version__, forked, frontmatter
from archiver.build import keyedpickle, words
from archiver.build.markup import plain_text, render_markdown
from archiver.build.result import Reporter
from archiver.build.simplemd import simple_html
from archiver.build.stamps import Stat, file_stats, hash_bytes, markdown_files
from archiver.errors import ArchiverError
from archiver.model import Entry

# The words code is part of the key: a changed tokeniser must not reuse the cached words.
# 5: a cache of an earlier version may hold posts rendered as raw Markdown (render_markdown).
# 6: each record holds its file's digest (Loaded.digest). 7: that digest is xxh3's.
CACHE_VERSION = f"7:{__version__}:{zlib.crc32(Path(words.__file__).read_bytes()):08x}"
SHARDS = 32
MIN_FILES_PER_WORKER = 500  # below this a process pool costs more than it saves
CHUNK_FILES = 200
READ_SIZE = 1 << 16  # most entries are read whole in one call
_BINARY = getattr(os, "O_BINARY", 0)  # Windows only: no newline translation


@dataclass(frozen=True)
class Loaded:
    """One content file: its entry, its body rendered to HTML (root-relative links), its text.

    ``words`` are ``words.entry_words`` of it: None when its words never count (or unknown).
    ``digest``: of the file's text, which is all its pages show of it (``EntryCache.digests``).
    """

    entry: Entry
    html: str
    text: str = ""
    words: tuple[str, ...] | None = None
    digest: str = ""


# One line of words and harmless punctuation, starting with a letter: Markdown (and the
# sanitiser) turn it into exactly "<p>line</p>". Most tweets are like this; the rest, and
# anything with markup characters (*_[]()<>&`\\ ...), go through render_markdown.
_PLAIN_TWEET = re.compile(r"[A-Za-z@](?:[A-Za-z0-9 ,;'?@#.!]*[A-Za-z0-9,;'?@#.!])?")

CacheRecord = tuple[int, int, Loaded]  # size, changed_ns, what was read


def render_body(entry: Entry) -> str:
    """The entry's body as HTML; imported text is sanitised, the owner's own is trusted.

    Bodies in the plain subset of Markdown (most tweets, many posts) skip Python-Markdown
    and nh3: ``simple_html`` gives the same bytes for them.
    """
    if entry.is_tweet:
        text = entry.body.strip("\n")
        if _PLAIN_TWEET.fullmatch(text):  # the commonest tweet, with one regex
            return f"<p>{text}</p>"
    html = simple_html(entry.body, tweet=entry.is_tweet)
    if html is not None:
        return html
    return render_markdown(entry.body, tweet=entry.is_tweet, sanitize=bool(entry.source))


def read_text(path: str) -> str:
    """A file's text as ``Path.read_text("utf-8")`` gives it (newlines made ``\\n``), faster."""
    data = read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ArchiverError("not UTF-8 text", where=path, hint="save the file as UTF-8") from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_bytes(path: str) -> bytes:
    """A file's bytes by the system calls themselves: a file object (``open``) costs more than
    reading a tweet's file does (13 -> 6 us a file; a build reads 21,000)."""
    handle = os.open(path, os.O_RDONLY | _BINARY)
    try:
        parts = [os.read(handle, READ_SIZE)]
        while parts[-1]:  # until the end of the file, however long it has grown
            parts.append(os.read(handle, READ_SIZE))
    finally:
        os.close(handle)
    return parts[0] if len(parts) == 2 else b"".join(parts)


def load_file(content: Path, rel: str, tz: ZoneInfo) -> Loaded:
    text = read_text(f"{content}{os.sep}{rel}")
    digest = hash_bytes(text.encode("utf-8", "surrogatepass"))
    entry = frontmatter.loads(text, rel, default_tz=tz)
    if not entry.is_published:
        return Loaded(entry=entry, html="", digest=digest)
    html = render_body(entry)
    text = plain_text(html) if html else ""
    found = words.entry_words(entry, text)
    # interned: the cache pickles each distinct word of a shard once, and memory holds it once
    return Loaded(entry=entry, html=html, text=text,
                  words=None if found is None else tuple(map(sys.intern, found)), digest=digest)


def shard_of(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8")) % SHARDS


class EntryCache:
    """Parsed entries + rendered HTML from the previous build, keyed by (path, size, change time).

    The shards are read by ``read``, which a build may begin while its up-to-date check runs
    (``until``) and finishes before it looks entries up.
    """

    def __init__(self, folder: Path, tz_name: str) -> None:
        self.folder = folder
        self.key = f"{CACHE_VERSION}:{tz_name}"
        self.old: dict[str, CacheRecord] = {}
        self.dirty: set[int] = set()
        self.new: dict[str, CacheRecord] = {}
        self.parsed = 0  # files parsed in this build (not found in the cache)
        self._unread = list(range(SHARDS))

    def read(self, until: Callable[[], bool] | None = None) -> EntryCache:
        """Read the shards not read yet; with ``until``, stop when it returns True (it is asked
        before each shard, which takes a few milliseconds)."""
        with gc_paused():
            while self._unread and not (until is not None and until()):
                shard = self._unread.pop(0)
                records = self._read(shard)
                if records is None:
                    self.dirty.add(shard)
                else:
                    self.old.update(records)
        return self

    def _shard_path(self, shard: int) -> Path:
        return self.folder / f"entries-{shard:02d}.pickle"

    def _read(self, shard: int) -> dict[str, CacheRecord] | None:
        return keyedpickle.read(self._shard_path(shard), self.key)

    def get(self, rel: str, stat: Stat) -> Loaded | None:
        cached = self.old.get(rel)
        if cached and (cached[0], cached[1]) == stat:
            self.new[rel] = cached
            return cached[2]
        return None

    def put(self, rel: str, stat: Stat, loaded: Loaded) -> None:
        self.new[rel] = (stat[0], stat[1], loaded)
        self.dirty.add(shard_of(rel))
        self.parsed += 1

    def digests(self) -> dict[str, str]:
        """The digest of every file read in this build, by path: what the pages made from it
        depend on (a file saved again unchanged, or put back with a new time, changes no page)."""
        return {rel: record[2].digest for rel, record in self.new.items()}

    def save(self) -> None:
        """Rewrite the shards that changed (a file added, edited or removed)."""
        self.dirty.update(shard_of(rel) for rel in self.old.keys() - self.new.keys())
        if not self.dirty:
            return
        shards: dict[int, dict[str, CacheRecord]] = {shard: {} for shard in self.dirty}
        for rel, record in self.new.items():
            bucket = shards.get(shard_of(rel))
            if bucket is not None:
                bucket[rel] = record
        for shard, records in shards.items():
            keyedpickle.write(self._shard_path(shard), self.key, records)
        self.dirty.clear()


def load_content(content: Path, tz: ZoneInfo, cache: EntryCache | None,
                 jobs: int | None = None, stats: Mapping[str, Stat] | None = None,
                 report: Reporter | None = None) -> list[Loaded]:
    """Every entry under content/, using and refreshing the cache.

    ``stats``: ``file_stats`` of content/, when the caller has them (the up-to-date check).
    ``report(done, total)``: how many of the files that needed parsing are parsed.
    """
    stats = file_stats(content, skip_dirs=()) if stats is None else stats
    rels = markdown_files(content, stats)
    found: dict[str, Loaded] = {}
    missing: list[tuple[str, Stat]] = []
    if cache is not None:
        cache.read()  # the shards not read yet
    with gc_paused():
        for rel in rels:
            stat = stats[rel]
            item = cache.get(rel, stat) if cache else None
            if item is None:
                missing.append((rel, stat))
            else:
                found[rel] = item
        parsed = _load_files(content, [rel for rel, _ in missing], tz, jobs, report)
        for (rel, stat), item in zip(missing, parsed):
            found[rel] = item
            if cache:
                cache.put(rel, stat, item)
        return [found[rel] for rel in rels]


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: reading 20,000 entries makes objects, no garbage.

    Each collection would walk every object made so far (unpickling the cache took twice as
    long with it). At the end what exists is frozen (``gc.freeze``) rather than walked once
    more by the next collection: the build keeps the entries to its end, and the pipeline
    freezes them after the read phase anyway (a one-post rebuild's read: 0.46 -> 0.29 s CPU).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def worker_count(jobs: int | None, tasks: int, min_per_worker: int) -> int:
    """Processes for ``tasks`` tasks: ``jobs`` if given, else one per core when each gets enough.

    Only on Linux, where forking is the fast and safe start method; elsewhere one process.
    """
    if sys.platform != "linux" or tasks < 2:
        return 1
    if jobs is not None:
        return max(1, min(jobs, tasks))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(cores, tasks // min_per_worker))


def _no_report(done: int, total: int) -> None:
    pass


def _load_files(content: Path, rels: list[str], tz: ZoneInfo, jobs: int | None,
                report: Reporter | None = None) -> list[Loaded]:
    """``load_file`` of each file, in order; spread over ``workers`` processes when worth it.

    This process works too: it and ``workers - 1`` forked ones take chunks of files from a
    shared counter until none is left, so only the others' results travel between processes.
    A worker sends each chunk's results as soon as it has them, so they are received while
    both processes still parse, not all at the end.
    The error of the first bad file (in path order) is raised, as in one process.
    """
    report = report or _no_report
    workers = worker_count(jobs, len(rels), MIN_FILES_PER_WORKER)
    if workers == 1:
        one: list[Loaded] = []
        for start in range(0, len(rels), CHUNK_FILES):
            one.extend(load_file(content, rel, tz) for rel in rels[start:start + CHUNK_FILES])
            report(len(one), len(rels))
        return one
    context = multiprocessing.get_context("fork")
    shared = _Chunks(content, [rels[start:start + CHUNK_FILES] for start in range(0, len(rels), CHUNK_FILES)],
                     tz, context.Value("i", 0))
    with context.Pool(workers - 1, initializer=_set_chunks, initargs=(shared,)) as pool:
        _widen_results_pipe(pool)
        # one task per chunk: each takes the next chunk left (there may be none by then)
        theirs = pool.imap_unordered(_take_shared_chunk, range(len(shared.chunks)))

        def taken(chunks: int) -> None:  # chunks taken by all processes so far
            report(min(chunks * CHUNK_FILES, len(rels)), len(rels))

        done = shared.take(report=taken)
        for more in theirs:
            done.update(more)
    report(len(rels), len(rels))
    loaded: list[Loaded] = []
    for index in range(len(shared.chunks)):
        chunk = done[index]
        if isinstance(chunk, tuple):  # an error, raised here as it would be in one process
            raise ArchiverError(chunk[0], where=chunk[1], hint=chunk[2])
        loaded.extend(chunk)
    return loaded


def _widen_results_pipe(pool: Any) -> None:
    """Let the pipe that brings the workers' results hold ~1 MB instead of 64 KB. With the
    default size a worker waited, with each chunk's results, for this process to take them,
    and it takes them only between the files it parses itself: the worker parsed a third of
    the files, not half (M's read phase: 0.97-1.04 -> 0.76-0.91 s). Pool has no public way to
    size its pipe; where the attribute is not there, the pool works as before."""
    writer = getattr(getattr(pool, "_outqueue", None), "_writer", None)
    if writer is not None:
        forked.widen(writer.fileno())


ChunkResult = list[Loaded] | tuple[str, str, str]  # the files' Loaded, or the first error's parts


@dataclass
class _Chunks:
    """Chunks of files for the processes to share; ``next`` counts the chunks taken."""

    content: Path
    chunks: list[list[str]]
    tz: ZoneInfo
    next: Any  # multiprocessing Value("i") with its lock

    def take(self, most: int | None = None,
             report: Callable[[int], None] | None = None) -> dict[int, ChunkResult]:
        """Load chunks (``most`` of them at the most) until none is left or one has a bad
        file; their results by chunk number. ``report(n)``: n chunks taken so far (by all)."""
        done: dict[int, ChunkResult] = {}
        while most is None or len(done) < most:
            if report is not None:
                report(min(self.next.value, len(self.chunks)))
            with self.next.get_lock():
                index = self.next.value
                self.next.value += 1
            if index >= len(self.chunks):
                break
            try:
                done[index] = [load_file(self.content, rel, self.tz) for rel in self.chunks[index]]
            except ArchiverError as exc:
                done[index] = (exc.message, exc.where, exc.hint)
                with self.next.get_lock():
                    self.next.value = len(self.chunks)  # no process takes another
                break
        return done


_worker_chunks: _Chunks | None = None  # set in each forked worker


def _set_chunks(shared: _Chunks) -> None:
    global _worker_chunks
    _worker_chunks = shared


def _take_shared_chunk(_: int) -> dict[int, ChunkResult]:
    assert _worker_chunks is not None
    return _worker_chunks.take(most=1)
