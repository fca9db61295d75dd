//! The values one observation is made of: period, flags, unit.

use std::fmt;
use std::str::FromStr;

/// The earliest and latest year the format accepts.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// The largest magnitude a value may have. Every value that loads is finite and within this,
/// so the modes, charts and exports downstream work on bounded numbers.
pub const MAX_MAGNITUDE: f64 = 1e15;

/// The smallest magnitude a value other than 0 may have. Together with [`MAX_MAGNITUDE`] this
/// keeps every ratio the modes compute (index, share) finite.
pub const MIN_MAGNITUDE: f64 = 1e-9;

/// Whether `value` is a value the format admits: finite, and 0 or within
/// [`MIN_MAGNITUDE`]..=[`MAX_MAGNITUDE`] in magnitude.
pub fn in_bounds(value: f64) -> bool {
    value == 0.0 || (MIN_MAGNITUDE..=MAX_MAGNITUDE).contains(&value.abs())
}

/// The longest texts the format accepts, in characters. Long enough for any real title or
/// note, short enough that no text can make a chart or a page expensive to draw.
pub mod limits {
    /// An indicator's title, in each language.
    pub const TITLE: usize = 200;
    /// An indicator's description, in each language.
    pub const DESCRIPTION: usize = 2000;
    /// A comparability note in the sidecar, in each language.
    pub const NOTE: usize = 2000;
    /// An annotation (an event drawn on charts), in each language.
    pub const ANNOTATION: usize = 200;
    /// A source's producer.
    pub const PRODUCER: usize = 300;
    /// A source's title.
    pub const SOURCE_TITLE: usize = 500;
    /// A source's URL.
    pub const URL: usize = 2000;
    /// A source's licence.
    pub const LICENCE: usize = 200;
    /// The `note` field of a data row.
    pub const ROW_NOTE: usize = 1000;
}

/// The first character of `text` that the format refuses, with its byte offset: a control
/// character (tab and line ends are allowed only where `lines` is true) or a Unicode
/// noncharacter (U+FDD0–U+FDEF, and U+xFFFE and U+xFFFF in every plane).
pub fn forbidden_char(text: &str, lines: bool) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| {
        let allowed_space = lines && matches!(c, '\t' | '\n' | '\r');
        (c.is_control() && !allowed_space) || is_noncharacter(c)
    })
}

fn is_noncharacter(c: char) -> bool {
    let code = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

/// A year (`2016`) or a span of years (`2018/2022`, a survey wave or multi-year figure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    /// First year.
    pub start: i32,
    /// Last year; equal to `start` for a single year.
    pub end: i32,
}

impl Period {
    /// A single year.
    pub fn year(year: i32) -> Self {
        Self {
            start: year,
            end: year,
        }
    }

    /// Whether this is a span of several years.
    pub fn is_span(&self) -> bool {
        self.end > self.start
    }

    /// Whether the period shares a year with `from..=to`.
    pub fn overlaps(&self, from: i32, to: i32) -> bool {
        self.start <= to && self.end >= from
    }
}

/// A period that is not `YYYY` or `YYYY/YYYY` with end after start, within [`YEARS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPeriod;

fn parse_year(text: &str) -> Result<i32, BadPeriod> {
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadPeriod);
    }
    let year: i32 = text.parse().map_err(|_| BadPeriod)?;
    if YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(BadPeriod)
    }
}

impl FromStr for Period {
    type Err = BadPeriod;

    fn from_str(text: &str) -> Result<Self, BadPeriod> {
        match text.split_once('/') {
            None => parse_year(text).map(Period::year),
            Some((start, end)) => {
                let (start, end) = (parse_year(start)?, parse_year(end)?);
                if end > start {
                    Ok(Period { start, end })
                } else {
                    Err(BadPeriod)
                }
            }
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_span() {
            write!(f, "{}/{}", self.start, self.end)
        } else {
            write!(f, "{}", self.start)
        }
    }
}

/// One of Eurostat's observation flags that the format allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flag {
    /// `p`: provisional.
    Provisional,
    /// `e`: estimated.
    Estimated,
    /// `b`: break in series.
    Break,
    /// `u`: low reliability.
    LowReliability,
    /// `d`: definition differs (see the notes).
    DefinitionDiffers,
}

impl Flag {
    /// Every flag, in the order of the format's documentation.
    pub const ALL: [Flag; 5] = [
        Flag::Provisional,
        Flag::Estimated,
        Flag::Break,
        Flag::LowReliability,
        Flag::DefinitionDiffers,
    ];

    /// The letter written in data files.
    pub fn letter(self) -> char {
        match self {
            Flag::Provisional => 'p',
            Flag::Estimated => 'e',
            Flag::Break => 'b',
            Flag::LowReliability => 'u',
            Flag::DefinitionDiffers => 'd',
        }
    }

    /// The flag a letter stands for.
    pub fn from_letter(letter: char) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.letter() == letter)
    }

    /// Eurostat's English meaning.
    pub fn meaning(self) -> &'static str {
        match self {
            Flag::Provisional => "provisional",
            Flag::Estimated => "estimated",
            Flag::Break => "break in series",
            Flag::LowReliability => "low reliability",
            Flag::DefinitionDiffers => "definition differs",
        }
    }
}

/// The flags of one observation: none, or each of [`Flag`] at most once, kept in the order written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Flags(Vec<Flag>);

/// A flag field with a letter outside `pebud`, or a letter twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadFlags;

impl Flags {
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `flag` is among them.
    pub fn contains(&self, flag: Flag) -> bool {
        self.0.contains(&flag)
    }

    /// The flags in the order written.
    pub fn iter(&self) -> impl Iterator<Item = Flag> + '_ {
        self.0.iter().copied()
    }

    /// The flags of either, in key order: what a value computed from two observations carries.
    pub fn union(&self, other: &Flags) -> Flags {
        Flags(
            Flag::ALL
                .into_iter()
                .filter(|f| self.contains(*f) || other.contains(*f))
                .collect(),
        )
    }
}

impl FromStr for Flags {
    type Err = BadFlags;

    fn from_str(text: &str) -> Result<Self, BadFlags> {
        let mut flags = Vec::new();
        for letter in text.chars() {
            let flag = Flag::from_letter(letter).ok_or(BadFlags)?;
            if flags.contains(&flag) {
                return Err(BadFlags);
            }
            flags.push(flag);
        }
        Ok(Flags(flags))
    }
}

impl fmt::Display for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0
            .iter()
            .try_for_each(|flag| write!(f, "{}", flag.letter()))
    }
}

/// What an indicator's values measure. More units can follow; each says which values it admits.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Unit {
    /// A number of things: 0 or more.
    Count,
    /// A percentage: 0 to 100.
    Percent,
}

impl Unit {
    /// The name written in sidecars and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Percent => "percent",
        }
    }

    /// Whether `value` is admissible, and if not, what is wrong with it.
    pub(crate) fn check(self, value: f64) -> Result<(), crate::ProblemKind> {
        match self {
            Unit::Count if value < 0.0 => Err(crate::ProblemKind::NegativeCount { value }),
            Unit::Percent if !(0.0..=100.0).contains(&value) => {
                Err(crate::ProblemKind::PercentOutOfRange { value })
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_and_print_back() {
        for text in ["2016", "2018/2022", "1900", "2100"] {
            assert_eq!(
                text.parse::<Period>().map(|p| p.to_string()),
                Ok(text.into())
            );
        }
        assert_eq!(
            "2018/2022".parse(),
            Ok(Period {
                start: 2018,
                end: 2022
            })
        );
    }

    #[test]
    fn bad_periods_are_refused() {
        for text in [
            "",
            "16",
            "2016 ",
            "2022/2018",
            "2018/2018",
            "2018-2022",
            "1899",
            "2101",
            "20a6",
            "2018/",
            "/2018",
            "2018/2020/2022",
            "+201",
        ] {
            assert_eq!(text.parse::<Period>(), Err(BadPeriod), "{text:?}");
        }
    }

    #[test]
    fn overlap_counts_shared_years() {
        let span: Period = "2018/2022".parse().unwrap_or(Period::year(0));
        assert!(span.overlaps(2022, 2030));
        assert!(span.overlaps(2010, 2018));
        assert!(!span.overlaps(2023, 2030));
        assert!(!span.overlaps(2000, 2017));
    }

    #[test]
    fn flags_are_a_set_of_letters() {
        let flags: Flags = "ud".parse().unwrap_or_default();
        assert!(flags.contains(Flag::LowReliability) && flags.contains(Flag::DefinitionDiffers));
        assert_eq!(flags.to_string(), "ud");
        assert_eq!("".parse::<Flags>().map(|f| f.is_empty()), Ok(true));
        for bad in ["x", "pp", "P", "p ", "c"] {
            assert_eq!(bad.parse::<Flags>(), Err(BadFlags), "{bad:?}");
        }
    }

    #[test]
    fn values_are_bounded() {
        for good in [0.0, -0.0, 1e-9, 180.0, -2.5, 1e15, -1e15] {
            assert!(in_bounds(good), "{good}");
        }
        for bad in [
            f64::INFINITY,
            f64::NAN,
            1e-10,
            1e15 + 1.0,
            -1e16,
            1e-300,
            1e300,
        ] {
            assert!(!in_bounds(bad), "{bad}");
        }
    }

    #[test]
    fn control_characters_and_noncharacters_are_found() {
        assert_eq!(forbidden_char("plain text, æøå", false), None);
        assert_eq!(forbidden_char("a\tb\r\nc", true), None);
        assert_eq!(forbidden_char("a\tb", false), Some((1, '\t')));
        assert_eq!(forbidden_char("ab\u{1}", true), Some((2, '\u{1}')));
        assert_eq!(forbidden_char("\u{7f}", true), Some((0, '\u{7f}')));
        assert_eq!(forbidden_char("x\u{fffe}", true), Some((1, '\u{fffe}')));
        assert_eq!(forbidden_char("\u{10ffff}", true), Some((0, '\u{10ffff}')));
        assert_eq!(forbidden_char("\u{fdd0}", true), Some((0, '\u{fdd0}')));
        assert_eq!(forbidden_char("\u{fffd}", true), None);
    }

    #[test]
    fn units_admit_their_ranges() {
        assert!(Unit::Percent.check(0.43).is_ok() && Unit::Percent.check(100.0).is_ok());
        assert!(Unit::Percent.check(100.5).is_err() && Unit::Percent.check(-1.0).is_err());
        assert!(Unit::Count.check(0.0).is_ok() && Unit::Count.check(-3.0).is_err());
    }
}
