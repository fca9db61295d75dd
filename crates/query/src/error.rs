//! Errors of the query crate.
//!
//! Policy: a view that asks for something the data cannot give (an unknown indicator or
//! country, an empty or reversed range) is the caller's mistake, and its message says what is
//! available instead. [`QueryError::Frame`] and [`QueryError::Write`] are failures underneath.

/// Why a view could not be selected or exported.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// No indicator has this id.
    #[error("unknown indicator `{id}`; the indicators are: {}", known.join(", "))]
    UnknownIndicator {
        /// The id asked for.
        id: String,
        /// Every id there is.
        known: Vec<String>,
    },
    /// Not an ISO 3166-1 alpha-2 code.
    #[error(
        "unknown country `{code}`; use ISO 3166-1 alpha-2 codes such as NO or SE, separated by commas"
    )]
    UnknownCountry {
        /// The code asked for.
        code: String,
    },
    /// A year that is not a year.
    #[error("bad year `{text}`; write a year such as 2016{}", if *.open_end { ", or latest" } else { "" })]
    BadYear {
        /// The text given.
        text: String,
        /// Whether `latest` would have been allowed.
        open_end: bool,
    },
    /// A mode that is not one of the modes.
    #[error(
        "unknown mode `{text}`; use absolute, index, or share:<denominator-id> such as share:advertised-procurements"
    )]
    BadMode {
        /// The text given.
        text: String,
    },
    /// A share its numerator's sidecar does not declare: the two do not count the same
    /// population, so the quotient would not be a share of anything.
    #[error(
        "{id} cannot be divided by {denominator}: its sidecar does not declare that the two count the same population; {}",
        declared_text(declared)
    )]
    NotADenominator {
        /// The numerator.
        id: String,
        /// The denominator asked for.
        denominator: String,
        /// The denominators the numerator declares.
        declared: Vec<String>,
    },
    /// Index mode without a period in which every country shown has a value.
    #[error(
        "index mode needs one base year in which every country shown has a value, and {id} has none here ({}); choose countries or years that share one, or show the values as published",
        years.iter().map(|(country, periods)| format!("{country}: {periods}")).collect::<Vec<_>>().join("; ")
    )]
    NoCommonBase {
        /// The indicator.
        id: String,
        /// Each country shown with values (ISO code) and the periods it has them in, listed
        /// (shortened past five: `2006, 2007, 2008, …, 2025`).
        years: Vec<(String, String)>,
    },
    /// A share whose numerator and denominator have no period in common.
    #[error(
        "{id} and {denominator} have no country and period in common in this view, so there is nothing to divide"
    )]
    NothingToCompare {
        /// The numerator.
        id: String,
        /// The denominator.
        denominator: String,
    },
    /// `from` after `to`.
    #[error("the range {from}–{to} is reversed; the first year must not be after the last")]
    ReversedRange {
        /// First year asked for.
        from: i32,
        /// Last year asked for.
        to: i32,
    },
    /// Nothing in the range for the countries asked for.
    #[error("{id} has no observations for {countries} in {range}; it covers {available}")]
    NothingInRange {
        /// The indicator.
        id: String,
        /// The countries asked for, or "any country".
        countries: String,
        /// The range asked for.
        range: String,
        /// What the indicator covers.
        available: String,
    },
    /// The data frame holds a value ingest never writes there (a bug, not bad input).
    #[error("the data frame has no valid `{column}` in row {row}")]
    BrokenFrame {
        /// The column.
        column: &'static str,
        /// The row.
        row: usize,
    },
    /// The polars query failed (a bug, not bad input).
    #[error("cannot query the data frame: {0}")]
    Frame(#[from] polars::error::PolarsError),
    /// The output could not be written.
    #[error("cannot write the export: {0}")]
    Write(#[from] csv::Error),
}

fn declared_text(declared: &[String]) -> String {
    if declared.is_empty() {
        "it has no share mode, so use absolute or index".to_owned()
    } else {
        let modes: Vec<String> = declared.iter().map(|d| format!("share:{d}")).collect();
        format!("use {}", modes.join(" or "))
    }
}
