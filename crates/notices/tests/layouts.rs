//! The national layouts and eForms, on fixtures written here in each source's shape (xlsx
//! with `rust_xlsxwriter`, Windows-1252 CSV, eForms XML in a folder and in a `.tar.gz`):
//! what is counted under each definition, what is left out and where, and the counts of
//! generated inputs against a plain reading of the same files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use indikator_notices::{
    Generated, Kind, Options, Recount, Rules, generate_into, prefix_for, recount, write_datasets,
};

type Table = BTreeMap<String, [u64; 4]>;

/// Counts as `CC YEAR` → [all, innovation procedure, R&D, innovation flag].
fn counts(result: &Recount) -> Table {
    result
        .counts
        .iter()
        .map(|((country, year), (c, _))| (format!("{country} {year}"), c.by_definition))
        .collect()
}

fn bad_rows(result: &Recount) -> Vec<String> {
    result
        .bad_rows
        .iter()
        .map(|b| format!("{}: {}", b.location(), b.problem))
        .collect()
}

/// Asserts a recount's counts and its bad rows.
#[track_caller]
fn assert_recount(result: &Recount, expected: &[(&str, [u64; 4])], bad: &[&str]) {
    let expected: Table = expected
        .iter()
        .map(|(k, c)| ((*k).to_owned(), *c))
        .collect();
    assert_eq!(counts(result), expected);
    assert_eq!(bad_rows(result), bad);
}

fn run(inputs: &[PathBuf], kind: Kind) -> Recount {
    let options = Options {
        kind,
        ..Options::default()
    };
    match recount(inputs, &options, &|_| {}) {
        Ok(result) => result,
        Err(e) => panic!("recount: {e}"),
    }
}

const UHM_HEADER: [&str; 6] = [
    "År",
    "Upphandlings-ID",
    "Förfarande",
    "Huvudsaklig CPV-kod",
    "Innovationsupphandling",
    "Upphandlingens titel",
];

fn uhm_xlsx(path: &Path, rows: &[[&str; 6]]) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, name) in UHM_HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *name)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, value) in row.iter().enumerate() {
            let c = c as u16;
            match (c, *value) {
                // The year as a spreadsheet number; the cleaned flag as booleans.
                (0, year) if year.parse::<f64>().is_ok() => {
                    sheet.write_number(r, c, year.parse::<f64>().unwrap_or(0.0))?;
                }
                (4, "True") => {
                    sheet.write_boolean(r, c, true)?;
                }
                (4, "False") => {
                    sheet.write_boolean(r, c, false)?;
                }
                (_, "") => {}
                (_, text) => {
                    sheet.write_string(r, c, text)?;
                }
            }
        }
    }
    workbook.save(path)
}

#[test]
fn upphandlingsmyndigheten_xlsx_counts_each_procurement_once_under_each_definition()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("number_of_procurements.xlsx");
    uhm_xlsx(
        &path,
        &[
            [
                "2021",
                "A1",
                "Öppet förfarande",
                "79212000 Revision",
                "",
                "x",
            ],
            [
                "2021",
                "A2",
                "Konkurrenspräglad dialog",
                "73110000 Forskning",
                "True",
                "",
            ],
            // The same procurement twice: once.
            [
                "2021",
                "A2",
                "Konkurrenspräglad dialog",
                "73110000 Forskning",
                "True",
                "",
            ],
            [
                "2021",
                "A3",
                "Innovationspartnerskap",
                "45000000 Bygg",
                "False",
                "",
            ],
            ["2021", "", "Öppet förfarande", "45000000", "", "no id"],
            ["2022", "B1", "", "7311000", "True", "a CPV of 7 digits"],
            ["21", "B2", "", "", "", "a year of 2 digits"],
        ],
    )?;
    let result = run(std::slice::from_ref(&path), Kind::Competition);
    assert_recount(
        &result,
        &[("SE 2021", [3, 2, 1, 1]), ("SE 2022", [1, 0, 0, 1])],
        &[
            "number_of_procurements.xlsx: sheet Sheet1, row 6: no Upphandlings-ID",
            "number_of_procurements.xlsx: sheet Sheet1, row 8: År `21` is not a year",
        ],
    );
    let file = &result.files[0];
    assert_eq!(
        (file.rows, file.counted, file.layout.short()),
        (7, 5, "Upphandlingsmyndigheten xlsx")
    );
    // Every row is a competition: counting results counts none of them.
    let results = run(std::slice::from_ref(&path), Kind::Result);
    assert!(results.counts.is_empty());
    Ok(())
}

#[test]
fn upphandlingsmyndigheten_csv_with_the_agencys_labels() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("export.csv");
    let text = "\u{feff}År;Upphandlings-ID;Förfarande;Huvudsaklig CPV-kod;Innovationsupphandling\n\
                2021;X1;Öppet förfarande;79212000 Revision;Inte innovationsupphandling\n\
                2021;X2;KONKURRENSPRÄGLAD DIALOG;73000000 FoU;Uppgift saknas\n\
                2021;X3;Förenklat förfarande;45000000 Bygg;Innovationsupphandling – nya lösningar\n\
                2021;X4;\"Annat; förfarande\";45000000;\n";
    std::fs::write(&path, text)?;
    let result = run(std::slice::from_ref(&path), Kind::Competition);
    assert_eq!(
        counts(&result),
        Table::from([("SE 2021".into(), [4, 1, 1, 1])])
    );
    assert!(bad_rows(&result).is_empty());
    // A header without the columns says which are missing.
    std::fs::write(&path, "\u{feff}Upphandlings-ID;År\nX;2021\n")?;
    let err = recount(&[path], &Options::default(), &|_| {})
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        err,
        "export.csv: not an Upphandlingsmyndigheten CSV export the count can use; the header lacks Förfarande, Huvudsaklig CPV-kod, Innovationsupphandling"
    );
    Ok(())
}

/// Copies the workbook at `from` to `to`, with `extra` added to its shared strings.
fn with_shared_strings(
    from: &Path,
    to: &Path,
    extra: &[u8],
) -> Result<(), Box<dyn std::error::Error>> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::fs::File::open(from)?)?;
    let mut out = zip::ZipWriter::new(std::fs::File::create(to)?);
    for i in 0..archive.len() {
        let mut part = archive.by_index(i)?;
        let name = part.name()?.into_owned();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes)?;
        if name == "xl/sharedStrings.xml" {
            let end = bytes.len() - b"</sst>".len();
            bytes.splice(end..end, extra.iter().copied());
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())?;
        out.write_all(&bytes)?;
    }
    out.finish()?;
    Ok(())
}

#[test]
fn an_xlsx_that_would_inflate_past_its_bounds_is_refused_before_calamine_reads_it()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let fine = dir.path().join("fine.xlsx");
    uhm_xlsx(
        &fine,
        &[["2021", "A1", "Öppet förfarande", "79212000", "", "x"]],
    )?;
    // One shared string of more than 1 MiB, which the file holds in a few KB: no export
    // has a cell that long (Excel's limit is 32 767 characters).
    let long = dir.path().join("long.xlsx");
    let mut extra = b"<si><t>".to_vec();
    extra.resize(extra.len() + (1 << 20) + 1, b'a');
    extra.extend_from_slice(b"</t></si>");
    with_shared_strings(&fine, &long, &extra)?;
    assert!(std::fs::metadata(&long)?.len() < 64 << 10);
    let err = recount(std::slice::from_ref(&long), &Options::default(), &|_| {})
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        err,
        format!(
            "{}: xl/sharedStrings.xml: a text or tag of more than 1048576 bytes, the longest read: not a spreadsheet this reads; export the table again, or as CSV",
            long.display()
        )
    );
    // The same workbook without it is read.
    let result = run(&[fine], Kind::Competition);
    assert_eq!(
        counts(&result),
        Table::from([("SE 2021".into(), [1, 0, 0, 0])])
    );
    Ok(())
}

/// A Doffin file in Windows-1252, with a header and these rows.
fn doffin_file(path: &Path, rows: &[[&str; 8]]) -> std::io::Result<()> {
    let mut text = String::from(
        "doffin_id;eier_navn;publisering_dato;skjema_nr;skjema_type;cpv_hoved_kode;prosedyre_type;cpv_tillegg_kode\n",
    );
    for row in rows {
        let quoted: Vec<String> = row
            .iter()
            .map(|f| {
                if f.contains([';', '\n', '"']) {
                    format!("\"{}\"", f.replace('"', "\"\""))
                } else {
                    (*f).to_owned()
                }
            })
            .collect();
        text.push_str(&quoted.join(";"));
        text.push('\n');
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    std::fs::write(path, bytes)
}

/// Doffin rows: id, buyer, date, form number, form type, main CPV, procedure, extra CPVs.
#[rustfmt::skip]
const DOFFIN_ROWS: [[&str; 8]; 10] = [
    ["2021-1", "Bærum kommune", "2021-03-01", "2", "Notice", "73110000.0", "Konkurransepreget dialog", "45000000\n71000000"],
    ["2021-2", "Tromsø kommune", "2021-04-01", "5", "Notice", "45000000", "", ""],
    ["2021-3", "Ås kommune", "2021-05-01", "52", "notice", "79000000", "Innovasjonspartnerskap", ""],
    ["2021-4", "Helse Sør-Øst", "2021-06-01", "3", "Award", "73000000", "Åpen anbudskonkurranse", ""],
    ["2021-5", "Helse Sør-Øst", "2021-06-01", "15", "Intention", "45000000", "", ""],
    ["2021-6", "Moss", "2021-06-01", "1", "Notice", "45000000", "", ""],
    // The same notice twice: once.
    ["2022-1", "Moss", "2022-01-03", "21", "Notice", "63120000.0", "", ""],
    ["2022-1", "Moss", "2022-01-03", "21", "Notice", "63120000.0", "", ""],
    ["2022-2", "Moss", "in 2022", "2", "Notice", "", "", ""],
    ["2022-3", "Moss", "2022-02-01", "", "Notice", "", "", ""],
];

#[test]
fn doffin_in_windows_1252_by_dfos_rule_for_competitions() -> Result<(), Box<dyn std::error::Error>>
{
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("doffin_2021.csv");
    doffin_file(&path, &DOFFIN_ROWS)?;
    let competitions = run(std::slice::from_ref(&path), Kind::Competition);
    assert_recount(
        &competitions,
        &[("NO 2021", [3, 2, 1, 0]), ("NO 2022", [1, 0, 0, 0])],
        &[
            "doffin_2021.csv:11: publisering_dato `in 2022` is not a date (YYYY-MM-DD)",
            "doffin_2021.csv:12: skjema_nr `` is not a form number, so the row cannot be told a competition or a result",
        ],
    );
    let results = run(std::slice::from_ref(&path), Kind::Result);
    assert_eq!(
        counts(&results),
        Table::from([("NO 2021".into(), [1, 0, 1, 0])])
    );
    let all = run(std::slice::from_ref(&path), Kind::All);
    assert_eq!(
        counts(&all),
        Table::from([
            ("NO 2021".into(), [6, 2, 2, 0]),
            ("NO 2022".into(), [2, 0, 0, 0]),
        ])
    );
    // Labels as DFØ's file may write them can be added without a rebuild.
    let rules = Rules::from_toml(
        "mine.toml",
        "[doffin]\ninnovation_procedures = [\"Åpen anbudskonkurranse\"]\n",
    )?;
    let options = Options {
        rules,
        kind: Kind::Result,
        table: None,
    };
    let relabelled = recount(std::slice::from_ref(&path), &options, &|_| {})?;
    assert_eq!(
        counts(&relabelled),
        Table::from([("NO 2021".into(), [1, 1, 1, 0])])
    );
    Ok(())
}

/// An eForms notice: id, form type, date, buyers (the first counts) with their countries,
/// procedure, main CPV and each lot's BT-776 code.
fn notice(
    id: &str,
    form: &str,
    date: &str,
    buyers: &[(&str, &str)],
    procedure: &str,
    cpv: &str,
    lots: &[&str],
) -> String {
    let root = if form == "result" {
        "ContractAwardNotice"
    } else {
        "ContractNotice"
    };
    let organizations: String = buyers
        .iter()
        .rev()
        .map(|(org, country)| {
            format!(
                "<efac:Organization><efac:Company><cac:PartyIdentification><cbc:ID schemeName=\"organization\">{org}</cbc:ID></cac:PartyIdentification><cac:PostalAddress><cac:Country><cbc:IdentificationCode listName=\"country\">{country}</cbc:IdentificationCode></cac:Country></cac:PostalAddress></efac:Company></efac:Organization>"
            )
        })
        .collect();
    let parties: String = buyers
        .iter()
        .map(|(org, _)| {
            format!(
                "<cac:ContractingParty><cac:Party><cac:PartyIdentification><cbc:ID schemeName=\"organization\">{org}</cbc:ID></cac:PartyIdentification></cac:Party></cac:ContractingParty>"
            )
        })
        .collect();
    let lots: String = lots
        .iter()
        .enumerate()
        .map(|(i, code)| {
            format!(
                "<cac:ProcurementProjectLot><cbc:ID schemeName=\"Lot\">LOT-{i:04}</cbc:ID><cac:ProcurementProject><cac:ProcurementAdditionalType><cbc:ProcurementTypeCode listName=\"innovative-acquisition\">{code}</cbc:ProcurementTypeCode></cac:ProcurementAdditionalType></cac:ProcurementProject></cac:ProcurementProjectLot>"
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2" xmlns:efac="http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1" xmlns:efext="http://data.europa.eu/p27/eforms-ubl-extensions/1">
<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent><efext:EformsExtension><efac:Organizations>{organizations}</efac:Organizations></efext:EformsExtension></ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>
<cbc:ID schemeName="notice-id">{id}</cbc:ID>
<cbc:IssueDate>{date}</cbc:IssueDate>
<cbc:NoticeTypeCode listName="{form}">{form}-standard</cbc:NoticeTypeCode>
{parties}
<cac:TenderingProcess><cbc:ProcedureCode listName="procurement-procedure-type">{procedure}</cbc:ProcedureCode></cac:TenderingProcess>
<cac:ProcurementProject><cac:MainCommodityClassification><cbc:ItemClassificationCode listName="cpv">{cpv}</cbc:ItemClassificationCode></cac:MainCommodityClassification></cac:ProcurementProject>
{lots}
</{root}>
"#
    )
}

#[test]
fn eforms_folders_and_packages_count_each_notice_once_and_report_broken_documents()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let folder = dir.path().join("notices");
    std::fs::create_dir_all(folder.join("2024"))?;
    let write = |name: &str, text: &str| std::fs::write(folder.join(name), text);
    // Several buyers: the first one's country (alpha-3) counts.
    write(
        "2024/a.xml",
        &notice(
            "n-1",
            "competition",
            "2024-02-01+01:00",
            &[("ORG-1", "NOR"), ("ORG-2", "SWE")],
            "comp-dial",
            "73110000",
            &["none", "mar-nov"],
        ),
    )?;
    let n2 = notice(
        "n-2",
        "competition",
        "2024-03-01Z",
        &[("ORG-7", "SWE")],
        "open",
        "45000000",
        &["none"],
    );
    write("2024/b.xml", &n2)?;
    // The same notice again, in another file: once.
    write("2024/b-copy.xml", &n2)?;
    write(
        "c.xml",
        &notice(
            "n-3",
            "result",
            "2024-05-01",
            &[("ORG-1", "NOR")],
            "innovation",
            "72000000",
            &["rd-act"],
        ),
    )?;
    write(
        "broken.xml",
        "<ContractNotice><cbc:ID>x</cbc:Oops></ContractNotice>",
    )?;
    write(
        "no-country.xml",
        &notice(
            "n-4",
            "competition",
            "2024-05-01",
            &[("ORG-1", "")],
            "open",
            "72000000",
            &[],
        ),
    )?;
    write("readme.txt", "not read")?;
    // A package of two notices and one broken document, read as a stream.
    let package = dir.path().join("daily.tar.gz");
    {
        let gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&package)?,
            flate2::Compression::fast(),
        );
        let mut tar = tar::Builder::new(gz);
        let docs = [
            (
                "p/1.xml",
                notice(
                    "p-1",
                    "competition",
                    "2025-01-02",
                    &[("ORG-1", "NOR")],
                    "innovation",
                    "73000000",
                    &["none"],
                ),
            ),
            ("p/2.xml", "<ContractNotice>cut short".to_owned()),
            (
                "p/3.xml",
                notice(
                    "p-3",
                    "competition",
                    "2025-01-03",
                    &[("ORG-1", "GRC")],
                    "open",
                    "45000000",
                    &[],
                ),
            ),
        ];
        for (name, text) in docs {
            let mut header = tar::Header::new_gnu();
            header.set_size(text.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, name, text.as_bytes())?;
        }
        tar.into_inner()?.finish()?;
    }
    let result = run(&[folder.clone(), package.clone()], Kind::Competition);
    assert_eq!(
        counts(&result),
        Table::from([
            ("GR 2025".into(), [1, 0, 0, 0]),
            ("NO 2024".into(), [1, 1, 1, 1]),
            ("NO 2025".into(), [1, 1, 1, 0]),
            ("SE 2024".into(), [1, 0, 0, 0]),
        ])
    );
    assert_eq!(
        bad_rows(&result),
        [
            "notices: broken.xml: /ContractNotice/ID: not well-formed XML at byte 25: ill-formed document: expected `</cbc:ID>`, but `</cbc:Oops>` was found",
            "notices: no-country.xml: /ContractNotice/…/efac:Organization[cac:PartyIdentification/cbc:ID='ORG-1']/efac:Company/cac:PostalAddress/cac:Country/cbc:IdentificationCode: the country of the buyer ORG-1 is missing",
            "daily.tar.gz: p/2.xml: /ContractNotice: the document ends before this element is closed: it is cut short",
        ]
    );
    assert_eq!((result.files[0].rows, result.files[0].counted), (6, 3));
    assert_eq!((result.files[1].rows, result.files[1].counted), (3, 2));
    let all = run(std::slice::from_ref(&folder), Kind::All);
    assert_eq!(
        counts(&all)["NO 2024"],
        [2, 2, 1, 2],
        "the result notice too"
    );
    // A folder's SHA-256 is that of its files' sha256sum lines, sorted by path.
    let mut lines = String::new();
    for name in [
        "2024/a.xml",
        "2024/b-copy.xml",
        "2024/b.xml",
        "broken.xml",
        "c.xml",
        "no-country.xml",
    ] {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(std::fs::read(folder.join(name))?);
        lines.push_str(&format!("{}  {name}\n", indikator_ingest::hex(&digest)));
    }
    use sha2::Digest;
    assert_eq!(
        result.files[0].sha256,
        indikator_ingest::hex(&sha2::Sha256::digest(lines))
    );
    Ok(())
}

#[test]
fn mixed_inputs_write_one_dataset_per_definition_with_each_rows_source_and_coverage()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let doffin = dir.path().join("doffin.csv");
    doffin_file(
        &doffin,
        &[
            [
                "2021-1",
                "Bærum",
                "2021-03-01",
                "2",
                "Notice",
                "73110000",
                "Konkurransepreget dialog",
                "",
            ],
            [
                "2021-2",
                "Bærum",
                "2021-03-01",
                "2",
                "Notice",
                "45000000",
                "",
                "",
            ],
        ],
    )?;
    let uhm = dir.path().join("uhm.xlsx");
    uhm_xlsx(
        &uhm,
        &[
            [
                "2021",
                "A1",
                "Öppet förfarande",
                "79212000 Revision",
                "True",
                "",
            ],
            [
                "2021",
                "A2",
                "Konkurrenspräglad dialog",
                "73110000 FoU",
                "",
                "",
            ],
        ],
    )?;
    let table = dir.path().join("notices.parquet");
    let options = Options {
        table: Some(table.clone()),
        ..Options::default()
    };
    let result = recount(&[doffin, uhm], &options, &|_| {})?;
    assert_eq!(prefix_for(&result.files), "national");
    let out = dir.path().join("out");
    let written = write_datasets(&result, &out, "national", "2026-11-29")?;
    let ids: Vec<&str> = written.datasets.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "national-notices",
            "national-innovation-procedure-notices",
            "national-rd-notices",
            "national-innovation-flag-notices"
        ]
    );
    let data = indikator_ingest::Dataset::load(&out)?;
    let Some(flagged) = data.indicator("national-innovation-flag-notices") else {
        panic!("the flag dataset");
    };
    // Doffin has no innovation flag: only Sweden's row, not a 0 for Norway.
    assert_eq!(
        (flagged.countries.as_slice(), flagged.rows),
        (&["SE".to_owned()][..], 1)
    );
    let flag_csv = std::fs::read_to_string(out.join("national-innovation-flag-notices.csv"))?;
    assert!(flag_csv.contains("\nSE,2021,1,,input-2,"), "{flag_csv}");
    let csv = std::fs::read_to_string(out.join("national-innovation-procedure-notices.csv"))?;
    assert!(
        csv.contains(
            "NO,2021,1,,input-1,\"From Doffin (DFØ): every notice, above and below the thresholds\""
        ),
        "{csv}"
    );
    assert!(
        csv.contains(
            "SE,2021,1,,input-2,\"From Upphandlingsmyndigheten: every advertised procurement"
        ),
        "{csv}"
    );
    let sidecar = std::fs::read_to_string(out.join("national-notices.toml"))?;
    assert!(
        sidecar.contains("Counted from input doffin.csv (DFØ Doffin CSV layout)"),
        "{sidecar}"
    );
    assert!(
        sidecar.contains("en = \"Notices in national notice data\""),
        "{sidecar}"
    );
    // The notice table: one row per counted notice, readable as Parquet.
    let frame = polars::prelude::ParquetReader::new(std::fs::File::open(&table)?).finish()?;
    use polars::prelude::SerReader;
    assert_eq!(frame.height(), 4);
    assert_eq!(
        frame
            .get_column_names()
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>(),
        indikator_notices::TABLE_COLUMNS
    );
    Ok(())
}

#[test]
fn a_country_whose_years_go_from_ted_csv_to_eforms_gets_a_break()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let ted = dir.path().join("cn.csv");
    std::fs::write(
        &ted,
        "ID_NOTICE_CN,YEAR,CANCELLED,ISO_COUNTRY_CODE,TOP_TYPE,CPV\n1,2022,0,NO,OPE,45000000\n2,2023,0,UK,OPE,45000000\n2,2023,0,GB,OPE,45000000\n",
    )?;
    let eforms = dir.path().join("e.xml");
    std::fs::write(
        &eforms,
        notice(
            "e-1",
            "competition",
            "2024-01-05",
            &[("O", "NOR")],
            "open",
            "45000000",
            &[],
        ),
    )?;
    let result = run(&[ted, eforms], Kind::Competition);
    // UK and GB are one country before counting: notice 2 counts once.
    assert_eq!(counts(&result)["GB 2023"], [1, 0, 0, 0]);
    let out = dir.path().join("out");
    write_datasets(&result, &out, "national", "2026-11-29")?;
    let csv = std::fs::read_to_string(out.join("national-notices.csv"))?;
    let no: Vec<&str> = csv.lines().filter(|l| l.starts_with("NO,")).collect();
    assert_eq!(no.len(), 2, "{csv}");
    assert!(
        no[0].starts_with("NO,2022,1,,input-1,From TED's CSV: notices above the EU thresholds,"),
        "{csv}"
    );
    assert!(
        no[1].starts_with("NO,2024,1,b,input-2,\"First year counted from eForms notices, after years from TED's CSV: eForms counts change notices and corrections as notices of their own. From eForms notices: TED's are above the EU thresholds\","),
        "{csv}"
    );
    Ok(())
}

/// What a plain reading keeps of a row: its `CC YEAR` and the definitions it meets.
type Keep = dyn Fn(&BTreeMap<String, String>) -> Option<(String, [bool; 4])>;

/// Distinct ids per year for rows that pass `keep`, read plainly from a `;` CSV.
fn plain_csv(bytes: &[u8], keep: &Keep) -> Table {
    let mut sets: BTreeMap<String, [BTreeSet<String>; 4]> = BTreeMap::new();
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map(|h| {
            h.iter()
                .map(|s| s.trim_start_matches('\u{feff}').to_owned())
                .collect()
        })
        .unwrap_or_default();
    for record in reader.records().flatten() {
        let row: BTreeMap<String, String> = header
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_owned))
            .collect();
        if let Some((key, meets)) = keep(&row) {
            let id = row
                .get("doffin_id")
                .or(row.get("Upphandlings-ID"))
                .cloned()
                .unwrap_or_default();
            let entry = sets.entry(key).or_default();
            for (i, met) in meets.iter().enumerate() {
                if *met {
                    entry[i].insert(id.clone());
                }
            }
        }
    }
    sets.into_iter()
        .map(|(k, s)| (k, s.map(|set| set.len() as u64)))
        .collect()
}

#[test]
fn generated_inputs_count_as_a_plain_reading_of_them() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    // Upphandlingsmyndigheten's CSV, with the agency's labels.
    let uhm = dir.path().join("uhm.csv");
    generate_into(Generated::UhmCsv, 3000, 5, &uhm)?;
    let expected = plain_csv(&std::fs::read(&uhm)?, &|row| {
        let procedure = row["Förfarande"].as_str();
        Some((
            format!("SE {}", row["År"]),
            [
                true,
                matches!(
                    procedure,
                    "Konkurrenspräglad dialog" | "Innovationspartnerskap"
                ),
                row["Huvudsaklig CPV-kod"].starts_with("73"),
                !matches!(
                    row["Innovationsupphandling"].as_str(),
                    "Inte innovationsupphandling" | "Uppgift saknas" | ""
                ),
            ],
        ))
    });
    assert_eq!(
        counts(&run(std::slice::from_ref(&uhm), Kind::Competition)),
        expected
    );
    assert!(
        expected.values().any(|c| c[1] > 0 && c[2] > 0 && c[3] > 0),
        "{expected:?}"
    );

    // Doffin, in Windows-1252, competitions by DFØ's rule.
    let doffin = dir.path().join("doffin.csv");
    generate_into(Generated::Doffin, 3000, 6, &doffin)?;
    let bytes = std::fs::read(&doffin)?;
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "Windows-1252, not UTF-8"
    );
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    let expected = plain_csv(text.as_bytes(), &|row| {
        let form: u32 = row["skjema_nr"].parse().ok()?;
        let competition =
            row["skjema_type"] == "Notice" && [2, 5, 12, 17, 21, 22, 23, 24, 52].contains(&form);
        competition.then(|| {
            (
                format!("NO {}", &row["publisering_dato"][..4]),
                [
                    true,
                    matches!(
                        row["prosedyre_type"].as_str(),
                        "Konkurransepreget dialog" | "Innovasjonspartnerskap"
                    ),
                    row["cpv_hoved_kode"].starts_with("73"),
                    false,
                ],
            )
        })
    });
    assert_eq!(
        counts(&run(std::slice::from_ref(&doffin), Kind::Competition)),
        expected
    );

    // eForms, as a package: each notice's fields found by plain string search.
    let package = dir.path().join("eforms.tar.gz");
    generate_into(Generated::Eforms, 400, 7, &package)?;
    let folder = dir.path().join("eforms");
    generate_into(Generated::Eforms, 400, 7, &folder)?;
    let between = |text: &str, start: &str, end: &str| -> String {
        text.split_once(start)
            .and_then(|(_, rest)| rest.split_once(end))
            .map(|(value, _)| value.to_owned())
            .unwrap_or_default()
    };
    let mut sets: BTreeMap<String, [BTreeSet<String>; 4]> = BTreeMap::new();
    let mut files: Vec<PathBuf> = Vec::new();
    for sub in std::fs::read_dir(&folder)? {
        for file in std::fs::read_dir(sub?.path())? {
            files.push(file?.path());
        }
    }
    assert_eq!(files.len(), 400);
    for file in files {
        let text = std::fs::read_to_string(file)?;
        if !text.contains("<cbc:NoticeTypeCode listName=\"competition\">") {
            continue;
        }
        let id = between(&text, "schemeName=\"notice-id\">", "<");
        let year = between(&text, "<cbc:IssueDate>", "-");
        let buyer = between(
            &text,
            "<cac:Party>\n\t\t\t<cac:PartyIdentification>\n\t\t\t\t<cbc:ID schemeName=\"organization\">",
            "<",
        );
        let org = between(&text, &format!(">{buyer}</cbc:ID>"), "</efac:Company>");
        let country = between(&org, "<cbc:IdentificationCode listName=\"country\">", "<");
        let alpha2 = indikator_ingest::alpha2_of_alpha3(&country).unwrap_or("??");
        let procedure = between(
            &text,
            "<cbc:ProcedureCode listName=\"procurement-procedure-type\">",
            "<",
        );
        let cpv = between(
            &between(
                &text,
                "<cac:ProcurementProject>",
                "</cac:ProcurementProject>",
            ),
            "listName=\"cpv\">",
            "<",
        );
        let flagged = ["mar-nov", "proc-innov", "prod-innov", "rd-act"]
            .iter()
            .any(|c| text.contains(&format!("\"innovative-acquisition\">{c}<")));
        let entry = sets.entry(format!("{alpha2} {year}")).or_default();
        let meets = [
            true,
            procedure == "comp-dial" || procedure == "innovation",
            cpv.starts_with("73"),
            flagged,
        ];
        for (i, met) in meets.iter().enumerate() {
            if *met {
                entry[i].insert(id.clone());
            }
        }
    }
    let expected: Table = sets
        .into_iter()
        .map(|(k, s)| (k, s.map(|set| set.len() as u64)))
        .collect();
    assert_eq!(
        counts(&run(std::slice::from_ref(&package), Kind::Competition)),
        expected
    );
    assert_eq!(
        counts(&run(std::slice::from_ref(&folder), Kind::Competition)),
        expected
    );
    assert!(expected.values().any(|c| c[1] > 0), "{expected:?}");
    assert!(expected.values().any(|c| c[3] > 0), "{expected:?}");

    // Upphandlingsmyndigheten's xlsx, read back with calamine's whole-sheet reader.
    let xlsx = dir.path().join("uhm.xlsx");
    generate_into(Generated::UhmXlsx, 2000, 8, &xlsx)?;
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&xlsx)?;
    let range = workbook.worksheet_range("Sheet1")?;
    let mut sets: BTreeMap<String, [BTreeSet<String>; 4]> = BTreeMap::new();
    for row in range.rows().skip(1) {
        let text = |i: usize| row.get(i).map(|c| c.to_string()).unwrap_or_default();
        let entry = sets.entry(format!("SE {}", text(1))).or_default();
        let procedure = text(5);
        let meets = [
            true,
            procedure == "Konkurrenspräglad dialog" || procedure == "Innovationspartnerskap",
            text(6).starts_with("73"),
            text(7) == "true",
        ];
        for (i, met) in meets.iter().enumerate() {
            if *met {
                entry[i].insert(text(0));
            }
        }
    }
    let expected: Table = sets
        .into_iter()
        .map(|(k, s)| (k, s.map(|set| set.len() as u64)))
        .collect();
    assert_eq!(
        counts(&run(std::slice::from_ref(&xlsx), Kind::Competition)),
        expected
    );
    Ok(())
}
