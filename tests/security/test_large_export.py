"""A large WordPress export is streamed: memory stays flat while the file grows 100 times.

The issue asks for a 1 GB export; this test writes ~100 MB (a 1 GB file would take minutes
of CI and 1 GB of disk for the same evidence): 60 real posts with comments among thousands of
revisions (parsed, then dropped, like a real export's bulk). The import runs in a fresh
process that reports its peak memory; a 1 MB export of the same shape is the baseline.
Marked slow.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Big</title><link>http://big.example</link>
<wp:base_blog_url>http://big.example</wp:base_blog_url>
"""
ITEM = """<item><title>{title}</title><link>http://big.example/{id}/</link>
<content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>{id}</wp:post_id><wp:post_date_gmt>2010-01-01 00:00:00</wp:post_date_gmt>
<wp:post_name>p{id}</wp:post_name><wp:status>{status}</wp:status><wp:post_type>{kind}</wp:post_type>
{comments}</item>
"""
COMMENT = """<wp:comment><wp:comment_id>{id}</wp:comment_id><wp:comment_author>Reader</wp:comment_author>
<wp:comment_author_email>reader@example.org</wp:comment_author_email>
<wp:comment_date_gmt>2010-01-02 00:00:00</wp:comment_date_gmt>
<wp:comment_content>Comment {id}</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
</wp:comment>
"""
PARAGRAPH = "<p>" + "Words of an old revision that nobody needs any more. " * 40 + "</p>\n"
REPORT = """
import json, resource, sys
from pathlib import Path
from archiver.config import load_config
from archiver.importing import run_import
from archiver.importers.wordpress import WordPressImporter
report = run_import(load_config(Path(sys.argv[1])), WordPressImporter(no_download=True), [sys.argv[2]])
print(json.dumps({"peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "total": report.total}))
"""


def write_export(path: Path, megabytes: int) -> int:
    """An export of about ``megabytes`` MB: 60 posts with 20 comments each, then revisions."""
    revision = PARAGRAPH * 10  # ~22 kB each
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEAD)
        for number in range(1, 61):
            comments = "".join(COMMENT.format(id=number * 100 + c) for c in range(20))
            out.write(ITEM.format(title=f"Post {number}", id=number, body=PARAGRAPH, status="publish",
                                  kind="post", comments=comments))
        number = 1000
        while out.tell() < megabytes * 1024 * 1024:
            number += 1
            out.write(ITEM.format(title="rev", id=number, body=revision, status="inherit",
                                  kind="revision", comments=""))
        out.write("</channel></rss>\n")
    return path.stat().st_size


def peak_memory(site: Path, export: Path) -> dict[str, int]:
    done = subprocess.run([sys.executable, "-c", REPORT, str(site), str(export)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_100_mb_export_streams_in_flat_memory(tmp_path: Path) -> None:
    from archiver.scaffold import create_site

    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    assert write_export(small, 1) < 2 * 1024**2
    assert write_export(large, 100) >= 100 * 1024**2
    create_site(tmp_path / "a", title="a")
    create_site(tmp_path / "b", title="b")
    baseline = peak_memory(tmp_path / "a", small)
    measured = peak_memory(tmp_path / "b", large)
    assert baseline["total"] == measured["total"] == 60
    growth_mb = (measured["peak_kb"] - baseline["peak_kb"]) / 1024
    assert growth_mb < 40, f"peak memory grew {growth_mb:.0f} MB for a 99 MB larger export"
    large.unlink()
