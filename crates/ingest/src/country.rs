//! ISO 3166-1 alpha-2 country codes, validated against the full list (the `celes` crate).

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code, written in upper case.
pub fn is_iso_alpha2(code: &str) -> bool {
    code.len() == 2
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && celes::Country::from_alpha2(code).is_ok()
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
    fn rejects_lower_case_unassigned_and_odd_lengths() {
        for code in ["no", "Se", "XX", "EU", "UK", "N", "NOR", "", "N0"] {
            assert!(!is_iso_alpha2(code), "{code}");
        }
    }
}
