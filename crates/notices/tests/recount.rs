//! Recounts on fixtures written here, in TED's published layouts: what is counted, what is
//! left out and reported, and the datasets written.

use std::path::{Path, PathBuf};

use indikator_notices::{
    CAN_HEADER, DEFINITIONS, Layout, Needs, Options, generate, recount, write_datasets,
};

/// A CAN row with the fields a count reads; the rest empty.
fn can_row(
    id: &str,
    year: &str,
    cancelled: &str,
    country: &str,
    procedure: &str,
    cpv: &str,
    title: &str,
) -> Vec<String> {
    let mut row = vec![String::new(); CAN_HEADER.len()];
    let mut set = |name: &str, value: &str| {
        if let Some(i) = CAN_HEADER.iter().position(|c| *c == name) {
            row[i] = value.to_owned();
        }
    };
    set("ID_NOTICE_CAN", id);
    set("YEAR", year);
    set("CANCELLED", cancelled);
    set("ISO_COUNTRY_CODE", country);
    set("TOP_TYPE", procedure);
    set("CPV", cpv);
    set("TITLE", title);
    set("ADDITIONAL_CPVS", "73100000---45000000");
    set(
        "DT_DISPATCH",
        if id.ends_with('1') {
            "13-OCT-21"
        } else {
            "13/10/21"
        },
    );
    row
}

fn write_csv(dir: &Path, name: &str, header: &[&str], rows: &[Vec<String>]) -> PathBuf {
    let path = dir.join(name);
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_path(&path)
        .expect("a file");
    writer.write_record(header).expect("header");
    for row in rows {
        writer.write_record(row).expect("row");
    }
    writer.flush().expect("flush");
    path
}

fn counts(recount: &indikator_notices::Recount) -> Vec<String> {
    recount
        .counts
        .iter()
        .map(|((country, year), c)| format!("{country} {year}: {:?}", &c.0.by_definition[..3]))
        .collect()
}

/// The bad rows listed, as `FILE:LINE: problem`.
fn bad_rows(recount: &indikator_notices::Recount) -> Vec<String> {
    recount
        .bad_rows
        .iter()
        .map(|b| format!("{}: {}", b.location(), b.problem))
        .collect()
}

#[test]
fn distinct_notices_per_country_and_year_under_each_definition() {
    let dir = tempfile::tempdir().expect("a folder");
    let rows = vec![
        // One notice in three lots: counted once.
        can_row("2021000001", "2021", "0", "NO", "OPE", "45000000", "Lot 1"),
        can_row(
            "2021000001",
            "2021",
            "0",
            "NO",
            "OPE",
            "45000000",
            "Lot 2, \"roads\"",
        ),
        can_row(
            "2021000001",
            "2021",
            "0",
            "NO",
            "OPE",
            "45000000",
            "Lot 3\nsecond line",
        ),
        can_row("2021000002", "2021", "0", "NO", "COD", "72000000", ""),
        can_row("2021000003", "2021", "0", "NO", "INP", "73110000", ""),
        can_row(
            "2021000004",
            "2021",
            "1",
            "NO",
            "COD",
            "73000000",
            "cancelled: not counted",
        ),
        can_row("2021000005", "2021", "0", "SE", "OPE", "73200000", ""),
        can_row("2022000006", "2022", "0", "SE", "NOP", "79400000", ""),
        can_row("2022000007", "2022", "0", "UK", "OPE", "45000000", ""),
        can_row("2022000008", "2022", "0", "EL", "RES", "45000000", ""),
    ];
    let can = write_csv(dir.path(), "can.csv", &CAN_HEADER, &rows);
    let cn = write_csv(
        dir.path(),
        "cn.csv",
        &[
            "ID_NOTICE_CN",
            "YEAR",
            "CANCELLED",
            "ISO_COUNTRY_CODE",
            "TOP_TYPE",
            "CPV",
            "TITLE",
        ],
        &[
            [
                "2021100001",
                "2021",
                "0",
                "NO",
                "COD",
                "73000000",
                "dialogue",
            ]
            .map(String::from)
            .to_vec(),
            ["2021100002", "2021", "0", "SE", "OPE", "33100000", "a, b"]
                .map(String::from)
                .to_vec(),
        ],
    );
    let result = recount(&[can, cn], &Options::default(), &|_| {}).expect("counts");
    assert_eq!(
        result.files.iter().map(|f| f.layout).collect::<Vec<_>>(),
        [Layout::AwardNotice, Layout::ContractNotice]
    );
    assert_eq!(
        result.files.iter().map(|f| f.rows).collect::<Vec<_>>(),
        [10, 2]
    );
    assert_eq!(
        counts(&result),
        [
            "GB 2022: [1, 0, 0]",
            "GR 2022: [1, 0, 0]",
            "NO 2021: [4, 3, 2]",
            "SE 2021: [2, 0, 1]",
            "SE 2022: [1, 0, 0]",
        ]
    );
    assert_eq!(result.bad_total, 0);
}

#[test]
fn bad_rows_are_left_out_and_reported_with_their_lines() {
    let dir = tempfile::tempdir().expect("a folder");
    let mut short = can_row("2021000009", "2021", "0", "NO", "OPE", "45000000", "");
    short.truncate(40);
    let rows = vec![
        can_row(
            "2021000001",
            "2021",
            "0",
            "NO",
            "OPE",
            "45000000",
            "two\nlines",
        ),
        short,
        can_row("2021000002", "21", "0", "NO", "COD", "45000000", ""),
        can_row("2021000003", "2021", "0", "NO", "COD", "45000000", ""),
        can_row("2021000004", "", "0", "NO", "OPE", "45000000", ""),
    ];
    let path = write_csv(dir.path(), "broken.csv", &CAN_HEADER, &rows);
    let result = recount(&[path], &Options::default(), &|_| {}).expect("the run goes on");
    assert_eq!(
        bad_rows(&result),
        [
            "broken.csv:4: 40 fields, but the header has 75",
            "broken.csv:5: year `21` is not a year",
            "broken.csv:7: year `` is not a year",
        ]
    );
    assert_eq!(result.bad_total, 3);
    assert_eq!(
        counts(&result),
        ["NO 2021: [2, 1, 0]"],
        "only the good rows count"
    );
}

#[test]
fn a_notice_counts_once_wherever_its_rows_are_and_any_row_can_qualify_it() {
    let dir = tempfile::tempdir().expect("a folder");
    let row =
        |id: &str, procedure: &str, cpv: &str| can_row(id, "2021", "0", "NO", procedure, cpv, "");
    let first = write_csv(
        dir.path(),
        "first.csv",
        &CAN_HEADER,
        &[
            row("2021000001", "OPE", "45000000"),
            row("2021000002", "OPE", "45000000"),
            // Notice 1 again, apart from its first row: its second lot is a dialogue.
            row("2021000001", "COD", "45000000"),
            // Ids that are not digits, and one with a leading zero, are ids all the same.
            row("TED-2021-3", "OPE", "73000000"),
            row("TED-2021-3", "OPE", "45000000"),
            row("02021000002", "OPE", "45000000"),
            // A padded country code is the same country.
            can_row("2021000004", "2021", "0", " NO ", "OPE", "45000000", ""),
        ],
    );
    let second = write_csv(
        dir.path(),
        "second.csv",
        &CAN_HEADER,
        // Notice 2 again, in another file, with an R&D code.
        &[row("2021000002", "OPE", "73100000")],
    );
    let result = recount(&[first, second], &Options::default(), &|_| {}).expect("counts");
    assert_eq!(counts(&result), ["NO 2021: [5, 1, 2]"]);
}

/// One record as CSV with a CRLF terminator.
fn crlf_record<I: AsRef<[u8]>>(fields: impl IntoIterator<Item = I>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(fields).expect("a record");
    writer.into_inner().expect("bytes")
}

#[test]
fn lines_stay_right_with_a_bom_crlf_blank_lines_and_quoted_newlines() {
    let dir = tempfile::tempdir().expect("a folder");
    let se = |id: &str, year: &str, title: &str| {
        crlf_record(can_row(id, year, "0", "SE", "OPE", "45000000", title))
    };
    let bytes = [
        b"\xEF\xBB\xBF".to_vec(),
        crlf_record(CAN_HEADER),
        se("2021000001", "2021", "three\r\nlines\r\nhere"),
        b"\r\n\r\n".to_vec(),
        se("2021000002", "year", ""),
        se("2021000003", "2021", ""),
        crlf_record(["2021000004", "2021"]),
    ]
    .concat();
    let path = dir.path().join("windows.csv");
    std::fs::write(&path, bytes).expect("a file");
    let result = recount(std::slice::from_ref(&path), &Options::default(), &|_| {})
        .expect("the run goes on");
    assert_eq!(
        bad_rows(&result),
        [
            "windows.csv:7: year `year` is not a year",
            "windows.csv:9: 2 fields, but the header has 75",
        ]
    );
    assert_eq!(
        result.files[0].layout,
        Layout::AwardNotice,
        "the BOM is no part of the header"
    );
    assert_eq!(counts(&result), ["SE 2021: [2, 0, 0]"]);
}

/// The counts as the codebook defines them, read with the `csv` crate into sets: the
/// reference the recount must match.
fn reference_counts(path: &Path) -> Vec<String> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut reader = csv::Reader::from_path(path).expect("a file");
    let header = reader.headers().expect("a header").clone();
    let column = |name: &str| header.iter().position(|c| c == name).expect(name);
    let [id, year, cancelled, country, procedure, cpv] = [
        "ID_NOTICE_CAN",
        "YEAR",
        "CANCELLED",
        "ISO_COUNTRY_CODE",
        "TOP_TYPE",
        "CPV",
    ]
    .map(column);
    let mut sets: BTreeMap<(String, String), [BTreeSet<String>; 3]> = BTreeMap::new();
    for record in reader.records() {
        let record = record.expect("a record");
        if &record[cancelled] == "1" {
            continue;
        }
        let code = match &record[country] {
            "UK" => "GB",
            "EL" => "GR",
            other => other,
        };
        let entry = sets
            .entry((code.to_owned(), record[year].to_owned()))
            .or_default();
        let notice = record[id].to_owned();
        entry[0].insert(notice.clone());
        if ["COD", "INP"].contains(&&record[procedure]) {
            entry[1].insert(notice.clone());
        }
        if record[cpv].starts_with("73") && record[cpv].len() == 8 {
            entry[2].insert(notice);
        }
    }
    sets.iter()
        .map(|((country, year), s)| {
            format!("{country} {year}: {:?}", s.each_ref().map(BTreeSet::len))
        })
        .collect()
}

#[test]
fn the_recount_matches_a_plain_reading_of_generated_exports()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    for seed in 1..=4 {
        let path = dir.path().join(format!("seed-{seed}.csv"));
        generate(4000, seed, std::fs::File::create(&path)?)?;
        let result = recount(std::slice::from_ref(&path), &Options::default(), &|_| {})?;
        assert_eq!(result.bad_total, 0);
        let reference = reference_counts(&path);
        assert!(reference.len() > 20, "seed {seed}: many country-years");
        assert_eq!(counts(&result), reference, "seed {seed}");
    }
    Ok(())
}

#[test]
fn a_file_that_is_not_a_ted_export_says_what_it_lacks() {
    let dir = tempfile::tempdir().expect("a folder");
    let path = write_csv(
        dir.path(),
        "other.csv",
        &["ID_NOTICE_CAN", "YEAR", "CPV"],
        &[],
    );
    let err = recount(&[path], &Options::default(), &|_| {})
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "other.csv: not a TED CSV export the count can use; the header lacks CANCELLED, ISO_COUNTRY_CODE, TOP_TYPE"
        )
    );
    let path = write_csv(
        dir.path(),
        "wrong.csv",
        &["country", "period", "value"],
        &[],
    );
    let err = recount(&[path], &Options::default(), &|_| {})
        .err()
        .map(|e| e.to_string());
    assert!(
        err.is_some_and(|e| e.starts_with("wrong.csv: not a layout the recount reads; expected a TED CSV export (ID_NOTICE_CN or ID_NOTICE_CAN, YEAR, CANCELLED"))
    );
}

#[test]
fn the_datasets_written_pass_the_check_and_cite_their_inputs()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("synthetic.csv");
    generate(3000, 42, std::fs::File::create(&input)?)?;
    let result = recount(std::slice::from_ref(&input), &Options::default(), &|_| {})?;
    let out = dir.path().join("out");
    let written = write_datasets(&result, &out, "ted", "2026-11-27")?;
    // TED's CSV has no innovation flag, so that definition is not written.
    assert_eq!(written.paths.len(), 2 * (DEFINITIONS.len() - 1));
    assert_eq!(
        written.left_out,
        ["ted-innovation-flag-notices: not written; no input's layout has the field it needs"]
    );
    let data = indikator_ingest::Dataset::load(&out)?;
    for definition in DEFINITIONS {
        let id = format!("ted-{}", definition.stem);
        let given = definition.needs != Needs::InnovationFlag;
        assert_eq!(data.indicator(&id).is_some(), given, "{id}");
    }
    let sidecar = std::fs::read_to_string(out.join("ted-notices.toml"))?;
    let file = &result.files[0];
    assert!(sidecar.contains(&format!(
        "Counted from input synthetic.csv (CAN layout): {} bytes, 3000 rows, SHA-256 {}",
        file.bytes, file.sha256
    )));
    assert_eq!(file.sha256.len(), 64);
    assert!(sidecar.contains("TED carries the notices above the EU thresholds"));
    Ok(())
}

#[test]
fn the_generator_is_deterministic_and_realistic() -> Result<(), Box<dyn std::error::Error>> {
    let bytes = |seed| -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        generate(5000, seed, &mut out)?;
        Ok(out)
    };
    let (a, b, c) = (bytes(7)?, bytes(7)?, bytes(8)?);
    assert_eq!(a, b, "the same seed gives the same bytes");
    assert_ne!(a, c);
    let mut reader = csv::Reader::from_reader(a.as_slice());
    assert_eq!(reader.headers()?.len(), 75);
    let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
    assert_eq!(records.len(), 5000);
    let column = |name: &str| CAN_HEADER.iter().position(|c| *c == name).unwrap_or(0);
    let has =
        |name: &str, test: &dyn Fn(&str) -> bool| records.iter().any(|r| test(&r[column(name)]));
    assert!(has("CAE_NAME", &|v| v.contains('\n')), "quoted newlines");
    assert!(
        has("CAE_NAME", &|v| v.contains('"') && v.contains(',')),
        "quotes and commas"
    );
    assert!(
        has("ADDITIONAL_CPVS", &|v| v.contains("---")),
        "multi-values"
    );
    assert!(
        has("DT_DISPATCH", &|v| v.contains('/'))
            && has("DT_DISPATCH", &|v| v.contains("-OCT-")
                || v.contains("-JAN-")),
        "both date forms"
    );
    assert!(has("TOP_TYPE", &|v| v == "COD") && has("TOP_TYPE", &|v| v == "INP"));
    assert!(has("CPV", &|v| v.starts_with("73")));
    assert!(has("CANCELLED", &|v| v == "1"));
    assert!(has("ISO_COUNTRY_CODE", &|v| v == "NO") && has("ISO_COUNTRY_CODE", &|v| v == "SE"));
    Ok(())
}

#[test]
fn a_record_past_the_bound_is_a_bad_row_and_the_rows_after_it_count() {
    // Before: a 200 MB one-line record was held whole (828 MB resident). Now it is cut at
    // 1 MiB, reported with its line, and the reader goes on.
    let dir = tempfile::tempdir().expect("a folder");
    let se = |id: &str, title: &str| {
        crlf_record(can_row(id, "2021", "0", "SE", "OPE", "45000000", title))
    };
    let long = "x".repeat(3 << 20);
    let quoted_long = format!("a\r\n{}", "\"\"y".repeat(1 << 20));
    let bytes = [
        crlf_record(CAN_HEADER),
        se("2021000001", ""),
        se("2021000002", &long),
        se("2021000003", "after"),
        se("2021000004", &quoted_long),
        se("2021000005", "after the quoted one"),
    ]
    .concat();
    let path = dir.path().join("long.csv");
    std::fs::write(&path, bytes).expect("a file");
    let result = recount(std::slice::from_ref(&path), &Options::default(), &|_| {})
        .expect("the run goes on");
    assert_eq!(
        bad_rows(&result),
        [
            "long.csv:3: the record is longer than 1048576 bytes; rows are a few KiB, so check its quotes",
            "long.csv:5: the record is longer than 1048576 bytes; rows are a few KiB, so check its quotes",
        ]
    );
    assert_eq!(counts(&result), ["SE 2021: [3, 0, 0]"]);
}
