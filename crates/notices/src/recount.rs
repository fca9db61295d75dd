//! Counting distinct notices per country and year, under each definition.
//!
//! Two passes per file. The first (the `csv` crate, streaming) finds the layout from the
//! header, hashes the file, reports progress, and finds bad rows: a wrong number of fields or
//! an unreadable year, each with its line. The second (polars' lazy `scan_csv`, on the
//! streaming engine, reading only the six columns it needs) counts distinct notice ids per
//! country and year for every definition, leaving out cancelled notices and the bad rows by
//! their row index. Memory stays bounded by the distinct notices, not the file size.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use polars::prelude::*;
use sha2::{Digest, Sha256};

use crate::NoticesError;
use crate::layout::{Layout, detect, iso_country};

/// The most bad rows a run lists; the rest are counted.
pub const MAX_BAD_ROWS: usize = 50;

/// One definition of what to count.
#[derive(Debug, Clone, Copy)]
pub struct Definition {
    /// The dataset id written.
    pub id: &'static str,
    /// Title in en, sv, nb.
    pub title: [&'static str; 3],
    /// What it counts, in en, sv, nb.
    pub rule: [&'static str; 3],
}

/// The definitions counted, each written as one dataset.
pub const DEFINITIONS: [Definition; 3] = [
    Definition {
        id: "ted-notices",
        title: ["Notices on TED", "Annonser på TED", "Kunngjøringer på TED"],
        rule: ["All notices.", "Alla annonser.", "Alle kunngjøringer."],
    },
    Definition {
        id: "ted-innovation-procedure-notices",
        title: [
            "Notices on TED using competitive dialogue or innovation partnership",
            "Annonser på TED med konkurrenspräglad dialog eller innovationspartnerskap",
            "Kunngjøringer på TED med konkurransepreget dialog eller innovasjonspartnerskap",
        ],
        rule: [
            "Notices whose procedure type (TOP_TYPE) is competitive dialogue (COD) or innovation partnership (INP).",
            "Annonser vars förfarande (TOP_TYPE) är konkurrenspräglad dialog (COD) eller innovationspartnerskap (INP).",
            "Kunngjøringer der prosedyren (TOP_TYPE) er konkurransepreget dialog (COD) eller innovasjonspartnerskap (INP).",
        ],
    },
    Definition {
        id: "ted-rd-notices",
        title: [
            "Notices on TED for research and development services",
            "Annonser på TED om forsknings- och utvecklingstjänster",
            "Kunngjøringer på TED om forsknings- og utviklingstjenester",
        ],
        rule: [
            "Notices whose main CPV code is in division 73 (research and development services).",
            "Annonser vars huvudsakliga CPV-kod ligger i huvudgrupp 73 (forsknings- och utvecklingstjänster).",
            "Kunngjøringer der hoved-CPV-koden er i hovedgruppe 73 (forsknings- og utviklingstjenester).",
        ],
    },
];

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
    /// Record indices of the bad rows.
    bad: Vec<IdxSize>,
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

/// Counts for one country and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// One count per definition, in the order of [`DEFINITIONS`].
    pub by_definition: [u64; 3],
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
    /// notice-years they had; left out.
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
    // The count needs the validation only if it finds bad rows, so both passes run at once,
    // each on its own core; files with bad rows are then counted again without them.
    let layouts = files
        .iter()
        .map(|path| read_header(path).map(|layout| (path.as_path(), layout, &[][..])))
        .collect::<Result<Vec<_>, _>>()?;
    let (validated, optimistic) = std::thread::scope(|scope| {
        let validation = scope.spawn(|| {
            files
                .iter()
                .map(|path| validate(path, progress))
                .collect::<Result<Vec<_>, _>>()
        });
        let optimistic = count(&layouts);
        (validation.join(), optimistic)
    });
    let validated = validated.map_err(|_| NoticesError::Read {
        path: files[0].clone(),
        message: "the validation pass stopped".into(),
    })??;
    let mut inputs = Vec::new();
    let mut bad_rows = Vec::new();
    let mut bad_total = 0;
    for (input, bad) in validated {
        bad_total += input.bad.len() as u64;
        bad_rows.extend(
            bad.into_iter()
                .take(MAX_BAD_ROWS.saturating_sub(bad_rows.len())),
        );
        inputs.push(input);
    }
    let frame = if bad_total == 0 {
        optimistic?
    } else {
        count(
            &inputs
                .iter()
                .map(|i| (i.path.as_path(), i.layout, i.bad.as_slice()))
                .collect::<Vec<_>>(),
        )?
    };
    let mut counts: BTreeMap<(String, i32), Counts> = BTreeMap::new();
    let mut unknown_countries = BTreeMap::new();
    let country = frame.column("country")?.str()?.clone();
    let year = frame.column("year")?.i32()?.clone();
    let columns: Vec<UInt32Chunked> = DEFINITIONS
        .iter()
        .map(|d| Ok(frame.column(d.id)?.cast(&DataType::UInt32)?.u32()?.clone()))
        .collect::<PolarsResult<_>>()?;
    for row in 0..frame.height() {
        let (Some(code), Some(year)) = (country.get(row), year.get(row)) else {
            continue;
        };
        let code = iso_country(code.trim());
        if !indikator_ingest::is_iso_alpha2(code) {
            *unknown_countries.entry(code.to_owned()).or_insert(0) += 1;
            continue;
        }
        let entry = counts.entry((code.to_owned(), year)).or_default();
        for (i, column) in columns.iter().enumerate() {
            entry.by_definition[i] += u64::from(column.get(row).unwrap_or(0));
        }
    }
    Ok(Recount {
        files: inputs,
        bad_rows,
        bad_total,
        unknown_countries,
        counts,
    })
}

/// Passes bytes through while hashing and counting them.
struct Tally<R> {
    inner: R,
    hasher: Sha256,
    read: u64,
}

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

/// A year as TED writes it: four digits (no spaces) within the years the data format allows.
/// Exactly what the counting pass's integer cast reads, so both passes agree on bad rows.
fn parse_year(field: &[u8]) -> Option<i32> {
    let text = std::str::from_utf8(field).ok()?;
    let year: i32 = (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()?;
    indikator_ingest::YEARS.contains(&year).then_some(year)
}

/// A file's name, for messages.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Reads the header record and finds the layout and the columns a count reads.
fn read_layout<R: Read>(
    reader: &mut csv::Reader<R>,
    path: &Path,
) -> Result<(Layout, Vec<String>, Vec<usize>), NoticesError> {
    let mut record = csv::ByteRecord::new();
    let read = reader
        .read_byte_record(&mut record)
        .map_err(|e| NoticesError::Read {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
    if !read {
        return Err(NoticesError::Header {
            file: file_name(path),
            missing: vec!["a header line".into()],
        });
    }
    let header = header_names(&record);
    let (layout, columns) = detect(&header).map_err(|missing| NoticesError::Header {
        file: file_name(path),
        missing,
    })?;
    Ok((layout, header, columns))
}

/// A file's layout, from its first line.
fn read_header(path: &Path) -> Result<Layout, NoticesError> {
    let file = File::open(path).map_err(|source| NoticesError::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file);
    read_layout(&mut reader, path).map(|(layout, _, _)| layout)
}

/// A header record's column names, without a byte-order mark or surrounding spaces.
fn header_names(record: &csv::ByteRecord) -> Vec<String> {
    record
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let field = if i == 0 {
                field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field)
            } else {
                field
            };
            String::from_utf8_lossy(field).trim().to_owned()
        })
        .collect()
}

/// The first pass: layout, hash, progress and bad rows.
fn validate(
    path: &Path,
    progress: &(dyn Fn(&Progress<'_>) + Sync),
) -> Result<(InputFile, Vec<BadRow>), NoticesError> {
    let name = file_name(path);
    let io = |source| NoticesError::Io {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    let tally = Tally {
        inner: file,
        hasher: Sha256::new(),
        read: 0,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(tally);
    let (layout, header, columns) = read_layout(&mut reader, path)?;
    let mut record = csv::ByteRecord::new();
    let csv_error = |source: csv::Error| NoticesError::Read {
        path: path.to_owned(),
        message: source.to_string(),
    };
    let year_column = columns[1];

    let started = Instant::now();
    let mut last_report = Instant::now();
    let (mut rows, mut bad_index, mut bad) = (0u64, Vec::new(), Vec::new());
    while reader.read_byte_record(&mut record).map_err(csv_error)? {
        let line = record.position().map_or(0, |p| p.line());
        let problem = if record.len() != header.len() {
            Some(format!(
                "{} fields, but the header has {}",
                record.len(),
                header.len()
            ))
        } else if parse_year(&record[year_column]).is_none() {
            Some(format!(
                "year `{}` is not a year",
                String::from_utf8_lossy(&record[year_column])
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            bad_index.push(rows as IdxSize);
            if bad.len() < MAX_BAD_ROWS {
                bad.push(BadRow {
                    file: name.clone(),
                    line,
                    problem,
                });
            }
        }
        rows += 1;
        if rows % 65_536 == 0 && last_report.elapsed().as_secs_f64() >= 1.0 {
            last_report = Instant::now();
            let read = reader.get_ref().read;
            progress(&Progress {
                file: &name,
                read,
                size,
                rows,
                rows_per_second: rows as f64 / started.elapsed().as_secs_f64(),
            });
        }
    }
    let tally = reader.into_inner();
    progress(&Progress {
        file: &name,
        read: tally.read,
        size,
        rows,
        rows_per_second: rows as f64 / started.elapsed().as_secs_f64().max(1e-9),
    });
    let sha256 = tally
        .hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((
        InputFile {
            path: path.to_owned(),
            name,
            bytes: size,
            sha256,
            layout,
            rows,
            bad: bad_index,
        },
        bad,
    ))
}

/// The second pass: distinct notices per country, year and definition, with polars on its
/// streaming engine. Each input is (path, layout, record indices of the bad rows to leave out).
fn count(inputs: &[(&Path, Layout, &[IdxSize])]) -> Result<DataFrame, NoticesError> {
    let mut frames = Vec::new();
    for (path, layout, bad) in inputs {
        let mut scan = LazyCsvReader::new(PlRefPath::try_from_path(path)?)
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .with_truncate_ragged_lines(true)
            .with_ignore_errors(true);
        if !bad.is_empty() {
            scan = scan.with_row_index(Some(RowIndex {
                name: "row".into(),
                offset: 0,
            }));
        }
        let mut frame = scan.finish()?;
        if !bad.is_empty() {
            let bad = Series::new("bad".into(), bad.to_vec());
            frame = frame.filter(col("row").is_in(lit(bad).implode(false), false).not());
        }
        let frame = frame.select([
            col(layout.id_column()).alias("id"),
            col("YEAR").cast(DataType::Int32).alias("year"),
            col("CANCELLED").fill_null(lit("0")).alias("cancelled"),
            col("ISO_COUNTRY_CODE").alias("country"),
            col("TOP_TYPE").fill_null(lit("")).alias("procedure"),
            // A CPV code is eight digits; a cast keeps the main code's division testable as a
            // number range without string functions.
            col("CPV").cast(DataType::Int64).alias("cpv"),
        ]);
        frames.push(frame.filter(col("cancelled").neq(lit("1")).and(col("id").is_not_null())));
    }
    let all = concat(frames, UnionArgs::default())?;
    let innovation = col("procedure")
        .eq(lit("COD"))
        .or(col("procedure").eq(lit("INP")));
    // Division 73: codes 73000000 to 73999999.
    let research = col("cpv")
        .gt_eq(lit(73_000_000i64))
        .and(col("cpv").lt(lit(74_000_000i64)));
    let counted = all
        .group_by([col("country"), col("year")])
        .agg([
            col("id").n_unique().alias(DEFINITIONS[0].id),
            col("id")
                .filter(innovation)
                .n_unique()
                .alias(DEFINITIONS[1].id),
            col("id")
                .filter(research)
                .n_unique()
                .alias(DEFINITIONS[2].id),
        ])
        .sort(["country", "year"], SortMultipleOptions::default())
        .collect_with_engine(Engine::Streaming)?;
    // A query without sinks gives one frame.
    Ok(counted.unwrap_single())
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
