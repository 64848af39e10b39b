"""Helpers for the browser tests: open a page recording what went wrong, run axe-core, and
tell which pages belong to features that are not in the code base yet."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field

# Where a page of the site may send requests: the test server, itself and inline data.
LOCAL_URLS = ("http://127.0.0.1:", "file://", "data:", "blob:")
# Pages made by features that land separately: page path -> module that makes the page.
FEATURE_MODULES = {
    "/words/": "archiver.build.wordpages",
    "/stats/": "archiver.build.stats",
    "/search/": "archiver.build.search",
}


def missing_feature(path: str) -> str:
    """Why the page at ``path`` cannot exist yet ('' when its feature is in the code base)."""
    for prefix, module in FEATURE_MODULES.items():
        if path.startswith(prefix) and importlib.util.find_spec(module) is None:
            return f"{prefix} is made by {module}, which is not in this code base yet"
    return ""


@dataclass
class Visit:
    """A page opened in the browser, with the problems seen while it loaded."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [*self.console_errors, *self.failed]


def open_page(context: object, url: str) -> Visit:
    """Open ``url`` and wait for its load event, recording errors and failed requests."""
    page = context.new_page()
    visit = Visit(page)
    page.on("console", lambda m: visit.console_errors.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.console_errors.append(f"page error: {e}"))
    page.on("request", lambda r: visit.failed.append(f"request to another host: {r.url}")
            if not r.url.startswith(LOCAL_URLS) else None)
    page.on("requestfailed", lambda r: visit.failed.append(f"failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: visit.failed.append(f"HTTP {r.status}: {r.url}")
            if r.status >= 400 else None)
    page.goto(url, wait_until="load")
    return visit


def serious_violations(page: object, axe_source: str, rules: tuple[str, ...] = ()) -> list[str]:
    """axe-core's serious and critical violations, one line each (rule, node, message).

    ``rules`` limits the run to those rules (for the same page again in dark mode or narrow).
    """
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    options: dict[str, object] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = list(rules)
    violations = page.evaluate("""async (options) => {
        const result = await axe.run(document, options);
        return result.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
    }""", options)
    return [f"{v['id']} ({v['impact']}): {node}" for v in violations
            if v["impact"] in ("serious", "critical") for node in v["nodes"]]
