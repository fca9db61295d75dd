"""Benchmark: `indikator notices` against pandas (and python-polars, where installed) on the
same synthetic TED export, in one run. Prints seconds (the best of three runs for indikator, of
two for the others, as bench/eforms.py), peak RSS, the ratios, and whether the counts agree.
Also times pandas doing the citation's work too (`--cite`: the file's SHA-256, as indikator
cites its input) and checks that digest against indikator's.
Usage: python3 bench/notices.py [SIZE_MB] (default 1024).
"""
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "indikator"


def run(command):
    """Runs a command; returns (seconds, peak RSS in MiB). The peak is measured by GNU time:
    the rusage of a child forked from this Python process starts at this process's size (the
    first eForms figures read 63 MiB for every program that way)."""
    with tempfile.NamedTemporaryFile(mode="r") as report:
        start = time.perf_counter()
        child = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", report.name, *map(str, command)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        seconds = time.perf_counter() - start
        if child.returncode != 0:
            sys.exit(f"{command[0]} failed: {child.stderr.decode()[-2000:]}")
        return seconds, int(report.read().split()[-1]) / 1024


def counts_from_datasets(folder):
    counts = {}
    for definition in ["ted-notices", "ted-innovation-procedure-notices", "ted-rd-notices"]:
        with open(folder / f"{definition}.csv", newline="") as f:
            for row in csv.DictReader(f):
                counts.setdefault((row["country"], row["period"]), {})[definition] = int(row["value"])
    return counts


def counts_from_table(path):
    with open(path, newline="") as f:
        return {
            (row["country"], row["year"]): {k: int(v) for k, v in row.items() if k.startswith("ted-")}
            for row in csv.DictReader(f)
        }


def main():
    size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    if not BINARY.exists():
        sys.exit("build first: cargo build --release")
    work = Path(tempfile.mkdtemp(prefix="indikator-bench-"))
    sample = work / "sample.csv"
    subprocess.run([BINARY, "notices", "--generate", "20000", "--seed", "1", "-o", sample], check=True, capture_output=True)
    rows = int(20000 * size_mb * 1024 * 1024 / sample.stat().st_size)
    data = work / "ted.csv"
    seconds, _ = run([BINARY, "notices", "--generate", str(rows), "--seed", "1", "-o", data])
    size = data.stat().st_size / (1024 * 1024)
    print(f"input: {rows} rows, {size:.0f} MiB (generated in {seconds:.1f} s)")

    def best(command, times):
        """The fastest of several runs (seconds, and the peak RSS of that run)."""
        return min(run(command) for _ in range(times))

    pandas = [sys.executable, ROOT / "bench" / "notices_pandas.py"]
    results = {}
    results["indikator"] = best([BINARY, "notices", data, "--out", work / "indikator"], 3)
    counts = {"indikator": counts_from_datasets(work / "indikator")}
    results["pandas"] = best([*pandas, work / "pandas.csv", data], 2)
    counts["pandas"] = counts_from_table(work / "pandas.csv")
    # pandas doing what indikator does for the citation too: the like-for-like figure, and a
    # check of indikator's digest from an independent reading.
    results["pandas + SHA-256"] = best([*pandas, "--cite", work / "cited.csv", data], 2)
    counts["pandas + SHA-256"] = counts_from_table(work / "cited.csv")
    digest = (work / "cited.csv.sha256").read_text().strip()
    same = digest in (work / "indikator" / "ted-notices.toml").read_text()
    try:
        import polars  # noqa: F401

        results["python-polars"] = best([sys.executable, ROOT / "bench" / "notices_polars.py", work / "polars.csv", data], 2)
        counts["python-polars"] = counts_from_table(work / "polars.csv")
    except ImportError:
        print("python-polars: not installed, left out")

    pandas_seconds = results["pandas"][0]
    print(f"{'implementation':<17} {'seconds':>8} {'peak RSS MiB':>13} {'speed vs pandas':>16} {'RSS / file size':>16}")
    for name, (seconds, rss) in results.items():
        print(f"{name:<17} {seconds:>8.2f} {rss:>13.0f} {pandas_seconds / seconds:>15.1f}x {rss / size:>16.2f}")
    cited = results["pandas + SHA-256"][0] / results["indikator"][0]
    print(f"like for like (both cite the input's SHA-256): indikator {cited:.1f}x pandas")
    print(f"pandas + SHA-256: {digest[:16]}..., {'the same as' if same else 'DIFFERENT from'} indikator's citation")
    agree = same and all(c == counts["indikator"] for c in counts.values())
    print(f"counts agree: {agree} ({len(counts['indikator'])} country-years)")
    if not agree:
        sys.exit(1)


if __name__ == "__main__":
    main()
