"""The store: paths per kind, collisions, identity, edit protection, exact round-trips."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver import frontmatter
from archiver.model import Comment, Entry, Media
from archiver.store import ImportedItem, Outcome, Store, merge

UTC = timezone.utc
DATE = datetime(2010, 12, 14, 21, 0, tzinfo=UTC)


def post(title: str = "Hello", source_id: str = "1", body: str = "Body.\n", **kw) -> Entry:
    return Entry(kind="post", date=DATE, title=title, body=body, source="wordpress",
                 source_id=source_id, **kw)


def tweet(source_id: str = "12345678901234567", body: str = "hi", **kw) -> Entry:
    return Entry(kind="tweet", date=DATE, body=body, source="twitter", source_id=source_id, **kw)


def test_paths_per_kind(site: Path) -> None:
    store = Store(site)
    assert store.path_for(post("The Mutuality of Networks")) == "posts/2010/the-mutuality-of-networks.md"
    assert store.path_for(tweet()) == "tweets/2010/12/12345678901234567.md"
    assert store.path_for(Entry(kind="page", date=DATE, title="About me")) == "pages/about-me.md"


def test_first_import_writes_then_unchanged_without_touching_mtime(site: Path) -> None:
    with Store(site) as store:
        assert store.save(ImportedItem(post())) is Outcome.IMPORTED
    target = site / "content/posts/2010/hello.md"
    before = target.stat().st_mtime_ns
    with Store(site) as store:
        assert store.save(ImportedItem(post())) is Outcome.UNCHANGED
    assert target.stat().st_mtime_ns == before
    assert list((site / "content/posts/2010").iterdir()) == [target]


def test_slug_collision_gets_suffix_and_never_overwrites(site: Path) -> None:
    with Store(site) as store:
        assert store.save(ImportedItem(post(source_id="1", body="one"))) is Outcome.IMPORTED
        assert store.save(ImportedItem(post(source_id="2", body="two"))) is Outcome.IMPORTED
        assert store.save(ImportedItem(post(source_id="3", body="three"))) is Outcome.IMPORTED
    folder = site / "content/posts/2010"
    assert sorted(p.name for p in folder.iterdir()) == ["hello-2.md", "hello-3.md", "hello.md"]
    assert (folder / "hello.md").read_text().endswith("---\none")
    assert (folder / "hello-3.md").read_text().endswith("---\nthree")


def test_many_items_with_one_title_take_the_next_numbers_around_files_of_others(site: Path) -> None:
    folder = site / "content/posts/2010"
    folder.mkdir(parents=True)
    (folder / "hello-4.md").write_text("---\ntitle: Mine\ndate: 2010-01-01T00:00:00+00:00\n---\nmy own\n")
    with Store(site) as store:
        for number in range(1, 601):
            assert store.save(ImportedItem(post(source_id=str(number), body=f"b{number}"))) is Outcome.IMPORTED
    with Store(site) as store:  # a later run goes on where the index ends
        assert store.save(ImportedItem(post(source_id="601", body="b601"))) is Outcome.IMPORTED
    names = {p.name for p in folder.iterdir()}
    assert names == {"hello.md", *(f"hello-{n}.md" for n in range(2, 603))}
    assert (folder / "hello-4.md").read_text().endswith("my own\n")  # never overwritten
    assert (folder / "hello-5.md").read_text().endswith("---\nb4")
    assert (folder / "hello-602.md").read_text().endswith("---\nb601")


def test_user_edit_is_kept(site: Path) -> None:
    with Store(site) as store:
        store.save(ImportedItem(post()))
    target = site / "content/posts/2010/hello.md"
    edited = target.read_text().replace("Body.", "My better body.")
    target.write_text(edited)
    with Store(site) as store:
        assert store.save(ImportedItem(post(body="Newer text from source.\n"))) is Outcome.KEPT_EDIT
    assert target.read_text() == edited


def test_an_edited_file_is_kept_and_the_comments_it_lacks_are_counted(site: Path) -> None:
    first = Comment(author="Ann", date=DATE, body="First!", id="1")
    with Store(site) as store:
        store.save(ImportedItem(post(comments=(first,))))
    target = site / "content/posts/2010/hello.md"
    edited = target.read_text().replace("Body.", "My better body.")
    target.write_text(edited)
    later = (first, Comment(author="Bo", date=DATE + timedelta(days=1), body="Late", id="2"),
             Comment(author="Cy", date=DATE + timedelta(days=2), body="Later", id="3"))
    with Store(site) as store:
        assert store.save(ImportedItem(post(comments=later))) is Outcome.KEPT_EDIT
        assert store.kept_without_comments == [("posts/2010/hello.md", 2)]
    assert target.read_text() == edited
    with Store(site) as store:  # the same comments as the file: nothing to say
        assert store.save(ImportedItem(post(body="New.\n", comments=(first,)))) is Outcome.KEPT_EDIT
        assert store.kept_without_comments == []


def test_missing_comments_are_told_apart_as_the_merge_tells_them() -> None:
    from archiver.storemerge import missing_comments

    first = Comment(author="A", date=DATE, body="x", id="1")
    other = Comment(author="A", date=DATE, body="x", id="2")  # the same words, its own id
    id_less = Comment(author="A", date=DATE, body="x")  # an export without ids: the same one
    assert missing_comments((first,), (other,)) == [other]
    assert missing_comments((first,), (id_less,)) == []
    assert missing_comments((id_less,), (other,)) == []
    assert missing_comments((), (first, id_less)) == [first, id_less]


def test_update_fills_what_was_missing(site: Path) -> None:
    with Store(site) as store:
        store.save(ImportedItem(tweet(body="short…")))
        media = (Media(path="media/tweets/1-a.jpg", alt="a cat"),)
        files = {"media/tweets/1-a.jpg": lambda: b"JPEGDATA"}
        outcome = store.save(ImportedItem(tweet(body="short and now the full text", media=media), files))
    assert outcome is Outcome.UPDATED
    entry = frontmatter.loads((site / "content/tweets/2010/12/12345678901234567.md").read_text(),
                              "tweets/2010/12/12345678901234567.md")
    assert entry.body == "short and now the full text"
    assert entry.media == media
    assert (site / "content/media/tweets/1-a.jpg").read_bytes() == b"JPEGDATA"


def test_merge_keeps_exact_time_and_combines_relations_in_any_order() -> None:
    midnight = DATE.replace(hour=0, minute=0)
    legacy = tweet(reply_to={"id": "99", "user": "ann"}, retweet_of={"id": "7", "user": "sam"})
    modern = tweet(reply_to={"user": "ann", "url": "https://twitter.com/ann/status/99"},
                   retweet_of={"user": "sam"}).with_changes(date=midnight)
    for old, new in ((legacy, modern), (modern, legacy)):
        merged = merge(old, new)
        assert merged.date == DATE
        assert dict(merged.reply_to) == {"id": "99", "user": "ann",
                                         "url": "https://twitter.com/ann/status/99"}
        assert dict(merged.retweet_of) == {"id": "7", "user": "sam"}
    later_day = tweet().with_changes(date=DATE.replace(day=15, hour=0))
    assert merge(legacy, later_day).date == later_day.date


def test_lost_index_does_not_duplicate(site: Path) -> None:
    with Store(site) as store:
        store.save(ImportedItem(post()))
    (site / ".archiver/store.json").unlink()
    with Store(site) as store:
        assert store.save(ImportedItem(post())) is Outcome.UNCHANGED
    assert [p.name for p in (site / "content/posts/2010").iterdir()] == ["hello.md"]


def test_no_temp_files_left(site: Path) -> None:
    with Store(site) as store:
        for i in range(5):
            store.save(ImportedItem(tweet(source_id=str(i))))
    leftovers = [p for p in (site / "content").rglob("*") if p.name.startswith(".tmp-")]
    assert leftovers == []


def test_round_trip_keeps_every_field() -> None:
    entry = Entry(
        kind="post", date=datetime(2010, 12, 14, 21, 0, tzinfo=timezone(timedelta(hours=-8))),
        title="yes: no # [not a list]", body="    indented code\n\n---\n\nafter a rule\n",
        tags=("Tag One", "über"), source="wordpress", source_id="123", id="wp-123",
        url="http://example.org/?p=123", aliases=("/2010/12/old.html",), status="draft",
        media=(Media(path="media/posts/a.png", alt="alt: text"),),
        comments=(Comment(author="Ann", body="Nice!\nTwo lines", date=DATE, url="http://ann.example",
                          id="7", parent="3"),),
        path="posts/2010/yes-no.md",
    )
    text = frontmatter.dumps(entry)
    assert "date: 2010-12-14T21:00:00-08:00\n" in text
    assert frontmatter.loads(text, entry.path) == entry


printable = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(title=printable, body=printable, tag=printable)
def test_round_trip_any_text(title: str, body: str, tag: str) -> None:
    entry = Entry(kind="post", date=DATE, title=title, body=body,
                  tags=(tag,) if tag else (), path="posts/2010/x.md")
    text = frontmatter.dumps(entry)
    assert frontmatter.loads(text, entry.path) == entry
