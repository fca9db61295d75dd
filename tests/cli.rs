//! `indikator check` and `indikator export`.

use insta::assert_snapshot;

use crate::util::{Row, export_rows as rows, indikator, indikator_in, root, usage_error};

fn row(country: &str, period: &str, value: &str, flag: &str) -> Row {
    (country.into(), period.into(), value.into(), flag.into())
}

#[test]
fn check_passes_on_the_shipped_data() {
    let run = indikator(&["check"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_snapshot!(run.stdout, @r"
    data: 10 indicators, 1330 observations, no problems
      advertised-procurements                count    FI,NO,SE      2016–2024  12 rows
      innovation-in-strategy                 percent  NO,SE         2010–2018  4 rows
      innovation-procedure-share             percent  NO,SE         2018–2022  3 rows
      innovation-procurements                count    NO,SE         2010–2022  3 rows
      national-innovation-flag-notices       count    SE            2021–2021  1 rows
      national-innovation-procedure-notices  count    SE            2021–2021  1 rows
      national-notices                       count    SE            2021–2021  1 rows
      national-rd-notices                    count    SE            2021–2021  1 rows
      ted-award-notices                      count    33 countries  2006–2025  651 rows
      ted-contract-notices                   count    33 countries  2006–2025  653 rows
    ");
}

#[test]
fn check_lists_every_problem_and_fails() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    for entry in std::fs::read_dir(root().join("data"))? {
        let path = entry?.path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap_or_default()))?;
    }
    let csv = dir.path().join("innovation-procurements.csv");
    let text = std::fs::read_to_string(&csv)?;
    std::fs::write(
        &csv,
        text.replace("NO,2016,180,", "NO,2016,18O,")
            .replace("SE,2022,793,ud", "SE,2022,793,x"),
    )?;
    std::fs::remove_file(dir.path().join("innovation-in-strategy.toml"))?;

    let run = indikator_in(dir.path(), &["check", "."]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "", "no summary when anything is wrong");
    let stderr = run.stderr.replace(&format!("{}/", "."), "");
    assert_snapshot!(stderr, @r"
    error: innovation-in-strategy.csv:1:1: no sidecar `innovation-in-strategy.toml` beside this file; every data file needs one with id, title, description, unit, decimals and sources
    innovation-procurements.csv:3:9: value `18O` is not a number; write digits such as 180 or 0.43 (use a decimal point; a decimal comma needs the `;` separator)
    innovation-procurements.csv:4:13: unknown flag `x`; use none, or one or more of p (provisional), e (estimated), b (break in series), u (low reliability), d (definition differs), each once
    3 problem(s); nothing was loaded
    ");
    Ok(())
}

#[test]
fn check_of_a_missing_folder_says_so() {
    let run = indikator(&["check", "no-such-folder"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .starts_with("error: cannot read no-such-folder: "),
        "{}",
        run.stderr
    );
}

#[test]
fn export_gives_the_seed_figures_exactly() {
    type Expected<'a> = &'a [(&'a str, &'a str, &'a str, &'a str)];
    let cases: [(&str, Expected); 4] = [
        (
            "innovation-procurements",
            &[
                ("NO", "2010", "6", ""),
                ("NO", "2016", "180", ""),
                ("SE", "2022", "793", "ud"),
            ],
        ),
        (
            "innovation-in-strategy",
            &[
                ("NO", "2010", "6", ""),
                ("NO", "2017", "40", ""),
                ("SE", "2016", "30", "d"),
                ("SE", "2018", "40", "d"),
            ],
        ),
        (
            "advertised-procurements",
            &[
                ("FI", "2016", "17314", "d"),
                ("FI", "2017", "15709", "d"),
                ("FI", "2018", "17022", "d"),
                ("FI", "2021", "19076", "d"),
                ("NO", "2016/2017", "12000", "e"),
                ("SE", "2016", "18330", ""),
                ("SE", "2017", "18525", ""),
                ("SE", "2019", "18379", ""),
                ("SE", "2020", "17938", ""),
                ("SE", "2021", "18421", ""),
                ("SE", "2022", "17198", ""),
                ("SE", "2024", "17575", ""),
            ],
        ),
        (
            "innovation-procedure-share",
            &[
                ("NO", "2018/2022", "0.43", ""),
                ("SE", "2018", "0.2", ""),
                // 11 of 18 420: indikator's recount, not rounded.
                ("SE", "2021", "0.059717698154180245", ""),
            ],
        ),
    ];
    for (id, expected) in cases {
        let run = indikator(&["export", id]);
        assert_eq!(run.code, Some(0), "{id}: {}", run.stderr);
        let expected: Vec<_> = expected
            .iter()
            .map(|(c, p, v, f)| row(c, p, v, f))
            .collect();
        assert_eq!(rows(&run.stdout), expected, "{id}");
        assert!(
            run.stdout.starts_with(
                "indicator,country,country_name,period,period_start,period_end,value,unit,flag,note,index_base,value_as_published,source_producer,source_title,source_url,source_published,source_accessed\n"
            ),
            "{id}"
        );
    }
}

#[test]
fn export_selects_countries_and_years_and_runs_from_any_folder() -> std::io::Result<()> {
    let elsewhere = tempfile::tempdir()?;
    let run = indikator_in(
        elsewhere.path(),
        &[
            "export",
            "innovation-in-strategy",
            "--countries",
            "SE,NO",
            "--from",
            "2011",
            "--to",
            "latest",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        rows(&run.stdout),
        [
            row("SE", "2016", "30", "d"),
            row("SE", "2018", "40", "d"),
            row("NO", "2017", "40", "")
        ]
    );
    Ok(())
}

#[test]
fn export_writes_a_file_in_the_excel_nordic_dialect() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("share.csv");
    let out_arg = out.to_string_lossy().into_owned();
    let run = indikator(&[
        "export",
        "innovation-procedure-share",
        "--dialect",
        "excel-nordic",
        "-o",
        &out_arg,
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let bytes = std::fs::read(&out)?;
    assert!(bytes.starts_with(
        b"\xEF\xBB\xBFindicator;country;country_name;period;period_start;period_end;value;unit;flag;"
    ));
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains(
            "\r\ninnovation-procedure-share;NO;Norway;2018/2022;2018;2022;0,43;percent;;"
        ),
        "{text}"
    );
    Ok(())
}

#[test]
fn export_from_a_data_folder() {
    let data = root().join("data");
    let run = indikator_in(
        std::env::temp_dir().as_path(),
        &[
            "export",
            "innovation-procurements",
            "--countries",
            "SE",
            "--data",
            &data.to_string_lossy(),
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(rows(&run.stdout), [row("SE", "2022", "793", "ud")]);
}

#[test]
fn export_errors_are_clear_and_exit_1() {
    let cases = [
        (
            vec!["export", "innovation"],
            "error: unknown indicator `innovation`; the indicators are: advertised-procurements, innovation-in-strategy, innovation-procedure-share, innovation-procurements, national-innovation-flag-notices, national-innovation-procedure-notices, national-notices, national-rd-notices, ted-award-notices, ted-contract-notices\n",
        ),
        (
            vec![
                "export",
                "innovation-procurements",
                "--from",
                "2020",
                "--to",
                "2012",
            ],
            "error: the range 2020–2012 is reversed; the first year must not be after the last\n",
        ),
        (
            vec!["export", "innovation-procurements", "--from", "2030"],
            "error: innovation-procurements has no observations for any country in 2030–latest; it covers NO, SE in 2010–2022\n",
        ),
        (
            vec![
                "export",
                "ted-contract-notices",
                "--mode",
                "share:advertised-procurements",
            ],
            "error: ted-contract-notices cannot be divided by advertised-procurements: its sidecar does not declare that the two count the same population; it has no share mode, so use absolute or index\n",
        ),
    ];
    for (args, expected) in cases {
        let run = indikator(&args);
        assert_eq!(
            (run.code, run.stderr.as_str(), run.stdout.as_str()),
            (Some(1), expected, ""),
            "{args:?}"
        );
    }
}

#[test]
fn usage_errors_exit_2_with_the_values_allowed() {
    let invalid = |option: &str, value: &str, why: &str| {
        let name = option.trim_start_matches('-').to_ascii_uppercase();
        format!("error: invalid value '{value}' for '{option} <{name}>'{why}")
    };
    let cases = [
        (
            "--countries",
            "NO,XX",
            ": unknown country `XX`; use ISO 3166-1 alpha-2 codes such as NO or SE, separated by commas",
        ),
        (
            "--to",
            "soon",
            ": bad year `soon`; write a year such as 2016, or latest",
        ),
        (
            "--from",
            "latest",
            ": takes a year such as 2016, not latest",
        ),
        ("--dialect", "excel", ""),
        ("--format", "xlsx", ""),
        (
            "--mode",
            "ratio",
            ": unknown mode `ratio`; use absolute, index, or share:<denominator-id> such as share:advertised-procurements",
        ),
    ];
    for (option, value, why) in cases {
        let run = indikator(&["export", "innovation-procurements", option, value]);
        assert_eq!(usage_error(&run), invalid(option, value, why), "{option}");
    }
    let unit = indikator(&[
        "import-jsonstat",
        "x.json",
        "--indicator",
        "x",
        "--source-url",
        "https://e.org",
        "--unit",
        "euro",
    ]);
    assert_eq!(usage_error(&unit), invalid("--unit", "euro", ""));

    let format = indikator(&["export", "innovation-procurements", "--format", "xlsx"]);
    assert!(
        format
            .stderr
            .contains("[possible values: csv, json, jsonstat, sdmx-csv]"),
        "{}",
        format.stderr
    );
}

#[test]
fn a_country_without_data_is_a_warning_not_a_failure() {
    let run = indikator(&["export", "innovation-procurements", "--countries", "SE,DK"]);
    assert_eq!(run.code, Some(0));
    assert_eq!(
        run.stderr,
        "warning: innovation-procurements has no observations for DK in this view\n"
    );
    assert_eq!(rows(&run.stdout), [row("SE", "2022", "793", "ud")]);
}

#[test]
fn export_in_every_format() {
    let json = indikator(&[
        "export",
        "innovation-procurements",
        "--format",
        "json",
        "--countries",
        "SE",
    ]);
    assert_eq!(json.code, Some(0), "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(value["observations"][0]["value"], 793.0);
    assert_eq!(value["observations"][0]["flag"], "ud");

    let jsonstat = indikator(&[
        "export",
        "innovation-procedure-share",
        "--format",
        "jsonstat",
    ]);
    let value: serde_json::Value = serde_json::from_str(&jsonstat.stdout).expect("JSON");
    assert_eq!(
        value["dimension"]["time"]["category"]["index"],
        serde_json::json!(["2018", "2018/2022", "2021"])
    );

    let sdmx = indikator(&[
        "export",
        "innovation-procedure-share",
        "--format",
        "sdmx-csv",
    ]);
    assert!(
        sdmx.stdout.contains(",NO,2018-01-01/P5Y,0.43,,percent,"),
        "{}",
        sdmx.stdout
    );
}

#[test]
fn import_jsonstat_writes_a_dataset_that_passes_the_check() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let here = dir.path();
    let exported = indikator_in(
        here,
        &[
            "export",
            "advertised-procurements",
            "--format",
            "jsonstat",
            "-o",
            "ap.json",
        ],
    );
    assert_eq!(exported.code, Some(0), "{}", exported.stderr);
    let run = indikator_in(
        here,
        &[
            "import-jsonstat",
            "ap.json",
            "--indicator",
            "imported",
            "--unit",
            "count",
            "--source-url",
            "https://example.org/table",
            "--out",
            "out",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "wrote imported.csv and imported.toml to out: 12 observations, 15 cells without a value left out\n"
    );
    let check = indikator_in(here, &["check", "out"]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    let bad = indikator_in(
        here,
        &[
            "import-jsonstat",
            "ap.json",
            "--indicator",
            "x",
            "--source-url",
            "https://e.org",
            "--dimension",
            "indicator",
        ],
    );
    assert_eq!(
        usage_error(&bad),
        "error: invalid value 'indicator' for '--dimension <NAME=CODE>': write NAME=CODE"
    );
    Ok(())
}

#[test]
fn a_closed_pipe_ends_the_program_quietly() -> std::io::Result<()> {
    // `indikator check data | head -1`: before, the first print after the reader left
    // panicked (exit 101).
    use std::process::{Command, Stdio};
    for args in [
        &["check", "data"][..],
        &["export", "innovation-procurements"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_indikator"))
            .args(args)
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        // The reader leaves before the program writes a line.
        drop(child.stdout.take());
        let output = child.wait_with_output()?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    Ok(())
}

#[test]
fn export_json_gives_the_notes_the_api_and_the_chart_give() {
    // Denmark has no data: the API's JSON and the chart say so first; so does the CLI's.
    let run = indikator(&[
        "export",
        "innovation-procurements",
        "--countries",
        "NO,DK",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let view: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(view["notes"][0], "No data for Denmark in this view.");
    assert!(
        view["notes"][1]
            .as_str()
            .is_some_and(|n| n.starts_with("Not like-for-like."))
    );
}
