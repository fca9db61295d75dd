//! Modes: how a selection's values are expressed. They are transformations of the data, not of
//! a drawing, so charts and exports show the same numbers.

use std::fmt;
use std::str::FromStr;

use indikator_ingest::{Dataset, Indicator, Observation, Period};

use crate::QueryError;

/// How values are shown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Mode {
    /// As published.
    #[default]
    Absolute,
    /// Each country's first value shown = 100.
    Index,
    /// Per 1 000 of a denominator indicator (same country and period), e.g. innovation
    /// procurements per 1 000 advertised procurements. Periods without a denominator are gaps.
    Share(String),
}

impl FromStr for Mode {
    type Err = QueryError;

    fn from_str(text: &str) -> Result<Self, QueryError> {
        match text {
            "absolute" => Ok(Mode::Absolute),
            "index" => Ok(Mode::Index),
            _ => match text.strip_prefix("share:") {
                Some(id) if !id.is_empty() => Ok(Mode::Share(id.to_owned())),
                _ => Err(QueryError::BadMode { text: text.into() }),
            },
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mode::Absolute => f.write_str("absolute"),
            Mode::Index => f.write_str("index"),
            Mode::Share(id) => write!(f, "share:{id}"),
        }
    }
}

/// What a mode did to a selection, for labels and notes.
#[derive(Debug, Clone)]
pub enum Applied<'a> {
    /// Values as published.
    Absolute,
    /// Indexed: each country's base period (its first value shown, = 100).
    Index {
        /// (country, base period), in the selection's country order.
        bases: Vec<(String, Period)>,
    },
    /// Per 1 000 of `denominator`.
    Share {
        /// The denominator indicator.
        denominator: &'a Indicator,
        /// The ids of the denominator's sources that the shown values used.
        sources: Vec<String>,
    },
}

/// Applies `mode` to `observations` (already filtered and ordered).
pub(crate) fn apply<'a>(
    mode: &Mode,
    data: &'a Dataset,
    numerator: &Indicator,
    observations: Vec<Observation>,
    countries: &[String],
) -> Result<(Vec<Observation>, Applied<'a>), QueryError> {
    match mode {
        Mode::Absolute => Ok((observations, Applied::Absolute)),
        Mode::Index => Ok(index(observations, countries)),
        Mode::Share(id) => {
            let denominator = data
                .indicator(id)
                .ok_or_else(|| QueryError::UnknownIndicator {
                    id: id.clone(),
                    known: data.indicators().map(|i| i.meta.id.clone()).collect(),
                })?;
            if !numerator.meta.denominators.contains(id) {
                return Err(QueryError::NotADenominator {
                    id: numerator.meta.id.clone(),
                    denominator: id.clone(),
                    declared: numerator.meta.denominators.clone(),
                });
            }
            let all = crate::View::new(id.clone())
                .select(data)
                .map(|s| s.observations);
            let denominators = all?;
            let (shared, sources) = share(observations, &denominators);
            let applied = Applied::Share {
                denominator,
                sources,
            };
            Ok((shared, applied))
        }
    }
}

fn index(
    observations: Vec<Observation>,
    countries: &[String],
) -> (Vec<Observation>, Applied<'static>) {
    // Each country's base: its first observation shown with a non-zero value.
    let bases: Vec<(String, Period, f64)> = countries
        .iter()
        .filter_map(|country| {
            observations.iter().find_map(|o| {
                let value = o.value.filter(|v| *v != 0.0)?;
                (o.country == *country).then(|| (country.clone(), o.period, value))
            })
        })
        .collect();
    let indexed = observations
        .into_iter()
        .filter_map(|mut obs| {
            let (_, _, base) = bases.iter().find(|(c, _, _)| *c == obs.country)?;
            obs.value = obs.value.map(|v| v / base * 100.0);
            Some(obs)
        })
        .collect();
    let bases = bases.into_iter().map(|(c, p, _)| (c, p)).collect();
    (indexed, Applied::Index { bases })
}

fn share(
    observations: Vec<Observation>,
    denominators: &[Observation],
) -> (Vec<Observation>, Vec<String>) {
    let mut sources: Vec<String> = Vec::new();
    let shared = observations
        .into_iter()
        .filter_map(|mut obs| {
            let den = denominators
                .iter()
                .find(|d| d.country == obs.country && d.period == obs.period)?;
            // A row without a value keeps its place and its flags: a gap that says why, as in
            // the data. So does a row whose denominator is 0 or missing.
            let den_value = den.value.filter(|d| *d > 0.0);
            obs.value = obs.value.zip(den_value).map(|(v, d)| v / d * 1000.0);
            obs.flags = obs.flags.union(&den.flags);
            if !sources.contains(&den.source) {
                sources.push(den.source.clone());
            }
            Some(obs)
        })
        .collect();
    (shared, sources)
}
