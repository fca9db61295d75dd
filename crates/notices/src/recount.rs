//! A recount: every input read once, in the layout found for it, with its notices counted
//! distinct per country and year under each definition.
//!
//! Threads: this one reads the inputs (`csvscan.rs` for the CSV layouts, `uhm.rs` for xlsx,
//! `eforms.rs` for XML); a second puts the notices into their sets (`distinct.rs`) and writes
//! the notice table, if asked. Each input is hashed (SHA-256, for the sidecars' citations) as
//! it is read: a CSV file by the thread that reads it ahead (`ahead.rs`), eForms files by
//! their workers, an xlsx (which `calamine` reads itself) by a third thread beside it. Memory
//! is bounded by the distinct notices, not the input.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::NoticesError;
use crate::csvscan::{self, Row, RowReader, buffered, lines_at};
use crate::definitions::{Kind, Rules};
use crate::distinct::{Counts, Runs, digits};
use crate::doffin::{DOFFIN_COLUMNS, DoffinRows, encoding_of};
use crate::eforms::{EformsReader, holds_notices};
use crate::layout::{EXPECTED, Layout, columns, detect, sniff};
use crate::table::TableWriter;
use crate::ted::TedRows;
use crate::uhm::{UHM_COLUMNS, UhmRows, open_xlsx, scan_xlsx};

/// The most bad rows a run lists; the rest are counted.
pub const MAX_BAD_ROWS: usize = 50;

/// The most inputs one run reads (a folder of notices is one input).
pub const MAX_INPUTS: usize = 1024;

/// What to count and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The labels, form numbers and codes of the definitions.
    pub rules: Rules,
    /// Which notices count where a source mixes kinds.
    pub kind: Kind,
    /// Where to write the notice table (Parquet), if anywhere.
    pub table: Option<PathBuf>,
}

/// An input as read.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// Where it is.
    pub path: PathBuf,
    /// Its file (or folder) name.
    pub name: String,
    /// Its size in bytes (a folder's: the files read in it).
    pub bytes: u64,
    /// SHA-256 of its bytes, in hex. A folder's is the SHA-256 of the `sha256sum` lines of
    /// the files read in it, sorted by path (`find . -type f \( -name '*.xml' -o -name
    /// '*.tar.gz' -o -name '*.tgz' \) | LC_ALL=C sort | xargs sha256sum | sha256sum`, run in
    /// the folder, without the `./`).
    pub sha256: String,
    /// Its layout.
    pub layout: Layout,
    /// Records read: data rows, or notices (XML documents).
    pub rows: u64,
    /// Of those, notices counted (the rest are bad, cancelled or of another kind).
    pub counted: u64,
}

/// Where in an input a bad row is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A byte offset in a CSV file, made a line before it is shown.
    Offset(u64),
    /// A line of a CSV file.
    Line(u64),
    /// A row of a sheet.
    Cell(String),
    /// A document (and an element in it).
    Element(String),
}

/// A row left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// The input's name.
    pub file: String,
    /// Where in it.
    pub place: Place,
    /// What is wrong.
    pub problem: String,
}

impl BadRow {
    /// Where the row is: `FILE:LINE`, `FILE: sheet S, row R`, or `FILE: document: element`.
    pub fn location(&self) -> String {
        match &self.place {
            Place::Line(line) | Place::Offset(line) => format!("{}:{line}", self.file),
            Place::Element(place) if place.is_empty() => self.file.clone(),
            Place::Cell(place) | Place::Element(place) => format!("{}: {place}", self.file),
        }
    }
}

/// Progress through one input.
#[derive(Debug, Clone)]
pub struct Progress<'a> {
    /// The input's name.
    pub file: &'a str,
    /// Bytes read so far.
    pub read: u64,
    /// The input's size, or 0 where it is not known beforehand (a folder).
    pub size: u64,
    /// Files read so far (a folder's), or 0.
    pub files: u64,
    /// The files to read (a folder's), or 0.
    pub files_total: u64,
    /// Records read so far.
    pub records: u64,
    /// What the records are: rows, notices.
    pub noun: &'static str,
    /// Seconds since the input was opened.
    pub seconds: f64,
}

/// What a recount read, found and counted.
#[derive(Debug, Clone)]
pub struct Recount {
    /// The inputs, in the order given.
    pub files: Vec<InputFile>,
    /// Bad rows, at most [`MAX_BAD_ROWS`].
    pub bad_rows: Vec<BadRow>,
    /// How many bad rows there were in all.
    pub bad_total: u64,
    /// Country codes that are not ISO 3166-1 (even after UK→GB, EL→GR, alpha-3 → alpha-2),
    /// with how many country-years they had; left out.
    pub unknown_countries: BTreeMap<String, u64>,
    /// Distinct notices per (country, year), and the inputs (indices into `files`) they
    /// came from.
    pub counts: BTreeMap<(String, i32), (Counts, BTreeSet<u16>)>,
    /// Which notices were counted.
    pub kind: Kind,
    /// The table they were counted by.
    pub rules: Rules,
}

/// One input's pass.
#[derive(Debug, Default)]
pub struct Scanned {
    /// Records read.
    pub records: u64,
    /// Notices counted.
    pub counted: u64,
    /// Bad rows in all.
    pub bad_total: u64,
    /// The first bad rows: where and what.
    pub bad: Vec<(Place, String)>,
    /// The input's size and SHA-256, where the reader found them as it read.
    pub fingerprint: Option<(u64, String)>,
}

impl Scanned {
    /// Counts a record read, and keeps where a bad one is (while fewer than
    /// [`MAX_BAD_ROWS`] are kept).
    pub fn note(&mut self, row: Row, place: impl FnOnce() -> Place) {
        self.records += 1;
        match row {
            Row::Counted => self.counted += 1,
            Row::Skipped => {}
            Row::Bad(problem) => {
                self.bad_total += 1;
                if self.bad.len() < MAX_BAD_ROWS {
                    self.bad.push((place(), problem));
                }
            }
        }
    }
}

/// A year as written: four digits (no spaces) within the years the data format allows.
pub fn parse_year(field: &[u8]) -> Option<i32> {
    let year = match field {
        [_, _, _, _] => digits(field)?,
        _ => return None,
    };
    let year = i32::try_from(year).ok()?;
    indikator_ingest::YEARS.contains(&year).then_some(year)
}

/// A file's name, for messages.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// An input's layout, checked as far as can be without reading it all: a CSV's header, an
/// xlsx's first sheet, a folder's files.
fn layout_of(path: &Path) -> Result<Layout, NoticesError> {
    let io = |source| NoticesError::Io {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    let mut first = Vec::new();
    if meta.is_file() {
        std::fs::File::open(path)
            .map_err(io)?
            .take(64 * 1024)
            .read_to_end(&mut first)
            .map_err(io)?;
        if first.is_empty() {
            return Err(NoticesError::Empty {
                file: file_name(path),
            });
        }
        let end = memchr::memchr2(b'\n', b'\r', &first).unwrap_or(first.len());
        first.truncate(end);
    }
    let Some(layout) = sniff(path, &first) else {
        return Err(NoticesError::UnknownLayout {
            file: file_name(path),
            expected: EXPECTED,
        });
    };
    // The CSV layouts' headers are read as the scan will read them.
    if let Some(delimiter) = delimiter(layout) {
        csv_columns(path, layout, &csvscan::header(path, delimiter)?)?;
    }
    match layout {
        Layout::UhmXlsx => {
            open_xlsx(path)?;
        }
        Layout::Eforms if meta.is_dir() => {
            if !holds_notices(path).map_err(io)? {
                return Err(NoticesError::UnknownLayout {
                    file: file_name(path),
                    expected: "a folder with .xml files or .tar.gz packages of eForms notices in it",
                });
            }
        }
        Layout::Eforms
        | Layout::ContractNotice
        | Layout::AwardNotice
        | Layout::UhmCsv
        | Layout::Doffin => {}
    }
    Ok(layout)
}

/// The columns a CSV layout's rows are read by.
enum Columns {
    Ted(Layout, [usize; 6]),
    Uhm([usize; 5]),
    Doffin([usize; 6]),
}

/// The delimiter of a CSV layout; None for the layouts that are not CSV.
fn delimiter(layout: Layout) -> Option<u8> {
    match layout {
        Layout::ContractNotice | Layout::AwardNotice => Some(b','),
        Layout::UhmCsv | Layout::Doffin => Some(b';'),
        Layout::UhmXlsx | Layout::Eforms => None,
    }
}

/// The columns a CSV layout's rows are read by, from the file's header. A header without
/// them is an error that names those it lacks.
fn csv_columns(path: &Path, layout: Layout, header: &[String]) -> Result<Columns, NoticesError> {
    match layout {
        Layout::UhmCsv => columns(header, UHM_COLUMNS).map(Columns::Uhm),
        Layout::Doffin => columns(header, DOFFIN_COLUMNS).map(Columns::Doffin),
        _ => detect(header).map(|(layout, columns)| Columns::Ted(layout, columns)),
    }
    .map_err(|missing| NoticesError::Header {
        file: file_name(path),
        layout: layout.described(),
        missing,
    })
}

/// Counts the notices in `inputs`. `progress` hears from each input at most about once a
/// second.
pub fn recount(
    inputs: &[PathBuf],
    options: &Options,
    progress: &(dyn Fn(&Progress<'_>) + Sync),
) -> Result<Recount, NoticesError> {
    if inputs.is_empty() {
        return Err(NoticesError::NoInput);
    }
    if inputs.len() > MAX_INPUTS {
        return Err(NoticesError::TooManyInputs {
            given: inputs.len(),
        });
    }
    // A wrong header anywhere stops the run before the long pass.
    let layouts = inputs
        .iter()
        .map(|p| layout_of(p))
        .collect::<Result<Vec<_>, _>>()?;
    let table = match &options.table {
        Some(path) => Some(
            TableWriter::create(path, inputs.iter().map(|p| file_name(p)).collect()).map_err(
                |e| NoticesError::Table {
                    path: path.clone(),
                    message: e.to_string(),
                },
            )?,
        ),
        None => None,
    };
    let (hashes, scanned, counted) = std::thread::scope(|scope| {
        // CSV and eForms inputs are hashed as they are read, once; an xlsx is read by
        // `calamine`, and hashed here beside it.
        let hashing = scope.spawn(|| {
            inputs
                .iter()
                .zip(&layouts)
                .map(|(p, layout)| (*layout == Layout::UhmXlsx).then(|| fingerprint(p)))
                .collect::<Vec<_>>()
        });
        let (mut runs, sets) = Runs::new(table);
        let counting = scope.spawn(|| sets.fill());
        let scanned = inputs
            .iter()
            .zip(&layouts)
            .enumerate()
            .map(|(i, (path, layout))| {
                let input = u16::try_from(i).unwrap_or(u16::MAX);
                scan(path, *layout, input, options, &mut runs, progress)
            })
            .collect::<Result<Vec<_>, _>>();
        let groups = runs.finish();
        (
            hashing.join(),
            scanned,
            counting
                .join()
                .map(|sets| sets.map(|sets| sets.counts(&groups))),
        )
    });
    let stopped = |what: &'static str| NoticesError::Stopped { what };
    let hashes = hashes.map_err(|_| stopped("hashing"))?;
    let scanned = scanned?;
    let (counts, unknown_countries) =
        counted
            .map_err(|_| stopped("counting"))?
            .map_err(|e| NoticesError::Table {
                path: options.table.clone().unwrap_or_default(),
                message: e.to_string(),
            })?;
    let mut files = Vec::new();
    let mut bad_rows = Vec::new();
    let mut bad_total = 0;
    for (((path, layout), scan), hash) in inputs.iter().zip(&layouts).zip(scanned).zip(hashes) {
        let io = |source| NoticesError::Io {
            path: path.clone(),
            source,
        };
        let name = file_name(path);
        bad_total += scan.bad_total;
        let listed = scan
            .bad
            .len()
            .min(MAX_BAD_ROWS.saturating_sub(bad_rows.len()));
        let offsets: Vec<u64> = scan.bad[..listed]
            .iter()
            .filter_map(|(place, _)| match place {
                Place::Offset(at) => Some(*at),
                _ => None,
            })
            .collect();
        let mut lines = lines_at(path, &offsets).map_err(io)?.into_iter();
        for (place, problem) in scan.bad.into_iter().take(listed) {
            let place = match place {
                Place::Offset(_) => Place::Line(lines.next().unwrap_or(0)),
                other => other,
            };
            bad_rows.push(BadRow {
                file: name.clone(),
                place,
                problem,
            });
        }
        let (bytes, sha256) = match (hash, scan.fingerprint) {
            (Some(hash), _) => hash.map_err(io)?,
            (None, Some(fingerprint)) => fingerprint,
            (None, None) => (0, String::new()),
        };
        files.push(InputFile {
            path: path.clone(),
            name,
            bytes,
            sha256,
            layout: *layout,
            rows: scan.records,
            counted: scan.counted,
        });
    }
    Ok(Recount {
        files,
        bad_rows,
        bad_total,
        unknown_countries,
        counts,
        kind: options.kind,
        rules: options.rules.clone(),
    })
}

/// Reads one input in its layout.
fn scan(
    path: &Path,
    layout: Layout,
    input: u16,
    options: &Options,
    runs: &mut Runs,
    progress: &(dyn Fn(&Progress<'_>) + Sync),
) -> Result<Scanned, NoticesError> {
    let Options { rules, kind, .. } = options;
    let kind = *kind;
    let Some(delimiter) = delimiter(layout) else {
        if layout == Layout::UhmXlsx {
            return scan_xlsx(path, rules, kind, input, runs, progress);
        }
        let (mut scanned, fingerprint) =
            EformsReader { rules, kind, input }.scan(path, runs, progress)?;
        scanned.fingerprint = Some(fingerprint);
        return Ok(scanned);
    };
    let opened = csvscan::open(path, delimiter)?;
    let columns = csv_columns(path, layout, &opened.header)?;
    let mut rows: Box<dyn RowReader + '_> = match columns {
        Columns::Ted(layout, columns) => Box::new(TedRows {
            columns,
            rules,
            input,
            layout,
        }),
        Columns::Uhm(columns) => Box::new(UhmRows {
            columns,
            rules,
            kind,
            input,
        }),
        Columns::Doffin(columns) => Box::new(DoffinRows {
            columns,
            encoding: encoding_of(path).map_err(|source| NoticesError::Io {
                path: path.to_owned(),
                source,
            })?,
            rules,
            kind,
            input,
        }),
    };
    csvscan::scan(path, opened, rows.as_mut(), runs, progress)
}

/// A file's size and SHA-256.
fn fingerprint(path: &Path) -> std::io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let bytes = std::io::copy(&mut buffered(path)?, &mut hasher)?;
    Ok((bytes, indikator_ingest::hex(&hasher.finalize())))
}

#[cfg(test)]
mod tests {
    use super::parse_year;

    #[test]
    fn years() {
        assert_eq!(parse_year(b"2021"), Some(2021));
        for bad in [&b""[..], b"21", b"20x1", b"1850", b"2021-01", b" 2021"] {
            assert_eq!(parse_year(bad), None);
        }
    }
}
