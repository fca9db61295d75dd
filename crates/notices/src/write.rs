//! Writing a recount as datasets in the project's format: per definition, `<id>.csv` and a
//! sidecar that states the definition, the counting rules and the input files.

use std::path::{Path, PathBuf};

use indikator_ingest::{
    Flags, IndicatorFiles, Metadata, Note, Observation, Period, Source, SourceKind, Text, Unit,
    write_dataset,
};

use crate::NoticesError;
use crate::definitions::DEFINITIONS;
use crate::recount::Recount;

/// The TED CSV open-data dataset, as its codebook asks to be cited.
const TED_PRODUCER: &str =
    "European Commission, DG Internal Market, Industry, Entrepreneurship and SMEs";
const TED_TITLE: &str = "TED csv dataset, Tenders Electronic Daily, supplement to the Official Journal of the European Union";
const TED_URL: &str = "https://data.europa.eu/euodp/en/data/dataset/ted-csv";

fn text(texts: [String; 3]) -> Text {
    let [en, sv, nb] = texts;
    Text {
        en,
        sv: Some(sv),
        nb: Some(nb),
    }
}

const COUNTING: [&str; 3] = [
    "Counted by indikator from TED's CSV open data: distinct notice ids (ID_NOTICE_CN, ID_NOTICE_CAN) per buyer country (ISO_COUNTRY_CODE; TED's UK and EL read as GB and GR) and year of publication (YEAR). Rows are lots or awards, so each notice counts once. Cancelled notices (CANCELLED = 1) and rows with the wrong number of fields or an unreadable year are left out.",
    "Räknat av indikator ur TED:s öppna CSV-data: unika annons-id (ID_NOTICE_CN, ID_NOTICE_CAN) per köparens land (ISO_COUNTRY_CODE; TED:s UK och EL läses som GB och GR) och publiceringsår (YEAR). Raderna är delkontrakt eller tilldelningar, så varje annons räknas en gång. Återkallade annonser (CANCELLED = 1) och rader med fel antal fält eller oläsligt år räknas inte.",
    "Telt av indikator fra TEDs åpne CSV-data: unike kunngjørings-id (ID_NOTICE_CN, ID_NOTICE_CAN) per oppdragsgivers land (ISO_COUNTRY_CODE; TEDs UK og EL leses som GB og GR) og publiseringsår (YEAR). Radene er delkontrakter eller tildelinger, så hver kunngjøring telles én gang. Avlyste kunngjøringer (CANCELLED = 1) og rader med feil antall felt eller uleselig år er holdt utenfor.",
];

const COVERAGE: [&str; 3] = [
    "TED carries the notices above the EU thresholds (and some below), so these counts are not all of a country's procurements and are not comparable with national totals such as Doffin's or Sweden's official statistics. Counted from the input files listed as sources: if they are a sample, so are the counts.",
    "TED innehåller annonserna över EU:s tröskelvärden (och några under), så siffrorna omfattar inte alla ett lands upphandlingar och kan inte jämföras med nationella totaler som Doffins eller den svenska officiella statistiken. Räknat ur indatafilerna som anges som källor: är de ett urval, är siffrorna det också.",
    "TED har kunngjøringene over EØS-terskelverdiene (og noen under), så tallene omfatter ikke alle et lands anskaffelser og kan ikke sammenlignes med nasjonale totaler som Doffins eller den svenske offisielle statistikken. Telt fra inndatafilene som er oppgitt som kilder: er de et utvalg, er tallene det også.",
];

/// Writes one dataset per definition into `out` (created if need be), checks that they load
/// as a dataset, and returns the paths written. `accessed` is today's date.
pub fn write_datasets(
    recount: &Recount,
    out: &Path,
    accessed: &str,
) -> Result<Vec<PathBuf>, NoticesError> {
    if recount.counts.is_empty() {
        return Err(NoticesError::NothingCounted {
            rows: recount.files.iter().map(|f| f.rows).sum(),
            bad: recount.bad_total,
        });
    }
    let mut countries: Vec<String> = recount.counts.keys().map(|(c, _)| c.clone()).collect();
    countries.dedup();
    let source = |id: String, title: String| Source {
        id,
        producer: TED_PRODUCER.into(),
        title,
        url: TED_URL.into(),
        published: "n.d.".into(),
        accessed: accessed.into(),
        kind: SourceKind::Primary,
        licence: None,
    };
    let mut sources = vec![source("ted-csv".into(), TED_TITLE.into())];
    for (i, file) in recount.files.iter().enumerate() {
        let title = format!(
            "Input file {} ({} layout): {} bytes, {} rows, SHA-256 {}",
            file.name,
            file.layout.short(),
            file.bytes,
            file.rows,
            file.sha256
        );
        sources.push(source(format!("input-{}", i + 1), title));
    }

    let mut indicators = Vec::new();
    for (index, definition) in DEFINITIONS.iter().enumerate() {
        let rows: Vec<Observation> = recount
            .counts
            .iter()
            .map(|((country, year), counts)| Observation {
                country: country.clone(),
                period: Period::year(*year),
                value: Some(counts.by_definition[index] as f64),
                flags: Flags::default(),
                source: "ted-csv".into(),
                note: String::new(),
                note_sv: String::new(),
                note_nb: String::new(),
            })
            .collect();
        let meta = Metadata {
            id: definition.id.into(),
            title: text(definition.title.map(str::to_owned)),
            description: text([0, 1, 2].map(|l| format!("{} {}", definition.text[l], COUNTING[l]))),
            unit: Unit::Count,
            decimals: 0,
            sources: sources.clone(),
            notes: vec![
                Note {
                    countries: countries.clone(),
                    text: text(definition.text.map(str::to_owned)),
                },
                Note {
                    countries: countries.clone(),
                    text: text(COVERAGE.map(str::to_owned)),
                },
            ],
            annotations: Vec::new(),
            denominators: Vec::new(),
            default_countries: Vec::new(),
            like_for_like: None,
        };
        indicators.push(IndicatorFiles::new(&meta, &rows)?);
    }
    // Checked before anything is written, so a failure leaves nothing half-written.
    let paths = write_dataset(out, &indicators)?;
    Ok(paths)
}
