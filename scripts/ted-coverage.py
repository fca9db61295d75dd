#!/usr/bin/env python3
"""Writes data/ted-contract-notices.csv and data/ted-award-notices.csv from the two coverage
tables of dorviya/ted-ods (copied unchanged to ../shared/research/ted-coverage/).

One honest series per country and notice type:
- 2006-2022: `notices` in coverage.csv (distinct TED notice ids by the TED CSV's YEAR field);
- 2023-2025: `procedures` in coverage_country_year.csv (by dispatch year, TED CSV to 30 Sep 2023
  joined with TED's search API for eForms from 1 Oct 2023), flag `b` on 2023;
- 2026 and later are left out while the year is incomplete.
TED writes `UK` for the United Kingdom and `EL` for Greece; the data format uses ISO codes.
A country-year absent from the tables stays absent (never 0).

Usage: scripts/ted-coverage.py [RESEARCH_DIR] (default ../shared/research/ted-coverage)

Stdlib only, so that it runs wherever Python 3 does. The sidecars (data/ted-*.toml) are written
by hand; `indikator check data` checks the result.
"""

import csv
import io
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ISO = {"UK": "GB", "EL": "GR"}
FIRST_API_YEAR = 2023
LAST_COMPLETE_YEAR = 2025
OUTPUTS = {"cn": "ted-contract-notices", "can": "ted-award-notices"}
# Breaks in series that are not in the tables: from 1 January 2021 the United Kingdom's new
# procedures are published on its Find a Tender service, not on TED (the sidecars cite it).
BREAKS = {("GB", 2021)}


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def count(text, where):
    if not text.isdigit():
        sys.exit(f"{where}: `{text}` is not a count")
    return int(text)


def series(research):
    """{type: {(country, year): (value, flag, source, note)}}"""
    out = {kind: {} for kind in OUTPUTS}
    for line, row in enumerate(read(research / "coverage.csv"), start=2):
        year = int(row["year"])
        if row["type"] in out and year < FIRST_API_YEAR:
            key = (ISO.get(row["country"], row["country"]), year)
            value = count(row["notices"], f"coverage.csv:{line}")
            flag = "b" if key in BREAKS else ""
            out[row["type"]][key] = (value, flag, "ted-ods-coverage", "")
    for line, row in enumerate(read(research / "coverage_country_year.csv"), start=2):
        year = int(row["year"])
        if row["type"] in out and FIRST_API_YEAR <= year <= LAST_COMPLETE_YEAR:
            key = (ISO.get(row["country"], row["country"]), year)
            value = count(row["procedures"], f"coverage_country_year.csv:{line}")
            # The break is explained in the sidecar's notes, in every language.
            flag = "b" if year == FIRST_API_YEAR else ""
            out[row["type"]][key] = (value, flag, "ted-ods-quality", "")
    return out


def main():
    research = pathlib.Path(
        sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared/research/ted-coverage"
    )
    for kind, rows in series(research).items():
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(["country", "period", "value", "flag", "source", "note"])
        for (country, year), (value, flag, source, note) in sorted(rows.items()):
            writer.writerow([country, year, value, flag, source, note])
        path = ROOT / "data" / f"{OUTPUTS[kind]}.csv"
        path.write_text(text.getvalue(), encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {len(rows)} rows")


if __name__ == "__main__":
    main()
