//! The TED open-data CSV layouts, told apart by their header, and the columns a count needs.

/// The two layouts of TED's CSV exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Contract notices (`export_CFC_*.csv`, `ID_NOTICE_CN`).
    ContractNotice,
    /// Contract award notices (`export_CAN_*.csv`, `ID_NOTICE_CAN`).
    AwardNotice,
}

impl Layout {
    /// The column with the notice id.
    pub fn id_column(self) -> &'static str {
        match self {
            Layout::ContractNotice => "ID_NOTICE_CN",
            Layout::AwardNotice => "ID_NOTICE_CAN",
        }
    }

    /// CN or CAN, for messages.
    pub fn short(self) -> &'static str {
        match self {
            Layout::ContractNotice => "CN",
            Layout::AwardNotice => "CAN",
        }
    }
}

/// The columns a count reads besides the id.
pub const NEEDED: [&str; 5] = ["YEAR", "CANCELLED", "ISO_COUNTRY_CODE", "TOP_TYPE", "CPV"];

/// The layout of a header and the columns a count reads (the id, then [`NEEDED`] in order),
/// or the columns it lacks.
pub fn detect(header: &[String]) -> Result<(Layout, [usize; 6]), Vec<String>> {
    let has = |name: &str| header.iter().any(|h| h == name);
    let layout = if has("ID_NOTICE_CAN") {
        Layout::AwardNotice
    } else if has("ID_NOTICE_CN") {
        Layout::ContractNotice
    } else {
        let mut missing = vec!["ID_NOTICE_CN or ID_NOTICE_CAN".to_owned()];
        missing.extend(NEEDED.iter().filter(|c| !has(c)).map(|c| (*c).to_owned()));
        return Err(missing);
    };
    let missing: Vec<String> = NEEDED
        .iter()
        .filter(|c| !has(c))
        .map(|c| (*c).to_owned())
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let index = |name: &str| header.iter().position(|h| h == name).unwrap_or(0);
    let [year, cancelled, country, procedure, cpv] = NEEDED.map(index);
    Ok((
        layout,
        [
            index(layout.id_column()),
            year,
            cancelled,
            country,
            procedure,
            cpv,
        ],
    ))
}

/// TED writes the United Kingdom as `UK` and Greece as `EL`; ISO 3166-1 says `GB` and `GR`.
pub fn iso_country(ted: &str) -> &str {
    match ted {
        "UK" => "GB",
        "EL" => "GR",
        other => other,
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
        assert_eq!(iso_country("UK"), "GB");
        assert_eq!(iso_country("EL"), "GR");
        assert_eq!(iso_country("NO"), "NO");
    }
}
