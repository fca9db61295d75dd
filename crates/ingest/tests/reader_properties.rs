//! Any bytes through the data-file reader: it never panics, and no row vanishes in silence.
//! When the reader reports no problem, every non-blank record after the header is an
//! observation (an unclosed quote, which once swallowed the rest of a file, is a problem).

use indikator_ingest::read_data_file;
use proptest::prelude::*;

/// Bytes that look like a data file: a valid header, then rows made of CSV's own characters
/// and plausible field values, with quotes, separators and line ends anywhere.
fn csv_like() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"NO".to_vec()),
        Just(b"SE".to_vec()),
        Just(b"2016".to_vec()),
        Just(b"2018/2022".to_vec()),
        Just(b"180".to_vec()),
        Just(b"0.43".to_vec()),
        Just(b"src".to_vec()),
        Just(b"u".to_vec()),
        Just(b",".to_vec()),
        Just(b";".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\"\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b" ".to_vec()),
        Just(b"note text".to_vec()),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    (
        prop_oneof![
            Just(&b"country,period,value,flag,source,note\n"[..]),
            Just(&b"country;period;value;flag;source;note\r\n"[..]),
        ],
        proptest::collection::vec(piece, 0..60),
    )
        .prop_map(|(header, pieces)| [header.to_vec(), pieces.concat()].concat())
}

fn records_in(text: &str) -> usize {
    let header = text.lines().next().unwrap_or_default();
    let separator = if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    };
    csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .filter_map(Result::ok)
        .filter(|r| !r.iter().all(|f| f.trim().is_empty()))
        .count()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn rows_read_plus_problems_account_for_every_record(input in csv_like()) {
        let (rows, problems) = read_data_file("data/t.csv", &input);
        if problems.is_empty() {
            let text = std::str::from_utf8(&input).unwrap_or_default();
            prop_assert_eq!(rows.len(), records_in(text));
        }
    }

    #[test]
    fn no_bytes_panic(input in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_data_file("data/t.csv", &input);
    }
}

#[test]
fn an_unclosed_quote_never_passes_as_fewer_rows() {
    let (rows, problems) = read_data_file(
        "data/t.csv",
        b"country,period,value,flag,source,note\nNO,2016,1,,s,\"x\nNO,2017,2,,s,\nNO,2018,3,,s,\n",
    );
    assert!(rows.is_empty());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].location.line, 2);
}
