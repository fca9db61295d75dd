//! Counting distinct notices per country and year, under each definition.
//!
//! One streaming pass per file. This thread splits the file into records with `simd-csv`,
//! finds the bad rows (a wrong number of fields or an unreadable year) and reports progress;
//! each good, uncancelled row goes to [`Runs`], which joins a notice's rows and hands them to
//! a second thread that keeps the sets of distinct ids (`distinct.rs`). A third thread hashes
//! the file (SHA-256, for the sidecar's citation). Memory is bounded by the distinct notices,
//! not the file: the reader holds one buffer, and the lines of the bad rows listed are found
//! afterwards, only when there are some.
//!
//! Why not polars' `scan_csv`, which the first version used (with the `csv` crate for a
//! validation pass beside it): on a 1 GiB export on two cores, polars alone took 3.7 s and
//! 1.3 GB of resident memory (it maps the whole file), where the target was 2.4 s and 0.5 GB
//! for everything. `simd-csv` splits the same file in 0.8 s within its buffer. The count is a
//! set of distinct ids per key, which needs no data frame. Figures: `bench/README.md`.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::Instant;

use sha2::{Digest, Sha256};

use crate::NoticesError;
use crate::bounded::{Bounded, Cuts, MAX_RECORD_BYTES};
use crate::definitions::DEFINITIONS;
use crate::distinct::{Counts, Runs, digits};
use crate::layout::{Layout, detect};

/// The most bad rows a run lists; the rest are counted.
pub const MAX_BAD_ROWS: usize = 50;

/// An input file as read.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// Where it is.
    pub path: PathBuf,
    /// Its file name.
    pub name: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// SHA-256 of its bytes, in hex.
    pub sha256: String,
    /// CN or CAN.
    pub layout: Layout,
    /// Data rows (records after the header).
    pub rows: u64,
}

/// A row left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// The file's name.
    pub file: String,
    /// The line the row starts on.
    pub line: u64,
    /// What is wrong.
    pub problem: String,
}

/// Progress through one file.
#[derive(Debug, Clone)]
pub struct Progress<'a> {
    /// The file's name.
    pub file: &'a str,
    /// Bytes read so far.
    pub read: u64,
    /// The file's size.
    pub size: u64,
    /// Rows read so far.
    pub rows: u64,
    /// Rows per second so far.
    pub rows_per_second: f64,
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
    /// Country codes that are not ISO 3166-1 alpha-2 (even after UK→GB, EL→GR), with how many
    /// country-years they had; left out.
    pub unknown_countries: BTreeMap<String, u64>,
    /// Distinct notices per (country, year).
    pub counts: BTreeMap<(String, i32), Counts>,
}

/// Counts the notices in `files`. `progress` hears from each file at most about once a second.
pub fn recount(
    files: &[PathBuf],
    progress: &(dyn Fn(&Progress<'_>) + Sync),
) -> Result<Recount, NoticesError> {
    if files.is_empty() {
        return Err(NoticesError::NoInput);
    }
    // A wrong header anywhere stops the run before the long pass.
    for path in files {
        open(path)?;
    }
    // Three threads: this one splits records, one hashes the files, one adds the notices to
    // their sets (on two cores the last two share one).
    let (hashes, scanned, counted) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| files.iter().map(|p| sha256(p)).collect::<Vec<_>>());
        let (mut runs, sets) = Runs::new();
        let counting = scope.spawn(|| sets.fill());
        let scanned = files
            .iter()
            .map(|path| scan(path, &mut runs, progress))
            .collect::<Result<Vec<_>, _>>();
        let keys = runs.finish();
        (
            hashing.join(),
            scanned,
            counting.join().map(|sets| sets.counts(&keys)),
        )
    });
    let stopped = |what: &'static str| NoticesError::Stopped { what };
    let hashes = hashes.map_err(|_| stopped("hashing"))?;
    let scanned = scanned?;
    let (counts, unknown_countries) = counted.map_err(|_| stopped("counting"))?;
    let mut inputs = Vec::new();
    let mut bad_rows = Vec::new();
    let mut bad_total = 0;
    for (scan, sha256) in scanned.into_iter().zip(hashes) {
        let io = |source| NoticesError::Io {
            path: scan.path.clone(),
            source,
        };
        bad_total += scan.bad_total;
        let listed = scan
            .bad
            .len()
            .min(MAX_BAD_ROWS.saturating_sub(bad_rows.len()));
        let starts: Vec<u64> = scan.bad[..listed].iter().map(|(start, _)| *start).collect();
        let lines = lines_at(&scan.path, &starts).map_err(io)?;
        bad_rows.extend(
            scan.bad
                .into_iter()
                .zip(lines)
                .map(|((_, problem), line)| BadRow {
                    file: scan.name.clone(),
                    line,
                    problem,
                }),
        );
        inputs.push(InputFile {
            sha256: sha256.map_err(io)?,
            path: scan.path,
            name: scan.name,
            bytes: scan.bytes,
            layout: scan.layout,
            rows: scan.rows,
        });
    }
    Ok(Recount {
        files: inputs,
        bad_rows,
        bad_total,
        unknown_countries,
        counts,
    })
}

/// A year as TED writes it: four digits (no spaces) within the years the data format allows.
fn parse_year(field: &[u8]) -> Option<i32> {
    let year = match field {
        [_, _, _, _] => digits(field)?,
        _ => return None,
    };
    let year = i32::try_from(year).ok()?;
    indikator_ingest::YEARS.contains(&year).then_some(year)
}

/// A file's name, for messages.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A reader at a file's first record, with the file's size, header and layout, and the
/// columns a count reads.
struct Opened {
    reader: simd_csv::ZeroCopyReader<Bounded<File>>,
    cuts: Cuts,
    size: u64,
    fields: usize,
    layout: Layout,
    columns: [usize; 6],
}

/// Opens a TED export and reads its header.
fn open(path: &Path) -> Result<Opened, NoticesError> {
    let io = |source| NoticesError::Io {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size == 0 {
        return Err(NoticesError::Empty {
            file: file_name(path),
        });
    }
    let cuts = Cuts::default();
    let mut reader = simd_csv::ZeroCopyReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .buffer_capacity(buffer_for(size))
        .from_reader(Bounded::new(file, MAX_RECORD_BYTES, cuts.clone()));
    let header: Vec<String> = reader
        .byte_headers()
        .map_err(|e| read_error(path, &e))?
        .iter()
        .map(|field| String::from_utf8_lossy(field).trim().to_owned())
        .collect();
    let (layout, columns) = detect(&header).map_err(|missing| NoticesError::Header {
        file: file_name(path),
        missing,
    })?;
    Ok(Opened {
        reader,
        cuts,
        size,
        fields: header.len(),
        layout,
        columns,
    })
}

fn read_error(path: &Path, error: &simd_csv::Error) -> NoticesError {
    NoticesError::Read {
        path: path.to_owned(),
        message: error.to_string(),
    }
}

/// One file's pass.
struct Scanned {
    path: PathBuf,
    name: String,
    bytes: u64,
    layout: Layout,
    rows: u64,
    bad_total: u64,
    /// The first bad rows: where each starts (byte offset) and what is wrong.
    bad: Vec<(u64, String)>,
}

/// Reads one file's records: finds the bad rows, and adds the notices of the good ones.
fn scan(
    path: &Path,
    notices: &mut Runs,
    progress: &(dyn Fn(&Progress<'_>) + Sync),
) -> Result<Scanned, NoticesError> {
    let name = file_name(path);
    let Opened {
        mut reader,
        cuts,
        size,
        fields,
        layout,
        columns,
    } = open(path)?;
    let started = Instant::now();
    let mut last_report = Instant::now();
    let (mut rows, mut bad_total, mut bad) = (0u64, 0u64, Vec::new());
    loop {
        let start = reader.position();
        let Some(record) = reader
            .read_byte_record()
            .map_err(|e| read_error(path, &e))?
        else {
            break;
        };
        rows += 1;
        let problem = if cuts.was_cut(start) {
            Some(format!(
                "the record is longer than {MAX_RECORD_BYTES} bytes; TED rows are a few KiB, so check its quotes"
            ))
        } else {
            read_row(&record, fields, columns, notices)
        };
        if let Some(problem) = problem {
            bad_total += 1;
            if bad.len() < MAX_BAD_ROWS {
                bad.push((cuts.in_file(start), problem));
            }
        }
        if rows % 65_536 == 0 && last_report.elapsed().as_secs_f64() >= 1.0 {
            last_report = Instant::now();
            progress(&Progress {
                file: &name,
                read: reader.position(),
                size,
                rows,
                rows_per_second: rows as f64 / started.elapsed().as_secs_f64(),
            });
        }
    }
    progress(&Progress {
        file: &name,
        read: reader.position(),
        size,
        rows,
        rows_per_second: rows as f64 / started.elapsed().as_secs_f64().max(1e-9),
    });
    Ok(Scanned {
        path: path.to_owned(),
        name,
        bytes: size,
        layout,
        rows,
        bad_total,
        bad,
    })
}

/// Adds a row's notice to its sets if it is counted, or says what is wrong with the row.
fn read_row(
    record: &simd_csv::ZeroCopyByteRecord<'_>,
    fields: usize,
    [id, year, cancelled, country, procedure, cpv]: [usize; 6],
    notices: &mut Runs,
) -> Option<String> {
    if record.len() != fields {
        return Some(format!(
            "{} fields, but the header has {fields}",
            record.len()
        ));
    }
    let field = |i| record.unescape(i).unwrap_or_default();
    let year_field = field(year);
    let Some(year) = parse_year(&year_field) else {
        return Some(format!(
            "year `{}` is not a year",
            String::from_utf8_lossy(&year_field)
        ));
    };
    let (id, country) = (field(id), field(country));
    let country = country.trim_ascii();
    if *field(cancelled) == *b"1" || id.is_empty() || country.is_empty() {
        return None;
    }
    let (procedure, cpv) = (field(procedure), field(cpv));
    let meets = DEFINITIONS
        .iter()
        .enumerate()
        .filter(|(_, definition)| definition.rule.meets(&procedure, &cpv))
        .fold(0u8, |bits, (i, _)| bits | 1 << i);
    notices.add(country, year, &id, meets);
    None
}

/// A read buffer for a file of `size` bytes: 1 MiB, or less for a smaller file, so that many
/// small inputs do not each allocate and fault in megabytes (a fuzzer's inputs spent most of
/// their time there). A record is at most [`MAX_RECORD_BYTES`] and at most the file, so it
/// still fits.
fn buffer_for(size: u64) -> usize {
    usize::try_from(size.saturating_add(64 * 1024).min(MAX_RECORD_BYTES)).unwrap_or(1 << 20)
}

/// A buffered reader of the file at `path`, sized by [`buffer_for`].
fn buffered(path: &Path) -> std::io::Result<BufReader<File>> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    Ok(BufReader::with_capacity(buffer_for(size), file))
}

/// SHA-256 of a file's bytes, in hex.
fn sha256(path: &Path) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    std::io::copy(&mut buffered(path)?, &mut hasher)?;
    Ok(indikator_ingest::hex(&hasher.finalize()))
}

/// The lines (from 1) that records starting at the byte offsets `starts` (ascending) begin
/// on. A record's offset may point at blank lines the reader skipped before it.
fn lines_at(path: &Path, starts: &[u64]) -> std::io::Result<Vec<u64>> {
    if starts.is_empty() {
        return Ok(Vec::new());
    }
    let mut reader = buffered(path)?;
    let (mut at, mut line) = (0u64, 1u64);
    let mut lines = Vec::with_capacity(starts.len());
    for &start in starts {
        while at < start {
            let buffer = reader.fill_buf()?;
            if buffer.is_empty() {
                break;
            }
            let take = buffer
                .len()
                .min(usize::try_from(start - at).unwrap_or(usize::MAX));
            line += memchr::memchr_iter(b'\n', &buffer[..take]).count() as u64;
            reader.consume(take);
            at += take as u64;
        }
        while let Some(&byte) = reader.fill_buf()?.first() {
            match byte {
                b'\n' => line += 1,
                b'\r' => {}
                _ => break,
            }
            reader.consume(1);
            at += 1;
        }
        lines.push(line);
    }
    Ok(lines)
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
