//! `indikator notices`: generate a synthetic export, recount it, and use the result.

use crate::util::{indikator_in, usage_error};

#[test]
fn generate_recount_check_and_export() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let here = dir.path();
    let run = indikator_in(
        here,
        &[
            "notices",
            "--generate",
            "4000",
            "--seed",
            "3",
            "-o",
            "ted.csv",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "wrote 4000 synthetic TED award-notice rows (seed 3) to ted.csv\n"
    );

    let run = indikator_in(here, &["notices", "ted.csv", "--out", "recount"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.starts_with("ted.csv: "),
        "progress on stderr: {}",
        run.stderr
    );
    assert!(run.stderr.contains(" rows/s\n"));
    assert!(
        run.stdout.starts_with("ted.csv: CAN layout, 4000 rows, "),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("ted-innovation-procedure-notices: "));
    assert!(
        run.stdout.ends_with("wrote 6 files to recount\n"),
        "{}",
        run.stdout
    );

    let check = indikator_in(here, &["check", "recount"]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    assert!(
        check.stdout.starts_with("recount: 3 indicators, "),
        "{}",
        check.stdout
    );

    let export = indikator_in(
        here,
        &[
            "export",
            "ted-notices",
            "--countries",
            "NO,SE",
            "--data",
            "recount",
        ],
    );
    assert_eq!(export.code, Some(0), "{}", export.stderr);
    assert!(export.stdout.starts_with(
        "indicator,country,country_name,period,period_start,period_end,value,unit,flag,note,index_base,value_as_published,source_producer,source_title,source_url,source_published,source_accessed\nted-notices,NO,Norway,"
    ));
    Ok(())
}

#[test]
fn notices_usage_errors() {
    let here = std::env::temp_dir();
    let cases: [(&[&str], &str); 3] = [
        (
            &["notices", "--generate", "10"],
            "error: the following required arguments were not provided:",
        ),
        (
            &["notices", "a.csv"],
            "error: the following required arguments were not provided:",
        ),
        (
            &["notices", "--out", "x"],
            "error: the following required arguments were not provided:",
        ),
    ];
    let missing = ["--output <OUTPUT>", "--out <OUT>", "<FILES>..."];
    for ((args, first), missing) in cases.into_iter().zip(missing) {
        let run = indikator_in(&here, args);
        assert_eq!(usage_error(&run), first, "{args:?}");
        assert!(run.stderr.contains(missing), "{args:?}: {}", run.stderr);
    }
    let run = indikator_in(&here, &["notices", "/no/such/file.csv", "--out", "x"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            Some(1),
            "error: cannot read /no/such/file.csv: No such file or directory (os error 2)\n"
        ),
        "the cause once"
    );
}

#[test]
fn empty_inputs_say_so_and_write_nothing() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("empty.csv"), "")?;
    let run = indikator_in(dir.path(), &["notices", "empty.csv", "--out", "out"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            Some(1),
            "error: empty.csv: the file is empty; give an export, which starts with a header line\n"
        )
    );
    let header = indikator_notices::CAN_HEADER.join(",");
    let cancelled = {
        let mut row = vec![""; indikator_notices::CAN_HEADER.len()];
        row[..3].copy_from_slice(&["2021000001", "", "2021"]);
        row[6] = "1";
        row[15] = "NO";
        row.join(",")
    };
    std::fs::write(
        dir.path().join("cancelled.csv"),
        format!("{header}\n{cancelled}\n2021000002,,21\n"),
    )?;
    let run = indikator_in(dir.path(), &["notices", "cancelled.csv", "--out", "out"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.ends_with(
            "error: no notice to count: the input has 2 rows or notices, 1 of them bad; the rest are cancelled or not of the kind counted (--kind). Nothing was written.\n"
        ),
        "{}",
        run.stderr
    );
    // What was left out is listed all the same, so the user sees why nothing counted.
    assert!(
        run.stdout
            .contains("cancelled.csv:3: left out: 3 fields, but the header has 75\n"),
        "{}",
        run.stdout
    );
    assert!(!dir.path().join("out").exists(), "nothing written");
    Ok(())
}

#[test]
fn the_definitions_are_printed_and_can_be_overridden() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let here = dir.path();
    let run = indikator_in(here, &["notices", "--definitions"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("[doffin]\ncompetition_forms = [2, 5, 12, 17, 21, 22, 23, 24, 52]"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(
        "innovation_procedures = [\"Konkurransepreget dialog\", \"Innovasjonspartnerskap\"]"
    ));
    // The printed table, changed and given back, is what counts.
    let changed = run.stdout.replace(
        "innovation_procedures = [\"COD\", \"INP\"]",
        "innovation_procedures = [\"COD\"]",
    );
    std::fs::write(here.join("mine.toml"), changed)?;
    let header = "ID_NOTICE_CN,YEAR,CANCELLED,ISO_COUNTRY_CODE,TOP_TYPE,CPV";
    std::fs::write(
        here.join("cn.csv"),
        format!("{header}\n1,2021,0,NO,COD,45000000\n2,2021,0,NO,INP,45000000\n"),
    )?;
    let with_table = |table: &str| {
        let args = [
            "notices",
            "cn.csv",
            "--out",
            "out",
            "--definitions-file",
            table,
        ];
        indikator_in(here, &args)
    };
    let run = with_table("mine.toml");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("ted-innovation-procedure-notices: 1 notices in 1 country-years"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "ted-innovation-flag-notices: not written; no input's layout has the field it needs"
        ),
        "{}",
        run.stdout
    );
    std::fs::write(
        here.join("bad.toml"),
        "[doffin]\n\ncompetition_form = [2]\n",
    )?;
    let sidecar = std::fs::read_to_string(here.join("out/ted-innovation-procedure-notices.toml"))?;
    assert!(
        sidecar.contains(r#"Counted with a changed table of definitions (--definitions-file): [ted] innovation_procedures = ["COD"]."#),
        "{sidecar}"
    );
    let run = with_table("bad.toml");
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .starts_with("error: bad.toml:3:1: unknown field `competition_form`"),
        "{}",
        run.stderr
    );
    std::fs::write(here.join("other.csv"), "a;b\n1;2\n")?;
    let run = indikator_in(here, &["notices", "other.csv", "--out", "out"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.starts_with("error: other.csv: not a layout the recount reads; expected a TED CSV export (ID_NOTICE_CN or ID_NOTICE_CAN"), "{}", run.stderr);
    Ok(())
}
