"""A small generated site for the incremental and parallel build tests, and output snapshots."""

from __future__ import annotations

import random
from pathlib import Path

from conftest import files_under as snapshot  # noqa: F401 - what the build tests compare
from sitegen import small_site, write

TAGS = ["baking", "Open Web", "python", "travel", "music", "books"]
SITE_YAML = """title: Build test site
author: Tester
timezone: Europe/Berlin
base_url: https://example.org/
pagination: 5
search: false
"""


def generated_site(root: Path, posts: int = 24, tweets: int = 60, seed: int = 3) -> Path:
    """small_site plus ``posts`` posts and ``tweets`` tweets over 2011-2012 (deterministic)."""
    small_site(root)
    (root / "site.yaml").write_text(SITE_YAML, "utf-8")
    rng = random.Random(seed)
    for number in range(posts):
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        tags = ", ".join(rng.sample(TAGS, rng.randint(0, 2)))
        write(root, f"posts/2011/post-{number:03d}.md",
              f"---\ntitle: Post number {number}\ndate: 2011-{month:02d}-{day:02d}T12:{number % 60:02d}:00+00:00\n"
              f"tags: [{tags}]\n---\nParagraph *{number}* about {rng.choice(TAGS)}.\n\n"
              f"Second paragraph with [a link](https://example.com/{number}).\n")
    for number in range(tweets):
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        tag = f" #{rng.choice(TAGS).replace(' ', '')}" if rng.random() < 0.4 else ""
        write(root, f"tweets/2012/{month:02d}/{5000 + number}.md",
              f"---\ndate: 2012-{month:02d}-{day:02d}T08:{number % 60:02d}:00+00:00\nsource: twitter\n"
              f"source_id: \"{5000 + number}\"\n---\nTweet {number} says hello{tag}\n")
    return root
