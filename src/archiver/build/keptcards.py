"""Cards kept between builds (``.archiver/cache/cards-N.pickle``), for builds that render many
list pages.

A card (``render.CARD_MACROS``: a tweet's card, a post's summary) is the same HTML on every
list page that shows its item, and a build renders each card once (``render._memoized``).
A new tweet or post moves every item one place down the timeline: each of the home pages, the
pages of its year and tags changes and shows the cards of nearly every item, so such a build
rendered ~20,000 cards again, three quarters of its rendering time. Kept cards make those pages
from the cards of the last build.

A kept card is found by its macro, its arguments and its item's card token
(``incremental.Fingerprints.card``: the item's file digest and URL, and those of the items its
card shows), under a key made of what every page depends on (archiver's code, site.yaml, the
common context: ``Fingerprints.global_key``) and of the macros' templates
(``TemplateKeys.key``). So an edited post, a moved URL, a changed template or setting makes
its cards again, by the rules that decide which pages are rendered again.

Only a build that keeps the pages of the last one and renders ``MIN_PAGES`` pages or more
reads them (an edit renders a handful of pages and would spend more reading the cards than
rendering). Each rendering process writes the cards it used in such a build into a file of
its own (no card crosses processes); the next one reads them all. A first build keeps none:
writing the cards of a whole site (25 MB for 21,000 items) made it 2-3 % slower, and the
first new post after it renders its cards anyway and keeps those for the next.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from markupsafe import Markup

from archiver.build import keyedpickle
from archiver.build.stamps import digest

CARDS_VERSION = "1"
MIN_PAGES = 300  # rendering fewer pages than this takes less time than reading the cards
_FILE_PREFIX = "cards-"
_PLAIN_TYPES = (str, int, float, bool, type(None))


class KeptCards:
    """The cards of the last build's big renders, and those this process uses in this one."""

    def __init__(self, folder: Path, key: str, token: Callable[[Any], str | None]) -> None:
        """``key``: what all cards depend on; ``token(item)``: what one item's card does
        (None: not an item whose card can be kept)."""
        self.folder = folder
        self.key = digest([CARDS_VERSION, key])
        self._token = token
        self.old: dict[str, str] = {}
        self.used: dict[str, str] = {}  # this process's, for its file

    def read(self) -> KeptCards:
        """Read every file of kept cards made under this key (one of another key is ignored)."""
        for path in sorted(self.folder.glob(f"{_FILE_PREFIX}*.pickle")):
            self.old.update(keyedpickle.read(path, self.key) or {})
        return self

    def card(self, name: str, item: Any, arguments: tuple[Any, ...],
             render: Callable[[], str]) -> str:
        """The card of macro ``name`` for ``item`` and ``arguments``: the kept one, or
        ``render()``'s, kept for the next build when it can be."""
        card_key = self._card_key(name, item, arguments)
        if card_key is None:
            return render()
        html = self.old.get(card_key)
        if html is not None:
            self.used[card_key] = html
            return Markup(html)
        made = render()
        self.used[card_key] = str(made)
        return made

    def _card_key(self, name: str, item: Any, arguments: tuple[Any, ...]) -> str | None:
        """None for a card that cannot be kept: of something that is not an item, or with an
        argument other than a plain value, whose text (repr) would not say what it is."""
        token = self._token(item) if _all_plain(arguments) else None
        return None if token is None else f"{name}\x1f{token}\x1f{arguments!r}"

    def save(self, process: int) -> None:
        """Write the cards process number ``process`` used (0: the build's own process)."""
        keyedpickle.write(self.folder / f"{_FILE_PREFIX}{process}.pickle", self.key, self.used)

    def save_as_first_of(self, processes: int) -> None:
        """Write the cards of the build's own process, the first of ``processes`` rendering
        ones, and delete the files of processes beyond them (an earlier build had more)."""
        self.save(0)
        for path in self.folder.glob(f"{_FILE_PREFIX}*.pickle"):
            number = path.stem.removeprefix(_FILE_PREFIX)
            if number.isdigit() and int(number) >= processes:
                path.unlink(missing_ok=True)


def _all_plain(value: Any) -> bool:
    """Only strings, numbers, booleans and None, in tuples (a macro's arguments, keywords as
    pairs)."""
    if isinstance(value, tuple):
        return all(map(_all_plain, value))
    return type(value) in _PLAIN_TYPES
