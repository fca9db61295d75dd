//! Views over an indikator dataset: pick an indicator, countries and a period range, and export
//! what was picked.
//!
//! This crate sits between ingest and every output (charts, the CLI, the web service). It knows
//! nothing of charts or HTTP.
//!
//! ```
//! use indikator_ingest::Dataset;
//! use indikator_query::{View, YearBound};
//!
//! let data = Dataset::embedded().expect("the shipped data is valid");
//! let view = View::new("innovation-procurements").countries(["NO"]).to(YearBound::Year(2016));
//! let selection = view.select(&data).expect("a valid view");
//! let values: Vec<_> = selection.observations.iter().map(|o| o.value).collect();
//! assert_eq!(values, [Some(6.0), Some(180.0)]);
//! ```

mod error;
mod export;
mod mode;
mod view;

pub use error::QueryError;
pub use export::{Dialect, EXPORT_COLUMNS, neutralise, value_cell, write_csv};
pub use mode::{Applied, Mode};
pub use view::{Selection, View, YearBound, parse_countries};
