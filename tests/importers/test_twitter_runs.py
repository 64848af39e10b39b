"""The first pass reads runs of records with msgspec: exactly what the record-by-record way reads.

``iter_runs`` cuts the array where Twitter's layout ends a record; a run msgspec refuses (a
cut inside a record, a lone surrogate it is stricter about, damage) is read the slow way, so
every layout gives the same summaries, and a damaged file the same error at the same line.
"""

from __future__ import annotations

import io
import json

import pytest

from archiver.errors import ArchiverError
from archiver.importers.twitter import jsdata
from archiver.importers.twitter.jsdata import iter_records, iter_runs
from archiver.importers.twitter.summary import (
    summaries_of_records, summaries_of_tweets, summary_from_api, summary_from_record,
)


def tweet(number: int) -> dict:
    record = {"id_str": str(1000 + number), "full_text": f"tweet {number} }},\n{{ [",
              "entities": {"hashtags": [{"text": "x"}]}}
    if number % 3 == 1:
        record.update(in_reply_to_status_id_str=str(999 + number), in_reply_to_user_id_str="7")
    if number % 5 == 2:
        record["retweeted_status"] = {"id_str": "1", "user": {"screen_name": "a"}}
    if number % 7 == 3:
        record["edit_info"] = {"initial": {"editTweetIds": [str(1000 + number), "99999"]}}
    return record


def twitter_layout(records: list) -> str:
    """How Twitter writes tweets.js: ``[ {\\n  "tweet" : {...}\\n}, {``."""
    return "window.YTD.tweets.part0 = [ " + ", ".join(
        json.dumps(r, indent=2, separators=(",", " : ")) for r in records) + " ]"


def synthetic_layout(records: list) -> str:
    """How tests/twitter_archive.py writes it: ``[\\n  {\\n    "tweet": ...\\n  },\\n  {``."""
    return "window.YTD.tweets.part0 = [\n  " + ",\n  ".join(
        json.dumps(r, indent=2).replace("\n", "\n  ") for r in records) + "\n]"


class Counting:
    """A run decoder that counts the runs it decoded."""

    def __init__(self, decode) -> None:  # noqa: ANN001
        self.decode, self.runs = decode, 0

    def __call__(self, run: str) -> list:
        items = self.decode(run)
        self.runs += 1
        return items


def both_ways(text: str) -> tuple[list, list, int]:
    decoder = Counting(summaries_of_records)
    fast = list(iter_runs(io.StringIO(text), "x.js", decoder, summary_from_record))
    slow = [summary_from_record(r) for r in iter_records(io.StringIO(text), "x.js")]
    return fast, slow, decoder.runs


@pytest.fixture(autouse=True)
def small_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsdata, "CHUNK", 2000)


@pytest.mark.parametrize("layout", [twitter_layout, synthetic_layout])
def test_runs_read_what_records_read(layout) -> None:  # noqa: ANN001
    records = [{"tweet": tweet(n)} for n in range(200)] + [{"tweet": None}, tweet(500), [1, 2]]
    fast, slow, runs = both_ways(layout(records))
    assert fast == slow
    assert len(fast) == 203 and runs > 20
    assert [s.id for s in fast[199:]] == ["1199", "", "1500", ""]
    assert fast[3].edit_ids == ("1003", "99999") and fast[2].is_retweet and fast[1].is_reply


def test_odd_records_are_read_the_slow_way_with_the_same_result() -> None:
    """A record closing a nested object at the start of a line (a false record end), a lone
    surrogate and NaN (the json module reads them, msgspec does not), a one-line file."""
    odd = '{"tweet": {"a": {\n}, "id_str": "77", "full_text": "\\ud800 x", "n": NaN}}'
    records = ",\n".join([json.dumps({"tweet": tweet(n)}, indent=2) for n in range(40)] + [odd]
                         + [json.dumps({"tweet": tweet(n)}, indent=2) for n in range(40, 80)])
    fast, slow, _ = both_ways(f"window.YTD.tweets.part0 = [\n{records}\n]")
    assert fast == slow and len(fast) == 81 and fast[40].id == "77"
    one_line = "window.YTD.tweets.part0 = [" + ",".join(
        json.dumps({"tweet": tweet(n)}) for n in range(100)) + "]"
    fast, slow, runs = both_ways(one_line)
    assert fast == slow and len(fast) == 100 and runs == 0


def test_grailbird_month_files_read_as_tweets() -> None:
    records = [tweet(n) for n in range(100)] + [{"tweet": {"id_str": "5"}, "id_str": "6"}]
    text = synthetic_layout(records).replace("window.YTD.tweets.part0", "Grailbird.data.tweets_2013_06")
    decoder = Counting(summaries_of_tweets)
    fast = list(iter_runs(io.StringIO(text), "m.js", decoder, summary_from_api))
    assert fast == [summary_from_api(r) for r in iter_records(io.StringIO(text), "m.js")]
    assert fast[-1].id == "6" and decoder.runs > 5


@pytest.mark.parametrize("cut", [-3, -700, -4000])
def test_a_damaged_file_fails_the_same_way(cut: int) -> None:
    text = twitter_layout([{"tweet": tweet(n)} for n in range(100)])
    damaged = text[:cut]
    with pytest.raises(ArchiverError) as slow:
        list(iter_records(io.StringIO(damaged), "x.js"))
    with pytest.raises(ArchiverError) as fast:
        list(iter_runs(io.StringIO(damaged), "x.js", summaries_of_records, summary_from_record))
    assert str(fast.value) == str(slow.value)
    assert "line" in fast.value.message
