//! ISO 3166-1 alpha-2 country codes, validated against the full list (the `celes` crate), and
//! their names.

use crate::Lang;

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code, written in upper case.
pub fn is_iso_alpha2(code: &str) -> bool {
    code.len() == 2
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && celes::Country::from_alpha2(code).is_ok()
}

/// The alpha-2 code of an ISO 3166-1 alpha-3 code written in upper case (`NOR` → `NO`), as
/// eForms writes countries.
pub fn alpha2_of_alpha3(code: &str) -> Option<&'static str> {
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    celes::Country::from_alpha3(code).ok().map(|c| c.alpha2)
}

/// Short names in English, Swedish and Norwegian Bokmål for the EU and EEA countries, Switzerland,
/// North Macedonia and the United Kingdom (every country in the shipped TED series). Written out
/// because no maintained crate carries Swedish and Norwegian country names without pulling in a
/// full locale database.
const NAMES: [(&str, [&str; 3]); 33] = [
    ("AT", ["Austria", "Österrike", "Østerrike"]),
    ("BE", ["Belgium", "Belgien", "Belgia"]),
    ("BG", ["Bulgaria", "Bulgarien", "Bulgaria"]),
    ("CH", ["Switzerland", "Schweiz", "Sveits"]),
    ("CY", ["Cyprus", "Cypern", "Kypros"]),
    ("CZ", ["Czechia", "Tjeckien", "Tsjekkia"]),
    ("DE", ["Germany", "Tyskland", "Tyskland"]),
    ("DK", ["Denmark", "Danmark", "Danmark"]),
    ("EE", ["Estonia", "Estland", "Estland"]),
    ("ES", ["Spain", "Spanien", "Spania"]),
    ("FI", ["Finland", "Finland", "Finland"]),
    ("FR", ["France", "Frankrike", "Frankrike"]),
    ("GB", ["United Kingdom", "Storbritannien", "Storbritannia"]),
    ("GR", ["Greece", "Grekland", "Hellas"]),
    ("HR", ["Croatia", "Kroatien", "Kroatia"]),
    ("HU", ["Hungary", "Ungern", "Ungarn"]),
    ("IE", ["Ireland", "Irland", "Irland"]),
    ("IS", ["Iceland", "Island", "Island"]),
    ("IT", ["Italy", "Italien", "Italia"]),
    ("LI", ["Liechtenstein", "Liechtenstein", "Liechtenstein"]),
    ("LT", ["Lithuania", "Litauen", "Litauen"]),
    ("LU", ["Luxembourg", "Luxemburg", "Luxembourg"]),
    ("LV", ["Latvia", "Lettland", "Latvia"]),
    (
        "MK",
        ["North Macedonia", "Nordmakedonien", "Nord-Makedonia"],
    ),
    ("MT", ["Malta", "Malta", "Malta"]),
    ("NL", ["Netherlands", "Nederländerna", "Nederland"]),
    ("NO", ["Norway", "Norge", "Norge"]),
    ("PL", ["Poland", "Polen", "Polen"]),
    ("PT", ["Portugal", "Portugal", "Portugal"]),
    ("RO", ["Romania", "Rumänien", "Romania"]),
    ("SE", ["Sweden", "Sverige", "Sverige"]),
    ("SI", ["Slovenia", "Slovenien", "Slovenia"]),
    ("SK", ["Slovakia", "Slovakien", "Slovakia"]),
];

/// The country's short name in `lang`; for a code outside the table, the code itself.
pub fn country_name(code: &str, lang: Lang) -> String {
    let column = match lang {
        Lang::En => 0,
        Lang::Sv => 1,
        Lang::Nb => 2,
    };
    NAMES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_owned(), |(_, names)| names[column].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_nordic_and_far_codes() {
        for code in ["NO", "SE", "DK", "FI", "IS", "NZ", "ZW", "AX"] {
            assert!(is_iso_alpha2(code), "{code}");
        }
    }

    #[test]
    fn names_by_language() {
        assert_eq!(country_name("NO", Lang::En), "Norway");
        assert_eq!(country_name("SE", Lang::Sv), "Sverige");
        assert_eq!(country_name("GR", Lang::Nb), "Hellas");
        assert_eq!(country_name("NZ", Lang::Sv), "NZ");
        assert!(NAMES.iter().all(|(code, _)| is_iso_alpha2(code)));
    }

    #[test]
    fn rejects_lower_case_unassigned_and_odd_lengths() {
        for code in ["no", "Se", "XX", "EU", "UK", "N", "NOR", "", "N0"] {
            assert!(!is_iso_alpha2(code), "{code}");
        }
    }
}
