//! JSON-stat 2.0 and SDMX-CSV exports of the shipped data, and JSON-stat imports.

use std::path::PathBuf;

use indikator_formats::{ImportOptions, import_jsonstat, to_jsonstat, write_sdmx_csv};
use indikator_ingest::{Dataset, Lang, Unit, limits};
use indikator_query::View;
use insta::assert_snapshot;

fn data() -> Dataset {
    Dataset::embedded().expect("the shipped data is valid")
}

/// The published JSON-stat 2.0 dataset schema (json-stat.org/format/schema/2.0/dataset.json),
/// which `.ci/run` fetches from PyPI (the `jsonstat.py` package ships it unmodified).
fn published_schema() -> Option<serde_json::Value> {
    let path = std::env::var_os("INDIKATOR_JSONSTAT_SCHEMA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/jsonstat-schema/dataset.json")
        });
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("the schema is JSON")),
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must fetch the JSON-stat schema to {} (.ci/run does)",
                path.display()
            );
            eprintln!(
                "schema check skipped: {} is missing (bash .ci/run fetches it)",
                path.display()
            );
            None
        }
    }
}

#[test]
fn jsonstat_export_follows_the_published_schema() {
    let data = data();
    for id in [
        "innovation-procurements",
        "innovation-in-strategy",
        "advertised-procurements",
        "innovation-procedure-share",
    ] {
        let selection = View::new(id).select(&data).expect("a view");
        let dataset = to_jsonstat(&selection, Lang::En, &["a note".into()]);
        if let Some(schema) = published_schema() {
            let validator = jsonschema::draft4::new(&schema).expect("the schema compiles");
            let errors: Vec<String> = validator
                .iter_errors(&dataset)
                .map(|e| format!("{e} at {}", e.instance_path))
                .collect();
            assert!(errors.is_empty(), "{id}: {errors:?}");
            // The check can fail: a dataset that breaks the schema is caught.
            let mut broken = dataset.clone();
            broken["version"] = serde_json::json!("1.0");
            broken["size"] = serde_json::json!(["one"]);
            assert!(
                !validator.is_valid(&broken),
                "{id}: the schema check catches a broken dataset"
            );
        }
    }
}

#[test]
fn jsonstat_export_puts_each_value_in_its_cell() {
    let data = data();
    let selection = View::new("innovation-procurements")
        .countries(["NO", "SE"])
        .select(&data)
        .expect("a view");
    let dataset = to_jsonstat(&selection, Lang::Sv, &[]);
    assert_eq!(dataset["size"], serde_json::json!([1, 2, 3]));
    assert_eq!(
        dataset["dimension"]["time"]["category"]["index"],
        serde_json::json!(["2010", "2016", "2022"])
    );
    assert_eq!(
        dataset["dimension"]["country"]["category"]["label"]["SE"],
        "Sverige"
    );
    // NO 2010, NO 2016, NO 2022 (missing), SE 2010, SE 2016 (missing), SE 2022.
    assert_eq!(
        dataset["value"],
        serde_json::json!([6.0, 180.0, null, null, null, 793.0])
    );
    assert_eq!(dataset["status"], serde_json::json!({ "5": "ud" }));
    assert_eq!(dataset["updated"], "2026-11-27");
    assert_eq!(dataset["role"]["geo"], serde_json::json!(["country"]));
    assert_eq!(
        dataset["extension"]["indikator"]["flags"]["u"],
        "low reliability"
    );
}

#[test]
fn sdmx_csv_export() {
    let data = data();
    let selection = View::new("innovation-procedure-share")
        .select(&data)
        .expect("a view");
    let mut out = Vec::new();
    write_sdmx_csv(&selection, &mut out).expect("writes");
    assert_snapshot!(String::from_utf8_lossy(&out), @r#"
    DATAFLOW,FREQ,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,OBS_FLAG,UNIT_MEASURE,OBS_COMMENT
    INDIKATOR:INNOVATION_PROCEDURE_SHARE(1.0),A,innovation-procedure-share,NO,2018-01-01/P5Y,0.43,,percent,Innovation partnership and competitive dialogue as a share of all notices on Doffin over 2018–2022
    INDIKATOR:INNOVATION_PROCEDURE_SHARE(1.0),A,innovation-procedure-share,SE,2018,0.2,,percent,"34 procurements with competitive dialogue and 2 with innovation partnership, as a share of all advertised procurements"
    INDIKATOR:INNOVATION_PROCEDURE_SHARE(1.0),A,innovation-procedure-share,SE,2021,0.059717698154180245,,percent,11 of the 18 420 procurements advertised in 2021 used competitive dialogue and none innovation partnership: indikator's recount of the agency's database (national-innovation-procedure-notices over national-notices)
    "#);
}

#[test]
fn sdmx_csv_neutralises_formulas_in_text_cells() {
    use indikator_ingest::SourceFile;
    let sidecar = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/innovation-procurements.toml"
    ))
    .expect("shipped")
    // Alone here, it has no denominator or like-for-like indicator to name.
    .replace("denominators = [\"advertised-procurements\"]", "")
    .replace("like_for_like = \"innovation-procedure-share\"", "");
    let csv =
        "country,period,value,flag,source,note\nNO,2010,6,,soi-2018,=HYPERLINK(\"http://evil\")\n";
    let data = Dataset::from_files(
        "data",
        vec![
            SourceFile {
                path: "data/innovation-procurements.csv".into(),
                bytes: csv.into(),
            },
            SourceFile {
                path: "data/innovation-procurements.toml".into(),
                bytes: sidecar.into_bytes(),
            },
        ],
    )
    .expect("valid");
    let selection = View::new("innovation-procurements")
        .select(&data)
        .expect("a view");
    let mut out = Vec::new();
    write_sdmx_csv(&selection, &mut out).expect("writes");
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.ends_with(",6,,count,\"'=HYPERLINK(\"\"http://evil\"\")\"\n"),
        "{text}"
    );
}

/// A dataset in the shape PxWeb's API returns as JSON-stat 2.0 (region, contents and year
/// dimensions, `role`, units with `base` and `decimals`, sparse `status`). The numbers are made
/// up for this test; they are not statistics.
const PXWEB: &str = r#"{
  "version": "2.0",
  "class": "dataset",
  "label": "Annonserade upphandlingar efter region, tabellinnehåll och år",
  "source": "Testkälla",
  "updated": "2025-05-10T06:00:00Z",
  "id": ["Region", "ContentsCode", "Tid"],
  "size": [2, 2, 3],
  "dimension": {
    "Region": { "label": "region", "category": { "index": { "00": 0, "01": 1 }, "label": { "00": "Riket", "01": "Stockholms län" } } },
    "ContentsCode": {
      "label": "tabellinnehåll",
      "category": {
        "index": { "UH01": 0, "UH02": 1 },
        "label": { "UH01": "Antal annonserade upphandlingar", "UH02": "Andel med innovation" },
        "unit": { "UH01": { "base": "antal", "decimals": 0 }, "UH02": { "base": "procent", "decimals": 1 } }
      }
    },
    "Tid": { "label": "år", "category": { "index": { "2020": 0, "2021": 1, "2022": 2 }, "label": { "2020": "2020", "2021": "2021", "2022": "2022" } } }
  },
  "role": { "time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"] },
  "value": [100, 110, null, 1.5, 2.5, 3.5, 40, 45, 50, 0.5, 0.7, 0.9],
  "status": { "4": "p", "5": ".." }
}"#;

fn options(fixed: &[(&str, &str)]) -> ImportOptions {
    ImportOptions {
        indicator: "test-import".into(),
        fixed: fixed
            .iter()
            .map(|(d, c)| ((*d).into(), (*c).into()))
            .collect(),
        country: Some("SE".into()),
        country_map: vec![("00".into(), "SE".into())],
        unit: None,
        source_url: "https://example.org/api/v2/tables/TEST".into(),
        accessed: "2026-11-27".into(),
    }
}

#[test]
fn import_a_statbank_dataset() {
    let import = import_jsonstat(
        PXWEB,
        &options(&[("Region", "00"), ("ContentsCode", "UH02")]),
    )
    .expect("imports");
    assert_eq!((import.rows, import.missing), (3, 0));
    assert_snapshot!(import.csv, @r"
    country,period,value,flag,source,note
    SE,2020,1.5,,jsonstat,
    SE,2021,2.5,p,jsonstat,
    SE,2022,3.5,,jsonstat,status `..` in the source
    ");
    assert!(
        import.toml.contains("unit = \"percent\"") && import.toml.contains("decimals = 1"),
        "{}",
        import.toml
    );
    assert!(import.toml.contains("published = \"2025-05-10\""));
    assert!(
        import
            .toml
            .contains("(Region = Riket; ContentsCode = Andel med innovation)")
    );

    let counts = import_jsonstat(
        PXWEB,
        &options(&[("Region", "00"), ("ContentsCode", "UH01")]),
    )
    .expect("imports");
    assert_eq!(
        (counts.rows, counts.missing),
        (2, 1),
        "a missing value stays missing"
    );
    assert!(counts.toml.contains("unit = \"count\""));
}

#[test]
fn import_errors_say_what_to_change() {
    let error = |fixed: &[(&str, &str)], tweak: &dyn Fn(&mut ImportOptions)| {
        let mut o = options(fixed);
        tweak(&mut o);
        import_jsonstat(PXWEB, &o)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        error(&[("Region", "00")], &|_| {}),
        "dimension `ContentsCode` has 2 categories (UH01, UH02); choose one with --dimension ContentsCode=CODE"
    );
    assert_eq!(
        error(&[("Region", "99"), ("ContentsCode", "UH01")], &|_| {}),
        "--dimension Region=99: no such category; it has 00, 01"
    );
    assert_eq!(
        error(&[("Kön", "1")], &|_| {}),
        "--dimension Kön: the dataset has no such dimension; it has Region, ContentsCode, Tid"
    );
    assert_eq!(
        error(&[("ContentsCode", "UH01")], &|o| o.country_map.clear()),
        "country category `00` is not an ISO 3166-1 code; map it with --country-map 00=XX"
    );
    assert_eq!(
        error(&[("Region", "00"), ("ContentsCode", "UH01")], &|o| o
            .country =
            None),
        "the dataset has no country dimension (or it is fixed): give the country with --country NO"
    );
    let monthly = PXWEB.replace("\"2020\"", "\"2020M01\"");
    let err = import_jsonstat(
        &monthly,
        &options(&[("Region", "00"), ("ContentsCode", "UH01")]),
    )
    .err()
    .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "time category `2020M01` is not a year or a span of years (2018/2022); only yearly data can be imported"
        )
    );
    let err = import_jsonstat("{\"version\": \"1.0\"}", &options(&[]))
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "not a JSON-stat 2.0 dataset: it needs \"version\": \"2.0\" and \"class\": \"dataset\""
        )
    );
}

#[test]
fn export_then_import_gives_the_values_back() {
    let data = data();
    let selection = View::new("advertised-procurements")
        .countries(["SE"])
        .select(&data)
        .expect("a view");
    let exported = to_jsonstat(&selection, Lang::En, &[]).to_string();
    let mut o = options(&[]);
    o.unit = Some(Unit::Count);
    let import = import_jsonstat(&exported, &o).expect("imports");
    let values: Vec<String> = import
        .csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(3).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        values,
        [
            "SE 2016 18330",
            "SE 2017 18525",
            "SE 2019 18379",
            "SE 2020 17938",
            "SE 2021 18421",
            "SE 2022 17198",
            "SE 2024 17575"
        ]
    );
    let flagged = View::new("innovation-procurements")
        .select(&data)
        .expect("a view");
    let import =
        import_jsonstat(&to_jsonstat(&flagged, Lang::En, &[]).to_string(), &o).expect("imports");
    assert!(
        import.csv.contains("SE,2022,793,ud,jsonstat,"),
        "flags come back as flags: {}",
        import.csv
    );
}

/// A dataset of `dims` (name, categories) with the given `value` JSON, time last.
fn declared(dims: &[(&str, usize)], value: &str) -> String {
    let ids: Vec<String> = dims.iter().map(|(n, _)| format!("\"{n}\"")).collect();
    let sizes: Vec<String> = dims.iter().map(|(_, s)| s.to_string()).collect();
    let dimension: Vec<String> = dims
        .iter()
        .map(|(name, size)| {
            let index: Vec<String> = (0..*size)
                .map(|i| {
                    if *name == "Tid" {
                        format!("\"{}\"", 1900 + i % 201)
                    } else {
                        format!("\"c{i}\"")
                    }
                })
                .collect();
            format!(
                "\"{name}\": {{\"category\": {{\"index\": [{}]}}}}",
                index.join(",")
            )
        })
        .collect();
    format!(
        r#"{{"version": "2.0", "class": "dataset", "id": [{}], "size": [{}], "dimension": {{{}}}, "role": {{"time": ["Tid"]}}, "value": {value}}}"#,
        ids.join(","),
        sizes.join(","),
        dimension.join(",")
    )
}

#[test]
fn declared_cell_counts_are_checked_before_any_work() {
    let options = ImportOptions {
        country: Some("SE".into()),
        country_map: Vec::new(),
        ..options(&[])
    };
    // Before: 10 000³ cells took 8.9 s; six large dimensions overflowed the strides silently
    // and the import took the wrong cells, exit 0.
    let huge = declared(&[("A", 10_000), ("B", 10_000), ("Tid", 10_000)], "{}");
    let started = std::time::Instant::now();
    let err = import_jsonstat(&huge, &options)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "`size` [10000, 10000, 10000] declares more than 10000000 cells; select fewer categories in the statbank before downloading"
        )
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let six: Vec<(&str, usize)> = vec![
        ("A", 2000),
        ("B", 2000),
        ("C", 2000),
        ("D", 2000),
        ("E", 2000),
        ("Tid", 2000),
    ];
    let overflow = declared(&six, "{}");
    let err = import_jsonstat(&overflow, &options)
        .err()
        .map(|e| e.to_string());
    assert!(err.is_some_and(|e| e.contains("declares more than")));
    let wide = declared(&[("A", 500), ("Tid", 2)], "{}");
    let err = import_jsonstat(&wide, &options)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "dimension `A` has 500 categories (c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, … and 488 more); choose one with --dimension A=CODE"
        ),
        "a message names a few categories, not all"
    );
    let short = declared(&[("Tid", 3)], "[1, 2]");
    let err = import_jsonstat(&short, &options)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("`value` has 2 entries but `size` declares 3 cells")
    );
}

#[test]
fn a_sparse_dataset_imports_the_cells_it_has() {
    // 2 × 201 cells declared, three present, out of key order: 2010 and 2012 for the chosen
    // category c1, and one for c0 that is not chosen.
    let sparse = declared(
        &[("A", 2), ("Tid", 201)],
        r#"{"313": 12, "5": 99, "311": 10.5}"#,
    );
    let options = ImportOptions {
        country: Some("SE".into()),
        country_map: Vec::new(),
        ..options(&[("A", "c1")])
    };
    let import = import_jsonstat(&sparse, &options).expect("imports");
    assert_eq!((import.rows, import.missing), (2, 199));
    assert!(
        import
            .csv
            .contains("SE,2010,10.5,,jsonstat,\nSE,2012,12,,jsonstat,\n"),
        "{}",
        import.csv
    );
}

#[test]
fn texts_longer_than_a_sidecar_allows_are_shortened_not_refused() {
    let label = "Andel ".repeat(60);
    let source = "Statistikmyndigheten ".repeat(30);
    let json = PXWEB
        .replacen("\"label\": \"", &format!("\"label\": \"{label}"), 1)
        .replacen("\"source\": \"", &format!("\"source\": \"{source}"), 1);
    let import = import_jsonstat(
        &json,
        &options(&[("Region", "00"), ("ContentsCode", "UH02")]),
    )
    .expect("imports, with the texts shortened");
    let producer = import
        .toml
        .lines()
        .find_map(|l| l.strip_prefix("producer = \""))
        .expect("a producer");
    assert_eq!(
        producer.trim_end_matches('"').chars().count(),
        limits::PRODUCER
    );
    assert!(producer.starts_with("Statistikmyndigheten Statistikmyndigheten"));
    assert!(producer.ends_with("…\""), "{producer}");
    let title = import
        .toml
        .lines()
        .skip_while(|l| *l != "[title]")
        .find_map(|l| l.strip_prefix("en = \""))
        .expect("a title");
    assert_eq!(title.trim_end_matches('"').chars().count(), limits::TITLE);
}
