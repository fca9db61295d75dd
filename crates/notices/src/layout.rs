//! The input layouts, told apart by a file's name and header, and what each gives: the fields
//! it has (so the definitions it can produce), its producer and its coverage. The TED CSV
//! layouts' columns are here; the other layouts' are beside their readers.

use std::borrow::Cow;
use std::path::Path;

use crate::definitions::Needs;

/// The layouts a recount reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// TED CSV, contract notices (`export_CFC_*.csv`, `ID_NOTICE_CN`).
    ContractNotice,
    /// TED CSV, contract award notices (`export_CAN_*.csv`, `ID_NOTICE_CAN`).
    AwardNotice,
    /// Upphandlingsmyndigheten's statistics database, exported as xlsx.
    UhmXlsx,
    /// Upphandlingsmyndigheten's statistics database, exported as CSV (`;`, BOM).
    UhmCsv,
    /// DFØ's Doffin dataset (CSV, `;`, UTF-8 or Windows-1252).
    Doffin,
    /// eForms XML: one notice, a folder of them, or TED's daily `.tar.gz` packages.
    Eforms,
}

/// Who publishes a layout's data, and what it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// TED's CSV open data.
    Ted,
    /// Upphandlingsmyndigheten.
    Uhm,
    /// DFØ's Doffin.
    Doffin,
    /// eForms notices.
    Eforms,
}

impl Layout {
    /// The column with the notice id (TED CSV).
    pub fn id_column(self) -> &'static str {
        match self {
            Layout::AwardNotice => "ID_NOTICE_CAN",
            _ => "ID_NOTICE_CN",
        }
    }

    /// A short name, for messages and citations.
    pub fn short(self) -> &'static str {
        match self {
            Layout::ContractNotice => "CN",
            Layout::AwardNotice => "CAN",
            Layout::UhmXlsx => "Upphandlingsmyndigheten xlsx",
            Layout::UhmCsv => "Upphandlingsmyndigheten CSV",
            Layout::Doffin => "DFØ Doffin CSV",
            Layout::Eforms => "eForms XML",
        }
    }

    /// Whose data it is.
    pub fn family(self) -> Family {
        match self {
            Layout::ContractNotice | Layout::AwardNotice => Family::Ted,
            Layout::UhmXlsx | Layout::UhmCsv => Family::Uhm,
            Layout::Doffin => Family::Doffin,
            Layout::Eforms => Family::Eforms,
        }
    }

    /// The layout with its article, for "not … export the count can use".
    pub fn described(self) -> &'static str {
        match self {
            Layout::ContractNotice | Layout::AwardNotice => "a TED CSV",
            Layout::UhmXlsx => "an Upphandlingsmyndigheten xlsx",
            Layout::UhmCsv => "an Upphandlingsmyndigheten CSV",
            Layout::Doffin => "a DFØ Doffin CSV",
            Layout::Eforms => "an eForms XML",
        }
    }

    /// What its records are: rows, or notices (XML documents).
    pub fn record_noun(self) -> &'static str {
        if self == Layout::Eforms {
            "notices"
        } else {
            "rows"
        }
    }

    /// Whether the layout has the field a definition needs.
    pub fn gives(self, needs: Needs) -> bool {
        needs != Needs::InnovationFlag || matches!(self.family(), Family::Uhm | Family::Eforms)
    }
}

/// The columns a TED count reads besides the id.
pub const NEEDED: [&str; 5] = ["YEAR", "CANCELLED", "ISO_COUNTRY_CODE", "TOP_TYPE", "CPV"];

/// The columns `wanted` in a header, in order, or the names of those it lacks.
pub fn columns<const N: usize>(
    header: &[String],
    wanted: [&str; N],
) -> Result<[usize; N], Vec<String>> {
    let missing: Vec<String> = wanted
        .iter()
        .filter(|w| !header.iter().any(|h| h == *w))
        .map(|w| (*w).to_owned())
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    Ok(wanted.map(|w| header.iter().position(|h| h == w).unwrap_or(0)))
}

/// The layout of a TED header and the columns a count reads (the id, then [`NEEDED`] in
/// order), or the columns it lacks.
pub fn detect(header: &[String]) -> Result<(Layout, [usize; 6]), Vec<String>> {
    let needed = columns(header, NEEDED);
    let has = |name: &str| header.iter().any(|h| h == name);
    let layout = if has("ID_NOTICE_CAN") {
        Layout::AwardNotice
    } else if has("ID_NOTICE_CN") {
        Layout::ContractNotice
    } else {
        let mut missing = vec!["ID_NOTICE_CN or ID_NOTICE_CAN".to_owned()];
        missing.extend(needed.err().unwrap_or_default());
        return Err(missing);
    };
    let [year, cancelled, country, procedure, cpv] = needed?;
    let [id] = columns(header, [layout.id_column()])?;
    Ok((layout, [id, year, cancelled, country, procedure, cpv]))
}

/// What every layout's header starts with, for the message when a file is none of them.
pub const EXPECTED: &str = "a TED CSV export (ID_NOTICE_CN or ID_NOTICE_CAN, YEAR, CANCELLED, ISO_COUNTRY_CODE, TOP_TYPE, CPV), an Upphandlingsmyndigheten export as xlsx or CSV (Upphandlings-ID, År, Förfarande, Huvudsaklig CPV-kod, Innovationsupphandling), a DFØ Doffin CSV (doffin_id, publisering_dato, skjema_nr, skjema_type, cpv_hoved_kode, prosedyre_type), or eForms XML (a .xml file, a folder of them, or a .tar.gz package; root ContractNotice, ContractAwardNotice or PriorInformationNotice)";

/// Whether a file's name ends in `suffix` (ASCII, lower case, no `/`), in any case. Asked of
/// every file in a folder, so it compares the path's last bytes: no name is parsed out,
/// copied or lower-cased. (A path that ends in `/` names a folder, and does not match.)
fn name_ends_with(path: &Path, suffix: &str) -> bool {
    let path = path.as_os_str().as_encoded_bytes();
    path.len() >= suffix.len()
        && path[path.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// Whether a file is one of TED's packages (`.tar.gz`, `.tgz`).
pub fn is_package(path: &Path) -> bool {
    name_ends_with(path, ".tar.gz") || name_ends_with(path, ".tgz")
}

/// Whether a file holds eForms notices: a `.xml` file or a package.
pub fn is_eforms_file(path: &Path) -> bool {
    is_package(path) || name_ends_with(path, ".xml")
}

/// The layout a path holds, from its name and, for CSV, its header's first line: `None` when
/// the header is none of the CSV layouts (the caller says what was expected).
pub fn sniff(path: &Path, first_line: &[u8]) -> Option<Layout> {
    if path.is_dir() || is_eforms_file(path) {
        return Some(Layout::Eforms);
    }
    if name_ends_with(path, ".xlsx") {
        return Some(Layout::UhmXlsx);
    }
    let line = first_line
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(first_line);
    let has = |needle: &[u8]| line.windows(needle.len()).any(|w| w == needle);
    if has(b"ID_NOTICE_CAN") {
        Some(Layout::AwardNotice)
    } else if has(b"ID_NOTICE_CN") {
        Some(Layout::ContractNotice)
    } else if has("Upphandlings-ID".as_bytes()) {
        Some(Layout::UhmCsv)
    } else if has(b"doffin_id") {
        Some(Layout::Doffin)
    } else {
        None
    }
}

/// A country code as ISO 3166-1 alpha-2 where it can be made one: TED writes the United
/// Kingdom as `UK` and Greece as `EL`, eForms writes alpha-3 (`NOR`). Anything else is kept
/// as written (and reported later if it is not a country).
pub fn iso_country(code: &[u8]) -> Cow<'_, [u8]> {
    let code = code.trim_ascii();
    match code {
        b"UK" => Cow::Borrowed(b"GB"),
        b"EL" => Cow::Borrowed(b"GR"),
        [_, _, _] => std::str::from_utf8(code)
            .ok()
            .and_then(indikator_ingest::alpha2_of_alpha3)
            .map_or(Cow::Borrowed(code), |a2| Cow::Borrowed(a2.as_bytes())),
        _ => Cow::Borrowed(code),
    }
}

/// The CAN header of TED's 2018–2022 exports (75 columns), as the generator writes it.
pub const CAN_HEADER: [&str; 75] = [
    "ID_NOTICE_CAN",
    "TED_NOTICE_URL",
    "YEAR",
    "ID_TYPE",
    "DT_DISPATCH",
    "XSD_VERSION",
    "CANCELLED",
    "CORRECTIONS",
    "B_MULTIPLE_CAE",
    "CAE_NAME",
    "CAE_NATIONALID",
    "CAE_ADDRESS",
    "CAE_TOWN",
    "CAE_POSTAL_CODE",
    "CAE_GPA_ANNEX",
    "ISO_COUNTRY_CODE",
    "ISO_COUNTRY_CODE_GPA",
    "B_MULTIPLE_COUNTRY",
    "ISO_COUNTRY_CODE_ALL",
    "CAE_TYPE",
    "EU_INST_CODE",
    "MAIN_ACTIVITY",
    "B_ON_BEHALF",
    "B_INVOLVES_JOINT_PROCUREMENT",
    "B_AWARDED_BY_CENTRAL_BODY",
    "TYPE_OF_CONTRACT",
    "TAL_LOCATION_NUTS",
    "B_FRA_AGREEMENT",
    "FRA_ESTIMATED",
    "B_FRA_CONTRACT",
    "B_DYN_PURCH_SYST",
    "CPV",
    "MAIN_CPV_CODE_GPA",
    "ID_LOT",
    "ADDITIONAL_CPVS",
    "B_GPA",
    "GPA_COVERAGE",
    "LOTS_NUMBER",
    "VALUE_EURO",
    "VALUE_EURO_FIN_1",
    "VALUE_EURO_FIN_2",
    "B_EU_FUNDS",
    "TOP_TYPE",
    "B_ACCELERATED",
    "OUT_OF_DIRECTIVES",
    "CRIT_CODE",
    "CRIT_PRICE_WEIGHT",
    "CRIT_CRITERIA",
    "CRIT_WEIGHTS",
    "B_ELECTRONIC_AUCTION",
    "NUMBER_AWARDS",
    "ID_AWARD",
    "ID_LOT_AWARDED",
    "INFO_ON_NON_AWARD",
    "INFO_UNPUBLISHED",
    "B_AWARDED_TO_A_GROUP",
    "WIN_NAME",
    "WIN_NATIONALID",
    "WIN_ADDRESS",
    "WIN_TOWN",
    "WIN_POSTAL_CODE",
    "WIN_COUNTRY_CODE",
    "B_CONTRACTOR_SME",
    "CONTRACT_NUMBER",
    "TITLE",
    "NUMBER_OFFERS",
    "NUMBER_TENDERS_SME",
    "NUMBER_TENDERS_OTHER_EU",
    "NUMBER_TENDERS_NON_EU",
    "NUMBER_OFFERS_ELECTR",
    "AWARD_EST_VALUE_EURO",
    "AWARD_VALUE_EURO",
    "AWARD_VALUE_EURO_FIN_1",
    "B_SUBCONTRACTED",
    "DT_AWARD",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn eforms_files_are_known_by_their_names_in_any_case() {
        for name in [
            "a.xml",
            "b/C.XML",
            "2024-01-02.tar.gz",
            "D.TGZ",
            "e.Tar.Gz",
            ".xml",
        ] {
            assert!(is_eforms_file(Path::new(name)), "{name}");
        }
        for name in ["a.xmlx", "b.gz", "c.tar", "xml", "d.xml/", "e.csv", ""] {
            assert!(!is_eforms_file(Path::new(name)), "{name}");
        }
        assert!(is_package(Path::new("x/DAY.TAR.GZ")) && !is_package(Path::new("x/day.xml")));
        for name in ["x/2021.xlsx", "x/2021.XLSX"] {
            assert_eq!(sniff(Path::new(name), b""), Some(Layout::UhmXlsx), "{name}");
        }
        assert_eq!(sniff(Path::new("x/2021.xls"), b""), None);
    }

    #[test]
    fn layouts_from_headers() {
        let can = header(&CAN_HEADER);
        let (layout, columns) = detect(&can).unwrap_or((Layout::ContractNotice, [0; 6]));
        assert_eq!(layout, Layout::AwardNotice);
        assert_eq!(columns, [0, 2, 6, 15, 42, 31]);
        let cn = header(&[
            "ID_NOTICE_CN",
            "YEAR",
            "CANCELLED",
            "ISO_COUNTRY_CODE",
            "TOP_TYPE",
            "CPV",
        ]);
        assert_eq!(detect(&cn).map(|(l, _)| l), Ok(Layout::ContractNotice));
        assert_eq!(
            detect(&header(&["ID_NOTICE_CAN", "YEAR", "CPV"])),
            Err(vec![
                "CANCELLED".into(),
                "ISO_COUNTRY_CODE".into(),
                "TOP_TYPE".into()
            ])
        );
        for (written, iso) in [
            (&b"UK"[..], &b"GB"[..]),
            (b"EL", b"GR"),
            (b"NO", b"NO"),
            (b" SE ", b"SE"),
            (b"NOR", b"NO"),
            (b"SWE", b"SE"),
            (b"GRC", b"GR"),
            (b"XXX", b"XXX"),
            (b"nor", b"nor"),
        ] {
            assert_eq!(&*iso_country(written), iso);
        }
    }
}
