"""Search: Pagefind indexes item pages only, with filters, in one part per year; the index follows
the content, and an edit re-indexes only its year; a real query through Pagefind's own
JavaScript (Node, against a 127.0.0.1 server), merging the parts as the search page does, finds
a tweet."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from archiver.build import search
from archiver.build.pipeline import build
from archiver.config import load_config
from archiver.errors import ArchiverError
from archiver.scaffold import create_site
from archiver.serve import DevServer
from sitegen import small_site, write

ITEM_PAGES = {
    "/2009/03/first-post/index.html", "/2010/12/second-post/index.html", "/about/index.html",
    "/tweets/101/index.html", "/tweets/102/index.html", "/tweets/103/index.html",
    "/tweets/200/index.html",
}
PARTS = {"2010": {"/2010/12/second-post/index.html", "/tweets/101/index.html",
                  "/tweets/102/index.html", "/tweets/103/index.html", "/tweets/200/index.html"},
         "2009": {"/2009/03/first-post/index.html", "/about/index.html"}}
FRAGMENT_PREFIX = b"pagefind_dcd"


def indexed_pages(out: Path, part: str = "*") -> dict[str, dict]:
    """url -> Pagefind's record of the page (content, filters, meta), read from the bundles."""
    pages = {}
    for path in (out / "pagefind").glob(f"{part}/fragment/*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(FRAGMENT_PREFIX)
        record = json.loads(raw[len(FRAGMENT_PREFIX):])
        pages[record["url"]] = record
    return pages


def manifest_files(site: Path) -> dict[str, str]:
    return json.loads((site / ".archiver" / "manifest.json").read_text())["files"]


@pytest.fixture
def built(site: Path, monkeypatch) -> Path:
    """A small site built with search, one part per year (PARTS), for tests that change it."""
    monkeypatch.setattr(search, "MIN_PART_PAGES", 1)
    small_site(site)
    build(load_config(site))
    return site


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same, built once for the tests that only read it."""
    site = tmp_path_factory.mktemp("search") / "site"
    create_site(site, title="Test site", author="Tester")
    small_site(site)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "MIN_PART_PAGES", 1)
        build(load_config(site))
    return site


def test_bundle_is_written_and_recorded(built_once: Path) -> None:
    built = built_once
    out = built / "public"
    assert (out / "pagefind" / "parts.js").read_text() == 'window.archiverSearchParts = ["2010", "2009"];\n'
    for part, urls in PARTS.items():
        entry = json.loads((out / "pagefind" / part / "pagefind-entry.json").read_text())
        assert entry["version"] == search.pagefind_version()
        assert entry["languages"]["en"]["page_count"] == len(urls)
        assert set(indexed_pages(out, part)) == urls
        assert (out / "pagefind" / part / "pagefind.js").is_file()
        assert not (out / "pagefind" / part / "pagefind-ui.js").exists()  # loaded once, from pagefind/
    on_disk = {p.relative_to(out).as_posix() for p in (out / "pagefind").rglob("*") if p.is_file()}
    recorded = {rel for rel in manifest_files(built) if rel.startswith("pagefind/")}
    assert on_disk == recorded
    assert {rel for rel in on_disk if rel.count("/") == 1} == {
        "pagefind/parts.js", "pagefind/pagefind-ui.js", "pagefind/pagefind-ui.css"}
    assert not (built / ".archiver" / "search").exists()


def test_only_published_item_pages_are_indexed_with_filters(built_once: Path) -> None:
    built = built_once
    pages = indexed_pages(built / "public")
    assert set(pages) == ITEM_PAGES
    tweet = pages["/tweets/200/index.html"]
    assert tweet["filters"] == {"kind": ["tweet"], "year": ["2010"]}
    assert tweet["meta"]["title"] == "New year's eve & <3"
    assert tweet["content"] == "New year's eve & <3."
    post = pages["/2009/03/first-post/index.html"]
    assert post["filters"] == {"kind": ["post"], "year": ["2009"], "tag": ["Open Web", "baking"]}
    assert post["meta"]["title"] == "First post"
    assert pages["/about/index.html"]["filters"] == {"kind": ["page"]}
    assert pages["/tweets/101/index.html"]["filters"]["tag"] == ["threads"]
    everything = json.dumps(pages)
    for secret in ("DRAFT-SECRET-TEXT", "DELETED-SECRET-TWEET", "Lovely"):
        assert secret not in everything


def test_search_page_loads_the_bundle_relatively(built_once: Path) -> None:
    built = built_once
    page = (built / "public" / "search" / "index.html").read_text()
    assert '<link rel="stylesheet" href="../pagefind/pagefind-ui.css">' in page
    assert '<script src="../pagefind/pagefind-ui.js" defer></script>' in page
    assert '<script src="../pagefind/parts.js" defer></script>' in page
    assert '<script src="../static/search.js" defer></script>' in page
    assert 'id="search-file-notice"' in page and "archiver serve" in page
    assert "data-pagefind-body" not in page
    assert (built / "public" / "static" / "search.js").is_file()
    home = (built / "public" / "index.html").read_text()
    assert '<li><a href="./search/index.html">Search</a></li>' in home


def test_unchanged_html_keeps_the_index_and_changes_reindex(built: Path, monkeypatch) -> None:
    runs = []
    real_run = search._run_pagefind
    monkeypatch.setattr(search, "_run_pagefind", lambda *a: (runs.append(a), real_run(*a)))
    config = load_config(built)
    before = manifest_files(built)
    build(config)
    assert runs == []
    assert manifest_files(built) == before
    (built / "site.yaml").write_text((built / "site.yaml").read_text() + "pagination: 1\n")
    assert build(load_config(built)).written > 0  # list pages changed, item pages did not
    assert runs == []
    assert {k: v for k, v in manifest_files(built).items() if k.startswith("pagefind/")} == {
        k: v for k, v in before.items() if k.startswith("pagefind/")}
    part_2009 = {p: p.stat().st_mtime_ns for p in (built / "public/pagefind/2009").rglob("*")}
    write(built, "tweets/2010/12/200.md", "---\ndate: 2010-12-31T23:30:00+00:00\nsource: twitter\n"
                                           "source_id: '200'\nstatus: deleted\n---\nNew year's eve\n")
    write(built, "tweets/2010/12/400.md", "---\ndate: 2010-12-30T09:00:00+00:00\nsource: twitter\n"
                                           "source_id: '400'\n---\nKumquat marmalade day\n")
    build(config)
    assert [run[0].name for run in runs] == ["2010"]  # only the year that changed
    assert runs[0][0] != built / "public/pagefind/2010"  # Pagefind read a view of the pages
    pages = indexed_pages(built / "public")
    assert "/tweets/200/index.html" not in pages
    assert pages["/tweets/400/index.html"]["content"] == "Kumquat marmalade day."
    assert {p: p.stat().st_mtime_ns for p in (built / "public/pagefind/2009").rglob("*")} == part_2009
    stranger = '<html><body><main data-pagefind-body>Quokka stranger</main></body></html>'
    (built / "public" / "stranger.html").write_text(stranger)
    write(built, "tweets/2010/12/400.md", "---\ndate: 2009-12-30T09:00:00+00:00\nsource: twitter\n"
                                           "source_id: '400'\n---\nLime marmalade day\n")
    build(config)
    assert sorted(run[0].name for run in runs[1:]) == ["2009", "2010"]  # it moved to 2009
    pages = indexed_pages(built / "public")
    assert "/stranger.html" not in pages
    assert pages["/tweets/400/index.html"]["content"] == "Lime marmalade day."
    assert "/tweets/400/index.html" in indexed_pages(built / "public", "2009")
    on_disk = {p.relative_to(built / "public").as_posix()
               for p in (built / "public" / "pagefind").rglob("*") if p.is_file()}
    assert on_disk == {rel for rel in manifest_files(built) if rel.startswith("pagefind/")}


def test_a_year_without_items_loses_its_part_and_lost_files_are_made_again(built: Path) -> None:
    out = built / "public"
    (out / "pagefind" / "pagefind-ui.js").unlink()
    build(load_config(built))
    assert (out / "pagefind" / "pagefind-ui.js").is_file()
    for rel in ("posts/2009/first-post.md", "pages/about.md"):
        (built / "content" / rel).unlink()
    build(load_config(built))
    assert (out / "pagefind" / "parts.js").read_text() == 'window.archiverSearchParts = ["2010"];\n'
    assert not (out / "pagefind" / "2009").exists()
    assert set(indexed_pages(out)) == PARTS["2010"]


def test_search_false_builds_no_index_and_removes_an_old_one(built: Path) -> None:
    config_path = built / "site.yaml"
    config_path.write_text(config_path.read_text() + "search: false\n")
    build(load_config(built))
    out = built / "public"
    assert not (out / "pagefind").exists()
    assert not (out / "search").exists()
    assert "Search</a>" not in (out / "index.html").read_text()
    assert not any(rel.startswith(("pagefind/", "search/")) for rel in manifest_files(built))


def test_missing_pagefind_is_one_clear_error(site: Path, monkeypatch, run_cli) -> None:
    small_site(site)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(site / "no-such-pagefind"))
    result = run_cli("build", site=site)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "error: the search indexer Pagefind is not installed (install it with pip install "
        "'pagefind[bin]', or set 'search: false' in site.yaml)")


QUERY_SCRIPT = """
const [bundles, base, queries, partsJson] = process.argv.slice(2);
const parts = JSON.parse(partsJson);
const pagefind = await import(`${bundles}${parts[0]}/pagefind.js`);
await pagefind.options({basePath: `${base}${parts[0]}/`, baseUrl: "/"});
for (const part of parts.slice(1)) {
  await pagefind.mergeIndex(`${base}${part}/`, {baseUrl: "/"});
}
const answers = [];
for (const [word, filters] of JSON.parse(queries)) {
  const found = await pagefind.search(word, {filters});
  const pages = await Promise.all(found.results.map((r) => r.data()));
  answers.push(pages.map((p) => [p.url, p.meta.title]));
}
console.log(JSON.stringify(answers));
"""


def search_site(site: Path, work: Path, queries: list[tuple[str, dict]], timeout: float = 60) -> list:
    """Each query's results ([url, title] each) through Pagefind's own JavaScript, served on
    127.0.0.1, with the parts of the index merged as the search page merges them."""
    parts_js = (site / "public" / "pagefind" / "parts.js").read_text()
    parts = json.loads(parts_js.split(" = ", 1)[1].rstrip().rstrip(";"))
    server = DevServer(load_config(site), port=0)
    server.start(watch=False)
    script = work / "query.mjs"
    script.write_text(QUERY_SCRIPT)
    try:
        done = subprocess.run(
            ["node", str(script), f"{site / 'public' / 'pagefind'}/", f"{server.url}pagefind/",
             json.dumps(queries), json.dumps(parts)],
            capture_output=True, text=True, timeout=timeout, check=True)
    finally:
        server.stop()
    return json.loads(done.stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run Pagefind's search")
def test_pagefind_finds_a_tweet_by_a_word_from_its_text(built_once: Path, tmp_path: Path) -> None:
    queries = [("eve", {}), ("post", {}), ("post", {"year": "2010"}), ("thread", {"kind": "tweet"}),
               ("DELETED-SECRET-TWEET", {}), ("about", {"kind": "page"})]
    eve, post, post_2010, thread, secret, about = search_site(built_once, tmp_path, queries)
    assert eve == [["/tweets/200/index.html", "New year's eve & <3"]]
    assert sorted(url for url, _ in post) == ["/2009/03/first-post/index.html",  # two parts
                                              "/2010/12/second-post/index.html"]
    assert post_2010 == [["/2010/12/second-post/index.html", "Second post"]]
    assert sorted(url for url, _ in thread) == ["/tweets/101/index.html", "/tweets/102/index.html",
                                                "/tweets/103/index.html"]
    assert secret == []
    assert about == [["/about/index.html", "About"]]


def test_a_failed_indexing_leaves_no_bundle_behind(built: Path, monkeypatch) -> None:
    real_run = search._run_pagefind

    def fail_for_2009(site: Path, bundle: Path) -> None:
        real_run(site, bundle)
        if site.name == "2009":
            raise ArchiverError("Pagefind could not index the site: disk full")

    monkeypatch.setattr(search, "_run_pagefind", fail_for_2009)
    (built / "public" / "pagefind" / "pagefind-ui.js").unlink()  # every part is made again
    write(built, "posts/2009/first-post.md", "---\ntitle: First post\ndate: 2009-03-01T10:00:00+00:00\n"
                                             "---\nRewritten.\n")
    write(built, "posts/2010/second-post.md", "---\ntitle: Second post\ndate: 2010-12-14T21:00:00+00:00\n"
                                              "---\nRewritten too.\n")
    with pytest.raises(ArchiverError, match="disk full"):
        build(load_config(built))
    assert sorted(p.name for p in (built / "public" / "pagefind").iterdir()) == [
        "pagefind-ui.css", "parts.js"]  # the last build's, until the next build removes them
    monkeypatch.setattr(search, "_run_pagefind", real_run)
    build(load_config(built))
    assert set(indexed_pages(built / "public")) == PARTS["2009"] | PARTS["2010"]


def test_years_make_parts_of_at_least_min_pages_from_the_oldest(monkeypatch) -> None:
    monkeypatch.setattr(search, "MIN_PART_PAGES", 3)
    counts = {"2007": 1, "2008": 1, "2009": 2, "2010": 5, "2011": 1, "2012": 1}
    year_of = {f"{year}/{n}.html": year for year, count in counts.items() for n in range(count)}
    pages = {rel: f"mark-{rel}" for rel in [*year_of, "tags/index.html"]}
    parts = search._split(pages, year_of)
    assert {name: sorted(part) for name, part in parts.items()} == {
        "2011-2012": ["2011/0.html", "2012/0.html"],  # the newest, still short of 3 pages
        "2010": [f"2010/{n}.html" for n in range(5)],
        "2007-2009": ["2007/0.html", "2008/0.html", "2009/0.html", "2009/1.html"],
        "other": ["tags/index.html"]}
    assert parts["2010"]["2010/0.html"] == "mark-2010/0.html"
    assert search._split({}, {}) == {}


def test_a_small_site_has_one_part(site: Path) -> None:
    small_site(site)
    build(load_config(site))
    out = site / "public"
    assert (out / "pagefind" / "parts.js").read_text() == 'window.archiverSearchParts = ["2009-2010"];\n'
    assert set(indexed_pages(out, "2009-2010")) == PARTS["2009"] | PARTS["2010"]
