//! Recounts procurement indicators from raw notice data, so that countries can be measured
//! under one definition rather than compared across their own.
//!
//! [`recount`] reads TED's CSV open data, Upphandlingsmyndigheten's statistics database (xlsx
//! or CSV), DFØ's Doffin dataset and eForms XML (files, folders, TED's `.tar.gz` packages),
//! each layout found from the input; it counts distinct notices per country and year under
//! each of [`DEFINITIONS`], by the labels and codes of a [`Rules`] table the user can
//! override, and can write one row per notice to a Parquet table. [`write_datasets`] writes
//! each definition as a dataset in the project's format, whose sidecar cites the inputs by
//! name, size and SHA-256. [`generate`] writes synthetic input in every layout for tests and
//! benchmarks. Nothing here knows charts or HTTP.

mod ahead;
mod bounded;
mod csvscan;
mod definitions;
mod distinct;
mod doffin;
mod eforms;
mod generate;
mod layout;
mod recount;
mod table;
mod ted;
mod uhm;
mod write;

use std::path::PathBuf;

pub use definitions::{DEFINITIONS, Definition, Kind, Needs, Rules};
pub use distinct::Counts;
pub use doffin::DOFFIN_COLUMNS;
pub use eforms::{MAX_NOTICE_BYTES, fuzz_document, walk as eforms_files};
pub use generate::{Generated, generate, generate_into};
pub use layout::{CAN_HEADER, Family, Layout};
pub use recount::{
    BadRow, InputFile, MAX_BAD_ROWS, MAX_INPUTS, Options, Place, Progress, Recount, recount,
};
pub use table::TABLE_COLUMNS;
pub use uhm::UHM_COLUMNS;
pub use write::{Written, WrittenDataset, prefix_for, write_datasets};

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
    #[error(
        "no input files; give TED CSV exports, Upphandlingsmyndigheten or Doffin files, or eForms XML"
    )]
    NoInput,
    /// More inputs than one run reads.
    #[error(
        "{given} inputs; one run reads at most {max}: put eForms notices in folders, which count as one input each",
        max = crate::MAX_INPUTS
    )]
    TooManyInputs {
        /// How many were given.
        given: usize,
    },
    /// A file of no known layout.
    #[error("{file}: not a layout the recount reads; expected {expected}")]
    UnknownLayout {
        /// The file's name.
        file: String,
        /// What was expected.
        expected: &'static str,
    },
    /// The definitions file could not be read.
    #[error("{at}: {message}")]
    Definitions {
        /// FILE:LINE:COL.
        at: String,
        /// What is wrong.
        message: String,
    },
    /// The notice table could not be written.
    #[error("cannot write the notice table {}: {message}", path.display())]
    Table {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An empty file.
    #[error("{file}: the file is empty; give an export, which starts with a header line")]
    Empty {
        /// The file's name.
        file: String,
    },
    /// Nothing to count, so nothing to write.
    #[error(
        "no notice to count: the input has {rows} rows or notices, {bad} of them bad; the rest are cancelled or not of the kind counted (--kind). Nothing was written."
    )]
    NothingCounted {
        /// Data rows read.
        rows: u64,
        /// Bad rows among them.
        bad: u64,
    },
    /// A header without the columns a count needs.
    #[error("{file}: not {layout} export the count can use; the header lacks {}", missing.join(", "))]
    Header {
        /// The file's name.
        file: String,
        /// The layout its header looked like, with its article.
        layout: &'static str,
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
