"""The notice counts of `indikator notices`, written the way an analyst would with pandas.

Reads only the needed columns, as strings; leaves out cancelled notices and rows whose year is
not four digits; counts distinct notice ids per country and year under each definition.
Usage: python3 notices_pandas.py [--cite] OUT.csv FILE...

--cite also does what indikator does for the rows' citation: each file's SHA-256 (hashlib,
which is OpenSSL's, reading the file in 1 MiB blocks), written to OUT.csv.sha256 one line a
file. Without it the script does less work than indikator.
"""
import hashlib
import sys

import pandas as pd

ISO = {"UK": "GB", "EL": "GR"}


def main(out, files):
    frames = []
    for path in files:
        header = pd.read_csv(path, nrows=0).columns
        notice = "ID_NOTICE_CAN" if "ID_NOTICE_CAN" in header else "ID_NOTICE_CN"
        frame = pd.read_csv(
            path,
            usecols=[notice, "YEAR", "CANCELLED", "ISO_COUNTRY_CODE", "TOP_TYPE", "CPV"],
            dtype=str,
            keep_default_na=False,
        ).rename(columns={notice: "id"})
        frames.append(frame)
    notices = pd.concat(frames, ignore_index=True)
    notices = notices[notices["YEAR"].str.fullmatch(r"\d{4}") & (notices["CANCELLED"] != "1")]
    notices["country"] = notices["ISO_COUNTRY_CODE"].replace(ISO)
    notices["year"] = notices["YEAR"].astype(int)
    cpv = pd.to_numeric(notices["CPV"], errors="coerce")
    notices["innovation"] = notices["TOP_TYPE"].isin(["COD", "INP"])
    notices["research"] = (cpv >= 73_000_000) & (cpv < 74_000_000)
    groups = notices.groupby(["country", "year"])
    counts = pd.DataFrame({
        "ted-notices": groups["id"].nunique(),
        "ted-innovation-procedure-notices": notices[notices["innovation"]].groupby(["country", "year"])["id"].nunique(),
        "ted-rd-notices": notices[notices["research"]].groupby(["country", "year"])["id"].nunique(),
    }).fillna(0).astype(int)
    counts.to_csv(out)


def cite(out, files):
    with open(out + ".sha256", "w") as report:
        for path in files:
            digest = hashlib.sha256()
            with open(path, "rb") as f:
                while block := f.read(1 << 20):
                    digest.update(block)
            report.write(digest.hexdigest() + "\n")


if __name__ == "__main__":
    args = sys.argv[1:]
    citing = args[:1] == ["--cite"]
    args = args[1:] if citing else args
    main(args[0], args[1:])
    if citing:
        cite(args[0], args[1:])
