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
    /// The first period in which every country shown has a value = 100, for each country.
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
    /// Indexed: each country's base period (= 100), the same for every country.
    Index {
        /// (country, base period), in the selection's country order.
        bases: Vec<(String, Period)>,
        /// Each observation's value as published, in the order of the selection's
        /// observations, for exports that give both.
        published: Vec<Option<f64>>,
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
        Mode::Index => index(&numerator.meta.id, observations, countries),
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
    id: &str,
    observations: Vec<Observation>,
    countries: &[String],
) -> Result<(Vec<Observation>, Applied<'static>), QueryError> {
    // One base period for every country: the first in which each country with values has a
    // non-zero one. Each country at its own first year would set Norway's 2010 beside
    // Sweden's 2022, both "100", as if they could be compared.
    let nonzero = |o: &&Observation| o.value.is_some_and(|v| v != 0.0);
    // Each country with values, and the periods it has them in.
    let valued: Vec<(&String, Vec<Period>)> = countries
        .iter()
        .filter_map(|c| {
            let periods: Vec<Period> = observations
                .iter()
                .filter(|o| o.country == *c)
                .filter(nonzero)
                .map(|o| o.period)
                .collect();
            (!periods.is_empty()).then_some((c, periods))
        })
        .collect();
    if valued.is_empty() {
        let published = observations.iter().map(|o| o.value).collect();
        return Ok((
            observations,
            Applied::Index {
                bases: Vec::new(),
                published,
            },
        ));
    }
    let common = valued
        .iter()
        .flat_map(|(_, periods)| periods.iter().copied())
        .filter(|p| valued.iter().all(|(_, periods)| periods.contains(p)))
        .min();
    let Some(base) = common else {
        return Err(QueryError::NoCommonBase {
            id: id.to_owned(),
            years: valued
                .iter()
                .map(|(c, periods)| {
                    let years: Vec<String> = periods.iter().map(Period::to_string).collect();
                    ((*c).clone(), shorten_list(&years))
                })
                .collect(),
        });
    };
    let bases: Vec<(String, f64)> = valued
        .iter()
        .filter_map(|(c, _)| {
            observations
                .iter()
                .find(|o| o.country == **c && o.period == base)
                .and_then(|o| o.value)
                .map(|v| ((*c).clone(), v))
        })
        .collect();
    let mut published = Vec::new();
    let indexed = observations
        .into_iter()
        .filter_map(|mut obs| {
            let (_, value) = bases.iter().find(|(c, _)| *c == obs.country)?;
            published.push(obs.value);
            obs.value = obs.value.map(|v| v / value * 100.0);
            Some(obs)
        })
        .collect();
    let bases = bases.into_iter().map(|(c, _)| (c, base)).collect();
    Ok((indexed, Applied::Index { bases, published }))
}

/// `items` as they are, or the first three, "…" and the last, for a message of bounded length.
fn shorten_list(items: &[String]) -> String {
    if items.len() <= 5 {
        items.join(", ")
    } else {
        format!("{}, …, {}", items[..3].join(", "), items[items.len() - 1])
    }
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
