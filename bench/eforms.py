"""Benchmark: `indikator notices` on a folder of eForms XML against a Python lxml script of
the same counts (bench/eforms_lxml.py), in one run. Prints seconds (the best of three runs
for indikator, of two for lxml, all from the page cache), peak RSS, the ratios, and whether the
counts agree. Usage: python3 bench/eforms.py [SIZE_MB] (default 1024); needs
`pip install lxml` and GNU time (`/usr/bin/time`). Also times:
- the same notices as one .tar.gz package (both programs read it as a stream);
- lxml doing the citation's work too (`--cite`: SHA-256 of every byte it reads, as indikator
  cites its input), and checks that digest against indikator's;
- the floor any recount that cites its input pays on this machine: reading every file, and
  hashing it (crates/notices/examples/read_floor.rs).
"""
import csv
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from notices import run  # noqa: E402  (bench/ is the script's folder)

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "indikator"
DEFINITIONS = ["notices", "innovation-procedure-notices", "rd-notices", "innovation-flag-notices"]


def size_of(folder):
    return sum(f.stat().st_size for f in Path(folder).rglob("*.xml"))


def counts_from_datasets(folder):
    counts = {}
    for definition in DEFINITIONS:
        with open(folder / f"eforms-{definition}.csv", newline="") as f:
            for row in csv.DictReader(f):
                counts.setdefault((row["country"], row["period"]), [0, 0, 0, 0])[DEFINITIONS.index(definition)] = int(row["value"])
    return counts


def counts_from_table(path):
    with open(path, newline="") as f:
        return {(r["country"], r["year"]): [int(r[k]) for k in ["notices", "innovation-procedure", "rd", "innovation-flag"]] for r in csv.DictReader(f)}


def reading_floor(folder):
    """What a recount that cites its input pays before any parsing: the seconds to read every
    file from the page cache, and to read and hash each with SHA-256, on a thread per core
    (crates/notices/examples/read_floor.rs, best of three each)."""
    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "indikator-notices", "--example", "read_floor"], cwd=ROOT, check=True)
    out = subprocess.run([ROOT / "target" / "release" / "examples" / "read_floor", folder], check=True, capture_output=True, text=True).stdout
    seconds = dict(line.split() for line in out.splitlines())
    return float(seconds["read"]), float(seconds["read+sha256"])


def main():
    size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    if not BINARY.exists():
        sys.exit("build first: cargo build --release")
    work = Path(tempfile.mkdtemp(prefix="indikator-eforms-"))
    try:
        sample = work / "sample"
        subprocess.run([BINARY, "notices", "--generate", "500", "--layout", "eforms", "--seed", "1", "-o", sample], check=True, capture_output=True)
        count = int(500 * size_mb * 1024 * 1024 / size_of(sample))
        folder = work / "eforms"
        seconds, _ = run([BINARY, "notices", "--generate", str(count), "--layout", "eforms", "--seed", "1", "-o", folder])
        size = size_of(folder) / (1024 * 1024)
        print(f"input: {count} notices, {size:.0f} MiB of XML (generated in {seconds:.1f} s)")
        package = work / "eforms.tar.gz"
        run([BINARY, "notices", "--generate", str(count), "--layout", "eforms", "--seed", "1", "-o", package])
        # The files written are on disk and in the page cache before any timing: both read
        # them from memory, as a second run would.
        subprocess.run(["sync"], check=True)
        subprocess.run(f"find {folder} -name '*.xml' -print0 | xargs -0 cat > /dev/null", shell=True, check=True)

        def best(command, times):
            """The fastest of several runs (seconds, and the peak RSS of that run)."""
            return min(run(command) for _ in range(times))

        results = {}
        results["indikator"] = best([BINARY, "notices", folder, "--out", work / "indikator"], 3)
        counts = {"indikator": counts_from_datasets(work / "indikator")}
        results["python lxml"] = best([sys.executable, ROOT / "bench" / "eforms_lxml.py", work / "lxml.csv", folder], 2)
        counts["python lxml"] = counts_from_table(work / "lxml.csv")
        results["indikator, .tar.gz"] = best([BINARY, "notices", package, "--out", work / "package"], 3)
        counts["indikator, .tar.gz"] = counts_from_datasets(work / "package")
        results["python lxml, .tar.gz"] = best([sys.executable, ROOT / "bench" / "eforms_lxml.py", work / "lxml-package.csv", package], 2)
        counts["python lxml, .tar.gz"] = counts_from_table(work / "lxml-package.csv")
        # lxml doing what indikator does for the citation too (SHA-256 of what it reads): the
        # like-for-like figures, and a check of indikator's digest from an independent reading.
        digests = {}
        for name, source, out, ours in [("python lxml + SHA-256", folder, "lxml-cited.csv", "indikator"),
                                        ("python lxml + SHA-256, .tar.gz", package, "lxml-package-cited.csv", "package")]:
            results[name] = best([sys.executable, ROOT / "bench" / "eforms_lxml.py", "--cite", work / out, source], 2)
            counts[name] = counts_from_table(work / out)
            theirs = (work / (out + ".sha256")).read_text().strip()
            digests[name] = (theirs, theirs in (work / ours / "eforms-notices.toml").read_text())

        floor = reading_floor(folder)
        lxml_seconds = results["python lxml"][0]
        # Each program against lxml on the same input: the folder, or the package.
        reference = {"indikator": lxml_seconds, "python lxml": lxml_seconds,
                     "indikator, .tar.gz": results["python lxml, .tar.gz"][0],
                     "python lxml, .tar.gz": results["python lxml, .tar.gz"][0],
                     "python lxml + SHA-256": lxml_seconds,
                     "python lxml + SHA-256, .tar.gz": results["python lxml, .tar.gz"][0]}
        print(f"{'implementation':<31} {'seconds':>8} {'peak RSS MiB':>13} {'vs lxml, same input':>20} {'RSS / input':>12}")
        for name, (seconds, rss) in results.items():
            print(f"{name:<31} {seconds:>8.2f} {rss:>13.0f} {reference[name] / seconds:>19.1f}x {rss / size:>12.3f}")
        for (ours, theirs) in [("indikator", "python lxml + SHA-256"), ("indikator, .tar.gz", "python lxml + SHA-256, .tar.gz")]:
            print(f"like for like (both cite the input's SHA-256): {ours} {results[theirs][0] / results[ours][0]:.1f}x lxml")
        print(f"package: {package.stat().st_size / (1024 * 1024):.0f} MiB compressed")
        reading, hashed = floor
        print(
            f"floor on {os.cpu_count()} cores, no parsing: reading every file {reading:.2f} s, "
            f"reading and hashing it (SHA-256, as the citation needs) {hashed:.2f} s; "
            f"lxml / that floor = {lxml_seconds / hashed:.1f}x"
        )
        for name, (digest, same) in digests.items():
            print(f"{name}: SHA-256 {digest[:16]}..., {'the same as' if same else 'DIFFERENT from'} indikator's citation")
        agree = all(c == counts["indikator"] for c in counts.values()) and all(same for _, same in digests.values())
        print(f"counts agree: {agree} ({len(counts['indikator'])} country-years)")
        if not agree:
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
