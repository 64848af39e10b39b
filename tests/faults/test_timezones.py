"""The same content built under TZ=UTC, Pacific/Kiritimati (UTC+14) and America/Los_Angeles
gives byte-identical output: only site.yaml's ``timezone`` decides days, months and years.

Each build runs in its own process with the TZ environment variable set. The content is the
demo site plus items on the edges where a wrong zone shows: New Year's Eve late in the
evening, a daylight-saving change, a naive date, dates near 1970 and 2038.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT, files_under
from sitegen import TWEET, write

ZONES = ["UTC", "Pacific/Kiritimati", "America/Los_Angeles"]
EDGES = {
    "tweets/2010/12/900.md": "2010-12-31T23:30:00+00:00",
    "tweets/2011/01/901.md": "2011-01-01T00:30:00+14:00",
    "tweets/2011/03/902.md": "2011-03-13T10:30:00+00:00",   # US daylight saving starts
    "tweets/2011/10/903.md": "2011-10-30T00:59:59+00:00",   # EU daylight saving ends
    "tweets/2012/02/904.md": "2012-02-29T12:00:00",         # naive: read in the site's zone
    "tweets/1970/01/905.md": "1970-01-01T00:00:00-10:00",
    "tweets/2038/01/906.md": "2038-01-19T03:14:08+00:00",
}


def make_site(root: Path, site_zone: str) -> Path:
    root.mkdir()
    config = (REPO_ROOT / "site.yaml").read_text("utf-8")
    lines = [line for line in config.splitlines() if not line.startswith(("timezone:", "search:"))]
    (root / "site.yaml").write_text("\n".join(lines) + f"\ntimezone: {site_zone}\nsearch: false\n", "utf-8")
    shutil.copytree(REPO_ROOT / "content", root / "content")
    for number, (rel, date) in enumerate(EDGES.items()):
        write(root, rel, TWEET.format(date=date, sid=str(900 + number), extra="tags: [edge]\n",
                                      body=f"Edge tweet {number}"))
    return root


def build_with_tz(site: Path, out: Path, tz: str) -> None:
    env = {**os.environ, "TZ": tz}
    done = subprocess.run([sys.executable, "-m", "archiver", "--site", str(site), "build",
                           "--output", str(out)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("site_zone", ["Europe/Berlin"])
def test_process_time_zone_does_not_change_the_output(tmp_path: Path, site_zone: str) -> None:
    outputs = {}
    for tz in ZONES:
        site = make_site(tmp_path / f"site-{tz.replace('/', '-')}", site_zone)
        build_with_tz(site, tmp_path / f"out-{tz.replace('/', '-')}", tz)
        outputs[tz] = files_under(tmp_path / f"out-{tz.replace('/', '-')}")
    reference = outputs["UTC"]
    assert len(reference) > 100
    assert (tmp_path / "out-UTC/tweets/900/index.html").is_file()
    for tz in ZONES[1:]:
        differing = sorted(rel for rel in set(reference) | set(outputs[tz])
                           if reference.get(rel) != outputs[tz].get(rel))
        assert differing == [], f"TZ={tz} changes {differing[:5]}"


def test_site_time_zone_decides_the_day(tmp_path: Path) -> None:
    """23:30 UTC on 31 December is already next year in Berlin: archived under 2011/01."""
    site = make_site(tmp_path / "site", "Europe/Berlin")
    build_with_tz(site, tmp_path / "out", "America/Los_Angeles")
    january = (tmp_path / "out/2011/01/index.html").read_text("utf-8")
    assert "Edge tweet 0" in january
    assert "Edge tweet 0" not in (tmp_path / "out/2010/12/index.html").read_text("utf-8")
