"""The {% cache %} tag of the templates, the shared header and footer, and --profile."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from archiver.build.render import FragmentCache

NAV_CURRENT = re.compile(r'<a href="[^"]*" aria-current="page">([^<]*)</a>')


def _environment(templates: dict[str, str]) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True,
                              extensions=[FragmentCache])


def test_cache_renders_a_block_once_per_key() -> None:
    calls: list[str] = []

    def count(name: str) -> str:
        calls.append(name)
        return f"<{name}>"

    env = _environment({"page.html": "{% cache 'box', who %}[{{ count(who) }}]{% endcache %}|{{ who }}"})
    template = env.get_template("page.html")
    rendered = [template.render(count=count, who=who) for who in ("a", "b", "a", "a", "b")]
    assert rendered == ["[&lt;a&gt;]|a", "[&lt;b&gt;]|b", "[&lt;a&gt;]|a", "[&lt;a&gt;]|a", "[&lt;b&gt;]|b"]
    assert calls == ["a", "b"]


def test_cache_is_per_environment() -> None:
    templates = {"page.html": "{% cache 'x' %}{{ value }}{% endcache %}"}
    assert _environment(templates).get_template("page.html").render(value=1) == "1"
    assert _environment(templates).get_template("page.html").render(value=2) == "2"


def test_navigation_marks_only_the_page_being_read(demo_public: Path) -> None:
    def current(rel: str) -> list[str]:
        html = (demo_public / rel).read_text("utf-8")
        site_nav = html[html.index('<nav class="site-nav"'):html.index("</header>")]
        return NAV_CURRENT.findall(site_nav)

    assert current("index.html") == ["Timeline"]
    assert current("tags/index.html") == ["Tags"]
    assert current("words/index.html") == ["Words"]
    assert current("about/index.html") == ["About"]
    assert current("stats/index.html") == ["Stats"]
    assert current("2013/index.html") == ["Archive"]  # the newest year
    assert current("2012/index.html") == []
    assert current("page/2/index.html") == []
    assert current("tags/baking/index.html") == []
    tweet_pages = sorted((demo_public / "tweets").glob("*/index.html"))
    assert len(tweet_pages) == 39
    assert all(NAV_CURRENT.search(page.read_text("utf-8")) is None for page in tweet_pages)
    home = (demo_public / "index.html").read_text("utf-8")
    assert '<li><a href="./index.html" aria-current="page">Timeline</a></li>' in home
    tags = (demo_public / "tags/index.html").read_text("utf-8")
    assert '<li><a href="../index.html">Timeline</a></li>' in tags
    assert '<li><a href="../tags/index.html" aria-current="page">Tags</a></li>' in tags


def test_footer_links_are_relative_to_each_page(demo_public: Path) -> None:
    home = (demo_public / "index.html").read_text("utf-8")
    tweet = next((demo_public / "tweets").glob("*/index.html")).read_text("utf-8")
    assert '<li><a href="./2013/index.html">2013</a></li>' in home
    assert '<li><a href="../../2013/index.html">2013</a></li>' in tweet


def test_profile_prints_wall_and_cpu_seconds_per_phase(site: Path, run_cli) -> None:
    post = site / "content" / "posts" / "hello.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text("---\ntitle: Hello\ndate: 2020-01-02T03:04:05Z\n---\n\nHi.\n", "utf-8")
    result = run_cli("build", "--profile", site=site)
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if "phase" in line)
    assert re.search(r"phase\s+┃\s+seconds\s+┃\s+CPU seconds", header), header
    rows = {m.group(1): (float(m.group(2)), float(m.group(3)))
            for m in re.finditer(r"│ (\w+)\s+│\s+([\d.]+) │\s+([\d.]+) │", result.output)}
    assert list(rows) == ["check", "read", "index", "pages", "plan", "render", "feeds", "assets",
                          "search", "finish", "total"]
    assert rows["total"][0] >= max(wall for wall, _ in rows.values() if wall != rows["total"][0])
    assert abs(rows["total"][1] - sum(cpu for name, (_, cpu) in rows.items() if name != "total")) < 0.01


def test_cached_links_are_made_relative_once_per_depth() -> None:
    from archiver.build.markup import relativize

    env = _environment({"page.html": '{% cache "nav" %}<a href="/tags/">Tags</a>{% endcache %}'
                                     '<a href="/x/">{{ root }}</a>'})
    template = env.get_template("page.html")
    pages = {root: relativize(template.render(root=root), root) for root in ("./", "../../", "/", "./")}
    assert pages == {
        "./": '<a href="./tags/index.html">Tags</a><a href="./x/index.html">./</a>',
        "../../": '<a href="../../tags/index.html">Tags</a><a href="../../x/index.html">../../</a>',
        "/": '<a href="/tags/index.html">Tags</a><a href="/x/index.html">/</a>',  # the 404 page
    }
    assert sorted(env.fragment_cache.values()) == ['<a href="../../tags/index.html">Tags</a>',
                                                   '<a href="./tags/index.html">Tags</a>',
                                                   '<a href="/tags/">Tags</a>']


def test_compiled_templates_are_kept_between_builds_and_follow_edits(site: Path, run_cli) -> None:
    post = site / "content" / "posts" / "hello.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text("---\ntitle: Hello\ndate: 2020-01-02T03:04:05Z\n---\n\nHi.\n", "utf-8")
    assert run_cli("build", site=site).exit_code == 0
    compiled = site / ".archiver" / "cache" / "templates"
    assert len(list(compiled.glob("__jinja2_*.cache"))) >= 3  # entry, base, macros, ...
    override = site / "templates" / "entry.html"
    override.parent.mkdir()
    override.write_text('{% extends "base.html" %}{% block main %}<p>Own: {{ item.title }}</p>'
                        '{% endblock %}', "utf-8")
    assert run_cli("build", site=site).exit_code == 0
    page = (site / "public" / "2020" / "01" / "hello" / "index.html").read_text("utf-8")
    assert "<p>Own: Hello</p>" in page
    override.write_text('{% extends "base.html" %}{% block main %}<p>Edited: {{ item.title }}</p>'
                        '{% endblock %}', "utf-8")
    assert run_cli("build", site=site).exit_code == 0
    page = (site / "public" / "2020" / "01" / "hello" / "index.html").read_text("utf-8")
    assert "<p>Edited: Hello</p>" in page
    assert run_cli("build", "--clean", site=site).exit_code == 0
    assert len(list(compiled.glob("__jinja2_*.cache"))) >= 3  # made again by the clean build
