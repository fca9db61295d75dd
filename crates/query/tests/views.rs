//! Views over the shipped dataset, and their CSV exports as an analyst would open them.

use indikator_ingest::Dataset;
use indikator_query::{Applied, Dialect, Mode, View, YearBound, write_csv};
use insta::assert_snapshot;

fn data() -> Dataset {
    Dataset::embedded().expect("the shipped data is valid")
}

fn csv(view: &View, dialect: Dialect) -> String {
    let data = data();
    let selection = view.select(&data).expect("a valid view");
    let mut out = Vec::new();
    write_csv(&selection, &mut out, dialect, indikator_ingest::Lang::En).expect("writes to memory");
    String::from_utf8(out).expect("UTF-8")
}

/// The error a caller that needs data (such as the CLI) gets for `view`.
fn error(view: &View) -> String {
    view.select(&data())
        .and_then(|s| s.require_some())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
}

#[test]
fn seed_figures_export_exactly() {
    let view = View::new("innovation-procurements");
    assert_snapshot!(csv(&view, Dialect::Standard), @r#"
    indicator,country,country_name,period,period_start,period_end,value,unit,flag,note,index_base,value_as_published,source_producer,source_title,source_url,source_published,source_accessed
    innovation-procurements,NO,Norway,2010,2010,2010,6,count,,Reported by Sveriges Offentliga Inköpare from the programme's own figures; no primary source found,,,Sveriges Offentliga Inköpare (SOI),Innovative anskaffelser – Nasjonalt program for leverandørsutvikling,https://www.soi.se/aktuellt/2018/oktober/norsk-innovation,2018-10-24,2026-11-27
    innovation-procurements,NO,Norway,2016,2016,2016,180,count,,"""I 2016 var det 180 innovative anskaffelser på DOFFIN"" (1.4 % of procurements on Doffin)",,,Nasjonalt program for leverandørutvikling (Innovative anskaffelser),Hvor innovativ er virksomheten du jobber i?,https://innovativeanskaffelser.no/blogg/hvor-innovativ-er-virksomheten-du-jobber-i/,n.d.,2026-11
    innovation-procurements,SE,Sweden,2022,2022,2022,793,count,ud,"Notices with the innovation-procurement field set; the field is missing on about 95 % of notices, so this is a lower bound",,,Upphandlingsmyndigheten,Statistik om annonserade upphandlingar i Sverige 2022: Vanligast att ställa funktionskrav i innovationsupphandling,https://www.upphandlingsmyndigheten.se/statistik/upphandlingsstatistik/statistik-om-annonserade-upphandlingar-i-sverige-2022/vanligast-att-stalla-funktionskrav-i-innovationsupphandling-2022/,n.d.,2026-11
    "#);
}

#[test]
fn excel_nordic_has_bom_semicolons_decimal_comma_and_crlf() {
    let view = View::new("innovation-procedure-share").countries(["SE", "NO"]);
    let text = csv(&view, Dialect::ExcelNordic);
    assert!(
        text.starts_with('\u{feff}'),
        "starts with a byte-order mark"
    );
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(
        lines[0],
        "indicator;country;country_name;period;period_start;period_end;value;unit;flag;note;index_base;value_as_published;source_producer;source_title;source_url;source_published;source_accessed"
    );
    assert!(
        lines[1].starts_with("innovation-procedure-share;SE;Sweden;2018;2018;2018;0,2;percent;;"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with(
            "innovation-procedure-share;SE;Sweden;2021;2021;2021;0,059717698154180245;percent;;"
        ),
        "{}",
        lines[2]
    );
    assert!(
        lines[3]
            .starts_with("innovation-procedure-share;NO;Norway;2018/2022;2018;2022;0,43;percent;;"),
        "{}",
        lines[3]
    );
    assert_eq!(lines[4], "", "every line ends in CRLF");
    assert_eq!(lines.len(), 5);
}

#[test]
fn missing_years_stay_missing() {
    let view = View::new("advertised-procurements").countries(["SE"]);
    let text = csv(&view, Dialect::Standard);
    let periods: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap_or(""))
        .collect();
    assert_eq!(
        periods,
        ["2016", "2017", "2019", "2020", "2021", "2022", "2024"],
        "no 2018 or 2023 row, not a 0"
    );
}

#[test]
fn ranges_take_in_overlapping_spans() {
    let data = data();
    let selection = View::new("advertised-procurements")
        .from(2017)
        .to(YearBound::Year(2019))
        .select(&data)
        .expect("valid");
    let rows: Vec<String> = selection
        .observations
        .iter()
        .map(|o| format!("{} {} {:?}", o.country, o.period, o.value))
        .collect();
    assert_eq!(
        rows,
        [
            "FI 2017 Some(15709.0)",
            "FI 2018 Some(17022.0)",
            "NO 2016/2017 Some(12000.0)",
            "SE 2017 Some(18525.0)",
            "SE 2019 Some(18379.0)"
        ]
    );
    assert_eq!(selection.countries, ["FI", "NO", "SE"]);
}

#[test]
fn countries_keep_the_order_asked_and_report_those_without_data() {
    let data = data();
    let selection = View::new("innovation-in-strategy")
        .countries(["SE", "DK", "NO"])
        .select(&data)
        .expect("valid");
    let order: Vec<&str> = selection
        .observations
        .iter()
        .map(|o| o.country.as_str())
        .collect();
    assert_eq!(order, ["SE", "SE", "NO", "NO"]);
    assert_eq!(selection.without_data, ["DK"]);
}

#[test]
fn clear_errors_for_views_the_data_cannot_give() {
    assert_snapshot!(error(&View::new("innovation")), @"unknown indicator `innovation`; the indicators are: advertised-procurements, innovation-in-strategy, innovation-procedure-share, innovation-procurements, national-innovation-flag-notices, national-innovation-procedure-notices, national-notices, national-rd-notices, ted-award-notices, ted-contract-notices");
    assert_snapshot!(error(&View::new("innovation-procurements").countries(["XX"])), @"unknown country `XX`; use ISO 3166-1 alpha-2 codes such as NO or SE, separated by commas");
    assert_snapshot!(error(&View::new("innovation-procurements").from(2020).to(YearBound::Year(2012))), @"the range 2020–2012 is reversed; the first year must not be after the last");
    assert_snapshot!(error(&View::new("innovation-procurements").from(2030)), @"innovation-procurements has no observations for any country in 2030–latest; it covers NO, SE in 2010–2022");
    assert_snapshot!(error(&View::new("innovation-procurements").countries(["DK"])), @"innovation-procurements has no observations for DK in any year; it covers NO, SE in 2010–2022");
}

#[test]
fn index_mode_needs_one_base_year_for_every_country() {
    let data = data();
    // Norway has 2010 and 2016, Sweden 2022: no year to compare from.
    let both = View::new("innovation-procurements").mode(Mode::Index);
    assert_snapshot!(error(&both), @"index mode needs one base year in which every country shown has a value, and innovation-procurements has none here (NO: 2010, 2016; SE: 2022); choose countries or years that share one, or show the values as published");
    let norway = View::new("innovation-procurements")
        .countries(["NO"])
        .mode(Mode::Index)
        .select(&data)
        .expect("valid");
    let values: Vec<(String, String, Option<f64>)> = norway
        .observations
        .iter()
        .map(|o| (o.country.clone(), o.period.to_string(), o.value))
        .collect();
    assert_eq!(
        values,
        [
            ("NO".into(), "2010".into(), Some(100.0)),
            ("NO".into(), "2016".into(), Some(3000.0)),
        ]
    );
    assert_eq!(norway.unit_name(), "index");
    // TED has both countries from 2006: one base for both.
    let ted = View::new("ted-contract-notices")
        .countries(["NO", "SE"])
        .mode(Mode::Index)
        .select(&data)
        .expect("valid");
    let Applied::Index { bases, .. } = &ted.applied else {
        panic!("index mode")
    };
    let bases: Vec<String> = bases.iter().map(|(c, p)| format!("{c} {p}")).collect();
    assert_eq!(bases, ["NO 2006", "SE 2006"]);
}

#[test]
fn an_index_export_gives_the_base_year_and_the_values_as_published() {
    let view = View::new("ted-contract-notices")
        .countries(["NO", "SE"])
        .from(2010)
        .to(indikator_query::YearBound::Year(2011))
        .mode(Mode::Index);
    let text = csv(&view, Dialect::Standard);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| {
            let r = r.expect("a record");
            [1, 4, 5, 6, 10, 11]
                .iter()
                .map(|&i| r[i].to_owned())
                .collect()
        })
        .collect();
    // NO 3 512 and SE 4 984 contract notices in 2010 (tests/data.rs) are the bases.
    assert_eq!(rows[0], ["NO", "2010", "2010", "100", "2010", "3512"]);
    assert_eq!(rows[2], ["SE", "2010", "2010", "100", "2010", "4984"]);
    assert_eq!(rows[1][4], "2010");
    assert_eq!(
        rows[1][3].parse::<f64>().ok(),
        rows[1][5].parse::<f64>().ok().map(|v| v / 3512.0 * 100.0)
    );
}

#[test]
fn index_base_is_the_first_year_shown() {
    let data = data();
    let selection = View::new("innovation-in-strategy")
        .countries(["NO"])
        .from(2011)
        .mode(Mode::Index)
        .select(&data)
        .expect("valid");
    let no: Vec<Option<f64>> = selection.observations.iter().map(|o| o.value).collect();
    assert_eq!(
        no,
        [Some(100.0)],
        "NO 2017 is the first shown, so it is the base"
    );
}

#[test]
fn share_mode_divides_by_the_denominator_and_leaves_gaps() {
    let view = View::new("innovation-procurements")
        .mode("share:advertised-procurements".parse().expect("a mode"));
    let data = data();
    let selection = view.select(&data).expect("valid");
    let rows: Vec<String> = selection
        .observations
        .iter()
        .map(|o| format!("{} {} {:?} {}", o.country, o.period, o.value, o.flags))
        .collect();
    // 793 / 17 198 × 1 000; Norway's 180 (2016) has no 2016 denominator (only 2016/2017), so a gap.
    assert_eq!(
        rows,
        [format!("SE 2022 Some({}) ud", 793.0 / 17198.0 * 1000.0)]
    );
    assert_eq!(selection.without_data, ["NO"]);
    assert!(csv(&view, Dialect::Standard).contains(",per 1000 advertised-procurements,ud,"));
}

#[test]
fn mode_errors() {
    assert_eq!("ratio".parse::<Mode>().map_err(|e| e.to_string()), Err("unknown mode `ratio`; use absolute, index, or share:<denominator-id> such as share:advertised-procurements".into()));
    assert!("share:".parse::<Mode>().is_err());
    // A percentage, and counts of another population: their sidecars declare no such share.
    let percent =
        View::new("innovation-procedure-share").mode(Mode::Share("innovation-procurements".into()));
    assert_snapshot!(error(&percent), @"innovation-procedure-share cannot be divided by innovation-procurements: its sidecar does not declare that the two count the same population; it has no share mode, so use absolute or index");
    let other_population =
        View::new("ted-contract-notices").mode(Mode::Share("advertised-procurements".into()));
    assert_snapshot!(error(&other_population), @"ted-contract-notices cannot be divided by advertised-procurements: its sidecar does not declare that the two count the same population; it has no share mode, so use absolute or index");
    let other_denominator =
        View::new("innovation-procurements").mode(Mode::Share("ted-contract-notices".into()));
    assert_snapshot!(error(&other_denominator), @"innovation-procurements cannot be divided by ted-contract-notices: its sidecar does not declare that the two count the same population; use share:advertised-procurements");
    let nothing = View::new("innovation-procurements")
        .countries(["NO"])
        .to(YearBound::Year(2010))
        .mode(Mode::Share("advertised-procurements".into()));
    assert_snapshot!(error(&nothing), @"innovation-procurements and advertised-procurements have no country and period in common in this view, so there is nothing to divide");
    let unknown = View::new("innovation-procurements").mode(Mode::Share("notices".into()));
    assert_snapshot!(error(&unknown), @"unknown indicator `notices`; the indicators are: advertised-procurements, innovation-in-strategy, innovation-procedure-share, innovation-procurements, national-innovation-flag-notices, national-innovation-procedure-notices, national-notices, national-rd-notices, ted-award-notices, ted-contract-notices");
}

#[test]
fn an_empty_view_is_a_selection_with_every_country_without_data() {
    let data = data();
    let selection = View::new("innovation-procurements")
        .countries(["DK", "SE"])
        .from(2023)
        .select(&data)
        .expect("valid");
    assert!(selection.observations.is_empty());
    assert_eq!(selection.without_data, ["DK", "SE"]);
}

/// A dataset of two count indicators, `num` and `den`, from CSV rows (after the header).
fn pair(num_rows: &str, den_rows: &str) -> Dataset {
    use indikator_ingest::SourceFile;
    let sidecar = |id: &str| {
        let denominators = if id == "num" {
            "denominators = [\"den\"]\n"
        } else {
            ""
        };
        format!(
            "id = \"{id}\"\nunit = \"count\"\ndecimals = 0\n{denominators}title.en = \"=HYPERLINK(\\\"http://evil\\\")\"\ndescription.en = \"d\"\n[[sources]]\nid = \"s\"\nproducer = \"p\"\ntitle = \"@SUM(A1)\"\nurl = \"https://example.org/x\"\npublished = \"2020\"\naccessed = \"2026-11-27\"\nkind = \"primary\"\n"
        )
    };
    let header = "country,period,value,flag,source,note\n";
    let file = |path: &str, text: String| SourceFile {
        path: path.into(),
        bytes: text.into_bytes(),
    };
    Dataset::from_files(
        "data",
        vec![
            file("data/num.csv", format!("{header}{num_rows}")),
            file("data/num.toml", sidecar("num")),
            file("data/den.csv", format!("{header}{den_rows}")),
            file("data/den.toml", sidecar("den")),
        ],
    )
    .expect("valid")
}

#[test]
fn text_cells_cannot_run_as_formulas_and_numbers_stay_numbers() {
    let data = pair(
        "NO,2016,12,,s,=HYPERLINK(\"http://evil\";\"click\")\nNO,2017,13,,s,+1\nNO,2018,14,,s,-x\nNO,2019,15,,s,\"\ttab\"\nNO,2020,16,,s,a = b\n",
        "NO,2016,100,,s,\n",
    );
    let view = View::new("num");
    let selection = view.select(&data).expect("valid");
    for dialect in [Dialect::Standard, Dialect::ExcelNordic] {
        let mut out = Vec::new();
        write_csv(&selection, &mut out, dialect, indikator_ingest::Lang::En).expect("writes");
        let text = String::from_utf8(out).expect("UTF-8");
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(if dialect == Dialect::Standard {
                b','
            } else {
                b';'
            })
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("reads")).collect();
        let cells: Vec<(&str, &str, &str)> = rows.iter().map(|r| (&r[6], &r[13], &r[9])).collect();
        assert_eq!(
            cells,
            [
                ("12", "'@SUM(A1)", "'=HYPERLINK(\"http://evil\";\"click\")"),
                ("13", "'@SUM(A1)", "'+1"),
                ("14", "'@SUM(A1)", "'-x"),
                // Fields are trimmed on the way in, so a leading tab never reaches an export.
                ("15", "'@SUM(A1)", "tab"),
                ("16", "'@SUM(A1)", "a = b"),
            ],
            "{dialect:?}"
        );
    }
}

#[test]
fn share_mode_keeps_flagged_empty_rows_as_gaps() {
    // Before: the empty 2017 row was dropped, and with 2016 missing from the denominator the
    // view was "nothing in common" although 2017 is in both.
    let data = pair(
        "NO,2016,12,,s,\nNO,2017,,u,s,withheld\nNO,2018,20,,s,\n",
        "NO,2017,100,,s,\nNO,2018,1000,e,s,\n",
    );
    let view = View::new("num").mode(Mode::Share("den".into()));
    let selection = view
        .select(&data)
        .and_then(|s| s.require_some())
        .expect("2017 and 2018 are in both");
    let rows: Vec<String> = selection
        .observations
        .iter()
        .map(|o| format!("{} {:?} {}", o.period, o.value, o.flags))
        .collect();
    assert_eq!(rows, ["2017 None u", "2018 Some(20.0) e"]);
}
