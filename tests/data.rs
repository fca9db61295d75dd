//! The shipped series against the figures they come from. The sample below is copied from the
//! research files by hand (`ted-coverage/README.md` states the first four), so the test holds on
//! any machine; where the research files themselves are present, every shipped TED row is also
//! looked up in them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::util::{export_rows, indikator, root};

/// (country, period) → (value, flag) of one indicator, as `indikator export` gives it.
fn exported(id: &str) -> BTreeMap<(String, String), (String, String)> {
    let run = indikator(&["export", id]);
    assert_eq!(run.code, Some(0), "{id}: {}", run.stderr);
    export_rows(&run.stdout)
        .into_iter()
        .map(|(country, period, value, flag)| ((country, period), (value, flag)))
        .collect()
}

#[test]
fn ted_series_carry_the_published_figures() {
    let cases: [(&str, &str, &str, &str, &str); 16] = [
        // ted-coverage/README.md: "NO cn 2010 = 3 512, SE cn 2010 = 4 984, NO cn 2016 = 4 415,
        // SE cn 2016 = 7 415" (coverage.csv, notices).
        ("ted-contract-notices", "NO", "2010", "3512", ""),
        ("ted-contract-notices", "SE", "2010", "4984", ""),
        ("ted-contract-notices", "NO", "2016", "4415", ""),
        ("ted-contract-notices", "SE", "2016", "7415", ""),
        // coverage.csv, notices: the first year, and TED's `UK` and `GR` as ISO codes.
        ("ted-contract-notices", "NO", "2006", "2441", ""),
        ("ted-contract-notices", "GB", "2006", "12675", ""),
        ("ted-contract-notices", "GR", "2006", "4397", ""),
        ("ted-contract-notices", "GB", "2021", "279", "b"),
        // README: "NO cn procedures 5 965 in 2023, 5 659 in 2024" (coverage_country_year.csv),
        // the break flagged on 2023 only.
        ("ted-contract-notices", "NO", "2023", "5965", "b"),
        ("ted-contract-notices", "NO", "2024", "5659", ""),
        ("ted-contract-notices", "SE", "2025", "11298", ""),
        // Award notices: coverage.csv to 2022, then procedures.
        ("ted-award-notices", "NO", "2010", "1928", ""),
        ("ted-award-notices", "SE", "2016", "5668", ""),
        ("ted-award-notices", "SE", "2022", "9379", ""),
        ("ted-award-notices", "SE", "2023", "10133", "b"),
        ("ted-award-notices", "NO", "2025", "3274", ""),
    ];
    let mut series = BTreeMap::new();
    for (id, country, year, value, flag) in cases {
        let rows = series.entry(id).or_insert_with(|| exported(id));
        assert_eq!(
            rows.get(&(country.to_owned(), year.to_owned())),
            Some(&(value.to_owned(), flag.to_owned())),
            "{id} {country} {year}"
        );
    }
    for (id, rows) in &series {
        let countries: std::collections::BTreeSet<&str> =
            rows.keys().map(|(c, _)| c.as_str()).collect();
        assert_eq!(countries.len(), 33, "{id}: every country in the files");
        assert!(
            !countries.contains("UK") && !countries.contains("EL"),
            "{id}"
        );
        let years: Vec<i32> = rows.keys().filter_map(|(_, y)| y.parse().ok()).collect();
        assert_eq!(years.iter().min(), Some(&2006), "{id}");
        assert_eq!(years.iter().max(), Some(&2025), "{id}: 2026 is incomplete");
        let zeros = rows.values().filter(|(v, _)| v == "0").count();
        assert_eq!(zeros, 0, "{id}: a year without a count stays missing");
    }
    // Missing stays missing: coverage.csv has no 2006 award notices for Bulgaria and Romania
    // (EU members from 2007), Croatia, Liechtenstein or North Macedonia.
    let awards = &series["ted-award-notices"];
    let in_2006: Vec<&str> = awards
        .keys()
        .filter(|(_, y)| y == "2006")
        .map(|(c, _)| c.as_str())
        .collect();
    assert_eq!(in_2006.len(), 28);
    for absent in ["BG", "HR", "LI", "MK", "RO"] {
        assert!(!in_2006.contains(&absent), "{absent}");
    }
}

#[test]
fn advertised_procurements_carry_the_published_figures() {
    let rows = exported("advertised-procurements");
    let expected = [
        // facts-sourced.csv: UHM news of 5 Feb 2026.
        ("SE", "2024", "17575", ""),
        // First published; the revision to 17 203 is in the note, not a second value.
        ("SE", "2022", "17198", ""),
        // HILMA notices, not procurements.
        ("FI", "2016", "17314", "d"),
        ("FI", "2017", "15709", "d"),
        ("FI", "2018", "17022", "d"),
    ];
    for (country, year, value, flag) in expected {
        assert_eq!(
            rows.get(&(country.to_owned(), year.to_owned())),
            Some(&(value.to_owned(), flag.to_owned())),
            "{country} {year}"
        );
    }
    for missing in ["2018", "2023"] {
        assert!(!rows.contains_key(&("SE".to_owned(), missing.to_owned())));
    }
    assert!(
        !rows.keys().any(|(c, p)| c == "NO" && p.starts_with("2018")),
        "the DO NOT USE Doffin counts stay out"
    );
}

/// The research tables, where this checkout has them beside it (`../shared/research`).
fn research() -> Option<PathBuf> {
    let dir = root().join("../shared/research/ted-coverage");
    dir.join("coverage.csv").is_file().then_some(dir)
}

/// (type, TED country code, year) → column `column` of a research table.
fn table(path: PathBuf, column: &str) -> BTreeMap<(String, String, i32), String> {
    let mut reader = csv::Reader::from_path(&path).expect("readable");
    let headers = reader.headers().expect("a header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (kind, country, year, value) = (col("type"), col("country"), col("year"), col(column));
    reader
        .records()
        .map(|r| {
            let r = r.expect("a record");
            let year = r[year].parse().expect("a year");
            (
                (r[kind].to_owned(), r[country].to_owned(), year),
                r[value].to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_shipped_ted_row_is_in_the_research_tables() {
    let Some(dir) = research() else {
        eprintln!("../shared/research is not here; the sample above still holds");
        return;
    };
    let notices = table(dir.join("coverage.csv"), "notices");
    let procedures = table(dir.join("coverage_country_year.csv"), "procedures");
    for (id, kind) in [("ted-contract-notices", "cn"), ("ted-award-notices", "can")] {
        let rows = exported(id);
        let mut looked_up = 0;
        for ((country, period), (value, _)) in &rows {
            let year: i32 = period.parse().expect("single years");
            let ted = match country.as_str() {
                "GB" => "UK",
                other => other,
            };
            let key = (kind.to_owned(), ted.to_owned(), year);
            let source = if year <= 2022 { &notices } else { &procedures };
            assert_eq!(source.get(&key), Some(value), "{id} {country} {year}");
            looked_up += 1;
        }
        // And nothing the tables have for 2006–2025 is left out.
        let expected = notices
            .keys()
            .filter(|(k, _, y)| k == kind && *y <= 2022)
            .chain(
                procedures
                    .keys()
                    .filter(|(k, _, y)| k == kind && (2023..=2025).contains(y)),
            )
            .count();
        assert_eq!(looked_up, expected, "{id}");
    }
}
