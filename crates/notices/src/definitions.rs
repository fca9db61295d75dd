//! What a recount counts: the four definitions (one dataset each), and the table of labels,
//! form numbers and codes by which each layout's notices meet them. The table is data: it is
//! printed by `indikator notices --definitions` and a user can replace any list in it with a
//! TOML file (`--definitions-file`), without a rebuild; the exact labels in DFØ's files, for
//! one, were not seen when this was written.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::NoticesError;
use crate::distinct::digits;

/// Which field of a notice a definition needs. A layout without that field does not give the
/// definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Nothing beyond the notice.
    Nothing,
    /// The procedure type.
    Procedure,
    /// The main CPV code.
    Cpv,
    /// A flag that says the procurement is an innovation procurement.
    InnovationFlag,
}

/// One definition of what to count. The dataset's id is the run's prefix (`ted`, `national`,
/// `eforms`) and then [`Definition::stem`].
#[derive(Debug, Clone, Copy)]
pub struct Definition {
    /// The dataset id after the prefix.
    pub stem: &'static str,
    /// Title in en, sv, nb, in two parts: the source's name goes between them.
    pub title: [(&'static str, &'static str); 3],
    /// What it counts, in en, sv, nb.
    pub text: [&'static str; 3],
    /// The field it needs.
    pub needs: Needs,
}

/// How many definitions there are: the length of every per-definition array.
pub const DEFINED: usize = DEFINITIONS.len();

/// The definitions counted, each written as one dataset. Bit `i` of a notice's `meets` is
/// definition `i`.
pub const DEFINITIONS: [Definition; 4] = [
    Definition {
        stem: "notices",
        title: [("Notices", ""), ("Annonser", ""), ("Kunngjøringer", "")],
        text: [
            "All notices of the kind counted.",
            "Alla annonser av det slag som räknas.",
            "Alle kunngjøringer av typen som telles.",
        ],
        needs: Needs::Nothing,
    },
    Definition {
        stem: "innovation-procedure-notices",
        title: [
            (
                "Notices",
                " using competitive dialogue or innovation partnership",
            ),
            (
                "Annonser",
                " med konkurrenspräglad dialog eller innovationspartnerskap",
            ),
            (
                "Kunngjøringer",
                " med konkurransepreget dialog eller innovasjonspartnerskap",
            ),
        ],
        text: [
            "Notices whose procedure is competitive dialogue or innovation partnership (the labels and codes are listed under innovation_procedures in `indikator notices --definitions`).",
            "Annonser vars förfarande är konkurrenspräglad dialog eller innovationspartnerskap (etiketterna och koderna står under innovation_procedures i `indikator notices --definitions`).",
            "Kunngjøringer der prosedyren er konkurransepreget dialog eller innovasjonspartnerskap (etikettene og kodene står under innovation_procedures i `indikator notices --definitions`).",
        ],
        needs: Needs::Procedure,
    },
    Definition {
        stem: "rd-notices",
        title: [
            ("Notices", " for research and development services"),
            ("Annonser", " om forsknings- och utvecklingstjänster"),
            ("Kunngjøringer", " om forsknings- og utviklingstjenester"),
        ],
        text: [
            "Notices whose main CPV code is in division 73 (research and development services).",
            "Annonser vars huvudsakliga CPV-kod ligger i huvudgrupp 73 (forsknings- och utvecklingstjänster).",
            "Kunngjøringer der hoved-CPV-koden er i hovedgruppe 73 (forsknings- og utviklingstjenester).",
        ],
        needs: Needs::Cpv,
    },
    Definition {
        stem: "innovation-flag-notices",
        title: [
            ("Notices", " flagged as innovation procurement"),
            ("Annonser", " markerade som innovationsupphandling"),
            ("Kunngjøringer", " merket som innovasjonsanskaffelse"),
        ],
        text: [
            "Notices that the buyer flagged as innovation procurement: Upphandlingsmyndigheten's Innovationsupphandling field, or eForms BT-776 (procurement of innovation) on any lot. Notices without the flag are not counted, so where the field is often left empty this is a lower bound.",
            "Annonser som köparen markerat som innovationsupphandling: Upphandlingsmyndighetens fält Innovationsupphandling, eller eForms BT-776 (upphandling av innovation) på något delkontrakt. Annonser utan markering räknas inte, så där fältet ofta lämnas tomt är detta en undre gräns.",
            "Kunngjøringer som oppdragsgiveren har merket som innovasjonsanskaffelse: Upphandlingsmyndighetens felt Innovationsupphandling, eller eForms BT-776 (anskaffelse av innovasjon) på en delkontrakt. Kunngjøringer uten merking telles ikke, så der feltet ofte står tomt er dette en nedre grense.",
        ],
        needs: Needs::InnovationFlag,
    },
];

/// Bit of the definition of all notices.
pub const ALL: u8 = 1;
/// Bit of the innovation-procedure definition.
pub const INNOVATION_PROCEDURE: u8 = 1 << 1;
/// Bit of the R&D definition.
pub const RD: u8 = 1 << 2;
/// Bit of the innovation-flag definition.
pub const INNOVATION_FLAG: u8 = 1 << 3;

/// Which notices count where a source mixes kinds (DFØ's Doffin files, eForms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// Calls for competition (the default, as DFØ and Upphandlingsmyndigheten count).
    #[default]
    Competition,
    /// Results: award notices.
    Result,
    /// Every notice.
    All,
}

impl Kind {
    /// Whether a notice of this form kind (`competition`, `result`, …) is counted.
    pub fn counts(self, kind: &str) -> bool {
        match self {
            Kind::All => true,
            Kind::Competition => kind == "competition",
            Kind::Result => kind == "result",
        }
    }
}

/// The table every layout's notices are judged by. Each list can be replaced from a TOML file
/// with the same sections and keys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// The R&D definition.
    pub rd: RdRules,
    /// TED's CSV exports.
    pub ted: TedRules,
    /// Upphandlingsmyndigheten's statistics database.
    pub uhm: UhmRules,
    /// DFØ's Doffin dataset.
    pub doffin: DoffinRules,
    /// eForms notices.
    pub eforms: EformsRules,
}

/// The R&D definition: the main CPV code's division (its first two digits).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RdRules {
    /// The division; 73 is research and development services.
    pub cpv_division: u32,
}

/// TED's CSV exports: a file holds contract notices (competitions) or award notices (results).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TedRules {
    /// `TOP_TYPE` codes of the innovation procedures.
    pub innovation_procedures: Vec<String>,
}

/// Upphandlingsmyndigheten's statistics database: every row is an advertised procurement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UhmRules {
    /// `Förfarande` labels of the innovation procedures.
    pub innovation_procedures: Vec<String>,
    /// `Innovationsupphandling` values that say "not an innovation procurement".
    pub flag_no: Vec<String>,
    /// `Innovationsupphandling` values that say the answer is missing. Any other value flags
    /// the procurement.
    pub flag_missing: Vec<String>,
}

/// DFØ's Doffin dataset: notices of every kind, told apart by `skjema_type` and `skjema_nr`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DoffinRules {
    /// `skjema_type` of competitions.
    pub competition_types: Vec<String>,
    /// `skjema_nr` of competitions.
    pub competition_forms: Vec<u32>,
    /// `skjema_type` of results.
    pub result_types: Vec<String>,
    /// `skjema_nr` of results.
    pub result_forms: Vec<u32>,
    /// `prosedyre_type` labels of the innovation procedures.
    pub innovation_procedures: Vec<String>,
}

/// eForms notices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EformsRules {
    /// Form types (BT-03, `NoticeTypeCode/@listName`) of competitions.
    pub competition_forms: Vec<String>,
    /// Form types of results.
    pub result_forms: Vec<String>,
    /// Procedure codes (BT-105) of the innovation procedures.
    pub innovation_procedures: Vec<String>,
    /// Codes of BT-776 (`innovative-acquisition`) that flag a notice.
    pub innovation_flags: Vec<String>,
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

impl Default for RdRules {
    fn default() -> Self {
        Self { cpv_division: 73 }
    }
}

impl Default for TedRules {
    fn default() -> Self {
        Self {
            innovation_procedures: strings(&["COD", "INP"]),
        }
    }
}

impl Default for UhmRules {
    fn default() -> Self {
        Self {
            innovation_procedures: strings(&["Konkurrenspräglad dialog", "Innovationspartnerskap"]),
            flag_no: strings(&["False", "Inte innovationsupphandling"]),
            flag_missing: strings(&["", "Uppgift saknas"]),
        }
    }
}

impl Default for DoffinRules {
    fn default() -> Self {
        Self {
            competition_types: strings(&["Notice"]),
            competition_forms: vec![2, 5, 12, 17, 21, 22, 23, 24, 52],
            result_types: strings(&["Award"]),
            result_forms: vec![3, 6, 13, 18, 21, 22, 23, 25],
            innovation_procedures: strings(&["Konkurransepreget dialog", "Innovasjonspartnerskap"]),
        }
    }
}

impl Default for EformsRules {
    fn default() -> Self {
        Self {
            competition_forms: strings(&["competition"]),
            result_forms: strings(&["result"]),
            innovation_procedures: strings(&["comp-dial", "innovation"]),
            innovation_flags: strings(&["mar-nov", "proc-innov", "prod-innov", "rd-act"]),
        }
    }
}

/// Whether a field and a label are one, trimmed and ignoring case (labels are typed by
/// people: `Notice` and `notice` are one).
fn same_label(field: &str, label: &str) -> bool {
    let (field, label) = (field.trim(), label.trim());
    if field.is_ascii() && label.is_ascii() {
        field.eq_ignore_ascii_case(label)
    } else {
        field.to_lowercase() == label.to_lowercase()
    }
}

/// Whether a field is one of `labels`, as [`same_label`] compares them.
pub fn is_one_of(field: &str, labels: &[String]) -> bool {
    labels.iter().any(|label| same_label(field, label))
}

/// Whether a byte field is one of `labels`, as [`is_one_of`]. TED's and eForms' codes are
/// ASCII and compared as bytes, without making text of every field (a TED recount does
/// this for millions of rows).
pub fn bytes_one_of(field: &[u8], labels: &[String]) -> bool {
    let field = field.trim_ascii();
    labels.iter().any(|label| {
        let ascii = label.as_bytes().trim_ascii();
        if ascii.is_ascii() {
            field.eq_ignore_ascii_case(ascii)
        } else {
            std::str::from_utf8(field).is_ok_and(|field| same_label(field, label))
        }
    })
}

/// The main CPV code as a number, however a source writes it: `73110000`, `73110000-6`
/// (check digit), `73110000.0` (a spreadsheet's float) or `79212000 Revision` (code and
/// name). None if it does not begin with eight digits.
pub fn cpv_code(field: &[u8]) -> Option<u32> {
    let field = field.trim_ascii();
    let code = digits(field.get(..8)?)?;
    match field.get(8) {
        None | Some(b'-' | b'.' | b' ') => u32::try_from(code).ok(),
        _ => None,
    }
}

impl Rules {
    /// The definitions a notice meets (a bit each), from whether its procedure is one of the
    /// innovation procedures, its main CPV code and its innovation flag.
    pub fn meets(&self, innovation_procedure: bool, cpv: Option<u32>, flag: Option<bool>) -> u8 {
        let mut meets = ALL;
        if innovation_procedure {
            meets |= INNOVATION_PROCEDURE;
        }
        if cpv.is_some_and(|code| code / 1_000_000 == self.rd.cpv_division) {
            meets |= RD;
        }
        if flag == Some(true) {
            meets |= INNOVATION_FLAG;
        }
        meets
    }

    /// Reads a table from TOML; any key left out keeps its default. Errors name
    /// FILE:LINE:COL.
    pub fn from_toml(file: &str, text: &str) -> Result<Rules, NoticesError> {
        toml::from_str(text).map_err(|e| {
            let at = e.span().map_or_else(
                || indikator_ingest::Location::start_of(file),
                |span| indikator_ingest::Location::at_offset(file, text, span.start),
            );
            NoticesError::Definitions {
                at: at.to_string(),
                message: e.message().to_owned(),
            }
        })
    }

    /// Reads a table from a TOML file.
    pub fn read(path: &Path) -> Result<Rules, NoticesError> {
        let text = std::fs::read_to_string(path).map_err(|source| NoticesError::Io {
            path: path.to_owned(),
            source,
        })?;
        Rules::from_toml(&path.display().to_string(), &text)
    }

    /// The table as TOML with comments, as `--definitions` prints it: save it, change it and
    /// pass it back with `--definitions-file`.
    pub fn to_commented_toml(&self) -> String {
        let mut out = String::from(
            "# What `indikator notices` counts, and by which labels, form numbers and codes.\n\
             # Save this, change any list, and pass it back with --definitions-file FILE.\n\
             # Keys left out keep the values shown here. Labels are compared trimmed and\n\
             # ignoring case.\n#\n# Definitions, one dataset each (id: the prefix, then this):\n",
        );
        for definition in &DEFINITIONS {
            out.push_str(&format!(
                "#   {:<30} {}\n",
                definition.stem, definition.text[0]
            ));
        }
        out.push_str(
            "# A layout without a definition's field does not give it: TED's CSV and DFØ's Doffin\n\
             # files have no innovation flag.\n",
        );
        let sections: [(&str, String); 5] = [
            (
                "rd: the R&D definition counts notices whose main CPV code is in this division.",
                section("rd", &self.rd),
            ),
            (
                "ted: TED's CSV exports. A file holds contract notices (CN, counted as competitions)\n\
                 # or award notices (CAN, results): --kind does not apply to them.",
                section("ted", &self.ted),
            ),
            (
                "uhm: Upphandlingsmyndigheten's statistics database (xlsx or CSV). Every row is an\n\
                 # advertised procurement (a competition). Innovationsupphandling: a value in flag_no\n\
                 # or flag_missing does not flag the row; any other value does.",
                section("uhm", &self.uhm),
            ),
            (
                "doffin: DFØ's Doffin dataset. A competition is a row whose skjema_type is in\n\
                 # competition_types and whose skjema_nr is in competition_forms (DFØ's own rule);\n\
                 # a result likewise. --kind chooses which count.",
                section("doffin", &self.doffin),
            ),
            (
                "eforms: eForms XML. Form type is BT-03 (NoticeTypeCode/@listName), the procedure\n\
                 # BT-105 (ProcedureCode), the innovation flag BT-776 on any lot.",
                section("eforms", &self.eforms),
            ),
        ];
        for (comment, body) in sections {
            out.push_str(&format!("\n# {comment}\n{body}"));
        }
        out
    }
}

impl Rules {
    /// The sections of the table that differ from the defaults, as one line of TOML each:
    /// what a dataset counted with a changed table says it was counted with.
    pub fn changes(&self) -> Vec<String> {
        let default = Rules::default();
        let mut changed = Vec::new();
        let mut add = |differs: bool, text: String| {
            if differs {
                changed.push(text.trim().replace('\n', " "));
            }
        };
        add(self.rd != default.rd, section("rd", &self.rd));
        add(self.ted != default.ted, section("ted", &self.ted));
        add(self.uhm != default.uhm, section("uhm", &self.uhm));
        add(
            self.doffin != default.doffin,
            section("doffin", &self.doffin),
        );
        add(
            self.eforms != default.eforms,
            section("eforms", &self.eforms),
        );
        changed
    }
}

/// One section of the table as TOML.
fn section<T: Serialize>(name: &str, value: &T) -> String {
    let mut table = toml::Table::new();
    if let Ok(toml::Value::Table(inner)) = toml::Value::try_from(value) {
        table.insert(name.to_owned(), toml::Value::Table(inner));
    }
    toml::to_string(&table).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_match_trimmed_and_ignoring_case() {
        let labels = strings(&["Konkurrenspräglad dialog", "COD"]);
        assert!(is_one_of(" konkurrenspräglad DIALOG ", &labels));
        assert!(is_one_of("KONKURRENSPRÄGLAD DIALOG", &labels));
        assert!(is_one_of("cod", &labels));
        assert!(!is_one_of("Konkurrenspräglad", &labels));
        assert!(!is_one_of("", &labels));
        assert!(bytes_one_of(b"COD", &labels));
        assert!(!bytes_one_of(b"\xff", &labels));
    }

    #[test]
    fn cpv_codes_however_written() {
        for (field, code) in [
            (&b"73110000"[..], Some(73_110_000)),
            (b"73110000-6", Some(73_110_000)),
            (b"73110000.0", Some(73_110_000)),
            (b" 79212000 Revision", Some(79_212_000)),
            (b"7311000", None),
            (b"731100001", None),
            (b"7311000a", None),
            (b"", None),
        ] {
            assert_eq!(cpv_code(field), code, "{}", String::from_utf8_lossy(field));
        }
    }

    #[test]
    fn the_printed_table_reads_back_as_the_defaults() {
        let printed = Rules::default().to_commented_toml();
        assert!(printed.contains("[doffin]"), "{printed}");
        assert!(printed.contains("competition_forms = [2, 5, 12, 17, 21, 22, 23, 24, 52]"));
        assert_eq!(
            Rules::from_toml("x.toml", &printed).ok(),
            Some(Rules::default())
        );
    }

    #[test]
    fn an_override_replaces_only_what_it_names() {
        let rules = Rules::from_toml(
            "mine.toml",
            "[doffin]\ninnovation_procedures = [\"Konkurransepreget dialog\", \"Innovasjonspartnerskap\", \"Innovasjonspartnerskap (ny)\"]\n",
        )
        .ok()
        .unwrap_or_default();
        assert_eq!(rules.doffin.innovation_procedures.len(), 3);
        assert_eq!(
            rules.doffin.competition_forms,
            DoffinRules::default().competition_forms
        );
        assert_eq!(rules.uhm, UhmRules::default());
    }

    #[test]
    fn a_wrong_key_is_named_with_its_place() {
        let err = Rules::from_toml("mine.toml", "[doffin]\ncompetition_form = [2]\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("mine.toml:2:1: "), "{err}");
        assert!(err.contains("competition_form"), "{err}");
    }
}
