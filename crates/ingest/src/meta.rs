//! The sidecar: an indicator's metadata, read from `<id>.toml`.
//!
//! The TOML is read into private `raw` types that keep each value's position, so a problem can
//! name its line and column. Then it is checked and turned into the public [`Metadata`].

use std::fmt;
use std::str::FromStr;

use serde::Deserialize;
use toml::Spanned;

use crate::country::is_iso_alpha2;
use crate::error::{Collector, Location, ProblemKind};
use crate::model::{Unit, YEARS, forbidden_char, limits};

/// The most decimals a sidecar may ask values to be shown with.
pub const MAX_DECIMALS: u8 = 6;

/// A language the metadata and the interface are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Lang {
    /// English (required in every text).
    #[default]
    En,
    /// Swedish.
    Sv,
    /// Norwegian Bokmål.
    Nb,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Sv, Lang::Nb];

    /// The code used in files and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Sv => "sv",
            Lang::Nb => "nb",
        }
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(code: &str) -> Result<Self, String> {
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code() == code)
            .ok_or_else(|| format!("unknown language `{code}`; use en, sv or nb"))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A text in English and optionally Swedish and Norwegian Bokmål.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Text {
    /// English.
    pub en: String,
    /// Swedish.
    pub sv: Option<String>,
    /// Norwegian Bokmål.
    pub nb: Option<String>,
}

impl Text {
    /// The text in `lang`, or in English where it has no translation.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => None,
            Lang::Sv => self.sv.as_deref(),
            Lang::Nb => self.nb.as_deref(),
        }
        .unwrap_or(&self.en)
    }
}

/// Whether a source published the figure itself or reports someone else's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// The producer's own publication.
    Primary,
    /// A publication that reports another producer's figure.
    Secondary,
}

/// A cited source.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Source {
    /// The id that data rows refer to.
    pub id: String,
    /// Who published it.
    pub producer: String,
    /// Its title.
    pub title: String,
    /// Where it is.
    pub url: String,
    /// When it was published: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or `n.d.` (no date given).
    pub published: String,
    /// When it was read: `YYYY-MM` or `YYYY-MM-DD`.
    pub accessed: String,
    /// Primary or secondary.
    pub kind: SourceKind,
    /// Its licence, where known.
    pub licence: Option<String>,
}

/// A comparability or definition note for some countries.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    /// The countries it concerns (ISO alpha-2).
    pub countries: Vec<String>,
    /// The note.
    pub text: Text,
}

/// An event to mark on charts: a programme starts, a definition changes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Annotation {
    /// The year it happened.
    pub year: i32,
    /// The country it concerns, if one.
    pub country: Option<String>,
    /// The declared source that reports it, if any.
    pub source: Option<String>,
    /// A short label.
    pub text: Text,
}

/// An indicator's metadata, from its sidecar.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Metadata {
    /// The indicator id; the file names are `<id>.csv` and `<id>.toml`.
    pub id: String,
    /// Title.
    pub title: Text,
    /// What it measures, per country where that differs.
    pub description: Text,
    /// Unit of the values.
    pub unit: Unit,
    /// The most decimals a value is shown with (values keep every digit they were given).
    pub decimals: u8,
    /// Sources; rows refer to them by id.
    pub sources: Vec<Source>,
    /// Comparability and definition notes.
    pub notes: Vec<Note>,
    /// Events to mark on charts.
    pub annotations: Vec<Annotation>,
    /// The indicators this one may be divided by in share mode (per 1 000 of it). Each must be
    /// a count of the same population this one is drawn from: a national count divided by
    /// TED's above-threshold notices is not a share of anything, so it is not declared.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub denominators: Vec<String>,
    /// The countries a chart shows when none are chosen; empty means every country with data.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub default_countries: Vec<String>,
    /// Where the countries here measure different things: the indicator that measures them
    /// all one way, which charts and pages point to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub like_for_like: Option<String>,
}

/// What a sidecar names in other files, with where it names it, for the checks that need the
/// whole dataset (a denominator must be another indicator's id; a default country must have
/// rows).
#[derive(Debug, Default)]
pub(crate) struct References {
    /// Each declared denominator.
    pub denominators: Vec<(Location, String)>,
    /// Each default country.
    pub default_countries: Vec<(Location, String)>,
    /// The like-for-like indicator, if named.
    pub like_for_like: Option<(Location, String)>,
}

impl Metadata {
    /// The declared source with this id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// The sidecar as `<id>.toml` holds it, for tools that write datasets.
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        toml::to_string(self)
    }

    /// The latest date any of its sources was read: the date its data is as of.
    pub fn data_as_of(&self) -> &str {
        self.sources
            .iter()
            .map(|s| s.accessed.as_str())
            .max()
            .unwrap_or_default()
    }

    /// The notes that concern any of `countries`.
    pub fn notes_for<'a>(&'a self, countries: &'a [String]) -> impl Iterator<Item = &'a Note> {
        self.notes
            .iter()
            .filter(|note| note.countries.iter().any(|c| countries.contains(c)))
    }
}

mod raw {
    //! The sidecar as written, with positions.
    use super::*;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct Sidecar {
        pub id: Spanned<String>,
        pub title: Text,
        pub description: Text,
        pub unit: Unit,
        pub decimals: Spanned<u8>,
        pub sources: Spanned<Vec<Source>>,
        #[serde(default)]
        pub notes: Vec<Note>,
        #[serde(default)]
        pub annotations: Vec<Annotation>,
        #[serde(default)]
        pub denominators: Vec<Spanned<String>>,
        #[serde(default)]
        pub default_countries: Vec<Spanned<String>>,
        #[serde(default)]
        pub like_for_like: Option<Spanned<String>>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct Text {
        pub en: Spanned<String>,
        pub sv: Option<Spanned<String>>,
        pub nb: Option<Spanned<String>>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct Source {
        pub id: Spanned<String>,
        pub producer: Spanned<String>,
        pub title: Spanned<String>,
        pub url: Spanned<String>,
        pub published: Spanned<String>,
        pub accessed: Spanned<String>,
        pub kind: SourceKind,
        pub licence: Option<Spanned<String>>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct Note {
        pub countries: Vec<Spanned<String>>,
        pub text: Text,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct Annotation {
        pub year: Spanned<i32>,
        pub country: Option<Spanned<String>>,
        pub source: Option<Spanned<String>>,
        pub text: Text,
    }
}

/// Reads and checks a sidecar. `expected_id` is its file stem. Problems go to `problems`;
/// `None` means the sidecar could not be used at all.
pub(crate) fn parse(
    file: &str,
    text: &str,
    expected_id: &str,
    problems: &mut Collector,
) -> Option<(Metadata, References)> {
    let raw: raw::Sidecar = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(err) => {
            let offset = err.span().map_or(0, |span| span.start);
            let mut message = err.message().trim_end().to_owned();
            if message.starts_with("missing field") {
                message.push_str("; add it (see the data format in README.md)");
            }
            problems.push(
                Location::at_offset(file, text, offset),
                ProblemKind::Sidecar { message },
            );
            return None;
        }
    };
    let mut check = Checker {
        file,
        text,
        problems,
    };

    if raw.id.get_ref() != expected_id {
        check.problem(
            &raw.id,
            ProblemKind::IdMismatch {
                id: raw.id.get_ref().clone(),
                expected: expected_id.to_owned(),
            },
        );
    }
    if *raw.decimals.get_ref() > MAX_DECIMALS {
        check.sidecar(
            &raw.decimals,
            format!(
                "decimals = {} is too many; use 0 to {MAX_DECIMALS}",
                raw.decimals.get_ref()
            ),
        );
    }
    let title = check.text(raw.title, "title", limits::TITLE, false);
    let description = check.text(raw.description, "description", limits::DESCRIPTION, true);

    if raw.sources.get_ref().is_empty() {
        check.sidecar(
            &raw.sources,
            "no sources; add at least one [[sources]] table".into(),
        );
    }
    let mut sources: Vec<Source> = Vec::new();
    for source in raw.sources.into_inner() {
        if sources.iter().any(|s| s.id == *source.id.get_ref()) {
            check.sidecar(
                &source.id,
                format!(
                    "source id `{}` is declared twice; give each source its own id",
                    source.id.get_ref()
                ),
            );
        }
        let url = source.url.get_ref();
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || url.contains(char::is_whitespace)
        {
            check.sidecar(
                &source.url,
                format!(
                    "url `{url}` is not a web address; write it in full, starting with https://"
                ),
            );
        }
        if source.published.get_ref() != "n.d." && !is_partial_date(source.published.get_ref()) {
            check.sidecar(
                &source.published,
                format!("published = \"{}\" is not a date; write YYYY, YYYY-MM or YYYY-MM-DD, or \"n.d.\" if the source gives none", source.published.get_ref()),
            );
        }
        let accessed = source.accessed.get_ref();
        if accessed.len() < 7 || !is_partial_date(accessed) {
            check.sidecar(
                &source.accessed,
                format!("accessed = \"{accessed}\" is not a date; write YYYY-MM-DD (or YYYY-MM)"),
            );
        }
        sources.push(Source {
            id: source.id.into_inner(),
            producer: check.string(
                source.producer,
                "source's producer",
                limits::PRODUCER,
                false,
            ),
            title: check.string(source.title, "source's title", limits::SOURCE_TITLE, false),
            url: check.string(source.url, "source's url", limits::URL, false),
            published: source.published.into_inner(),
            accessed: source.accessed.into_inner(),
            kind: source.kind,
            licence: source
                .licence
                .map(|l| check.string(l, "source's licence", limits::LICENCE, false)),
        });
    }

    let notes = raw
        .notes
        .into_iter()
        .map(|note| Note {
            countries: note
                .countries
                .into_iter()
                .map(|code| check.country(code))
                .collect(),
            text: check.text(note.text, "note", limits::NOTE, true),
        })
        .collect();

    let annotations = raw
        .annotations
        .into_iter()
        .map(|a| {
            if !YEARS.contains(a.year.get_ref()) {
                check.sidecar(
                    &a.year,
                    format!("year {} is outside 1900–2100", a.year.get_ref()),
                );
            }
            if let Some(id) = &a.source
                && !sources.iter().any(|s| s.id == *id.get_ref())
            {
                let kind = undeclared_source(id.get_ref(), &sources);
                check.problem(id, kind);
            }
            Annotation {
                year: a.year.into_inner(),
                country: a.country.map(|code| check.country(code)),
                source: a.source.map(Spanned::into_inner),
                text: check.text(a.text, "annotation", limits::ANNOTATION, false),
            }
        })
        .collect();

    let mut references = References::default();
    for id in raw.denominators {
        if id.get_ref() == expected_id {
            check.sidecar(
                &id,
                format!("`{expected_id}` cannot be its own denominator; name another indicator that counts the same population"),
            );
        }
        if references
            .denominators
            .iter()
            .any(|(_, d)| d == id.get_ref())
        {
            check.sidecar(
                &id,
                format!(
                    "denominator `{}` is named twice; name it once",
                    id.get_ref()
                ),
            );
        }
        references
            .denominators
            .push((check.locate(&id), id.into_inner()));
    }
    for code in raw.default_countries {
        let location = check.locate(&code);
        references
            .default_countries
            .push((location, check.country(code)));
    }
    if let Some(id) = raw.like_for_like {
        if id.get_ref() == expected_id {
            check.sidecar(
                &id,
                format!("`{expected_id}` cannot be its own like-for-like indicator; name the indicator that measures every country one way, or remove `like_for_like`"),
            );
        }
        references.like_for_like = Some((check.locate(&id), id.into_inner()));
    }
    if !references.denominators.is_empty() && raw.unit != Unit::Count {
        let location = references.denominators[0].0.clone();
        check.problems.push(
            location,
            ProblemKind::Sidecar {
                message: format!(
                    "only a count can be divided by a denominator, and the unit here is {}; remove `denominators`",
                    raw.unit
                ),
            },
        );
    }

    let metadata = Metadata {
        id: raw.id.into_inner(),
        title,
        description,
        unit: raw.unit,
        decimals: raw.decimals.into_inner(),
        sources,
        notes,
        annotations,
        denominators: references
            .denominators
            .iter()
            .map(|(_, d)| d.clone())
            .collect(),
        default_countries: references
            .default_countries
            .iter()
            .map(|(_, c)| c.clone())
            .collect(),
        like_for_like: references.like_for_like.as_ref().map(|(_, id)| id.clone()),
    };
    Some((metadata, references))
}

/// The problem for a row or annotation that names a source the sidecar does not declare.
pub(crate) fn undeclared_source(id: &str, sources: &[Source]) -> ProblemKind {
    ProblemKind::UndeclaredSource {
        id: id.to_owned(),
        declared: sources
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    problems: &'a mut Collector,
}

impl Checker<'_> {
    fn locate<T>(&self, at: &Spanned<T>) -> Location {
        Location::at_offset(self.file, self.text, at.span().start)
    }

    fn problem<T>(&mut self, at: &Spanned<T>, kind: ProblemKind) {
        let location = self.locate(at);
        self.problems.push(location, kind);
    }

    fn sidecar<T>(&mut self, at: &Spanned<T>, message: String) {
        self.problem(at, ProblemKind::Sidecar { message });
    }

    fn country(&mut self, code: Spanned<String>) -> String {
        if !is_iso_alpha2(code.get_ref()) {
            let kind = ProblemKind::UnknownCountry {
                code: code.get_ref().clone(),
            };
            self.problem(&code, kind);
        }
        code.into_inner()
    }

    /// A text in each language, checked as [`Checker::string`] checks, and with English.
    fn text(&mut self, text: raw::Text, what: &str, max: usize, lines: bool) -> Text {
        if text.en.get_ref().trim().is_empty() {
            self.sidecar(&text.en, format!("the English {what} is empty; write it"));
        }
        let mut one = |t: Spanned<String>| self.string(t, what, max, lines);
        Text {
            en: one(text.en),
            sv: text.sv.map(&mut one),
            nb: text.nb.map(&mut one),
        }
    }

    /// A string with no control characters (tabs and line breaks only where `lines`), no
    /// noncharacters, and at most `max` characters.
    fn string(&mut self, text: Spanned<String>, what: &str, max: usize, lines: bool) -> String {
        if let Some((_, c)) = forbidden_char(text.get_ref(), lines) {
            let kind = ProblemKind::ForbiddenChar {
                code: u32::from(c),
                lines,
            };
            self.problem(&text, kind);
        }
        let length = text.get_ref().chars().count();
        if length > max {
            let what = what.to_owned();
            self.problem(&text, ProblemKind::TooLong { what, length, max });
        }
        text.into_inner()
    }
}

/// Whether `text` is `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a real month and day.
///
/// Written here rather than with a date crate because sources give partial dates (a month, a
/// year), which date types do not hold, and a month-length check is all that is needed.
fn is_partial_date(text: &str) -> bool {
    let mut parts = text.split('-');
    let number = |part: Option<&str>, len: usize| {
        part.filter(|p| p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let Some(year) = number(parts.next(), 4) else {
        return false;
    };
    let month = match parts.next() {
        None => return true,
        Some(part) => match number(Some(part), 2) {
            Some(m @ 1..=12) => m,
            _ => return false,
        },
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    match parts.next() {
        None => true,
        Some(part) => {
            matches!(number(Some(part), 2), Some(d) if (1..=days).contains(&d))
                && parts.next().is_none()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates() {
        for good in ["2018", "2018-10", "2018-10-24", "2024-02-29", "2026-11-27"] {
            assert!(is_partial_date(good), "{good}");
        }
        for bad in [
            "",
            "18",
            "2018-13",
            "2018-1",
            "2018-02-30",
            "2023-02-29",
            "2018-10-24-1",
            "24.10.2018",
            "2018-10-",
        ] {
            assert!(!is_partial_date(bad), "{bad}");
        }
    }

    #[test]
    fn metadata_written_as_toml_reads_back() -> Result<(), Box<dyn std::error::Error>> {
        let data = crate::Dataset::embedded()?;
        for indicator in data.indicators() {
            let text = indicator.meta.to_toml()?;
            let mut problems = Collector::default();
            let back = parse("x.toml", &text, &indicator.meta.id, &mut problems);
            assert!(problems.is_empty(), "{text}");
            assert_eq!(back.map(|(meta, _)| meta).as_ref(), Some(&indicator.meta));
        }
        Ok(())
    }

    #[test]
    fn text_falls_back_to_english() {
        let text = Text {
            en: "Share".into(),
            sv: Some("Andel".into()),
            nb: None,
        };
        assert_eq!(text.get(Lang::Sv), "Andel");
        assert_eq!(text.get(Lang::Nb), "Share");
        assert_eq!("nb".parse(), Ok(Lang::Nb));
        assert!("de".parse::<Lang>().is_err());
    }
}
