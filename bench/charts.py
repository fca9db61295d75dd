"""Chart rendering against the baseline a user would otherwise pick: a matplotlib script that
draws the same chart (2 countries x 15 years, lines with markers, title, subtitle, a wrapped
note and a source line) to SVG and PNG. Runs the criterion bench and matplotlib in one run and
prints the ratios. Usage: python3 bench/charts.py (needs `pip install matplotlib`).
"""
import io
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def criterion():
    out = subprocess.run(
        ["cargo", "bench", "-q", "-p", "indikator-charts", "--bench", "render", "--", "--noplot"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout
    times = {}
    for name in ["svg", "png"]:
        match = re.search(name + r" 2 countries x 15 years\s+time:\s+\[\S+ \S+ (\S+) (\S+)", out)
        value, unit = float(match.group(1)), match.group(2)
        times[name] = value * {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1}[unit]
    return times


def matplotlib_times(rounds=50):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    years = list(range(2008, 2023))
    norway = [10 * (y - 2000) for y in years]
    sweden = [14 * (y - 2000) for y in years]

    def draw(fmt):
        fig, ax = plt.subplots(figsize=(8, 5), dpi=100)
        ax.plot(years, norway, marker="o", color="#0072B2", label="Norway")
        ax.plot(years, sweden, marker="s", linestyle="--", color="#D55E00", label="Sweden")
        ax.set_title("Innovation procurements announced", loc="left", fontweight="bold")
        ax.text(0, 1.02, "Number", transform=ax.transAxes)
        ax.set_ylim(bottom=0)
        ax.legend()
        fig.text(0.01, 0.01, "Note: Not like-for-like: the two countries count differently.\nSources: Producer A; Producer B\nData as of 2026-11-27", fontsize=8, wrap=True)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt)
        plt.close(fig)

    times = {}
    for fmt in ["svg", "png"]:
        draw(fmt)
        start = time.perf_counter()
        for _ in range(rounds):
            draw(fmt)
        times[fmt] = (time.perf_counter() - start) / rounds
    return times


def main():
    ours = criterion()
    theirs = matplotlib_times()
    print(f"{'format':<7} {'indikator':>12} {'matplotlib':>12} {'ratio':>8}")
    for fmt in ["svg", "png"]:
        print(f"{fmt:<7} {ours[fmt] * 1000:>10.3f}ms {theirs[fmt] * 1000:>10.3f}ms {theirs[fmt] / ours[fmt]:>7.1f}x")


if __name__ == "__main__":
    sys.exit(main())
