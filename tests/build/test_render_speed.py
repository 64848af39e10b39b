"""The render shortcuts give what Jinja and the plain regexes give.

* ``render._Context.call`` calls macros, built-ins and plain functions straight away; callables
  marked ``pass_context``/``pass_eval_context``/``pass_environment`` (functions, methods,
  callable objects) still get what Jinja passes them.
* the URL regexes of ``markup`` rule out most ``="`` by the two letters before them: they
  match exactly where the regexes without that look match.
* ``renderjobs.by_template`` orders the pages for the workers: largest group first.
"""

from __future__ import annotations

import re
from random import Random

import jinja2
import pytest
from markupsafe import Markup

from archiver.build import markup
import markupsafe

from archiver.build.render import Page, _Context, _Environment, _escape
from archiver.build.renderjobs import by_template


def _environment(source: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader({"page.html": source}), autoescape=True)
    env.context_class = _Context
    return env


class _Greeter:
    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context, name: str) -> str:
        return f"{context['greeting']} {name}"

    @jinja2.pass_environment
    def method(self, environment: jinja2.Environment, name: str) -> str:
        return f"{environment.autoescape} {name}"

    def plain(self, name: str) -> str:
        return f"plain {name}"


@jinja2.pass_eval_context
def _eval_marked(eval_ctx: jinja2.nodes.EvalContext, name: str) -> str:
    return f"{eval_ctx.autoescape} {name}"


def _stops() -> str:
    raise StopIteration


def test_calls_pass_what_jinja_passes() -> None:
    source = ("{% macro m(x, y='d') %}<{{ x }}{{ y }}>{% endmacro %}"
              "{{ m(1) }}|{{ m(1, y=2) }}|{{ 'a/'.rstrip('/') }}|{{ greeter('ann') }}|"
              "{{ greeter.method('bob') }}|{{ greeter.plain('cy') }}|{{ eval_marked('di') }}|"
              "{{ plain('ed') }}|{{ stops() is undefined }}|{% for i in [1] %}{{ m(i) }}{% endfor %}")
    values = dict(greeting="hi", greeter=_Greeter(), eval_marked=_eval_marked, plain=lambda x: f"<{x}>",
                  stops=_stops)
    page = _environment(source).get_template("page.html").render(**values)
    assert page == "<1d>|<12>|a|hi ann|True bob|plain cy|True di|&lt;ed&gt;|True|<1d>"
    jinjas = jinja2.Environment(loader=jinja2.DictLoader({"page.html": source}), autoescape=True)
    assert jinjas.get_template("page.html").render(**values) == page


def test_a_macro_gets_the_eval_context_as_in_jinja() -> None:
    source = ("{% macro m() %}<i>{% endmacro %}{{ m() + '<b>' }} {{ m() | e }}|"
              "{% autoescape false %}{{ m() + '<b>' }} {{ m() | e }}{% endautoescape %}")
    quick = _environment(source).get_template("page.html").render()
    jinjas = jinja2.Environment(loader=jinja2.DictLoader({"page.html": source}), autoescape=True)
    assert quick == jinjas.get_template("page.html").render() == "<i>&lt;b&gt; <i>|<i><b> &lt;i&gt;"


def test_a_macro_of_another_template_with_caller() -> None:
    env = jinja2.Environment(loader=jinja2.DictLoader({
        "m.html": "{% macro box() %}[{{ caller() }}]{% endmacro %}",
        "page.html": "{% from 'm.html' import box %}{% call box() %}{{ x }}{% endcall %}"}),
        autoescape=True)
    env.context_class = _Context
    assert env.get_template("page.html").render(x="<b>") == "[&lt;b&gt;]"


def test_template_globals_overlay_the_environment_s_and_stay_the_template_s() -> None:
    env = _Environment(loader=jinja2.DictLoader({
        "m.html": "{% macro who() %}{{ name }}{% endmacro %}",
        "page.html": "{% from 'm.html' import who %}{{ name }} {{ who() }} {{ range(2) | list }} "
                     "{% set ns = namespace(n=1) %}{{ ns.n }}"}))
    env.globals["name"] = "env"
    assert env.get_template("page.html").render() == "env env [0, 1] 1"
    own = env.get_template("page.html", globals={"name": "own"})
    assert own.render() == "own env [0, 1] 1"  # the imported template keeps its own globals
    assert env.globals["name"] == "env" and env.get_template("m.html").globals["name"] == "env"


class _Html:
    def __html__(self) -> str:
        return "<i>own</i>"


class _Text(str):
    pass


@pytest.mark.parametrize("value", ["", "plain", "<a href=\"x\">'&'</a>", "日本 & 😀", Markup("<b>&amp;</b>"),
                                   Markup(""), 42, 1.5, None, True, _Html(), _Text("<t>"), ["<"]])
def test_escape_is_markupsafe_s(value: object) -> None:
    quick, plain = _escape(value), markupsafe.escape(value)
    assert (type(quick), quick) == (type(plain), plain) == (Markup, plain)


def test_templates_escape_with_it() -> None:
    env = _Environment(loader=jinja2.DictLoader({"page.html": "{{ a }}|{{ b }}|{{ c }}|{{ d }}"}),
                       autoescape=True)
    template = env.get_template("page.html")
    assert template.root_render_func.__globals__["escape"] is _escape
    assert template.render(a="<&>", b=Markup("<b>"), c=3, d=_Html()) == "&lt;&amp;&gt;|<b>|3|<i>own</i>"


def _plain_regex(*names: str) -> str:
    return '="(?:' + "|".join(rf'(?<=\s{re.escape(name)}=")' for name in names) + ")"


PIECES = ['href="', 'src="', 'poster="', 'cite="', 'action="', 'formaction="', 'background="',
          'data="', 'xlink:href="', 'class="', 'xhref="', 'data-src="', 'ref="', 'rc="', "=\"", '"',
          " ", "\n", "/", "//", "/\\", "../", "./", "#", "x", "javascript:", "https://", "HTTP://",
          "a", "<a ", ">", "&amp;", "&#106;"]


def test_quick_url_regexes_match_where_the_plain_ones_do() -> None:
    root_link = re.compile(_plain_regex("href", "src", "poster") + r'/(?!/)([^"]*)"')
    page_url = re.compile(_plain_regex("href", "src", "poster", "cite", "action", "formaction",
                                       "background", "data", "xlink:href")
                          + r'(?!(?i:https?)://|\.\.?/|#|/[^/\\"])([^"]*)"')
    rng = Random(5)
    for _ in range(4000):
        html = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30)))
        for quick, plain in ((markup.ROOT_LINK, root_link), (markup._PAGE_URL, page_url)):
            assert [m.span() for m in quick.finditer(html)] == [m.span() for m in plain.finditer(html)], html
        assert markup.relativize(html, "../") == root_link.sub(
            lambda m: f'="../{markup._link_target(m.group(1))}"', html)


def test_pages_are_grouped_by_template_largest_group_first() -> None:
    names = ["list.html", "entry.html", "entry.html", "tags.html", "entry.html", "list.html", "404.html"]
    todo = [(Page(f"p{n}/index.html", name), None) for n, name in enumerate(names)]
    assert by_template(todo) == [1, 2, 4, 6, 0, 5, 3]


@pytest.mark.parametrize("jobs", [3])  # one worker from the front, two from the back
def test_parallel_render_gives_the_bytes_of_one_process(tmp_path, jobs: int) -> None:
    from archiver.build.pipeline import build
    from archiver.config import load_config
    from archiver.scaffold import create_site
    from buildsite import generated_site, snapshot

    one, many = tmp_path / "one", tmp_path / "many"
    for site in (one, many):
        create_site(site, title="Test site", author="Tester")
        generated_site(site)
    build(load_config(one), jobs=1)
    build(load_config(many), jobs=jobs)
    assert snapshot(many / "public") == snapshot(one / "public")
