//! Statistical exchange formats for a view: JSON-stat 2.0 (the format of the statbanks of
//! Statistics Norway and Statistics Sweden), SDMX-CSV (Eurostat, OECD) and plain JSON; and
//! importing a JSON-stat 2.0 dataset as a dataset in the project's format.
//!
//! Exports take a query `Selection`; nothing here knows HTTP.

mod bundle;
mod json;
mod jsonstat;
mod sdmx;

pub use bundle::{BundleError, BundleOptions, write_bundle};
pub use json::{ObservationJson, ViewJson, ViewRange, YearOrLatest, view_json};
pub use jsonstat::{Import, ImportError, ImportOptions, MAX_CELLS, import_jsonstat, to_jsonstat};
pub use sdmx::write_sdmx_csv;

use indikator_query::Selection;

/// The sources that the selection's values cite (query's `cited_sources`: the denominator's
/// too in share mode), as every output gives them.
pub(crate) fn cited<'a>(selection: &Selection<'a>) -> Vec<&'a indikator_ingest::Source> {
    selection.cited_sources()
}
