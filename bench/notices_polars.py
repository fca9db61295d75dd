"""The same counts with python-polars (lazy, streaming), where it is installed.
Usage: python3 notices_polars.py OUT.csv FILE...
"""
import sys

import polars as pl


def main(out, files):
    frames = []
    for path in files:
        header = pl.read_csv(path, n_rows=0).columns
        notice = "ID_NOTICE_CAN" if "ID_NOTICE_CAN" in header else "ID_NOTICE_CN"
        frames.append(
            pl.scan_csv(path, infer_schema=False)
            .select(pl.col(notice).alias("id"), "YEAR", "CANCELLED", "ISO_COUNTRY_CODE", "TOP_TYPE", "CPV")
        )
    notices = (
        pl.concat(frames)
        .filter(pl.col("YEAR").str.contains(r"^\d{4}$") & (pl.col("CANCELLED") != "1"))
        .with_columns(
            pl.col("ISO_COUNTRY_CODE").replace({"UK": "GB", "EL": "GR"}).alias("country"),
            pl.col("YEAR").cast(pl.Int32).alias("year"),
            pl.col("CPV").cast(pl.Int64, strict=False).alias("cpv"),
        )
    )
    innovation = pl.col("TOP_TYPE").is_in(["COD", "INP"])
    research = (pl.col("cpv") >= 73_000_000) & (pl.col("cpv") < 74_000_000)
    counts = (
        notices.group_by("country", "year")
        .agg(
            pl.col("id").n_unique().alias("ted-notices"),
            pl.col("id").filter(innovation).n_unique().alias("ted-innovation-procedure-notices"),
            pl.col("id").filter(research).n_unique().alias("ted-rd-notices"),
        )
        .sort("country", "year")
        .collect(engine="streaming")
    )
    counts.write_csv(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
