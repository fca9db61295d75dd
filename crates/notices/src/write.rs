//! Writing a recount as datasets in the project's format: per definition that the inputs'
//! layouts give, `<prefix>-<stem>.csv` and a sidecar that states the definition, the counting
//! rules, each source's coverage and the inputs (name, size, SHA-256). Each row cites the
//! inputs it was counted from; where the countries' sources differ in coverage, each row says
//! which source it comes from; a country's first eForms year after TED CSV years is a break.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use indikator_ingest::{
    Flags, IndicatorFiles, Metadata, Note, Observation, Period, Source, SourceKind, Text, Unit,
    write_dataset,
};

use crate::NoticesError;
use crate::definitions::{DEFINITIONS, Kind};
use crate::layout::Family;
use crate::recount::{InputFile, Recount};

/// What one source family is, in words, for citations and notes.
struct About {
    producer: &'static str,
    title: &'static str,
    url: &'static str,
    /// "Notices ___": where they are, in en, sv, nb.
    place: [&'static str; 3],
    /// How the count reads it.
    counting: [&'static str; 3],
    /// What it covers.
    coverage: [&'static str; 3],
    /// A row's note where sources differ: where the row comes from and what that covers.
    row: [&'static str; 3],
}

fn about(family: Family) -> About {
    match family {
        Family::Ted => About {
            producer: "European Commission, DG Internal Market, Industry, Entrepreneurship and SMEs",
            title: "TED csv dataset, Tenders Electronic Daily, supplement to the Official Journal of the European Union",
            url: "https://data.europa.eu/euodp/en/data/dataset/ted-csv",
            place: [" on TED", " på TED", " på TED"],
            counting: [
                "From TED's CSV open data: distinct notice ids (ID_NOTICE_CN, ID_NOTICE_CAN) per buyer country (ISO_COUNTRY_CODE; TED's UK and EL read as GB and GR before counting) and year of publication (YEAR). Rows are lots or awards, so each notice counts once. Cancelled notices (CANCELLED = 1) are left out; rows with the wrong number of fields, an unreadable year, no id or no country are reported and left out.",
                "Ur TED:s öppna CSV-data: unika annons-id (ID_NOTICE_CN, ID_NOTICE_CAN) per köparens land (ISO_COUNTRY_CODE; TED:s UK och EL läses som GB och GR före räkningen) och publiceringsår (YEAR). Raderna är delkontrakt eller tilldelningar, så varje annons räknas en gång. Återkallade annonser (CANCELLED = 1) räknas inte; rader med fel antal fält, oläsligt år, utan id eller utan land redovisas och räknas inte.",
                "Fra TEDs åpne CSV-data: unike kunngjørings-id (ID_NOTICE_CN, ID_NOTICE_CAN) per oppdragsgivers land (ISO_COUNTRY_CODE; TEDs UK og EL leses som GB og GR før tellingen) og publiseringsår (YEAR). Radene er delkontrakter eller tildelinger, så hver kunngjøring telles én gang. Avlyste kunngjøringer (CANCELLED = 1) telles ikke; rader med feil antall felt, uleselig år, uten id eller uten land rapporteres og telles ikke.",
            ],
            coverage: [
                "TED carries the notices above the EU thresholds (and some below), so these counts are not all of a country's procurements and are not comparable with national totals such as Doffin's or Sweden's official statistics. Counted from the input files listed as sources: if they are a sample, so are the counts.",
                "TED innehåller annonserna över EU:s tröskelvärden (och några under), så siffrorna omfattar inte alla ett lands upphandlingar och kan inte jämföras med nationella totaler som Doffins eller den svenska officiella statistiken. Räknat ur indatafilerna som anges som källor: är de ett urval, är siffrorna det också.",
                "TED har kunngjøringene over EØS-terskelverdiene (og noen under), så tallene omfatter ikke alle et lands anskaffelser og kan ikke sammenlignes med nasjonale totaler som Doffins eller den svenske offisielle statistikken. Telt fra inndatafilene som er oppgitt som kilder: er de et utvalg, er tallene det også.",
            ],
            row: [
                "From TED's CSV: notices above the EU thresholds",
                "Ur TED:s CSV: annonser över EU:s tröskelvärden",
                "Fra TEDs CSV: kunngjøringer over EØS-terskelverdiene",
            ],
        },
        Family::Uhm => About {
            producer: "Upphandlingsmyndigheten",
            title: "Statistikdatabasen: annonserade upphandlingar (statistics database: advertised procurements)",
            url: "https://www.upphandlingsmyndigheten.se/statistik/statistikdatabasen/",
            place: [
                " in Upphandlingsmyndigheten's statistics database",
                " i Upphandlingsmyndighetens statistikdatabas",
                " i Upphandlingsmyndighetens statistikkdatabase",
            ],
            counting: [
                "From Upphandlingsmyndigheten's statistics database: distinct procurements (Upphandlings-ID) per year (År), all in Sweden; procedure from Förfarande, main CPV code from Huvudsaklig CPV-kod, innovation flag from Innovationsupphandling. Rows without an id or a year are reported and left out.",
                "Ur Upphandlingsmyndighetens statistikdatabas: unika upphandlingar (Upphandlings-ID) per år (År), alla i Sverige; förfarande ur Förfarande, huvudsaklig CPV-kod ur Huvudsaklig CPV-kod, innovationsmarkering ur Innovationsupphandling. Rader utan id eller år redovisas och räknas inte.",
                "Fra Upphandlingsmyndighetens statistikkdatabase: unike anskaffelser (Upphandlings-ID) per år (År), alle i Sverige; prosedyre fra Förfarande, hoved-CPV-kode fra Huvudsaklig CPV-kod, innovasjonsmerking fra Innovationsupphandling. Rader uten id eller år rapporteres og telles ikke.",
            ],
            coverage: [
                "Every advertised procurement in Sweden, above and below the EU thresholds: one row per procurement, not per notice.",
                "Alla annonserade upphandlingar i Sverige, över och under EU:s tröskelvärden: en rad per upphandling, inte per annons.",
                "Alle kunngjorte anskaffelser i Sverige, over og under EØS-terskelverdiene: én rad per anskaffelse, ikke per kunngjøring.",
            ],
            row: [
                "From Upphandlingsmyndigheten: every advertised procurement, above and below the EU thresholds",
                "Ur Upphandlingsmyndigheten: alla annonserade upphandlingar, över och under EU:s tröskelvärden",
                "Fra Upphandlingsmyndigheten: alle kunngjorte anskaffelser, over og under EØS-terskelverdiene",
            ],
        },
        Family::Doffin => About {
            producer: "Direktoratet for forvaltning og økonomistyring (DFØ)",
            title: "Kunngjøringer av konkurranse på Doffin (Doffin notice dataset)",
            url: "https://dfo.no/nokkeltall-og-statistikk/innkjop-i-offentlig-sektor/kunngjoringer-av-konkurranse-pa-doffin",
            place: [" on Doffin", " på Doffin", " på Doffin"],
            counting: [
                "From DFØ's Doffin dataset: distinct notices (doffin_id) per year of publication (publisering_dato), all in Norway; competitions and results by DFØ's own rule on skjema_type and skjema_nr; procedure from prosedyre_type, main CPV code from cpv_hoved_kode.",
                "Ur DFØ:s Doffin-data: unika annonser (doffin_id) per publiceringsår (publisering_dato), alla i Norge; konkurrenser och tilldelningar enligt DFØ:s egen regel för skjema_type och skjema_nr; förfarande ur prosedyre_type, huvudsaklig CPV-kod ur cpv_hoved_kode.",
                "Fra DFØs Doffin-data: unike kunngjøringer (doffin_id) per publiseringsår (publisering_dato), alle i Norge; konkurranser og tildelinger etter DFØs egen regel for skjema_type og skjema_nr; prosedyre fra prosedyre_type, hoved-CPV-kode fra cpv_hoved_kode.",
            ],
            coverage: [
                "Every notice on Doffin, Norway's notice database, national and EEA, above and below the thresholds: one row per notice.",
                "Alla annonser på Doffin, Norges annonsdatabas, nationella och EES, över och under tröskelvärdena: en rad per annons.",
                "Alle kunngjøringer på Doffin, nasjonale og EØS, over og under terskelverdiene: én rad per kunngjøring.",
            ],
            row: [
                "From Doffin (DFØ): every notice, above and below the thresholds",
                "Ur Doffin (DFØ): alla annonser, över och under tröskelvärdena",
                "Fra Doffin (DFØ): alle kunngjøringer, over og under terskelverdiene",
            ],
        },
        Family::Eforms => About {
            producer: "Publications Office of the European Union",
            title: "eForms notices, Tenders Electronic Daily (TED)",
            url: "https://ted.europa.eu",
            place: [
                " in eForms notices",
                " i eForms-annonser",
                " i eForms-kunngjøringer",
            ],
            counting: [
                "From eForms XML notices: distinct notice identifiers (BT-701) per buyer country (the first buyer's organisation address, alpha-3 read as alpha-2) and year of dispatch (BT-05); form type BT-03, procedure BT-105, main CPV BT-262, innovation flag BT-776 on any lot. Documents that are not procurement notices, are not well-formed or lack one of these fields are reported and left out; a notice of a kind not counted is left out once its form type is read, and is not read or checked further.",
                "Ur eForms-annonser i XML: unika annonsidentifierare (BT-701) per köparens land (den första köparens organisationsadress, alfa-3 läst som alfa-2) och avsändningsår (BT-05); formulärtyp BT-03, förfarande BT-105, huvudsaklig CPV BT-262, innovationsmarkering BT-776 på något delkontrakt. Dokument som inte är upphandlingsannonser, inte är välformade eller saknar något av fälten redovisas och räknas inte.",
                "Fra eForms-kunngjøringer i XML: unike kunngjøringsidentifikatorer (BT-701) per oppdragsgivers land (den første oppdragsgiverens organisasjonsadresse, alfa-3 lest som alfa-2) og avsendelsesår (BT-05); skjematype BT-03, prosedyre BT-105, hoved-CPV BT-262, innovasjonsmerking BT-776 på en delkontrakt. Dokumenter som ikke er anskaffelseskunngjøringer, ikke er velformede eller mangler et av feltene rapporteres og telles ikke.",
            ],
            coverage: [
                "eForms notices as given: TED's carry the notices above the EU thresholds (and some below); from 2023/24 eForms counts change notices and corrections as notices of their own.",
                "eForms-annonser som de ges: TED:s innehåller annonserna över EU:s tröskelvärden (och några under); från 2023/24 räknar eForms ändringsannonser och rättelser som egna annonser.",
                "eForms-kunngjøringer slik de gis: TEDs har kunngjøringene over EØS-terskelverdiene (og noen under); fra 2023/24 teller eForms endringskunngjøringer og rettelser som egne kunngjøringer.",
            ],
            row: [
                "From eForms notices: TED's are above the EU thresholds",
                "Ur eForms-annonser: TED:s är över EU:s tröskelvärden",
                "Fra eForms-kunngjøringer: TEDs er over EØS-terskelverdiene",
            ],
        },
    }
}

const KINDS: [[&str; 3]; 3] = [
    [
        "Counted: calls for competition (--kind competition).",
        "Räknat: annonser om konkurrens (--kind competition).",
        "Telt: kunngjøringer av konkurranse (--kind competition).",
    ],
    [
        "Counted: results, award notices (--kind result).",
        "Räknat: tilldelningsannonser (--kind result).",
        "Telt: tildelingskunngjøringer (--kind result).",
    ],
    [
        "Counted: notices of every kind (--kind all).",
        "Räknat: annonser av alla slag (--kind all).",
        "Telt: kunngjøringer av alle typer (--kind all).",
    ],
];

const BREAK: [&str; 3] = [
    "First year counted from eForms notices, after years from TED's CSV: eForms counts change notices and corrections as notices of their own",
    "Första året räknat ur eForms-annonser, efter år ur TED:s CSV: eForms räknar ändringsannonser och rättelser som egna annonser",
    "Første år telt fra eForms-kunngjøringer, etter år fra TEDs CSV: eForms teller endringskunngjøringer og rettelser som egne kunngjøringer",
];

fn text([en, sv, nb]: [String; 3]) -> Text {
    Text {
        en,
        sv: Some(sv),
        nb: Some(nb),
    }
}

fn texts(words: [&str; 3]) -> Text {
    text(words.map(str::to_owned))
}

/// The prefix of the dataset ids for these inputs: `ted` for TED CSV only, `eforms` for
/// eForms only, `national` otherwise.
pub fn prefix_for(files: &[InputFile]) -> &'static str {
    let families: BTreeSet<Family> = files.iter().map(|f| f.layout.family()).collect();
    match families.iter().collect::<Vec<_>>().as_slice() {
        [Family::Ted] => "ted",
        [Family::Eforms] => "eforms",
        _ => "national",
    }
}

/// One dataset written.
#[derive(Debug, Clone)]
pub struct WrittenDataset {
    /// Its id.
    pub id: String,
    /// Its country-years.
    pub rows: usize,
    /// The notices they count, summed.
    pub notices: u64,
}

/// What was written, and the rows left out because their sources do not all give the
/// definition.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// The files written.
    pub paths: Vec<PathBuf>,
    /// Each dataset written.
    pub datasets: Vec<WrittenDataset>,
    /// Datasets not written, and rows left out, with why.
    pub left_out: Vec<String>,
}

/// Writes one dataset per definition the inputs give into `out` (created if need be), with
/// ids `<prefix>-<stem>`; checks that they load as a dataset. `accessed` is today's date.
pub fn write_datasets(
    recount: &Recount,
    out: &Path,
    prefix: &str,
    accessed: &str,
) -> Result<Written, NoticesError> {
    if recount.counts.is_empty() {
        return Err(NoticesError::NothingCounted {
            rows: recount.files.iter().map(|f| f.rows).sum(),
            bad: recount.bad_total,
        });
    }
    let families: BTreeSet<Family> = recount.files.iter().map(|f| f.layout.family()).collect();
    let mixed = families.len() > 1;
    let place = match families.iter().collect::<Vec<_>>().as_slice() {
        [one] => about(**one).place,
        _ => [
            " in national notice data",
            " i nationella annonsdata",
            " i nasjonale kunngjøringsdata",
        ],
    };
    let sources = Sources::new(&recount.files, accessed);
    // What holds for every definition: each input's family, the countries each family's
    // inputs have, the breaks, the changed table and the kind counted.
    let family_of = |input: &u16| recount.files[usize::from(*input)].layout.family();
    // Per country, the first year with eForms input after a year with TED CSV input.
    let mut breaks: BTreeMap<&str, i32> = BTreeMap::new();
    let mut ted_seen: BTreeSet<&str> = BTreeSet::new();
    for ((country, year), (_, inputs)) in &recount.counts {
        let has = |family| inputs.iter().any(|i| family_of(i) == family);
        if has(Family::Ted) {
            ted_seen.insert(country);
        } else if has(Family::Eforms) && ted_seen.contains(country.as_str()) {
            breaks.entry(country).or_insert(*year);
        }
    }
    let coverage_notes: Vec<Note> = families
        .iter()
        .map(|family| {
            let mut countries: Vec<String> = recount
                .counts
                .iter()
                .filter(|(_, (_, inputs))| inputs.iter().any(|i| family_of(i) == *family))
                .map(|((country, _), _)| country.clone())
                .collect();
            countries.dedup();
            Note {
                countries,
                text: texts(about(*family).coverage),
            }
        })
        .collect();
    let changes = recount.rules.changes();
    let kind = KINDS[match recount.kind {
        Kind::Competition => 0,
        Kind::Result => 1,
        Kind::All => 2,
    }];
    let mut written = Written::default();
    let mut indicators = Vec::new();
    for (index, definition) in DEFINITIONS.iter().enumerate() {
        let gives = |input: &u16| {
            recount
                .files
                .get(usize::from(*input))
                .is_some_and(|f| f.layout.gives(definition.needs))
        };
        let id = format!("{prefix}-{}", definition.stem);
        if !recount
            .files
            .iter()
            .any(|f| f.layout.gives(definition.needs))
        {
            written.left_out.push(format!(
                "{id}: not written; no input's layout has the field it needs"
            ));
            continue;
        }
        let mut rows = Vec::new();
        for ((country, year), (counts, inputs)) in &recount.counts {
            if !inputs.iter().all(gives) {
                if inputs.iter().any(gives) {
                    written.left_out.push(format!(
                        "{id}: {country} {year} left out: some of its notices come from a layout without the field it needs"
                    ));
                }
                continue;
            }
            let mut flags = Flags::default();
            let mut note: [String; 3] = Default::default();
            if mixed {
                let families: BTreeSet<Family> = inputs.iter().map(family_of).collect();
                note = [0, 1, 2].map(|l| {
                    families
                        .iter()
                        .map(|f| about(*f).row[l])
                        .collect::<Vec<_>>()
                        .join("; ")
                });
            }
            if breaks.get(country.as_str()) == Some(year) {
                flags = "b".parse().unwrap_or_default();
                note = [0, 1, 2].map(|l| {
                    if note[l].is_empty() {
                        BREAK[l].to_owned()
                    } else {
                        format!("{}. {}", BREAK[l], note[l])
                    }
                });
            }
            let [note, note_sv, note_nb] = note;
            rows.push(Observation {
                country: country.clone(),
                period: Period::year(*year),
                value: Some(counts.by_definition[index] as f64),
                flags,
                source: sources.id_for(inputs),
                note,
                note_sv,
                note_nb,
            });
        }
        if rows.is_empty() {
            continue;
        }
        let all_countries: Vec<String> = {
            let mut c: Vec<String> = rows.iter().map(|r| r.country.clone()).collect();
            c.dedup();
            c
        };
        let mut notes = vec![Note {
            countries: all_countries,
            text: texts(definition.text),
        }];
        notes.extend(coverage_notes.iter().cloned());
        let description = text([0, 1, 2].map(|l| {
            let counting: Vec<&str> = families.iter().map(|f| about(*f).counting[l]).collect();
            let mut description = format!(
                "{} {} {} {}",
                definition.text[l],
                kind[l],
                [
                    "Counted by indikator.",
                    "Räknat av indikator.",
                    "Telt av indikator."
                ][l],
                counting.join(" ")
            );
            if !changes.is_empty() {
                let said = [
                    "Counted with a changed table of definitions (--definitions-file):",
                    "Räknat med en ändrad tabell av definitioner (--definitions-file):",
                    "Telt med en endret tabell av definisjoner (--definitions-file):",
                ][l];
                description.push_str(&format!(" {said} {}.", changes.join("; ")));
            }
            description
        }));
        let meta = Metadata {
            id: id.clone(),
            title: text([0, 1, 2].map(|l| {
                let (head, tail) = definition.title[l];
                format!("{head}{}{tail}", place[l])
            })),
            description,
            unit: Unit::Count,
            decimals: 0,
            sources: sources.used(&rows),
            notes,
            annotations: Vec::new(),
            denominators: Vec::new(),
            default_countries: Vec::new(),
            like_for_like: None,
        };
        written.datasets.push(WrittenDataset {
            id,
            rows: rows.len(),
            notices: rows.iter().filter_map(|r| r.value).sum::<f64>() as u64,
        });
        indicators.push(IndicatorFiles::new(&meta, &rows)?);
    }
    // Checked before anything is written, so a failure leaves nothing half-written.
    written.paths = write_dataset(out, &indicators)?;
    Ok(written)
}

/// The sources rows cite: the publisher of each family, and each input (or set of inputs
/// that one country-year was counted from) by name, size and SHA-256.
struct Sources {
    inputs: Vec<(Family, String)>,
    accessed: String,
}

impl Sources {
    fn new(files: &[InputFile], accessed: &str) -> Sources {
        let inputs = files
            .iter()
            .map(|file| {
                let noun = file.layout.record_noun();
                (
                    file.layout.family(),
                    format!(
                        "{} ({} layout): {} bytes, {} {noun}, SHA-256 {}",
                        file.name,
                        file.layout.short(),
                        file.bytes,
                        file.rows,
                        file.sha256
                    ),
                )
            })
            .collect();
        Sources {
            inputs,
            accessed: accessed.to_owned(),
        }
    }

    /// The id of the source for a row counted from these inputs.
    fn id_for(&self, inputs: &BTreeSet<u16>) -> String {
        let numbers: Vec<String> = inputs.iter().map(|i| (i + 1).to_string()).collect();
        if numbers.len() == 1 {
            format!("input-{}", numbers[0])
        } else {
            format!("inputs-{}", numbers.join("-"))
        }
    }

    /// The sources the rows cite, one per distinct set of inputs.
    fn used(&self, rows: &[Observation]) -> Vec<Source> {
        let ids: BTreeSet<&str> = rows.iter().map(|r| r.source.as_str()).collect();
        ids.into_iter()
            .map(|id| {
                let numbers: Vec<usize> = id
                    .split('-')
                    .filter_map(|n| n.parse::<usize>().ok())
                    .collect();
                let parts: Vec<&(Family, String)> = numbers
                    .iter()
                    .filter_map(|n| self.inputs.get(n.wrapping_sub(1)))
                    .collect();
                let families: BTreeSet<Family> = parts.iter().map(|(f, _)| *f).collect();
                let about: Vec<About> = families.iter().map(|f| about(*f)).collect();
                let join = |pick: fn(&About) -> &'static str| {
                    about.iter().map(pick).collect::<Vec<_>>().join("; ")
                };
                let files: Vec<&str> = parts.iter().map(|(_, t)| t.as_str()).collect();
                Source {
                    id: id.to_owned(),
                    producer: join(|a| a.producer),
                    title: format!(
                        "{}. Counted from input {}",
                        join(|a| a.title),
                        files.join("; ")
                    ),
                    url: about.first().map_or("", |a| a.url).to_owned(),
                    published: "n.d.".into(),
                    accessed: self.accessed.clone(),
                    kind: SourceKind::Primary,
                    licence: None,
                }
            })
            .collect()
    }
}
