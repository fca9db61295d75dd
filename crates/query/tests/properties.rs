//! Properties over generated datasets: what is written loads back the same, in every dialect;
//! the CSV export reads back the same values; index mode puts 100 at each base year.

use indikator_ingest::{Dataset, SourceFile};
use indikator_query::{Dialect, Mode, View, write_csv};
use proptest::prelude::*;

/// One generated observation: country, start year, span length, value, flags, note.
type Row = (&'static str, i32, i32, Option<f64>, String, String);

const COUNTRIES: [&str; 6] = ["NO", "SE", "DK", "FI", "IS", "DE"];

fn row() -> impl Strategy<Value = Row> {
    (
        prop::sample::select(&COUNTRIES[..]),
        1990..2030i32,
        prop::sample::select(&[0, 0, 0, 1, 4][..]),
        prop::option::weighted(
            0.9,
            prop_oneof![0.0..1e6f64, (0u32..100_000).prop_map(f64::from)],
        ),
        prop::sample::select(&["", "p", "e", "b", "u", "d", "ud", "pe"][..])
            .prop_map(str::to_owned),
        "[a-zA-Z0-9 ,;\"'\n\r\u{e5}\u{f8}\u{2013}]{0,20}",
    )
        .prop_map(|(country, start, span, value, mut flags, note)| {
            if value.is_none() && flags.is_empty() {
                flags = "u".into();
            }
            (country, start, span, value, flags, note)
        })
}

fn rows() -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec(row(), 1..30).prop_map(|mut rows| {
        // One row per (country, period), as the format requires.
        let mut seen = std::collections::HashSet::new();
        rows.retain(|(c, start, span, ..)| seen.insert((*c, *start, *span)));
        rows
    })
}

const SIDECAR: &str = "id = \"t\"\nunit = \"count\"\ndecimals = 2\ntitle.en = \"T\"\ndescription.en = \"D\"\n\n[[sources]]\nid = \"s\"\nproducer = \"P\"\ntitle = \"T\"\nurl = \"https://example.org/\"\npublished = \"n.d.\"\naccessed = \"2026-11-27\"\nkind = \"primary\"\n";

/// Writes the rows as a data file in a dialect: separator, byte-order mark, line ends.
fn data_file(rows: &[Row], semicolon: bool, bom: bool, crlf: bool) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(if semicolon { b';' } else { b',' })
        .terminator(if crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(Vec::new());
    writer
        .write_record(["note", "value", "country", "flag", "period", "source"])
        .expect("header");
    for (country, start, span, value, flags, note) in rows {
        let period = if *span == 0 {
            start.to_string()
        } else {
            format!("{start}/{}", start + span)
        };
        let value = value
            .map(|v| {
                if semicolon {
                    v.to_string().replace('.', ",")
                } else {
                    v.to_string()
                }
            })
            .unwrap_or_default();
        writer
            .write_record([note.as_str(), &value, country, flags, &period, "s"])
            .expect("row");
    }
    let mut bytes = if bom {
        b"\xEF\xBB\xBF".to_vec()
    } else {
        Vec::new()
    };
    bytes.extend(writer.into_inner().expect("bytes"));
    bytes
}

fn load(rows: &[Row], semicolon: bool, bom: bool, crlf: bool) -> Dataset {
    let files = vec![
        SourceFile {
            path: "t.csv".into(),
            bytes: data_file(rows, semicolon, bom, crlf),
        },
        SourceFile {
            path: "t.toml".into(),
            bytes: SIDECAR.as_bytes().to_vec(),
        },
    ];
    match Dataset::from_files("data", files) {
        Ok(data) => data,
        Err(err) => panic!("a valid dataset must load:\n{err}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn written_datasets_load_back_the_same(rows in rows(), semicolon: bool, bom: bool, crlf: bool) {
        let data = load(&rows, semicolon, bom, crlf);
        let selection = View::new("t").select(&data).expect("a view");
        let mut expected: Vec<String> = rows
            .iter()
            .map(|(c, start, span, value, flags, note)| {
                // A field's surrounding spaces are not kept, and the csv reader reads CR LF,
                // LF and CR inside a quoted field as written.
                format!("{c} {start}/{} {value:?} {flags} {:?}", start + span, note.trim())
            })
            .collect();
        let mut got: Vec<String> = selection
            .observations
            .iter()
            .map(|o| format!("{} {}/{} {:?} {} {:?}", o.country, o.period.start, o.period.end, o.value, o.flags, o.note))
            .collect();
        expected.sort();
        got.sort();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn the_csv_export_reads_back_the_same_values(rows in rows()) {
        let data = load(&rows, false, false, false);
        let selection = View::new("t").select(&data).expect("a view");
        let mut out = Vec::new();
        write_csv(&selection, &mut out, Dialect::Standard, indikator_ingest::Lang::En).expect("writes");
        let mut reader = csv::Reader::from_reader(out.as_slice());
        let exported: Vec<Option<f64>> = reader
            .records()
            .map(|r| r.expect("a record")[6].parse::<f64>().ok())
            .collect();
        let loaded: Vec<Option<f64>> = selection.observations.iter().map(|o| o.value).collect();
        prop_assert_eq!(exported, loaded, "every digit survives the export");
    }

    #[test]
    fn index_mode_has_one_base_year_or_says_there_is_none(rows in rows()) {
        let data = load(&rows, false, false, false);
        let absolute = View::new("t").select(&data).expect("a view");
        let valued = |country: &String, period| {
            absolute.observations.iter().any(|o| &o.country == country && o.period == period && o.value.is_some_and(|v| v != 0.0))
        };
        let countries: Vec<&String> = absolute.countries.iter()
            .filter(|c| absolute.observations.iter().any(|o| &o.country == *c && o.value.is_some_and(|v| v != 0.0)))
            .collect();
        let common = absolute.observations.iter().map(|o| o.period)
            .filter(|p| countries.iter().all(|c| valued(c, *p)))
            .min();
        match View::new("t").mode(Mode::Index).select(&data) {
            Ok(selection) => {
                let indikator_query::Applied::Index { bases, .. } = &selection.applied else {
                    return Err(TestCaseError::fail("index mode"));
                };
                // Every country with values, at the first period they all have one, = 100.
                prop_assert_eq!(bases.len(), countries.len());
                for (country, period) in bases {
                    prop_assert_eq!(Some(*period), common);
                    let base = selection.observations.iter().find(|o| &o.country == country && o.period == *period);
                    prop_assert_eq!(base.and_then(|o| o.value), Some(100.0), "{} {}", country, period);
                }
            }
            Err(err) => {
                prop_assert!(common.is_none(), "{} although {:?} is common", err, common);
                prop_assert!(err.to_string().starts_with("index mode needs one base year"), "{}", err);
            }
        }
    }
}
