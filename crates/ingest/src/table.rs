//! A data file, `<id>.csv`, in any of the dialects real files come in: `,` or `;` as the
//! separator (detected from the header), a decimal comma with `;`, a UTF-8 byte-order mark,
//! CRLF line ends, and quoted fields holding separators, quotes and newlines.

use std::collections::HashMap;

use csv_core::ReadFieldResult;

use crate::country::is_iso_alpha2;
use crate::error::{COLUMNS, Collector, Location, NOTE_COLUMNS, ProblemKind};
use crate::meta::{Metadata, undeclared_source};
use crate::model::{Flags, Period, forbidden_char, in_bounds, limits};

/// One observation: a country's value for a year or span.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    /// Year or span.
    pub period: Period,
    /// The value; `None` only where a flag says why.
    pub value: Option<f64>,
    /// Flags, possibly none.
    pub flags: Flags,
    /// The id of a source declared in the sidecar.
    pub source: String,
    /// Free text; may be empty.
    pub note: String,
    /// The note in Swedish, where the data gives one (`note_sv`); else empty.
    pub note_sv: String,
    /// The note in Norwegian Bokmål, where the data gives one (`note_nb`); else empty.
    pub note_nb: String,
}

impl Observation {
    /// The row's note in `lang`: its Swedish or Norwegian note where the data gives one, else
    /// the English `note`.
    pub fn note_in(&self, lang: crate::Lang) -> &str {
        let translated = match lang {
            crate::Lang::Sv => &self.note_sv,
            crate::Lang::Nb => &self.note_nb,
            crate::Lang::En => &self.note,
        };
        if translated.is_empty() {
            &self.note
        } else {
            translated
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads one data file on its own, without a sidecar (so source ids and units are not
/// checked) and without building a frame: the rows that passed, and every problem found
/// (up to [`crate::MAX_PROBLEMS`]). For tools and fuzzing; [`crate::Dataset`] loads folders.
pub fn read_data_file(file: &str, bytes: &[u8]) -> (Vec<Observation>, Vec<crate::Problem>) {
    let mut problems = Collector::default();
    let rows = parse(file, bytes, None, &mut problems);
    (rows, problems.into_problems())
}

/// Reads and checks one data file. Problems go to `problems`; only rows without problems are
/// returned. `meta` is the sidecar, where it could be read, to check source ids against.
pub(crate) fn parse(
    file: &str,
    bytes: &[u8],
    meta: Option<&Metadata>,
    problems: &mut Collector,
) -> Vec<Observation> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let byte = bytes[err.valid_up_to()];
            let location = Location::at_offset(file, valid, valid.len());
            problems.push(location, ProblemKind::InvalidUtf8 { byte });
            return Vec::new();
        }
    };
    if text.trim().is_empty() {
        problems.push(Location::start_of(file), ProblemKind::EmptyFile);
        return Vec::new();
    }
    let mut rest = text;
    while let Some((at, c)) = forbidden_char(rest, true) {
        let offset = text.len() - rest.len() + at;
        let kind = ProblemKind::ForbiddenChar {
            code: u32::from(c),
            lines: true,
        };
        problems.push(Location::at_offset(file, text, offset), kind);
        rest = &rest[at + c.len_utf8()..];
    }
    let separator = detect_separator(text);
    // An unclosed quote would make the rest of the file one field, and so hide every row after
    // it. Report it where it opens, and read the rows before that line only.
    let unclosed = unclosed_quote(text, separator);
    let text = match unclosed {
        Some(offset) => {
            problems.push(
                Location::at_offset(file, text, offset),
                ProblemKind::UnclosedQuote,
            );
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            &text[..line_start]
        }
        None => text,
    };
    let mut table = Table {
        file,
        text,
        separator,
        cut: unclosed.is_some(),
        problems,
        fields: csv_core::ReaderBuilder::new().delimiter(separator).build(),
    };
    table.rows(meta)
}

/// The byte offset of a quote that opens a field and is never closed, read as the `csv` crate
/// reads: a quote opens a field only as its first character, and `""` inside is a quote.
fn unclosed_quote(text: &str, separator: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut at, mut field_start) = (0, true);
    while at < bytes.len() {
        let b = bytes[at];
        if field_start && b == b'"' {
            let open = at;
            at += 1;
            loop {
                match memchr::memchr(b'"', &bytes[at..]) {
                    None => return Some(open),
                    Some(i) if bytes.get(at + i + 1) == Some(&b'"') => at += i + 2,
                    Some(i) => {
                        at += i + 1;
                        break;
                    }
                }
            }
            field_start = false;
            continue;
        }
        field_start = b == separator || b == b'\n' || b == b'\r';
        at += 1;
    }
    None
}

/// `;` if the header line has more semicolons than commas outside quotes, else `,`.
fn detect_separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

struct Table<'a> {
    file: &'a str,
    text: &'a str,
    separator: u8,
    /// Whether the text was cut short at an unclosed quote (already reported).
    cut: bool,
    problems: &'a mut Collector,
    /// The field finder of [`Table::locate`], built once: building its automaton per record
    /// cost more than reading the record.
    fields: csv_core::Reader,
}

/// The position of each field of one record: its first line and its text from there.
struct Record<'a> {
    line: usize,
    raw: &'a str,
    starts: Vec<usize>,
}

impl Record<'_> {
    fn location(&self, file: &str, field: usize) -> Location {
        let offset = self.starts.get(field).copied().unwrap_or(0);
        Location::within(file, self.line, self.raw, offset)
    }
}

impl<'a> Table<'a> {
    fn rows(&mut self, meta: Option<&Metadata>) -> Vec<Observation> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.separator)
            .has_headers(false)
            .flexible(true)
            .from_reader(self.text.as_bytes());
        let mut records = reader.records();
        let Some(header) = records.next() else {
            self.problems
                .push(Location::start_of(self.file), ProblemKind::EmptyFile);
            return Vec::new();
        };
        let Some(columns) = header.ok().and_then(|header| self.header(&header)) else {
            return Vec::new();
        };

        let mut observations = Vec::new();
        let mut seen: HashMap<(String, Period), usize> = HashMap::new();
        let mut any_rows = false;
        for record in records {
            let record = match record {
                Ok(record) => record,
                Err(err) => {
                    // The text is valid UTF-8 and rows may vary in length, so the reader has
                    // nothing left to refuse; report it anyway rather than lose it.
                    let line = err.position().map_or(1, |p| p.line() as usize);
                    self.problems.push(
                        Location::new(self.file, line, 1),
                        ProblemKind::BadRow {
                            message: err.to_string(),
                        },
                    );
                    break;
                }
            };
            if record.iter().all(|field| field.trim().is_empty()) {
                continue;
            }
            any_rows = true;
            let position = self.locate(&record);
            if record.len() != columns.width {
                self.problems.push(
                    position.location(self.file, 0),
                    ProblemKind::FieldCount {
                        found: record.len(),
                        expected: columns.width,
                        separator: char::from(self.separator),
                    },
                );
                continue;
            }
            let field = |name: &str| {
                let index = match NOTE_COLUMNS.iter().position(|c| *c == name) {
                    Some(note) => match columns.notes[note] {
                        Some(index) => index,
                        None => return ("", usize::MAX),
                    },
                    None => columns.required[COLUMNS.iter().position(|c| *c == name).unwrap_or(0)],
                };
                (record[index].trim(), index)
            };
            if let Some(obs) = self.observation(&position, field, meta, &mut seen) {
                observations.push(obs);
            }
        }
        if !any_rows && !self.cut {
            self.problems
                .push(Location::new(self.file, 2, 1), ProblemKind::NoRows);
        }
        observations
    }

    /// The field index of each of [`COLUMNS`] and of each [`NOTE_COLUMNS`] given, and the
    /// number of fields a row has; or `None` after reporting what is wrong.
    fn header(&mut self, header: &csv::StringRecord) -> Option<Columns> {
        let position = self.locate(header);
        let mut found: [Option<usize>; 6] = [None; 6];
        let mut notes: [Option<usize>; 2] = [None; 2];
        let mut ok = true;
        for (index, name) in header.iter().enumerate() {
            let name = name.trim();
            let slot = match (
                COLUMNS.iter().position(|c| *c == name),
                NOTE_COLUMNS.iter().position(|c| *c == name),
            ) {
                (Some(column), _) => Some(&mut found[column]),
                (None, Some(column)) => Some(&mut notes[column]),
                (None, None) => None,
            };
            match slot {
                Some(slot) if slot.is_none() => *slot = Some(index),
                Some(_) => {
                    ok = false;
                    self.problems.push(
                        position.location(self.file, index),
                        ProblemKind::DuplicateColumn { name: name.into() },
                    );
                }
                None => {
                    ok = false;
                    self.problems.push(
                        position.location(self.file, index),
                        ProblemKind::UnknownColumn { name: name.into() },
                    );
                }
            }
        }
        for (column, index) in found.iter().enumerate() {
            if index.is_none() {
                ok = false;
                self.problems.push(
                    Location::start_of(self.file),
                    ProblemKind::MissingColumn {
                        name: COLUMNS[column],
                    },
                );
            }
        }
        ok.then(|| Columns {
            required: found.map(|index| index.unwrap_or(0)),
            notes,
            width: header.len(),
        })
    }

    /// Where each field of `record` starts in the file.
    ///
    /// The `csv` crate gives a record's first line and byte, but not its fields' places in the
    /// raw text (quotes and escapes shift them), so `csv-core` re-reads the record's raw bytes.
    fn locate(&mut self, record: &csv::StringRecord) -> Record<'a> {
        let (line, byte) = record
            .position()
            .map_or((1, 0), |p| (p.line() as usize, p.byte() as usize));
        let text: &'a str = self.text;
        let raw = text.get(byte..).unwrap_or_default();
        let reader = &mut self.fields;
        reader.reset();
        let mut output = [0; 4096];
        let (mut starts, mut at) = (vec![0], 0);
        while at < raw.len() {
            let (result, read, _) = reader.read_field(&raw.as_bytes()[at..], &mut output);
            at += read;
            match result {
                ReadFieldResult::OutputFull => {}
                ReadFieldResult::Field { record_end: false } => starts.push(at),
                _ => break,
            }
        }
        Record { line, raw, starts }
    }

    fn observation<'r>(
        &mut self,
        record: &Record<'_>,
        field: impl Fn(&str) -> (&'r str, usize),
        meta: Option<&Metadata>,
        seen: &mut HashMap<(String, Period), usize>,
    ) -> Option<Observation> {
        let mut ok = true;
        let mut problem = |name: &str, kind: ProblemKind| {
            ok = false;
            self.problems
                .push(record.location(self.file, field(name).1), kind);
        };

        let (country, _) = field("country");
        if !is_iso_alpha2(country) {
            problem(
                "country",
                ProblemKind::UnknownCountry {
                    code: country.into(),
                },
            );
        }
        let (period_text, _) = field("period");
        let period = period_text.parse::<Period>().ok();
        if period.is_none() {
            problem(
                "period",
                ProblemKind::BadPeriod {
                    text: period_text.into(),
                },
            );
        }
        let (flag_text, _) = field("flag");
        let flags = flag_text.parse::<Flags>().unwrap_or_else(|_| {
            problem(
                "flag",
                ProblemKind::UnknownFlag {
                    flag: flag_text.into(),
                },
            );
            Flags::default()
        });
        let (value_text, _) = field("value");
        let value = if value_text.is_empty() {
            if flag_text.is_empty() {
                problem("value", ProblemKind::EmptyValueWithoutFlag);
            }
            None
        } else {
            match parse_number(value_text, self.separator) {
                Some(value) if !in_bounds(value) => {
                    problem(
                        "value",
                        ProblemKind::OutOfBounds {
                            text: value_text.chars().take(40).collect(),
                        },
                    );
                    None
                }
                Some(value) => {
                    if let Some(Err(kind)) = meta.map(|m| m.unit.check(value)) {
                        problem("value", kind);
                    }
                    Some(value)
                }
                None => {
                    problem(
                        "value",
                        ProblemKind::NotANumber {
                            text: value_text.into(),
                            separator: char::from(self.separator),
                        },
                    );
                    None
                }
            }
        };
        let (source, _) = field("source");
        if let Some(meta) = meta
            && meta.source(source).is_none()
        {
            problem("source", undeclared_source(source, &meta.sources));
        }
        let (note, _) = field("note");
        let (note_sv, _) = field("note_sv");
        let (note_nb, _) = field("note_nb");
        for (name, text) in [("note", note), ("note_sv", note_sv), ("note_nb", note_nb)] {
            let length = text.chars().count();
            if length > limits::ROW_NOTE {
                problem(
                    name,
                    ProblemKind::TooLong {
                        what: name.into(),
                        length,
                        max: limits::ROW_NOTE,
                    },
                );
            }
        }
        if let Some(period) = period
            && let Some(&first_line) = seen.get(&(country.to_owned(), period))
        {
            problem(
                "period",
                ProblemKind::Duplicate {
                    country: country.into(),
                    period: period.to_string(),
                    first_line,
                },
            );
        }
        let period = period?;
        seen.entry((country.to_owned(), period))
            .or_insert(record.line);
        ok.then(|| Observation {
            country: country.into(),
            period,
            value,
            flags,
            source: source.into(),
            note: note.into(),
            note_sv: note_sv.into(),
            note_nb: note_nb.into(),
        })
    }
}

/// Where a file's columns are.
struct Columns {
    /// The field index of each of [`COLUMNS`].
    required: [usize; 6],
    /// The field index of each of [`NOTE_COLUMNS`], where given.
    notes: [Option<usize>; 2],
    /// How many fields each row has.
    width: usize,
}

/// A plain decimal number: an optional minus, digits, and optionally a decimal mark and digits.
/// With the `;` separator the decimal mark may be a comma. No exponents, no thousands
/// separators, no `NaN` or `inf`, which `str::parse::<f64>` would all let through.
fn parse_number(text: &str, separator: u8) -> Option<f64> {
    let text = if separator == b';' && !text.contains('.') {
        text.replacen(',', ".", 1)
    } else {
        text.to_owned()
    };
    let digits = text.strip_prefix('-').unwrap_or(&text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if all_digits(whole) && all_digits(fraction) {
        text.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_both_decimal_marks() {
        assert_eq!(parse_number("180", b','), Some(180.0));
        assert_eq!(parse_number("0.43", b','), Some(0.43));
        assert_eq!(parse_number("-2.5", b','), Some(-2.5));
        assert_eq!(parse_number("0,43", b';'), Some(0.43));
        assert_eq!(parse_number("0.43", b';'), Some(0.43));
        for bad in [
            "0,43", "1e5", "NaN", "inf", "1 000", ".5", "5.", "+5", "1.2.3", "", "-",
        ] {
            assert_eq!(parse_number(bad, b','), None, "{bad:?}");
        }
        for bad in ["1.234,5", "1,2,3", "18 330"] {
            assert_eq!(parse_number(bad, b';'), None, "{bad:?}");
        }
    }

    #[test]
    fn unclosed_quotes_are_found_where_they_open() {
        assert_eq!(unclosed_quote("a,b\n\"x,y\"\n", b','), None);
        assert_eq!(unclosed_quote("a,\"b \"\"q\"\" c\"\n", b','), None);
        assert_eq!(unclosed_quote("a,b\nc,\"d\ne,f\n", b','), Some(6));
        assert_eq!(
            unclosed_quote("a,b\"c\n", b','),
            None,
            "a quote inside a field is text"
        );
        assert_eq!(unclosed_quote("a;\"b\"\"", b';'), Some(2));
        assert_eq!(unclosed_quote("\"", b','), Some(0));
    }

    #[test]
    fn separator_is_read_from_the_header() {
        assert_eq!(
            detect_separator("country;period;value;flag;source;note\n1,2"),
            b';'
        );
        assert_eq!(
            detect_separator("country,period,value,flag,source,note\n1;2;3"),
            b','
        );
        assert_eq!(detect_separator("\"a;b\",c,d\n"), b',');
    }
}
