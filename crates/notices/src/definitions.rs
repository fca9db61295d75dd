//! The definitions a recount counts under: one table, each with its id, titles, the text that
//! says what it counts, and the rule that decides it. Counts are arrays indexed by it.

use crate::distinct::digits;

/// One definition of what to count.
#[derive(Debug, Clone, Copy)]
pub struct Definition {
    /// The dataset id written.
    pub id: &'static str,
    /// Title in en, sv, nb.
    pub title: [&'static str; 3],
    /// What it counts, in en, sv, nb.
    pub text: [&'static str; 3],
    /// Which notices it counts.
    pub rule: Rule,
}

/// Which notices a definition counts, from the fields every layout gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Every notice.
    All,
    /// Notices whose procedure type (TED's `TOP_TYPE`) is one of these codes.
    Procedures(&'static [&'static str]),
    /// Notices whose main CPV code (TED writes it without its check digit) is in this
    /// division: 73 is research and development services.
    CpvDivision(u32),
}

impl Rule {
    /// Whether a notice with this procedure type and main CPV code is counted.
    pub fn meets(&self, procedure: &[u8], cpv: &[u8]) -> bool {
        match self {
            Rule::All => true,
            Rule::Procedures(codes) => codes.iter().any(|code| code.as_bytes() == procedure),
            Rule::CpvDivision(division) => digits(cpv).is_some_and(|code| {
                (10_000_000..100_000_000).contains(&code)
                    && code / 1_000_000 == u64::from(*division)
            }),
        }
    }
}

/// The definitions counted, each written as one dataset.
pub const DEFINITIONS: [Definition; 3] = [
    Definition {
        id: "ted-notices",
        title: ["Notices on TED", "Annonser på TED", "Kunngjøringer på TED"],
        text: ["All notices.", "Alla annonser.", "Alle kunngjøringer."],
        rule: Rule::All,
    },
    Definition {
        id: "ted-innovation-procedure-notices",
        title: [
            "Notices on TED using competitive dialogue or innovation partnership",
            "Annonser på TED med konkurrenspräglad dialog eller innovationspartnerskap",
            "Kunngjøringer på TED med konkurransepreget dialog eller innovasjonspartnerskap",
        ],
        text: [
            "Notices whose procedure type (TOP_TYPE) is competitive dialogue (COD) or innovation partnership (INP).",
            "Annonser vars förfarande (TOP_TYPE) är konkurrenspräglad dialog (COD) eller innovationspartnerskap (INP).",
            "Kunngjøringer der prosedyren (TOP_TYPE) er konkurransepreget dialog (COD) eller innovasjonspartnerskap (INP).",
        ],
        rule: Rule::Procedures(&["COD", "INP"]),
    },
    Definition {
        id: "ted-rd-notices",
        title: [
            "Notices on TED for research and development services",
            "Annonser på TED om forsknings- och utvecklingstjänster",
            "Kunngjøringer på TED om forsknings- og utviklingstjenester",
        ],
        text: [
            "Notices whose main CPV code is in division 73 (research and development services).",
            "Annonser vars huvudsakliga CPV-kod ligger i huvudgrupp 73 (forsknings- och utvecklingstjänster).",
            "Kunngjøringer der hoved-CPV-koden er i hovedgruppe 73 (forsknings- og utviklingstjenester).",
        ],
        rule: Rule::CpvDivision(73),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_decide_as_their_texts_say() {
        let [all, innovation, research] = DEFINITIONS.map(|d| d.rule);
        assert!(all.meets(b"", b""));
        assert!(innovation.meets(b"COD", b"") && innovation.meets(b"INP", b"45000000"));
        assert!(!innovation.meets(b"OPE", b"") && !innovation.meets(b"cod", b""));
        for (cpv, counted) in [
            (&b"73000000"[..], true),
            (b"73999999", true),
            (b"72000000", false),
            (b"74000000", false),
            (b"7300000", false),
            (b"", false),
            (b"73a00000", false),
        ] {
            assert_eq!(
                research.meets(b"", cpv),
                counted,
                "{}",
                String::from_utf8_lossy(cpv)
            );
        }
    }
}
