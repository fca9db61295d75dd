//! A dataset: every indicator in a folder, validated as a whole, in one long polars frame.

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{Dir, include_dir};
use polars::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::{Collector, Error, Location, ProblemKind};
use crate::meta::{self, Metadata, References};
use crate::model::Unit;
use crate::table::{self, Observation};

/// The dataset in `data/`, compiled into the binary.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../data");

/// The largest data file or sidecar [`Dataset::load`] reads: far above any real indicator (the
/// largest shipped file is a few KiB), and a bound on the memory one load takes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The columns of [`Dataset::frame`], in order.
pub const FRAME_COLUMNS: [&str; 10] = [
    "indicator",
    "country",
    "start",
    "end",
    "value",
    "flag",
    "source",
    "note",
    "note_sv",
    "note_nb",
];

/// A file's name (which decides its role) and contents.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path to show in messages; its file name must be `<id>.csv` or `<id>.toml`.
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// One indicator: its metadata and a summary of its rows.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// The sidecar.
    pub meta: Metadata,
    /// The countries with rows, sorted.
    pub countries: Vec<String>,
    /// The first year any row covers.
    pub first_year: i32,
    /// The last year any row covers.
    pub last_year: i32,
    /// The number of rows.
    pub rows: usize,
}

/// Every indicator of a folder, validated, with all observations in one long frame.
#[derive(Debug, Clone)]
pub struct Dataset {
    frame: DataFrame,
    indicators: BTreeMap<String, Indicator>,
    version: String,
}

impl Dataset {
    /// Loads every `<id>.csv` + `<id>.toml` pair in `dir`. Other files are ignored.
    ///
    /// All or nothing: if anything is wrong, nothing is loaded and [`Error::Invalid`] lists
    /// every problem found, each with file, line and column.
    pub fn load(dir: impl AsRef<Path>) -> Result<Self, Error> {
        let dir = dir.as_ref();
        let io = |source| Error::Io {
            path: dir.to_owned(),
            source,
        };
        let root = std::fs::canonicalize(dir).map_err(io)?;
        let mut files = Vec::new();
        let mut problems = Collector::default();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            let is_data = matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("csv" | "toml")
            );
            if !is_data || !path.is_file() {
                continue;
            }
            let shown = path.display().to_string();
            // A link may point anywhere; only files inside the folder are data.
            let inside = std::fs::canonicalize(&path).is_ok_and(|real| real.starts_with(&root));
            if !inside {
                problems.push(Location::start_of(&shown), ProblemKind::LinkOutside);
                continue;
            }
            let size = std::fs::metadata(&path).map_or(0, |m| m.len());
            if size > MAX_FILE_BYTES {
                problems.push(
                    Location::start_of(&shown),
                    ProblemKind::FileTooLarge {
                        bytes: size,
                        max: MAX_FILE_BYTES,
                    },
                );
                continue;
            }
            let bytes = std::fs::read(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            files.push(SourceFile { path: shown, bytes });
        }
        Self::build(&dir.display().to_string(), files, problems)
    }

    /// The dataset shipped in `data/`, compiled in, so the program runs from any folder.
    pub fn embedded() -> Result<Self, Error> {
        let files = EMBEDDED
            .files()
            .map(|file| SourceFile {
                path: format!("data/{}", file.path().display()),
                bytes: file.contents().to_vec(),
            })
            .collect();
        Self::from_files("data", files)
    }

    /// Builds a dataset from files already read; `folder` names them as a whole in messages.
    pub fn from_files(folder: &str, files: Vec<SourceFile>) -> Result<Self, Error> {
        Self::build(folder, files, Collector::default())
    }

    /// [`Dataset::from_files`], after the problems found while reading the files.
    fn build(folder: &str, files: Vec<SourceFile>, mut problems: Collector) -> Result<Self, Error> {
        let version = version(&files);
        let mut pairs: BTreeMap<String, [Option<SourceFile>; 2]> = BTreeMap::new();
        for file in files {
            let name = Path::new(&file.path);
            let stem = name.file_stem().and_then(|s| s.to_str()).map(str::to_owned);
            let slot = match name.extension().and_then(|e| e.to_str()) {
                Some("csv") => 0,
                Some("toml") => 1,
                _ => continue,
            };
            if let Some(stem) = stem {
                pairs.entry(stem).or_default()[slot] = Some(file);
            }
        }
        if pairs.is_empty() {
            problems.push(Location::start_of(folder), ProblemKind::NoDatasets);
        }

        let ids: Vec<String> = pairs.keys().cloned().collect();
        let mut indicators = BTreeMap::new();
        let mut references = Vec::new();
        let mut rows: Vec<(String, Observation)> = Vec::new();
        for (id, [csv, sidecar]) in pairs {
            if let Some(file) = csv.as_ref().or(sidecar.as_ref())
                && !is_indicator_id(&id)
            {
                problems.push(
                    Location::start_of(&file.path),
                    ProblemKind::BadFileName { name: id.clone() },
                );
                continue;
            }
            let meta = match (&csv, &sidecar) {
                (Some(csv), None) => {
                    problems.push(
                        Location::start_of(&csv.path),
                        ProblemKind::MissingSidecar {
                            expected: format!("{id}.toml"),
                        },
                    );
                    None
                }
                (_, Some(sidecar)) => {
                    if csv.is_none() {
                        problems.push(
                            Location::start_of(&sidecar.path),
                            ProblemKind::MissingData {
                                expected: format!("{id}.csv"),
                            },
                        );
                    }
                    read_sidecar(sidecar, &id, &mut problems).map(|(meta, refs)| {
                        references.push((id.clone(), refs));
                        meta
                    })
                }
                (None, None) => None,
            };
            let observations = csv
                .map(|csv| table::parse(&csv.path, &csv.bytes, meta.as_ref(), &mut problems))
                .unwrap_or_default();
            if let Some(meta) = meta
                && !observations.is_empty()
            {
                indicators.insert(id.clone(), summarise(meta, &observations));
                rows.extend(observations.into_iter().map(|obs| (id.clone(), obs)));
            }
        }
        check_references(&ids, &indicators, references, &mut problems);
        if !problems.is_empty() {
            return Err(problems.into_error());
        }
        Ok(Self {
            frame: frame(rows)?,
            indicators,
            version,
        })
    }

    /// Every observation, one row each, with the columns [`FRAME_COLUMNS`], sorted by
    /// indicator, country and period.
    pub fn frame(&self) -> &DataFrame {
        &self.frame
    }

    /// A fingerprint of the data files' names and contents (16 hex digits of SHA-256): the same
    /// files give the same version, wherever they are read from.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The indicator with this id.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.get(id)
    }

    /// Every indicator, by id.
    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.indicators.values()
    }
}

fn version(files: &[SourceFile]) -> String {
    let mut named: Vec<(&str, &[u8])> = files
        .iter()
        .map(|f| {
            let name = Path::new(&f.path).file_name().and_then(|n| n.to_str());
            (name.unwrap_or_default(), f.bytes.as_slice())
        })
        .filter(|(name, _)| name.ends_with(".csv") || name.ends_with(".toml"))
        .collect();
    named.sort();
    let mut hasher = Sha256::new();
    for (name, bytes) in named {
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    hex(&hasher.finalize()[..8])
}

/// Bytes in lower-case hex, two digits each: how a SHA-256 (or a part of one) is written
/// everywhere, in data versions, ETags and the citations of input files.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    text
}

/// The checks that need the whole dataset: each declared denominator is another indicator, and
/// a count; each default country has rows.
fn check_references(
    ids: &[String],
    indicators: &BTreeMap<String, Indicator>,
    references: Vec<(String, References)>,
    problems: &mut Collector,
) {
    for (id, refs) in references {
        for (location, denominator) in refs.denominators {
            if !ids.contains(&denominator) {
                let known = ids.join(", ");
                problems.push(
                    location,
                    ProblemKind::UnknownDenominator {
                        id: denominator,
                        known,
                    },
                );
            } else if let Some(other) = indicators.get(&denominator)
                && other.meta.unit != Unit::Count
            {
                let unit = other.meta.unit.to_string();
                problems.push(
                    location,
                    ProblemKind::DenominatorNotCount {
                        id: denominator,
                        unit,
                    },
                );
            }
        }
        if let Some((location, other)) = refs.like_for_like
            && !ids.contains(&other)
        {
            problems.push(
                location,
                ProblemKind::UnknownLikeForLike {
                    id: other,
                    known: ids.join(", "),
                },
            );
        }
        let Some(indicator) = indicators.get(&id) else {
            continue;
        };
        for (location, code) in refs.default_countries {
            // A code that is not a country was reported as such already.
            if crate::is_iso_alpha2(&code) && !indicator.countries.contains(&code) {
                let countries = indicator.countries.join(", ");
                problems.push(
                    location,
                    ProblemKind::DefaultCountryWithoutRows { code, countries },
                );
            }
        }
    }
}

fn read_sidecar(
    file: &SourceFile,
    id: &str,
    problems: &mut Collector,
) -> Option<(Metadata, References)> {
    match std::str::from_utf8(&file.bytes) {
        Ok(text) => meta::parse(&file.path, text, id, problems),
        Err(err) => {
            let valid = std::str::from_utf8(&file.bytes[..err.valid_up_to()]).unwrap_or_default();
            problems.push(
                Location::at_offset(&file.path, valid, valid.len()),
                ProblemKind::InvalidUtf8 {
                    byte: file.bytes[err.valid_up_to()],
                },
            );
            None
        }
    }
}

/// Lower-case ASCII letters and digits in words joined by single hyphens: safe in file names
/// and URLs alike.
fn is_indicator_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn summarise(meta: Metadata, observations: &[Observation]) -> Indicator {
    let mut countries: Vec<String> = observations.iter().map(|o| o.country.clone()).collect();
    countries.sort();
    countries.dedup();
    Indicator {
        meta,
        countries,
        first_year: observations
            .iter()
            .map(|o| o.period.start)
            .min()
            .unwrap_or_default(),
        last_year: observations
            .iter()
            .map(|o| o.period.end)
            .max()
            .unwrap_or_default(),
        rows: observations.len(),
    }
}

fn frame(mut rows: Vec<(String, Observation)>) -> Result<DataFrame, Error> {
    rows.sort_by(|(a_id, a), (b_id, b)| {
        (a_id, &a.country, a.period).cmp(&(b_id, &b.country, b.period))
    });
    let text = |f: fn(&(String, Observation)) -> String| rows.iter().map(f).collect::<Vec<_>>();
    let columns = vec![
        Column::new(FRAME_COLUMNS[0].into(), text(|(id, _)| id.clone())),
        Column::new(FRAME_COLUMNS[1].into(), text(|(_, o)| o.country.clone())),
        Column::new(
            FRAME_COLUMNS[2].into(),
            rows.iter().map(|(_, o)| o.period.start).collect::<Vec<_>>(),
        ),
        Column::new(
            FRAME_COLUMNS[3].into(),
            rows.iter().map(|(_, o)| o.period.end).collect::<Vec<_>>(),
        ),
        Column::new(
            FRAME_COLUMNS[4].into(),
            rows.iter().map(|(_, o)| o.value).collect::<Vec<_>>(),
        ),
        Column::new(FRAME_COLUMNS[5].into(), text(|(_, o)| o.flags.to_string())),
        Column::new(FRAME_COLUMNS[6].into(), text(|(_, o)| o.source.clone())),
        Column::new(FRAME_COLUMNS[7].into(), text(|(_, o)| o.note.clone())),
        Column::new(FRAME_COLUMNS[8].into(), text(|(_, o)| o.note_sv.clone())),
        Column::new(FRAME_COLUMNS[9].into(), text(|(_, o)| o.note_nb.clone())),
    ];
    Ok(DataFrame::new(rows.len(), columns)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_follows_names_and_contents_not_folders() -> Result<(), Error> {
        let file = |path: &str, text: &str| SourceFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        };
        let a = version(&[file("data/x.csv", "1"), file("data/x.toml", "2")]);
        let b = version(&[file("/tmp/copy/x.toml", "2"), file("/tmp/copy/x.csv", "1")]);
        let c = version(&[file("data/x.csv", "1 "), file("data/x.toml", "2")]);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), 16);
        assert_eq!(
            Dataset::embedded()?.version(),
            Dataset::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"))?.version()
        );
        Ok(())
    }

    #[test]
    fn indicator_ids() {
        for good in ["innovation-procurements", "ted-notices", "a1", "x"] {
            assert!(is_indicator_id(good), "{good}");
        }
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "a b", "å"] {
            assert!(!is_indicator_id(bad), "{bad}");
        }
    }
}
