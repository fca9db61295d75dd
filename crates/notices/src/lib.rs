//! Recounts procurement indicators from raw TED notice exports, so that countries can be
//! measured under one definition rather than compared across their own.
//!
//! [`recount`] reads TED's CSV open data (contract notices and award notices, told apart by
//! their header), counts distinct notices per country and year under each of [`DEFINITIONS`],
//! and [`write_datasets`] writes each as a dataset in the project's format, whose sidecar cites
//! the input files by name, size and SHA-256. [`generate`] writes synthetic input for tests and
//! benchmarks. Nothing here knows charts or HTTP.

mod bounded;
mod definitions;
mod distinct;
mod generate;
mod layout;
mod recount;
mod write;

use std::path::PathBuf;

pub use definitions::{DEFINITIONS, Definition, Rule};
pub use distinct::Counts;
pub use generate::generate;
pub use layout::{CAN_HEADER, Layout};
pub use recount::{BadRow, InputFile, MAX_BAD_ROWS, Progress, Recount, recount};
pub use write::write_datasets;

/// Today's date, `YYYY-MM-DD` (UTC), for the sidecars' `accessed` dates.
pub fn today() -> String {
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    now.get(..10).unwrap_or(&now).to_owned()
}

/// Why a recount failed.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum NoticesError {
    /// No files were given.
    #[error("no input files; give one or more TED CSV exports")]
    NoInput,
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An empty file.
    #[error("{file}: the file is empty; give a TED CSV export, which starts with a header line")]
    Empty {
        /// The file's name.
        file: String,
    },
    /// Nothing to count, so nothing to write.
    #[error(
        "no notice to count: the input has {rows} rows after the header, {bad} of them bad; the rest are cancelled or lack a notice id or a country. Nothing was written."
    )]
    NothingCounted {
        /// Data rows read.
        rows: u64,
        /// Bad rows among them.
        bad: u64,
    },
    /// A header without the columns a count needs.
    #[error("{file}: not a TED CSV export the count can use; the header lacks {}", missing.join(", "))]
    Header {
        /// The file's name.
        file: String,
        /// What it lacks.
        missing: Vec<String>,
    },
    /// A worker thread of the recount ended without its result (a bug, not bad input).
    #[error("the {what} thread of the recount stopped before it finished")]
    Stopped {
        /// Which: hashing or counting.
        what: &'static str,
    },
    /// The CSV reader failed.
    #[error("{}: {message}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The datasets could not be written: a file could not be, or they did not pass the
    /// check (a bug, not bad input).
    #[error("cannot write the datasets: {0}")]
    Output(#[from] indikator_ingest::Error),
}
