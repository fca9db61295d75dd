//! `indikator render`: charts from the command line.

use crate::util::{indikator, root, usage_error};

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

#[test]
fn svg_to_standard_output_by_default() {
    let run = indikator(&["render", "innovation-procurements", "--countries", "NO,SE"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("<svg role=\"img\" width=\"800\" height=\"500\"")
    );
    assert!(run.stdout.contains("<desc>Norway: 6 in 2010 to 180 in 2016; Sweden: 793 in 2022 (low reliability, definition differs)</desc>"));
}

#[test]
fn png_to_standard_output_with_format() {
    let run = indikator(&[
        "render",
        "advertised-procurements",
        "--format",
        "png",
        "--width",
        "400",
        "--height",
        "300",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout_bytes.starts_with(PNG_MAGIC));
    // The IHDR chunk holds the width and height, big-endian, from byte 16.
    assert_eq!(&run.stdout_bytes[16..24], &[0, 0, 1, 144, 0, 0, 1, 44]);
}

#[test]
fn the_output_file_extension_picks_the_format() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let png = dir.path().join("chart.png");
    let svg = dir.path().join("chart.svg");
    let args = [
        "render",
        "innovation-in-strategy",
        "--countries",
        "NO",
        "--lang",
        "sv",
        "--theme",
        "dark",
        "--mode",
        "index",
    ];
    for (path, magic) in [(&png, PNG_MAGIC), (&svg, b"<svg ".as_slice())] {
        let out = path.to_string_lossy().into_owned();
        let run = indikator(&[&args[..], &["-o", &out]].concat());
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (Some(0), ""),
            "{}",
            run.stderr
        );
        assert!(
            std::fs::read(path)?.starts_with(magic),
            "{}",
            path.display()
        );
    }
    let text = std::fs::read_to_string(&svg)?;
    assert!(text.contains("Index, 2010 = 100"), "Swedish subtitle");
    Ok(())
}

#[test]
fn every_view_option_reaches_the_chart() {
    let data = root().join("data");
    let run = indikator(&[
        "render",
        "innovation-procurements",
        "--mode",
        "share:advertised-procurements",
        "--kind",
        "bar",
        "--scale",
        "log",
        "--lang",
        "nb",
        "--from",
        "2015",
        "--to",
        "2022",
        "--data",
        &data.to_string_lossy(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("Per 1 000 kunngjorte offentlige anskaffelser")
    );
    assert!(
        run.stdout
            .contains("Ingen data for Norge i denne visningen.")
    );
    assert_eq!(
        run.stderr,
        "warning: innovation-procurements has no observations for NO in this view\n"
    );
}

#[test]
fn bad_options_are_usage_errors_that_name_what_is_allowed() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["--width", "100"],
            "error: invalid value '100' for '--width <WIDTH>': 100 is not in 200..=4000",
        ),
        (
            &["--height", "5000"],
            "error: invalid value '5000' for '--height <HEIGHT>': 5000 is not in 150..=3000",
        ),
        (
            &["--kind", "pie"],
            "error: invalid value 'pie' for '--kind <KIND>'",
        ),
        (
            &["--lang", "de"],
            "error: invalid value 'de' for '--lang <LANG>'",
        ),
        (
            &["--format", "gif"],
            "error: invalid value 'gif' for '--format <FORMAT>'",
        ),
        (
            &["--mode", "ratio"],
            "error: invalid value 'ratio' for '--mode <MODE>': unknown mode `ratio`; use absolute, index, or share:<denominator-id> such as share:advertised-procurements",
        ),
    ];
    for (extra, expected) in cases {
        let args = [&["render", "innovation-procurements"][..], extra].concat();
        let run = indikator(&args);
        assert_eq!(usage_error(&run), expected, "{extra:?}");
    }
    let kind = indikator(&["render", "innovation-procurements", "--kind", "pie"]);
    assert!(
        kind.stderr.contains("[possible values: line, bar]"),
        "{}",
        kind.stderr
    );
    let lang = indikator(&["render", "innovation-procurements", "--lang", "de"]);
    assert!(
        lang.stderr.contains("[possible values: en, sv, nb]"),
        "{}",
        lang.stderr
    );
    // A file name that does not say the format is an error, not a guess.
    let dir = tempfile::tempdir().expect("a folder");
    let out = dir.path().join("chart.gif");
    let run = indikator(&[
        "render",
        "innovation-procurements",
        "-o",
        out.to_str().unwrap_or_default(),
    ]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            Some(1),
            "error: cannot tell the format from `.gif`; name the file .svg or .png, or give --format\n"
        )
    );
}
