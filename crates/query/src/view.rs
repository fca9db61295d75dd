//! A view: indicator, countries and period range, and the observations it selects.

use std::fmt;
use std::str::FromStr;

use indikator_ingest::{Dataset, Flags, Indicator, Observation, Period, is_iso_alpha2};
use polars::prelude::*;

use crate::QueryError;
use crate::mode::{self, Applied, Mode};

/// The last year of a view: a year, or `latest`, an open end that takes in new years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum YearBound {
    /// Up to and including this year.
    Year(i32),
    /// Up to the latest year there is.
    #[default]
    Latest,
}

impl FromStr for YearBound {
    type Err = QueryError;

    fn from_str(text: &str) -> Result<Self, QueryError> {
        if text == "latest" {
            Ok(YearBound::Latest)
        } else {
            parse_year(text, true).map(YearBound::Year)
        }
    }
}

impl fmt::Display for YearBound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            YearBound::Year(year) => write!(f, "{year}"),
            YearBound::Latest => f.write_str("latest"),
        }
    }
}

fn parse_year(text: &str, open_end: bool) -> Result<i32, QueryError> {
    text.parse::<Period>()
        .ok()
        .filter(|p| !p.is_span())
        .map(|p| p.start)
        .ok_or_else(|| QueryError::BadYear {
            text: text.to_owned(),
            open_end,
        })
}

/// Parses a list of country codes separated by commas (`NO,SE`) or tildes (`NO~SE`, as in
/// Our World in Data's links). Codes must be ISO 3166-1 alpha-2; lower case is accepted.
pub fn parse_countries(text: &str) -> Result<Vec<String>, QueryError> {
    let mut countries: Vec<String> = Vec::new();
    for code in text
        .split([',', '~'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let upper = code.to_ascii_uppercase();
        if !is_iso_alpha2(&upper) {
            return Err(QueryError::UnknownCountry { code: code.into() });
        }
        if !countries.contains(&upper) {
            countries.push(upper);
        }
    }
    Ok(countries)
}

/// What to select: an indicator, some countries (none means all) and a range of years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The indicator id.
    pub indicator: String,
    /// The countries, in the order asked; empty means every country with data.
    pub countries: Vec<String>,
    /// The first year; `None` means from the first there is.
    pub from: Option<i32>,
    /// The last year.
    pub to: YearBound,
    /// How values are shown.
    pub mode: Mode,
}

/// The observations a view selects, with the indicator they belong to.
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    /// The indicator, with its metadata.
    pub indicator: &'a Indicator,
    /// The view that selected it.
    pub view: View,
    /// The countries shown: those asked for, or every country with data.
    pub countries: Vec<String>,
    /// Countries asked for that have no observations in the range.
    pub without_data: Vec<String>,
    /// The observations, by country (in the order of `countries`) and period, with the mode
    /// applied to their values.
    pub observations: Vec<Observation>,
    /// What the mode did.
    pub applied: Applied<'a>,
}

impl<'a> Selection<'a> {
    /// The sources the view's values cite, each once, in the order first cited: the
    /// indicator's, then (in share mode) its denominator's. Every output that names sources
    /// (chart footer, page, JSON, JSON-stat, bundle) takes them from here.
    pub fn cited_sources(&self) -> Vec<&'a indikator_ingest::Source> {
        let meta: &'a indikator_ingest::Metadata = &self.indicator.meta;
        let numerator = self
            .observations
            .iter()
            .filter_map(|o| meta.source(&o.source));
        let denominator: Vec<&'a indikator_ingest::Source> = match &self.applied {
            Applied::Share {
                denominator,
                sources,
            } => {
                let meta: &'a indikator_ingest::Metadata = &denominator.meta;
                sources.iter().filter_map(|id| meta.source(id)).collect()
            }
            _ => Vec::new(),
        };
        let mut cited: Vec<&'a indikator_ingest::Source> = Vec::new();
        for source in numerator.chain(denominator) {
            if !cited.iter().any(|s| std::ptr::eq(*s, source)) {
                cited.push(source);
            }
        }
        cited
    }

    /// The view's "data as of": the newest date a cited source was read (`YYYY-MM` or
    /// `YYYY-MM-DD`); empty for a view without values.
    pub fn data_as_of(&self) -> String {
        self.cited_sources()
            .iter()
            .map(|s| s.accessed.as_str())
            .max()
            .unwrap_or_default()
            .to_owned()
    }

    /// Whether the countries shown are measured in different ways, so that their values
    /// cannot be set side by side: two or more countries with values, in an indicator that
    /// names a like-for-like one (its countries count differently), or with a value flagged
    /// `d` (definition differs). The chart's subtitle and the page say so.
    pub fn not_like_for_like(&self) -> bool {
        let mut with_values = self.countries.iter().filter(|c| {
            self.observations
                .iter()
                .any(|o| o.country == **c && o.value.is_some())
        });
        let several = with_values.next().is_some() && with_values.next().is_some();
        several
            && (self.indicator.meta.like_for_like.is_some()
                || self
                    .observations
                    .iter()
                    .any(|o| o.flags.contains(indikator_ingest::Flag::DefinitionDiffers)))
    }

    /// The selection, or an error saying why it is empty and what the indicator covers. For
    /// callers (such as the CLI) for which an empty view is a mistake; a web view shows an
    /// empty chart with a note instead.
    pub fn require_some(self) -> Result<Self, QueryError> {
        if !self.observations.is_empty() {
            return Ok(self);
        }
        let view = &self.view;
        let indicator = self.indicator;
        if let Applied::Share { denominator, .. } = &self.applied {
            return Err(QueryError::NothingToCompare {
                id: view.indicator.clone(),
                denominator: denominator.meta.id.clone(),
            });
        }
        Err(QueryError::NothingInRange {
            id: view.indicator.clone(),
            countries: if view.countries.is_empty() {
                "any country".into()
            } else {
                view.countries.join(", ")
            },
            range: match (view.from, view.to) {
                (None, YearBound::Latest) => "any year".into(),
                (None, YearBound::Year(to)) => format!("the years up to {to}"),
                (Some(from), to) => format!("{from}–{to}"),
            },
            available: format!(
                "{} in {}–{}",
                indicator.countries.join(", "),
                indicator.first_year,
                indicator.last_year
            ),
        })
    }

    /// The unit of the values as shown: the indicator's unit, `index`, or `per 1000 <id>`.
    pub fn unit_name(&self) -> String {
        match &self.applied {
            Applied::Absolute => self.indicator.meta.unit.as_str().to_owned(),
            Applied::Index { .. } => "index".to_owned(),
            Applied::Share { denominator, .. } => format!("per 1000 {}", denominator.meta.id),
        }
    }
}

impl View {
    /// Every country and year of `indicator`.
    pub fn new(indicator: impl Into<String>) -> Self {
        Self {
            indicator: indicator.into(),
            countries: Vec::new(),
            from: None,
            to: YearBound::Latest,
            mode: Mode::Absolute,
        }
    }

    /// In this mode.
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Only these countries.
    pub fn countries<S: Into<String>>(mut self, countries: impl IntoIterator<Item = S>) -> Self {
        self.countries = countries.into_iter().map(Into::into).collect();
        self
    }

    /// From this year on.
    pub fn from(mut self, year: i32) -> Self {
        self.from = Some(year);
        self
    }

    /// Up to this bound.
    pub fn to(mut self, to: YearBound) -> Self {
        self.to = to;
        self
    }

    /// The view with the indicator's default countries (from its sidecar) where none were
    /// chosen: what a chart shows first. Exports leave the choice empty, for every country.
    pub fn or_default_countries(mut self, data: &Dataset) -> Self {
        if self.countries.is_empty()
            && let Some(indicator) = data.indicator(&self.indicator)
        {
            self.countries = indicator.meta.default_countries.clone();
        }
        self
    }

    /// Selects the view's observations from `data`. A period that overlaps the range is in it,
    /// so a span such as 2018/2022 shows in a view from 2020.
    pub fn select<'a>(&self, data: &'a Dataset) -> Result<Selection<'a>, QueryError> {
        let indicator =
            data.indicator(&self.indicator)
                .ok_or_else(|| QueryError::UnknownIndicator {
                    id: self.indicator.clone(),
                    known: data.indicators().map(|i| i.meta.id.clone()).collect(),
                })?;
        for code in &self.countries {
            if !is_iso_alpha2(code) {
                return Err(QueryError::UnknownCountry { code: code.clone() });
            }
        }
        let from = self.from.unwrap_or(i32::MIN);
        let to = match self.to {
            YearBound::Year(year) => year,
            YearBound::Latest => i32::MAX,
        };
        if from > to {
            return Err(QueryError::ReversedRange { from, to });
        }

        let mut filter = col("indicator")
            .eq(lit(self.indicator.as_str()))
            .and(col("end").gt_eq(lit(from)))
            .and(col("start").lt_eq(lit(to)));
        if !self.countries.is_empty() {
            let any_country = self
                .countries
                .iter()
                .map(|c| col("country").eq(lit(c.as_str())))
                .reduce(Expr::or);
            if let Some(any_country) = any_country {
                filter = filter.and(any_country);
            }
        }
        let frame = data.frame().clone().lazy().filter(filter).collect()?;
        let mut observations = observations(&frame)?;

        let countries = if self.countries.is_empty() {
            indicator.countries.clone()
        } else {
            self.countries.clone()
        };
        observations.sort_by_key(|o| {
            let rank = countries.iter().position(|c| *c == o.country);
            (rank, o.period)
        });
        let (observations, applied) =
            mode::apply(&self.mode, data, indicator, observations, &countries)?;
        let without_data: Vec<String> = countries
            .iter()
            .filter(|c| !observations.iter().any(|o| o.country == **c))
            .cloned()
            .collect();
        Ok(Selection {
            indicator,
            view: self.clone(),
            countries,
            without_data,
            observations,
            applied,
        })
    }
}

/// Turns rows of the dataset frame back into observations.
fn observations(frame: &DataFrame) -> Result<Vec<Observation>, QueryError> {
    let country = frame.column("country")?.str()?;
    let start = frame.column("start")?.i32()?;
    let end = frame.column("end")?.i32()?;
    let value = frame.column("value")?.f64()?;
    let flag = frame.column("flag")?.str()?;
    let source = frame.column("source")?.str()?;
    let note = frame.column("note")?.str()?;
    let note_sv = frame.column("note_sv")?.str()?;
    let note_nb = frame.column("note_nb")?.str()?;
    // Ingest built the frame from validated rows, so none of these can fail unless a bug
    // broke that; if one does, it says where rather than showing a wrong value.
    let broken = |column: &'static str, row: usize| QueryError::BrokenFrame { column, row };
    let text = |ca: &StringChunked, column, i| {
        ca.get(i)
            .map(str::to_owned)
            .ok_or_else(|| broken(column, i))
    };
    (0..frame.height())
        .map(|i| {
            Ok(Observation {
                country: text(country, "country", i)?,
                period: Period {
                    start: start.get(i).ok_or_else(|| broken("start", i))?,
                    end: end.get(i).ok_or_else(|| broken("end", i))?,
                },
                value: value.get(i),
                flags: text(flag, "flag", i)?
                    .parse::<Flags>()
                    .map_err(|_| broken("flag", i))?,
                source: text(source, "source", i)?,
                note: text(note, "note", i)?,
                note_sv: text(note_sv, "note_sv", i)?,
                note_nb: text(note_nb, "note_nb", i)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_lists_in_both_forms() {
        let both = |text| parse_countries(text).map_err(|e| e.to_string());
        assert_eq!(both("NO,SE"), Ok(vec!["NO".into(), "SE".into()]));
        assert_eq!(both("no~se~NO"), Ok(vec!["NO".into(), "SE".into()]));
        assert_eq!(both(""), Ok(vec![]));
        assert_eq!(
            both("NO,XX"),
            Err("unknown country `XX`; use ISO 3166-1 alpha-2 codes such as NO or SE, separated by commas".into())
        );
    }

    #[test]
    fn year_bounds() {
        assert_eq!("latest".parse::<YearBound>().ok(), Some(YearBound::Latest));
        assert_eq!(
            "2016".parse::<YearBound>().ok(),
            Some(YearBound::Year(2016))
        );
        let err = "2016/2018".parse::<YearBound>().map_err(|e| e.to_string());
        assert_eq!(
            err,
            Err("bad year `2016/2018`; write a year such as 2016, or latest".into())
        );
    }
}
