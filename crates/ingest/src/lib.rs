//! Reads indikator datasets into validated polars frames and typed metadata.
//!
//! An indicator is two files in one folder: `<id>.csv` with the columns
//! `country,period,value,flag,source,note`, and a TOML sidecar `<id>.toml` with its title,
//! unit, sources and notes (the format is described in the repository's README). A folder of
//! them is a [`Dataset`]. Loading is all or nothing: any problem in any file means nothing is
//! loaded, and the error lists every problem with its file, line and column.
//!
//! This crate knows nothing of charts or HTTP.
//!
//! ```
//! let data = indikator_ingest::Dataset::embedded().expect("the shipped data is valid");
//! let procurements = data.indicator("innovation-procurements").expect("shipped");
//! assert_eq!(procurements.countries, ["NO", "SE"]);
//! assert_eq!(data.frame().width(), indikator_ingest::FRAME_COLUMNS.len());
//! ```

mod country;
mod dataset;
mod error;
mod meta;
mod model;
mod table;
mod write;

pub use country::{alpha2_of_alpha3, country_name, is_iso_alpha2};
pub use dataset::{Dataset, FRAME_COLUMNS, Indicator, MAX_FILE_BYTES, SourceFile, hex};
pub use error::{COLUMNS, Error, Location, MAX_PROBLEMS, NOTE_COLUMNS, Problem, ProblemKind};
pub use meta::{Annotation, Lang, MAX_DECIMALS, Metadata, Note, Source, SourceKind, Text};
pub use model::{
    Flag, Flags, MAX_MAGNITUDE, MIN_MAGNITUDE, Period, Unit, YEARS, forbidden_char, in_bounds,
    limits,
};
pub use table::{Observation, read_data_file};
pub use write::{IndicatorFiles, write_dataset};
