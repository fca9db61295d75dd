//! Trend charts, SVG and PNG, that are honest about the data: missing years are gaps, spans are
//! drawn across their years, flags are marked and explained, comparability notes are printed
//! under the chart, and every chart says its sources and "data as of".
//!
//! The drawing takes plain [`Series`] and a [`ChartSpec`]; [`chart_for`] makes them from a query
//! selection. Nothing here knows HTTP.
//!
//! ```
//! use indikator_charts::{Style, chart_for, describe, render_svg};
//! use indikator_ingest::Dataset;
//! use indikator_query::View;
//!
//! let data = Dataset::embedded().expect("the shipped data is valid");
//! let view = View::new("innovation-procurements");
//! let selection = view.select(&data).expect("a valid view");
//! let (series, spec) = chart_for(&selection, &view, Style::default());
//! assert_eq!(
//!     describe(&series, &spec),
//!     "Norway: 6 in 2010 to 180 in 2016; Sweden: 793 in 2022 (low reliability, definition differs)"
//! );
//! let svg = render_svg(&series, &spec).expect("draws");
//! assert!(svg.contains("<title>Innovation procurements announced</title>"));
//! ```

mod bar;
mod compose;
mod describe;
mod format;
mod frame;
mod i18n;
mod line;
mod marks;
mod output;
mod spec;
mod sprites;
mod text;
mod theme;

pub use compose::{chart_for, view_notes};
pub use describe::describe;
pub use format::{format_number, value_label};
pub use frame::SMALLEST_TEXT_PX;
pub use i18n::{flag_meaning, not_like_for_like, per_thousand};
pub use output::{release_png_buffers, render_png, render_svg};
pub use spec::{
    ChartSpec, DENSITIES, Foot, HEIGHTS, Kind, Marker, Point, Scale, Series, Style, Theme,
    ValueUnit, WIDTHS,
};
pub use theme::dark_for_light;

/// Why a chart could not be drawn.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// A width or height outside the allowed range.
    #[error("{what} {value} is outside {}–{}; choose a {what} in that range", range.start(), range.end())]
    Size {
        /// `width` or `height`.
        what: &'static str,
        /// The size asked for.
        value: u32,
        /// What is allowed.
        range: std::ops::RangeInclusive<u32>,
    },
    /// A log scale over a value that is 0 or less.
    #[error("a log scale needs values above 0, and this view has {value}; use the linear scale")]
    LogScale {
        /// The first such value.
        value: f64,
    },
    /// The drawing itself failed (a bug, not bad input).
    #[error("cannot draw the chart: {0}")]
    Draw(String),
}

/// A plotters drawing error, so that drawing code can use `?`.
impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>>
    for ChartError
{
    fn from(err: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw(err.to_string())
    }
}
