//! Errors of the ingest crate.
//!
//! Policy: a problem with the *content* of a dataset's files is a [`Problem`]. It carries the
//! file, line and column, and says what is wrong and what is allowed instead. Loading collects
//! every problem it finds (up to [`MAX_PROBLEMS`]) and returns them together as
//! [`Error::Invalid`]: it never stops at the first, never returns a partial dataset, and never
//! panics. A failure to read a file or folder at all is [`Error::Io`].

use std::fmt;
use std::path::PathBuf;

/// The most problems one load reports; the rest are counted, not listed.
pub const MAX_PROBLEMS: usize = 200;

/// The columns a data file's header must name, in the canonical order.
pub const COLUMNS: [&str; 6] = ["country", "period", "value", "flag", "source", "note"];

/// Columns a data file may add after [`COLUMNS`]: the row's note in Swedish and in Norwegian
/// Bokmål, shown in those languages instead of `note` (which stays the English one).
pub const NOTE_COLUMNS: [&str; 2] = ["note_sv", "note_nb"];

/// Where a problem is: a file, a 1-based line and a 1-based column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file as the user named it (a path, or `data/…` for the embedded dataset).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

impl Location {
    /// The start of `file`, for problems that belong to the file as a whole.
    pub fn start_of(file: &str) -> Self {
        Self::new(file, 1, 1)
    }

    /// A location at `line` and `column` of `file`.
    pub fn new(file: &str, line: usize, column: usize) -> Self {
        Self {
            file: file.to_owned(),
            line,
            column,
        }
    }

    /// The location of byte `offset` in `text`.
    pub fn at_offset(file: &str, text: &str, offset: usize) -> Self {
        Self::within(file, 1, text, offset)
    }

    /// The location of byte `offset` in `text`, where `text` begins at the start of `line`.
    pub fn within(file: &str, line: usize, text: &str, offset: usize) -> Self {
        let before = text.get(..offset).unwrap_or(text);
        let line = line + before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Self::new(file, line, column)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One thing wrong with a dataset's files, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{location}: {kind}")]
pub struct Problem {
    /// Where it is.
    pub location: Location,
    /// What it is.
    pub kind: ProblemKind,
}

/// What is wrong. Each message says what is allowed instead.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProblemKind {
    /// The file has no bytes (or only a byte-order mark and blank space).
    #[error(
        "the file is empty; its first line must be the header country,period,value,flag,source,note"
    )]
    EmptyFile,
    /// A folder with no data files in it.
    #[error("no data files here; an indicator is two files, <id>.csv and its sidecar <id>.toml")]
    NoDatasets,
    /// The file has a header and nothing else.
    #[error("the file has a header but no rows; add at least one observation")]
    NoRows,
    /// The file is not UTF-8.
    #[error("invalid UTF-8 (byte 0x{byte:02X}); save the file as UTF-8")]
    InvalidUtf8 {
        /// The first byte that is not valid.
        byte: u8,
    },
    /// The header lacks a column.
    #[error(
        "missing column `{name}`; the header must name all of country, period, value, flag, source, note"
    )]
    MissingColumn {
        /// The column that is missing.
        name: &'static str,
    },
    /// The header has a column that is not part of the format.
    #[error(
        "unknown column `{name}`; the allowed columns are country, period, value, flag, source, note, and optionally note_sv and note_nb"
    )]
    UnknownColumn {
        /// The column as written.
        name: String,
    },
    /// The header names a column twice.
    #[error("column `{name}` appears twice in the header; name each column once")]
    DuplicateColumn {
        /// The column as written.
        name: String,
    },
    /// A row has more or fewer fields than the header.
    #[error(
        "the row has {found} fields but the header has {expected}; quote a field that contains `{separator}`, like \"a{separator} b\""
    )]
    FieldCount {
        /// Fields in the row.
        found: usize,
        /// Fields in the header.
        expected: usize,
        /// The file's separator.
        separator: char,
    },
    /// The CSV reader could not read a row.
    #[error("cannot read this row ({message}); check its quotes")]
    BadRow {
        /// What the reader said.
        message: String,
    },
    /// A value is not a plain decimal number.
    #[error("value `{text}` is not a number; write digits such as 180 or 0.43{}", decimal_hint(*.separator))]
    NotANumber {
        /// The value as written.
        text: String,
        /// The file's separator, which decides the decimal mark.
        separator: char,
    },
    /// A number too large or too small in magnitude (or one that overflows).
    #[error(
        "value `{text}` is out of bounds; a value is 0, or between 0.000000001 and 1000000000000000 (1e15) in size"
    )]
    OutOfBounds {
        /// The value as written.
        text: String,
    },
    /// A control character or a Unicode noncharacter.
    #[error(
        "character U+{code:04X} is not allowed here (a control character or a noncharacter); remove it{}",
        if *.lines { "" } else { " (tabs and line breaks are allowed only in notes and descriptions)" }
    )]
    ForbiddenChar {
        /// The character's code point.
        code: u32,
        /// Whether tabs and line breaks would have been allowed.
        lines: bool,
    },
    /// A text longer than the format allows.
    #[error("the {what} is {length} characters long; shorten it to at most {max}")]
    TooLong {
        /// Which text.
        what: String,
        /// Its length in characters.
        length: usize,
        /// The limit.
        max: usize,
    },
    /// A symbolic link to a file outside the data folder.
    #[error(
        "this is a link to a file outside the data folder, which is not read; copy the file into the folder instead"
    )]
    LinkOutside,
    /// A file over the size limit.
    #[error("the file is {bytes} bytes; a data file or sidecar may have at most {max}")]
    FileTooLarge {
        /// Its size.
        bytes: u64,
        /// The limit.
        max: u64,
    },
    /// A quote opened and never closed: the rest of the file would be one field.
    #[error(
        "a quote opens here and is never closed, so the rest of the file would be read as one field; close it with \", or write a quote inside a quoted field as \"\""
    )]
    UnclosedQuote,
    /// A percentage outside 0–100.
    #[error("value {value} is outside 0–100, the range of a percentage")]
    PercentOutOfRange {
        /// The value.
        value: f64,
    },
    /// A negative count.
    #[error("value {value} is negative; a count must be 0 or more")]
    NegativeCount {
        /// The value.
        value: f64,
    },
    /// An empty value with no flag.
    #[error(
        "the value is empty but no flag says why; give the value, or a flag such as u (low reliability) and a note"
    )]
    EmptyValueWithoutFlag,
    /// Not an ISO 3166-1 alpha-2 code.
    #[error("unknown country `{code}`; use an ISO 3166-1 alpha-2 code in upper case, such as NO or SE{}", upper_hint(.code))]
    UnknownCountry {
        /// The code as written.
        code: String,
    },
    /// A period that is neither `YYYY` nor `YYYY/YYYY` with end after start.
    #[error(
        "bad period `{text}`; write a year such as 2016, or a span such as 2018/2022 whose end is after its start (years 1900–2100)"
    )]
    BadPeriod {
        /// The period as written.
        text: String,
    },
    /// The same country and period twice.
    #[error("duplicate row for {country} {period}; line {first_line} has it already, so keep one")]
    Duplicate {
        /// Country code.
        country: String,
        /// Period as written.
        period: String,
        /// The line of the first row.
        first_line: usize,
    },
    /// A flag letter outside the Eurostat set the format allows.
    #[error(
        "unknown flag `{flag}`; use none, or one or more of p (provisional), e (estimated), b (break in series), u (low reliability), d (definition differs), each once"
    )]
    UnknownFlag {
        /// The flag field as written.
        flag: String,
    },
    /// A source id that the sidecar does not declare.
    #[error("source `{id}` is not declared in the sidecar; declared: {declared}")]
    UndeclaredSource {
        /// The id as written.
        id: String,
        /// The ids the sidecar declares, comma separated.
        declared: String,
    },
    /// A declared denominator that is not an indicator of the dataset.
    #[error("denominator `{id}` is not an indicator here; the indicators are: {known}")]
    UnknownDenominator {
        /// The id as written.
        id: String,
        /// The dataset's indicator ids, comma separated.
        known: String,
    },
    /// A like-for-like indicator that is not an indicator of the dataset.
    #[error("like-for-like indicator `{id}` is not an indicator here; the indicators are: {known}")]
    UnknownLikeForLike {
        /// The id as written.
        id: String,
        /// The dataset's indicator ids, comma separated.
        known: String,
    },
    /// A declared denominator whose values are not counts.
    #[error(
        "denominator `{id}` has unit {unit}; a share divides by a count of the same population, so name an indicator whose unit is count"
    )]
    DenominatorNotCount {
        /// The denominator's id.
        id: String,
        /// Its unit.
        unit: String,
    },
    /// A default country with no rows in the data file.
    #[error(
        "default country `{code}` has no rows in the data file; the countries with rows are: {countries}"
    )]
    DefaultCountryWithoutRows {
        /// The code as written.
        code: String,
        /// The countries with rows, comma separated.
        countries: String,
    },
    /// A data file without its sidecar.
    #[error(
        "no sidecar `{expected}` beside this file; every data file needs one with id, title, description, unit, decimals and sources"
    )]
    MissingSidecar {
        /// The sidecar's expected file name.
        expected: String,
    },
    /// A sidecar without its data file.
    #[error("no data file `{expected}` beside this sidecar; add it, or remove the sidecar")]
    MissingData {
        /// The data file's expected file name.
        expected: String,
    },
    /// A sidecar's `id` differs from its file name.
    #[error("id `{id}` does not match the file name; write id = \"{expected}\"")]
    IdMismatch {
        /// The id as written.
        id: String,
        /// The id the file name asks for.
        expected: String,
    },
    /// A file name that cannot be an indicator id.
    #[error(
        "file name `{name}` cannot be an indicator id; use lower-case letters, digits and single hyphens, such as innovation-procurements"
    )]
    BadFileName {
        /// The file stem.
        name: String,
    },
    /// The sidecar is not valid TOML, or does not fit the sidecar's schema.
    #[error("sidecar: {message}")]
    Sidecar {
        /// What the TOML reader or the schema check said, and what to change.
        message: String,
    },
}

fn decimal_hint(separator: char) -> &'static str {
    if separator == ';' {
        " (with the `;` separator a decimal comma such as 0,43 works too)"
    } else {
        " (use a decimal point; a decimal comma needs the `;` separator)"
    }
}

fn upper_hint(code: &str) -> String {
    let upper = code.to_ascii_uppercase();
    if upper != code && crate::country::is_iso_alpha2(&upper) {
        format!(" (write `{upper}`)")
    } else {
        String::new()
    }
}

/// Why a dataset could not be loaded.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read at all.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// What was being read.
        path: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
    /// The files were read, and something in them is wrong. Nothing was loaded.
    #[error("{}", Problems(problems, *more))]
    Invalid {
        /// The problems, in file and line order, at most [`MAX_PROBLEMS`].
        problems: Vec<Problem>,
        /// How many more were found and not listed.
        more: usize,
    },
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    WriteFile {
        /// The file or folder.
        path: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
    /// An indicator's files could not be written out (a bug, not bad input).
    #[error("cannot write the files of {id}: {message}")]
    Write {
        /// The indicator.
        id: String,
        /// Why.
        message: String,
    },
    /// The validated rows could not be put into a polars frame (a bug, not bad input).
    #[error("cannot build the data frame: {0}")]
    Frame(#[from] polars::error::PolarsError),
}

struct Problems<'a>(&'a [Problem], usize);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        if self.1 > 0 {
            write!(f, "\n… and {} more problems", self.1)?;
        }
        Ok(())
    }
}

/// Collects problems up to [`MAX_PROBLEMS`], counting the rest.
#[derive(Debug, Default)]
pub(crate) struct Collector {
    problems: Vec<Problem>,
    more: usize,
}

impl Collector {
    pub(crate) fn push(&mut self, location: Location, kind: ProblemKind) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem { location, kind });
        } else {
            self.more += 1;
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    pub(crate) fn into_problems(self) -> Vec<Problem> {
        self.problems
    }

    pub(crate) fn into_error(mut self) -> Error {
        self.problems.sort_by(|a, b| a.location.cmp(&b.location));
        Error::Invalid {
            problems: self.problems,
            more: self.more,
        }
    }
}
