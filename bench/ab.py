"""Times two builds of a command against each other, interleaved, so that the machine's drift
(5-10 % within minutes on this VM) falls on both alike. Prints the fastest, median and
slowest wall time of each.

Usage: python3 bench/ab.py OLD_BINARY NEW_BINARY RUNS ARGS...
e.g.   python3 bench/ab.py /tmp/indikator-old target/release/indikator 10 notices ted.csv --out /tmp/o
"""
import statistics
import subprocess
import sys
import time


def main():
    old, new, runs, args = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    seconds = {old: [], new: []}
    for i in range(runs):
        # Each round starts with the other binary, so neither always runs first.
        for binary in (old, new) if i % 2 == 0 else (new, old):
            start = time.perf_counter()
            subprocess.run([binary, *args], check=True, capture_output=True)
            seconds[binary].append(time.perf_counter() - start)
    for binary, times in seconds.items():
        times.sort()
        print(f"{binary}: fastest {times[0]:.3f} s, median {statistics.median(times):.3f} s, slowest {times[-1]:.3f} s")


if __name__ == "__main__":
    main()
