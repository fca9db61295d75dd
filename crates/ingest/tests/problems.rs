//! Every kind of bad input, and the message a person gets for it: file, line, column, what is
//! wrong and what to write instead. Also the dialects real files come in.

use indikator_ingest::{Dataset, Error, Flag, Lang, MAX_PROBLEMS, Period, SourceFile};
use insta::assert_snapshot;

const SOURCES: &str = r#"
[[sources]]
id = "src"
producer = "Producer"
title = "Title"
url = "https://example.org/report"
published = "2020-01-02"
accessed = "2026-11-27"
kind = "primary"
"#;

fn sidecar(unit: &str) -> String {
    format!(
        "id = \"t\"\nunit = \"{unit}\"\ndecimals = 0\ntitle.en = \"Test\"\ndescription.en = \"A test.\"\n{SOURCES}"
    )
}

fn files(files: &[(&str, &[u8])]) -> Vec<SourceFile> {
    files
        .iter()
        .map(|(path, bytes)| SourceFile {
            path: (*path).to_owned(),
            bytes: bytes.to_vec(),
        })
        .collect()
}

/// The error text for a set of files; fails the test if they load.
fn problems(input: &[(&str, &[u8])]) -> String {
    match Dataset::from_files("data", files(input)) {
        Ok(_) => panic!("expected problems, but the files loaded"),
        Err(err) => err.to_string(),
    }
}

/// The error text for `csv` beside a valid sidecar of the given unit.
fn csv_problems_with(unit: &str, csv: &str) -> String {
    problems(&[
        ("data/t.csv", csv.as_bytes()),
        ("data/t.toml", sidecar(unit).as_bytes()),
    ])
}

fn csv_problems(csv: &str) -> String {
    csv_problems_with("count", csv)
}

fn sidecar_problems(toml: &str) -> String {
    problems(&[
        (
            "data/t.csv",
            b"country,period,value,flag,source,note\nNO,2016,1,,src,\n",
        ),
        ("data/t.toml", toml.as_bytes()),
    ])
}

fn load(csv: &[u8]) -> Dataset {
    let toml = sidecar("percent");
    let input = [("data/t.csv", csv), ("data/t.toml", toml.as_bytes())];
    match Dataset::from_files("data", files(&input)) {
        Ok(data) => data,
        Err(err) => panic!("expected the files to load, got:\n{err}"),
    }
}

const HEADER: &str = "country,period,value,flag,source,note\n";

#[test]
fn missing_column() {
    assert_snapshot!(csv_problems("country,period,value,source,note\nNO,2016,1,src,\n"), @"data/t.csv:1:1: missing column `flag`; the header must name all of country, period, value, flag, source, note");
}

#[test]
fn unknown_and_duplicate_columns() {
    assert_snapshot!(csv_problems("country,period,value,flag,source,note,unit,note\n"), @r"
    data/t.csv:1:39: unknown column `unit`; the allowed columns are country, period, value, flag, source, note, and optionally note_sv and note_nb
    data/t.csv:1:44: column `note` appears twice in the header; name each column once
    ");
}

#[test]
fn not_a_number() {
    let csv = format!("{HEADER}NO,2016,12a,,src,\nNO,2017,\"0,5\",,src,\nNO,2018,1e3,,src,\n");
    assert_snapshot!(csv_problems(&csv), @r"
    data/t.csv:2:9: value `12a` is not a number; write digits such as 180 or 0.43 (use a decimal point; a decimal comma needs the `;` separator)
    data/t.csv:3:9: value `0,5` is not a number; write digits such as 180 or 0.43 (use a decimal point; a decimal comma needs the `;` separator)
    data/t.csv:4:9: value `1e3` is not a number; write digits such as 180 or 0.43 (use a decimal point; a decimal comma needs the `;` separator)
    ");
    let semicolons = "country;period;value;flag;source;note\nNO;2016;18 330;;src;\n";
    assert_snapshot!(csv_problems(semicolons), @"data/t.csv:2:9: value `18 330` is not a number; write digits such as 180 or 0.43 (with the `;` separator a decimal comma such as 0,43 works too)");
}

#[test]
fn percent_outside_range_and_negative_count() {
    let csv = format!("{HEADER}NO,2016,100.5,,src,\nSE,2016,-1,,src,\n");
    assert_snapshot!(csv_problems_with("percent", &csv), @r"
    data/t.csv:2:9: value 100.5 is outside 0–100, the range of a percentage
    data/t.csv:3:9: value -1 is outside 0–100, the range of a percentage
    ");
    assert_snapshot!(csv_problems_with("count", &csv), @"data/t.csv:3:9: value -1 is negative; a count must be 0 or more");
}

#[test]
fn unknown_country() {
    let csv = format!("{HEADER}no,2016,1,,src,\nXX,2016,1,,src,\nUK,2016,1,,src,\n");
    assert_snapshot!(csv_problems(&csv), @r"
    data/t.csv:2:1: unknown country `no`; use an ISO 3166-1 alpha-2 code in upper case, such as NO or SE (write `NO`)
    data/t.csv:3:1: unknown country `XX`; use an ISO 3166-1 alpha-2 code in upper case, such as NO or SE
    data/t.csv:4:1: unknown country `UK`; use an ISO 3166-1 alpha-2 code in upper case, such as NO or SE
    ");
}

#[test]
fn bad_period() {
    let csv = format!("{HEADER}NO,2022/2018,1,,src,\nNO,16,1,,src,\nNO,2018-2022,1,,src,\n");
    assert_snapshot!(csv_problems(&csv), @r"
    data/t.csv:2:4: bad period `2022/2018`; write a year such as 2016, or a span such as 2018/2022 whose end is after its start (years 1900–2100)
    data/t.csv:3:4: bad period `16`; write a year such as 2016, or a span such as 2018/2022 whose end is after its start (years 1900–2100)
    data/t.csv:4:4: bad period `2018-2022`; write a year such as 2016, or a span such as 2018/2022 whose end is after its start (years 1900–2100)
    ");
}

#[test]
fn duplicate_country_and_period() {
    let csv = format!("{HEADER}NO,2016,1,,src,\nSE,2016,1,,src,\nNO,2016,2,,src,\n");
    assert_snapshot!(csv_problems(&csv), @"data/t.csv:4:4: duplicate row for NO 2016; line 2 has it already, so keep one");
}

#[test]
fn undeclared_source() {
    let csv = format!("{HEADER}NO,2016,1,,ssb,\n");
    assert_snapshot!(csv_problems(&csv), @"data/t.csv:2:12: source `ssb` is not declared in the sidecar; declared: src");
}

#[test]
fn unknown_flag() {
    let csv = format!("{HEADER}NO,2016,1,x,src,\nNO,2017,1,pp,src,\n");
    assert_snapshot!(csv_problems(&csv), @r"
    data/t.csv:2:11: unknown flag `x`; use none, or one or more of p (provisional), e (estimated), b (break in series), u (low reliability), d (definition differs), each once
    data/t.csv:3:11: unknown flag `pp`; use none, or one or more of p (provisional), e (estimated), b (break in series), u (low reliability), d (definition differs), each once
    ");
}

#[test]
fn empty_value_needs_a_flag() {
    let csv = format!("{HEADER}NO,2016,,,src,\nNO,2017,,u,src,withheld: too few answers\n");
    assert_snapshot!(csv_problems(&csv), @"data/t.csv:2:9: the value is empty but no flag says why; give the value, or a flag such as u (low reliability) and a note");
}

#[test]
fn wrong_number_of_fields() {
    let csv = format!("{HEADER}NO,2016,1,,src,a note, with a comma\n");
    assert_snapshot!(csv_problems(&csv), @r#"data/t.csv:2:1: the row has 7 fields but the header has 6; quote a field that contains `,`, like "a, b""#);
}

#[test]
fn invalid_utf8() {
    let mut csv = format!("{HEADER}SE,2016,1,,src,Upphandlingsmyndigheten ").into_bytes();
    csv.extend_from_slice(b"\xF6kar\n");
    assert_snapshot!(problems(&[("data/t.csv", &csv), ("data/t.toml", sidecar("count").as_bytes())]), @"data/t.csv:2:40: invalid UTF-8 (byte 0xF6); save the file as UTF-8");
    assert_snapshot!(problems(&[("data/t.csv", HEADER.as_bytes()), ("data/t.toml", b"id = \"t\xE5\"\n")]), @r"
    data/t.csv:2:1: the file has a header but no rows; add at least one observation
    data/t.toml:1:8: invalid UTF-8 (byte 0xE5); save the file as UTF-8
    ");
}

#[test]
fn empty_file_and_header_only() {
    assert_snapshot!(csv_problems(""), @"data/t.csv:1:1: the file is empty; its first line must be the header country,period,value,flag,source,note");
    assert_snapshot!(csv_problems("\u{feff}\r\n  \n"), @"data/t.csv:1:1: the file is empty; its first line must be the header country,period,value,flag,source,note");
    assert_snapshot!(csv_problems(HEADER), @"data/t.csv:2:1: the file has a header but no rows; add at least one observation");
}

#[test]
fn data_file_and_sidecar_come_in_pairs() {
    let csv = format!("{HEADER}NO,2016,1,,src,\n");
    let toml = sidecar("count").replace("id = \"t\"", "id = \"b\"");
    assert_snapshot!(problems(&[("data/a.csv", csv.as_bytes()), ("data/b.toml", toml.as_bytes())]), @r"
    data/a.csv:1:1: no sidecar `a.toml` beside this file; every data file needs one with id, title, description, unit, decimals and sources
    data/b.toml:1:1: no data file `b.csv` beside this sidecar; add it, or remove the sidecar
    ");
}

#[test]
fn sidecar_missing_field() {
    let toml = sidecar("count").replace("decimals = 0\n", "");
    assert_snapshot!(sidecar_problems(&toml), @"data/t.toml:1:1: sidecar: missing field `decimals`; add it (see the data format in README.md)");
    let toml = sidecar("count").replace("producer = \"Producer\"\n", "");
    assert_snapshot!(sidecar_problems(&toml), @"data/t.toml:7:1: sidecar: missing field `producer`; add it (see the data format in README.md)");
}

#[test]
fn sidecar_unknown_key() {
    let toml = sidecar("count").replace("decimals = 0", "decimals = 0\ncolour = \"red\"");
    assert_snapshot!(sidecar_problems(&toml), @"data/t.toml:4:1: sidecar: unknown field `colour`, expected one of `id`, `title`, `description`, `unit`, `decimals`, `sources`, `notes`, `annotations`, `denominators`, `default_countries`, `like_for_like`");
    let toml = sidecar("count").replace("title.en", "title.de = \"Test\"\ntitle.en");
    assert_snapshot!(sidecar_problems(&toml), @"data/t.toml:4:7: sidecar: unknown field `de`, expected one of `en`, `sv`, `nb`");
}

/// Files for indicator `t` (a count of NO, 2016) beside `other`, with `extra` sidecar lines.
fn with_other(extra: &str, other_unit: &str) -> String {
    let toml = sidecar("count").replace("decimals = 0\n", &format!("decimals = 0\n{extra}"));
    let other = sidecar(other_unit).replace("id = \"t\"", "id = \"other\"");
    let rows = b"country,period,value,flag,source,note\nNO,2016,1,,src,\n";
    problems(&[
        ("data/t.csv", rows),
        ("data/t.toml", toml.as_bytes()),
        ("data/other.csv", rows),
        ("data/other.toml", other.as_bytes()),
    ])
}

#[test]
fn denominators_must_be_counts_of_this_dataset() {
    assert_snapshot!(with_other("denominators = [\"other\"]\n", "percent"), @"data/t.toml:4:17: denominator `other` has unit percent; a share divides by a count of the same population, so name an indicator whose unit is count");
    assert_snapshot!(with_other("denominators = [\"nope\", \"t\"]\n", "count"), @r"
    data/t.toml:4:17: denominator `nope` is not an indicator here; the indicators are: other, t
    data/t.toml:4:25: sidecar: `t` cannot be its own denominator; name another indicator that counts the same population
    ");
    let percent = sidecar("percent").replace(
        "decimals = 0\n",
        "decimals = 0\ndenominators = [\"other\"]\n",
    );
    assert_snapshot!(sidecar_problems(&percent), @r"
    data/t.toml:4:17: sidecar: only a count can be divided by a denominator, and the unit here is percent; remove `denominators`
    data/t.toml:4:17: denominator `other` is not an indicator here; the indicators are: t
    ");
}

#[test]
fn the_like_for_like_indicator_is_another_of_this_dataset() {
    assert_snapshot!(with_other("like_for_like = \"nope\"\n", "count"), @"data/t.toml:4:17: like-for-like indicator `nope` is not an indicator here; the indicators are: other, t");
    assert_snapshot!(with_other("like_for_like = \"t\"\n", "count"), @"data/t.toml:4:17: sidecar: `t` cannot be its own like-for-like indicator; name the indicator that measures every country one way, or remove `like_for_like`");
}

#[test]
fn default_countries_must_have_rows() {
    assert_snapshot!(with_other("default_countries = [\"NO\", \"SE\", \"XX\"]\n", "count"), @r"
    data/t.toml:4:28: default country `SE` has no rows in the data file; the countries with rows are: NO
    data/t.toml:4:34: unknown country `XX`; use an ISO 3166-1 alpha-2 code in upper case, such as NO or SE
    ");
}

#[test]
fn a_declared_denominator_and_default_countries_load() {
    let toml = sidecar("count").replace(
        "decimals = 0\n",
        "decimals = 0\ndenominators = [\"other\"]\ndefault_countries = [\"NO\"]\nlike_for_like = \"other\"\n",
    );
    let other = sidecar("count").replace("id = \"t\"", "id = \"other\"");
    let rows = b"country,period,value,flag,source,note\nNO,2016,1,,src,\nSE,2016,2,,src,\n";
    let data = Dataset::from_files(
        "data",
        files(&[
            ("data/t.csv", rows),
            ("data/t.toml", toml.as_bytes()),
            ("data/other.csv", rows),
            ("data/other.toml", other.as_bytes()),
        ]),
    )
    .expect("loads");
    let meta = &data.indicator("t").expect("t").meta;
    assert_eq!(meta.denominators, ["other"]);
    assert_eq!(meta.default_countries, ["NO"]);
    assert_eq!(meta.like_for_like.as_deref(), Some("other"));
    assert!(
        data.indicator("other")
            .expect("other")
            .meta
            .denominators
            .is_empty()
    );
}

#[test]
fn sidecar_bad_unit_and_syntax() {
    let toml = sidecar("dollars");
    assert_snapshot!(sidecar_problems(&toml), @"data/t.toml:2:8: sidecar: unknown variant `dollars`, expected `count` or `percent`");
    let toml = sidecar("count").replace("decimals = 0", "decimals = ");
    assert_snapshot!(sidecar_problems(&toml), @"data/t.toml:3:12: sidecar: string values must be quoted, expected literal string");
}

#[test]
fn sidecar_id_must_match_file_name() {
    let toml = sidecar("count").replace("id = \"t\"", "id = \"innovation\"");
    assert_snapshot!(sidecar_problems(&toml), @r#"data/t.toml:1:6: id `innovation` does not match the file name; write id = "t""#);
}

#[test]
fn sidecar_values_are_checked() {
    let toml = sidecar("count")
        .replace("decimals = 0", "decimals = 9")
        .replace("https://example.org/report", "example.org")
        .replace("published = \"2020-01-02\"", "published = \"24.10.2018\"")
        .replace("accessed = \"2026-11-27\"", "accessed = \"2026\"")
        + "\n[[sources]]\nid = \"src\"\nproducer = \"P\"\ntitle = \"T\"\nurl = \"https://example.org\"\npublished = \"n.d.\"\naccessed = \"2026-11\"\nkind = \"secondary\"\n"
        + "\n[[notes]]\ncountries = [\"NO\", \"XS\"]\ntext.en = \"\"\n"
        + "\n[[annotations]]\nyear = 1850\nsource = \"lup\"\ntext.en = \"Start\"\n";
    assert_snapshot!(sidecar_problems(&toml), @r#"
    data/t.toml:3:12: sidecar: decimals = 9 is too many; use 0 to 6
    data/t.toml:11:7: sidecar: url `example.org` is not a web address; write it in full, starting with https://
    data/t.toml:12:13: sidecar: published = "24.10.2018" is not a date; write YYYY, YYYY-MM or YYYY-MM-DD, or "n.d." if the source gives none
    data/t.toml:13:12: sidecar: accessed = "2026" is not a date; write YYYY-MM-DD (or YYYY-MM)
    data/t.toml:17:6: sidecar: source id `src` is declared twice; give each source its own id
    data/t.toml:26:20: unknown country `XS`; use an ISO 3166-1 alpha-2 code in upper case, such as NO or SE
    data/t.toml:27:11: sidecar: the English note is empty; write it
    data/t.toml:30:8: sidecar: year 1850 is outside 1900–2100
    data/t.toml:31:10: source `lup` is not declared in the sidecar; declared: src, src
    "#);
}

#[test]
fn bad_file_names_and_empty_folders() {
    let csv = format!("{HEADER}NO,2016,1,,src,\n");
    assert_snapshot!(problems(&[("data/Innovation_Share.csv", csv.as_bytes())]), @"data/Innovation_Share.csv:1:1: file name `Innovation_Share` cannot be an indicator id; use lower-case letters, digits and single hyphens, such as innovation-procurements");
    assert_snapshot!(problems(&[("data/README.md", b"# notes")]), @"data:1:1: no data files here; an indicator is two files, <id>.csv and its sidecar <id>.toml");
}

#[test]
fn every_problem_in_every_file_is_reported_and_nothing_loads() {
    let good = format!("{HEADER}NO,2016,1,,src,\n");
    let bad = format!("{HEADER}NO,2016,x,,src,\nZZ,2017,1,,src,\n");
    let toml_a = sidecar("count").replace("id = \"t\"", "id = \"a\"");
    let toml_b = sidecar("count").replace("id = \"t\"", "id = \"b\"");
    let text = problems(&[
        ("data/a.csv", good.as_bytes()),
        ("data/a.toml", toml_a.as_bytes()),
        ("data/b.csv", bad.as_bytes()),
        ("data/b.toml", toml_b.as_bytes()),
        ("data/c.csv", good.as_bytes()),
    ]);
    assert_snapshot!(text, @r"
    data/b.csv:2:9: value `x` is not a number; write digits such as 180 or 0.43 (use a decimal point; a decimal comma needs the `;` separator)
    data/b.csv:3:1: unknown country `ZZ`; use an ISO 3166-1 alpha-2 code in upper case, such as NO or SE
    data/c.csv:1:1: no sidecar `c.toml` beside this file; every data file needs one with id, title, description, unit, decimals and sources
    ");
}

#[test]
fn problems_are_capped_and_counted() {
    let mut csv = HEADER.to_owned();
    for year in 1901..=2100 {
        csv.push_str(&format!("NO,{year},x,,src,\nSE,{year},-1,,src,\n"));
    }
    let Err(Error::Invalid { problems, more }) = Dataset::from_files(
        "data",
        files(&[
            ("data/t.csv", csv.as_bytes()),
            ("data/t.toml", sidecar("count").as_bytes()),
        ]),
    ) else {
        panic!("expected Error::Invalid");
    };
    assert_eq!(problems.len(), MAX_PROBLEMS);
    assert_eq!(more, 400 - MAX_PROBLEMS);
    assert_eq!(problems[0].location.to_string(), "data/t.csv:2:9");
}

#[test]
fn semicolons_decimal_comma_bom_and_crlf() {
    let csv = "\u{feff}country;period;value;flag;source;note\r\nNO;2018/2022;0,43;;src;\"a; b\"\r\nSE;2018;0.2;p;src;\r\n";
    let data = load(csv.as_bytes());
    let t = data.indicator("t").expect("loaded");
    assert_eq!((t.first_year, t.last_year, t.rows), (2018, 2022, 2));
    let frame = data.frame();
    let values: Vec<Option<f64>> = frame
        .column("value")
        .and_then(|c| c.f64().cloned())
        .map(|c| c.iter().collect())
        .unwrap_or_default();
    assert_eq!(values, [Some(0.43), Some(0.2)]);
    let notes: Vec<Option<String>> = frame
        .column("note")
        .and_then(|c| c.str().cloned())
        .map(|c| c.iter().map(|n| n.map(str::to_owned)).collect())
        .unwrap_or_default();
    assert_eq!(notes, [Some("a; b".to_owned()), Some(String::new())]);
}

#[test]
fn quoted_fields_with_newlines_keep_line_numbers_right() {
    let csv = "note,country,period,value,flag,source\n\"first line\nsecond, with a comma and \"\"quotes\"\"\",NO,2016,1,,src\n\"x\",SE,2016,oops,,src\n".to_owned();
    assert_snapshot!(csv_problems(&csv), @"data/t.csv:4:13: value `oops` is not a number; write digits such as 180 or 0.43 (use a decimal point; a decimal comma needs the `;` separator)");
    let csv = csv.replace("oops", "2");
    let data = load(csv.as_bytes());
    let note = data
        .frame()
        .column("note")
        .ok()
        .and_then(|c| c.str().ok()?.get(0).map(str::to_owned));
    assert_eq!(
        note.as_deref(),
        Some("first line\nsecond, with a comma and \"quotes\"")
    );
}

#[test]
fn flags_spans_and_empty_values_load() {
    let csv = format!("{HEADER}SE,2022,40,ud,src,lower bound\nNO,2018/2022,,u,src,withheld\n");
    let data = load(csv.as_bytes());
    let frame = data.frame();
    let flag = frame
        .column("flag")
        .ok()
        .and_then(|c| c.str().ok()?.get(1).map(str::to_owned));
    assert_eq!(flag.as_deref(), Some("ud"));
    let value = frame
        .column("value")
        .ok()
        .and_then(|c| c.f64().ok()?.get(0));
    assert_eq!(value, None, "NO's empty value stays missing, never 0");
    let start = frame
        .column("start")
        .ok()
        .and_then(|c| c.i32().ok()?.get(0));
    let end = frame.column("end").ok().and_then(|c| c.i32().ok()?.get(0));
    assert_eq!((start, end), (Some(2018), Some(2022)));
    assert_eq!("2018/2022".parse::<Period>().map(|p| p.is_span()), Ok(true));
    assert_eq!(Flag::from_letter('u'), Some(Flag::LowReliability));
}

#[test]
fn no_input_panics() {
    let inputs: &[&[u8]] = &[
        b"",
        b"\"",
        b"\"\"\"",
        b",,,,,",
        b";;;;;",
        b"\n\n\n",
        b"\xEF\xBB\xBF",
        b"\xEF\xBB",
        b"\xFF\xFE",
        b"country,period,value,flag,source,note\n\"NO",
        b"country,period,value,flag,source,note\nNO,\"2016\n",
        b"country,period,value,flag,source,note\n\xC3",
        b"country,period,value,flag,source,note\n,,,,,\n",
        b"country,period,value,flag,source,note\nNO,2016,-0,,src,\n",
        b"\r\r\r",
        b"a\x00b",
    ];
    for input in inputs {
        let _ = Dataset::from_files(
            "data",
            files(&[
                ("data/t.csv", input),
                ("data/t.toml", sidecar("count").as_bytes()),
            ]),
        );
        let _ = Dataset::from_files(
            "data",
            files(&[("data/t.csv", HEADER.as_bytes()), ("data/t.toml", input)]),
        );
    }
}

#[test]
fn a_folder_on_disk_loads_and_names_its_paths() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("t.csv"),
        format!("{HEADER}NO,2016,1,,src,\n"),
    )?;
    std::fs::write(dir.path().join("t.toml"), sidecar("count"))?;
    std::fs::write(dir.path().join("README.md"), "not data")?;
    let data = Dataset::load(dir.path())?;
    assert_eq!(data.indicator("t").map(|t| t.rows), Some(1));

    std::fs::write(
        dir.path().join("t.csv"),
        format!("{HEADER}NO,2016,one,,src,\n"),
    )?;
    let err = Dataset::load(dir.path())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    let expected = format!(
        "{}:2:9: value `one` is not a number",
        dir.path().join("t.csv").display()
    );
    assert!(err.starts_with(&expected), "{err}");

    let missing = Dataset::load(dir.path().join("nope"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        missing.starts_with("cannot read ") && missing.contains("nope"),
        "{missing}"
    );
    Ok(())
}

#[test]
fn values_out_of_bounds_are_refused() {
    let huge = "9".repeat(400);
    let tiny = format!("0.{}1", "0".repeat(299));
    let csv = format!(
        "{HEADER}NO,2010,{huge},,src,\nNO,2011,{tiny},,src,\nNO,2012,1000000000000001,,src,\nNO,2013,1000000000000000,,src,\nNO,2014,0.000000001,,src,\nNO,2015,0,,src,\n"
    );
    assert_snapshot!(csv_problems(&csv), @r"
    data/t.csv:2:9: value `9999999999999999999999999999999999999999` is out of bounds; a value is 0, or between 0.000000001 and 1000000000000000 (1e15) in size
    data/t.csv:3:9: value `0.00000000000000000000000000000000000000` is out of bounds; a value is 0, or between 0.000000001 and 1000000000000000 (1e15) in size
    data/t.csv:4:9: value `1000000000000001` is out of bounds; a value is 0, or between 0.000000001 and 1000000000000000 (1e15) in size
    ");
}

#[test]
fn control_characters_and_noncharacters_are_refused_where_they_are() {
    let csv = format!(
        "{HEADER}NO,2016,1,,src,a\u{1}b\nNO,2017,1,,src,\"tab\tand\nnewline are fine\"\nNO,2018,1,,src,x\u{FFFE}\n"
    );
    assert_snapshot!(csv_problems(&csv), @r"
    data/t.csv:2:17: character U+0001 is not allowed here (a control character or a noncharacter); remove it
    data/t.csv:5:17: character U+FFFE is not allowed here (a control character or a noncharacter); remove it
    ");
    let toml = sidecar("count").replace(
        "title.en = \"Test\"",
        "title.en = \"Te\\u0001st\"\ntitle.sv = \"a\tb\"",
    );
    assert_snapshot!(sidecar_problems(&toml), @r"
    data/t.toml:4:12: character U+0001 is not allowed here (a control character or a noncharacter); remove it (tabs and line breaks are allowed only in notes and descriptions)
    data/t.toml:5:12: character U+0009 is not allowed here (a control character or a noncharacter); remove it (tabs and line breaks are allowed only in notes and descriptions)
    ");
}

#[test]
fn texts_have_length_limits() {
    let title = "T".repeat(201);
    let toml = sidecar("count").replace("title.en = \"Test\"", &format!("title.en = \"{title}\""));
    assert_snapshot!(sidecar_problems(&toml), @"data/t.toml:4:12: the title is 201 characters long; shorten it to at most 200");
    let note = "n".repeat(1001);
    let csv = format!("{HEADER}NO,2016,1,,src,{note}\n");
    assert_snapshot!(csv_problems(&csv), @"data/t.csv:2:16: the note is 1001 characters long; shorten it to at most 1000");
}

#[test]
fn an_unclosed_quote_is_reported_where_it_opens_and_hides_no_row() {
    // Before: the quote swallowed rows 3 and 4 into one note, and the file "loaded" one row.
    let csv = format!("{HEADER}NO,2016,1,,src,\"open\nNO,2017,2,,src,\nNO,2018,3,,src,\n");
    assert_snapshot!(csv_problems(&csv), @r#"data/t.csv:2:16: a quote opens here and is never closed, so the rest of the file would be read as one field; close it with ", or write a quote inside a quoted field as """#);
    // Rows before the quote are still checked.
    let csv = format!("{HEADER}XX,2015,1,,src,\nNO,2016,1,,src,\"open\n");
    let text = csv_problems(&csv);
    assert!(
        text.contains("data/t.csv:2:1: unknown country `XX`"),
        "{text}"
    );
    assert!(
        text.contains("data/t.csv:3:16: a quote opens here"),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn links_out_of_the_data_folder_are_refused() -> Result<(), Box<dyn std::error::Error>> {
    let outside = tempfile::tempdir()?;
    let dir = tempfile::tempdir()?;
    std::fs::write(outside.path().join("secret.csv"), "root:x:0:0:root\n")?;
    std::fs::write(
        dir.path().join("t.csv"),
        format!("{HEADER}NO,2016,1,,src,\n"),
    )?;
    std::fs::write(dir.path().join("t.toml"), sidecar("count"))?;
    // A link inside the folder is fine.
    std::os::unix::fs::symlink(dir.path().join("t.csv"), dir.path().join("inside.csv"))?;
    std::fs::write(
        dir.path().join("inside.toml"),
        sidecar("count").replace("id = \"t\"", "id = \"inside\""),
    )?;
    assert!(Dataset::load(dir.path()).is_ok());
    std::os::unix::fs::symlink(outside.path().join("secret.csv"), dir.path().join("u.csv"))?;
    let err = Dataset::load(dir.path())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    let expected = format!(
        "{}:1:1: this is a link to a file outside the data folder, which is not read; copy the file into the folder instead",
        dir.path().join("u.csv").display()
    );
    assert!(err.contains(&expected), "{err}");
    assert!(
        !err.contains("root:x"),
        "the linked file's contents leaked: {err}"
    );
    Ok(())
}

#[test]
fn rows_may_carry_their_note_in_swedish_and_norwegian() {
    let csv = "country,period,value,flag,source,note,note_sv,note_nb\nNO,2016,1,,src,In English,På svenska,\nSE,2016,2,,src,,,\n";
    let toml = sidecar("count");
    let data = Dataset::from_files(
        "data",
        files(&[
            ("data/t.csv", csv.as_bytes()),
            ("data/t.toml", toml.as_bytes()),
        ]),
    )
    .expect("loads");
    let rows = indikator_ingest::read_data_file("data/t.csv", csv.as_bytes()).0;
    assert_eq!(rows[0].note_in(Lang::Sv), "På svenska");
    // No Norwegian note: the English one stands in.
    assert_eq!(rows[0].note_in(Lang::Nb), "In English");
    assert_eq!(rows[0].note_in(Lang::En), "In English");
    assert_eq!(rows[1].note_in(Lang::Sv), "");
    assert_eq!(data.indicator("t").map(|i| i.meta.id.as_str()), Some("t"));
    // One of the two alone is allowed; an unknown language is an unknown column; a long one
    // is refused where it stands.
    assert!(
        Dataset::from_files(
            "data",
            files(&[
                (
                    "data/t.csv",
                    b"country,period,value,flag,source,note,note_nb\nNO,2016,1,,src,,Norsk\n"
                ),
                ("data/t.toml", toml.as_bytes()),
            ]),
        )
        .is_ok()
    );
    assert_snapshot!(csv_problems("country,period,value,flag,source,note,note_de\nNO,2016,1,,src,,x\n"), @"data/t.csv:1:39: unknown column `note_de`; the allowed columns are country, period, value, flag, source, note, and optionally note_sv and note_nb");
    let long = format!(
        "country,period,value,flag,source,note,note_sv\nNO,2016,1,,src,,{}\n",
        "å".repeat(2001)
    );
    assert_snapshot!(csv_problems(&long), @"data/t.csv:2:17: the note_sv is 2001 characters long; shorten it to at most 1000");
}
