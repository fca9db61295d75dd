//! One streaming pass over a CSV file of any of the CSV layouts (TED, Upphandlingsmyndigheten,
//! DFØ), split into records with `simd-csv` behind [`ReadAhead`] (which reads and hashes the
//! file on a thread of its own, and keeps a record under [`MAX_RECORD_BYTES`]). Each record
//! goes to the layout's row reader, which counts it, leaves it out, or says what is wrong with
//! it; the first bad rows are kept with their byte offsets, and their lines are found
//! afterwards, only when there are some.
//!
//! Why not polars' `scan_csv`, which the first version used (with the `csv` crate for a
//! validation pass beside it): on a 1 GiB TED export on two cores, polars alone took 3.7 s and
//! 1.3 GB of resident memory (it maps the whole file), where the target was 2.4 s and 0.5 GB
//! for everything. `simd-csv` splits the same file in 0.8 s within its buffer. The count is a
//! set of distinct ids per key, which needs no data frame. Figures: `bench/README.md`.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::time::Instant;

use crate::NoticesError;
use crate::ahead::{Fingerprint, ReadAhead};
use crate::bounded::{Bounded, Cuts, MAX_RECORD_BYTES};
use crate::distinct::Runs;
use crate::recount::{Place, Progress, Scanned, file_name};

/// A CSV record.
pub type Record<'a> = simd_csv::ZeroCopyByteRecord<'a>;

/// What a row reader made of a record.
pub enum Row {
    /// Its notice went to the sets.
    Counted,
    /// Left out by a counting rule (cancelled, another kind of notice).
    Skipped,
    /// Left out because it is wrong: what is wrong.
    Bad(String),
}

/// A layout's reading of records, once its header has given the columns.
pub trait RowReader {
    /// Reads one record (with the header's number of fields) and adds its notice.
    fn row(&mut self, record: &Record<'_>, notices: &mut Runs) -> Row;
}

/// A reader at a file's first record, with the file's size and header.
pub struct Opened {
    reader: simd_csv::ZeroCopyReader<ReadAhead>,
    cuts: Cuts,
    fingerprint: Fingerprint,
    size: u64,
    /// The header's names, trimmed, without a byte-order mark.
    pub header: Vec<String>,
}

/// A CSV file's header, for checking its layout before the long pass: read straight from the
/// file (behind [`Bounded`], so a header without a line end cannot fill memory), without the
/// read-ahead thread that [`open`] starts, which would read and hash megabytes of each input
/// only to be dropped.
pub fn header(path: &Path, delimiter: u8) -> Result<Vec<String>, NoticesError> {
    let (file, size) = sized(path)?;
    let source = Bounded::new(file, MAX_RECORD_BYTES, Cuts::default());
    read_header(path, &mut splitter(source, delimiter, size))
}

/// Opens a CSV file with this delimiter and reads its header, to read its records after.
pub fn open(path: &Path, delimiter: u8) -> Result<Opened, NoticesError> {
    let (file, size) = sized(path)?;
    let cuts = Cuts::default();
    let (ahead, fingerprint) =
        ReadAhead::start(file, cuts.clone()).map_err(|source| NoticesError::Io {
            path: path.to_owned(),
            source,
        })?;
    let mut reader = splitter(ahead, delimiter, size);
    let header = read_header(path, &mut reader)?;
    Ok(Opened {
        reader,
        cuts,
        fingerprint,
        size,
        header,
    })
}

/// The file at `path` and its size; an empty file is an error.
fn sized(path: &Path) -> Result<(File, u64), NoticesError> {
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
    Ok((file, size))
}

/// `simd-csv`'s record splitter over `source`, a file of `size` bytes.
fn splitter<R: Read>(source: R, delimiter: u8, size: u64) -> simd_csv::ZeroCopyReader<R> {
    simd_csv::ZeroCopyReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .buffer_capacity(buffer_for(size))
        .from_reader(source)
}

/// The header's names, trimmed, without a byte-order mark.
fn read_header<R: Read>(
    path: &Path,
    reader: &mut simd_csv::ZeroCopyReader<R>,
) -> Result<Vec<String>, NoticesError> {
    let header = reader.byte_headers().map_err(|e| NoticesError::Read {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    Ok(header
        .iter()
        .map(|field| {
            let name = String::from_utf8_lossy(field);
            name.trim().trim_start_matches('\u{feff}').trim().to_owned()
        })
        .collect())
}

/// Reads an opened file's records through `rows`, reporting progress about once a second.
pub fn scan(
    path: &Path,
    opened: Opened,
    rows: &mut dyn RowReader,
    notices: &mut Runs,
    progress: &(dyn Fn(&Progress<'_>) + Sync),
) -> Result<Scanned, NoticesError> {
    let name = file_name(path);
    let Opened {
        mut reader,
        cuts,
        fingerprint,
        size,
        header,
    } = opened;
    let fields = header.len();
    let started = Instant::now();
    let mut last_report = Instant::now();
    let mut scanned = Scanned::default();
    let report = |read: u64, records: u64| Progress {
        file: &name,
        read,
        size,
        files: 0,
        files_total: 0,
        records,
        noun: "rows",
        seconds: started.elapsed().as_secs_f64(),
    };
    loop {
        let start = reader.position();
        let Some(record) = reader.read_byte_record().map_err(|e| NoticesError::Read {
            path: path.to_owned(),
            message: e.to_string(),
        })?
        else {
            break;
        };
        let row = if cuts.was_cut(start) {
            Row::Bad(format!(
                "the record is longer than {MAX_RECORD_BYTES} bytes; rows are a few KiB, so check its quotes"
            ))
        } else if record.len() != fields {
            Row::Bad(format!(
                "{} fields, but the header has {fields}",
                record.len()
            ))
        } else {
            rows.row(&record, notices)
        };
        scanned.note(row, || Place::Offset(cuts.in_file(start)));
        if scanned.records % 65_536 == 0 && last_report.elapsed().as_secs_f64() >= 1.0 {
            last_report = Instant::now();
            progress(&report(reader.position(), scanned.records));
        }
    }
    progress(&report(reader.position(), scanned.records));
    // Read to its end, the file's size and hash are known (the thread that read it ended
    // without them only if it stopped).
    let Some((bytes, sha256)) = fingerprint.get() else {
        return Err(NoticesError::Read {
            path: path.to_owned(),
            message: "the reading stopped before the end of the file".into(),
        });
    };
    scanned.fingerprint = Some((*bytes, indikator_ingest::hex(sha256)));
    Ok(scanned)
}

/// A read buffer for a file of `size` bytes: 1 MiB, or less for a smaller file, so that many
/// small inputs do not each allocate and fault in megabytes (a fuzzer's inputs spent most of
/// their time there). A record is at most [`MAX_RECORD_BYTES`] and at most the file, so it
/// still fits.
fn buffer_for(size: u64) -> usize {
    usize::try_from(size.saturating_add(64 * 1024).min(MAX_RECORD_BYTES)).unwrap_or(1 << 20)
}

/// A buffered reader of the file at `path`, sized by [`buffer_for`].
pub fn buffered(path: &Path) -> std::io::Result<BufReader<File>> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    Ok(BufReader::with_capacity(buffer_for(size), file))
}

/// The lines (from 1) that records starting at the byte offsets `starts` (ascending) begin
/// on. A record's offset may point at blank lines the reader skipped before it.
pub fn lines_at(path: &Path, starts: &[u64]) -> std::io::Result<Vec<u64>> {
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
