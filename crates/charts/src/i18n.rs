//! The chart's own words in English, Swedish and Norwegian Bokmål.

use indikator_ingest::{Flag, Lang};

/// A word or phrase in the three languages.
type Words = [&'static str; 3];

fn pick(lang: Lang, words: Words) -> &'static str {
    match lang {
        Lang::En => words[0],
        Lang::Sv => words[1],
        Lang::Nb => words[2],
    }
}

pub(crate) fn source(lang: Lang, count: usize) -> &'static str {
    if count == 1 {
        pick(lang, ["Source", "Källa", "Kilde"])
    } else {
        pick(lang, ["Sources", "Källor", "Kilder"])
    }
}

pub(crate) fn data_as_of(lang: Lang) -> &'static str {
    pick(lang, ["Data as of", "Data per", "Data per"])
}

pub(crate) fn note(lang: Lang) -> &'static str {
    pick(lang, ["Note", "Anm.", "Merk"])
}

/// The subtitle's warning where the countries shown are measured differently.
pub fn not_like_for_like(lang: Lang) -> &'static str {
    pick(
        lang,
        [
            "Not like-for-like: the countries count differently (see notes)",
            "Inte jämförbart: länderna räknar olika (se anm.)",
            "Ikke sammenlignbart: landene teller ulikt (se merknader)",
        ],
    )
}

/// The line that stands for notes a chart had no room for.
pub(crate) fn notes_left_out(count: usize, lang: Lang) -> String {
    match (lang, count) {
        (Lang::En, 1) => "1 more note, left out for room: see the indicator's page.".to_owned(),
        (Lang::En, n) => format!("{n} more notes, left out for room: see the indicator's page."),
        (Lang::Sv, 1) => {
            "1 anmärkning till, utelämnad av platsskäl: se indikatorns sida.".to_owned()
        }
        (Lang::Sv, n) => {
            format!("{n} anmärkningar till, utelämnade av platsskäl: se indikatorns sida.")
        }
        (Lang::Nb, 1) => "1 merknad til, utelatt av plasshensyn: se indikatorens side.".to_owned(),
        (Lang::Nb, n) => {
            format!("{n} merknader til, utelatt av plasshensyn: se indikatorens side.")
        }
    }
}

pub(crate) fn flags(lang: Lang) -> &'static str {
    pick(lang, ["Flags", "Flaggor", "Flagg"])
}

pub(crate) fn no_data(lang: Lang) -> &'static str {
    pick(
        lang,
        [
            "No data to show.",
            "Inga data att visa.",
            "Ingen data å vise.",
        ],
    )
}

/// The flag's meaning, as written in the flag key and in descriptions.
pub fn flag_meaning(flag: Flag, lang: Lang) -> &'static str {
    let words = match flag {
        Flag::Provisional => ["provisional", "preliminär", "foreløpig"],
        Flag::Estimated => ["estimated", "uppskattad", "estimert"],
        Flag::Break => ["break in series", "tidsseriebrott", "brudd i tidsserien"],
        Flag::LowReliability => [
            "low reliability",
            "låg tillförlitlighet",
            "lav pålitelighet",
        ],
        Flag::DefinitionDiffers => ["definition differs", "annan definition", "annen definisjon"],
    };
    pick(lang, words)
}

/// What the key adds after a flag's meaning, to say how it is drawn.
pub(crate) fn flag_drawing(flag: Flag, lang: Lang) -> &'static str {
    match flag {
        Flag::Break => pick(
            lang,
            [
                " (gap with a tick)",
                " (lucka med ett streck)",
                " (brudd med en strek)",
            ],
        ),
        Flag::DefinitionDiffers => pick(lang, [", see notes", ", se anm.", ", se merknad"]),
        _ => "",
    }
}

/// "{value} in {period}" in a description.
pub(crate) fn value_in(lang: Lang) -> &'static str {
    pick(lang, ["in", "år", "i"])
}

/// "… to …" in a description.
pub(crate) fn to(lang: Lang) -> &'static str {
    pick(lang, ["to", "till", "til"])
}

pub(crate) fn number(lang: Lang) -> &'static str {
    pick(lang, ["Number", "Antal", "Antall"])
}

pub(crate) fn percent(lang: Lang) -> &'static str {
    pick(lang, ["Percent", "Procent", "Prosent"])
}

pub(crate) fn index_year(lang: Lang, year: &str) -> String {
    format!(
        "{} {year} = 100",
        pick(lang, ["Index,", "Index,", "Indeks,"])
    )
}

pub(crate) fn index(lang: Lang) -> &'static str {
    pick(lang, ["Index", "Index", "Indeks"])
}

/// "Per 1,000 advertised public procurements": the name of share mode with `title`, the
/// denominator's title, as the axis and the page's mode select both show it.
pub fn per_thousand(lang: Lang, title: &str) -> String {
    let per = pick(lang, ["Per 1,000", "Per 1 000", "Per 1 000"]);
    // The first letter goes to lower case to follow "per", unless the first word is an acronym
    // such as TED or EU.
    let mut chars = title.chars();
    let of = match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => first
            .to_lowercase()
            .chain(title[first.len_utf8()..].chars())
            .collect(),
        _ => title.to_owned(),
    };
    format!("{per} {of}")
}

pub(crate) fn no_data_for(lang: Lang, names: &str) -> String {
    let words = [
        "No data for {} in this view.",
        "Inga data för {} i denna vy.",
        "Ingen data for {} i denne visningen.",
    ];
    pick(lang, words).replace("{}", names)
}
