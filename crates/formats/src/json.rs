//! The view as plain JSON: what it shows and every observation, with its sources and notes.
//! A typed struct, so the shape is written once; fields are in the order they are written.

use indikator_ingest::{Lang, Source, Unit};
use indikator_query::{Selection, YearBound};
use serde::Serialize;

use crate::cited;

/// The view as JSON.
#[derive(Debug, Serialize)]
pub struct ViewJson<'a> {
    /// Countries asked for that have no observation in the view.
    pub countries_without_data: &'a [String],
    /// The date the data is as of.
    pub data_as_of: String,
    /// The indicator's id.
    pub indicator: &'a str,
    /// How values are shown: `absolute`, `index`, `share:<id>`.
    pub mode: String,
    /// The notes the view shows, in its language.
    pub notes: &'a [String],
    /// Every observation shown.
    pub observations: Vec<ObservationJson<'a>>,
    /// The sources the observations cite.
    pub sources: Vec<&'a Source>,
    /// The indicator's title in the view's language.
    pub title: &'a str,
    /// The unit of the data.
    pub unit: Unit,
    /// The unit of the values shown (after the mode).
    pub unit_shown: String,
    /// What was selected.
    pub view: ViewRange<'a>,
}

/// The countries and years of a view.
#[derive(Debug, Serialize)]
pub struct ViewRange<'a> {
    /// The countries shown, in order.
    pub countries: &'a [String],
    /// The first year asked for, if any.
    pub from: Option<i32>,
    /// The last year, or `"latest"`.
    pub to: YearOrLatest,
}

/// A year, or the open end `"latest"`.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum YearOrLatest {
    /// A year.
    Year(i32),
    /// `"latest"`.
    Latest(&'static str),
}

/// One observation.
#[derive(Debug, Serialize)]
pub struct ObservationJson<'a> {
    /// ISO 3166-1 alpha-2.
    pub country: &'a str,
    /// The last year it covers.
    pub end: i32,
    /// Its flags, as letters.
    pub flag: String,
    /// Its note.
    pub note: &'a str,
    /// `2016` or `2018/2022`.
    pub period: String,
    /// The source id it cites.
    pub source: &'a str,
    /// The first year it covers.
    pub start: i32,
    /// The value; `null` where the data has none (a flag says why).
    pub value: Option<f64>,
}

/// The view as JSON. `notes` are the notes the view shows (in the view's language).
pub fn view_json<'a>(
    selection: &'a Selection<'_>,
    lang: Lang,
    notes: &'a [String],
) -> ViewJson<'a> {
    let meta = &selection.indicator.meta;
    let view = &selection.view;
    ViewJson {
        countries_without_data: &selection.without_data,
        // The view's own date, as its chart gives it.
        data_as_of: selection.data_as_of(),
        indicator: &meta.id,
        mode: view.mode.to_string(),
        notes,
        observations: selection
            .observations
            .iter()
            .map(|o| ObservationJson {
                country: &o.country,
                end: o.period.end,
                flag: o.flags.to_string(),
                note: o.note_in(lang),
                period: o.period.to_string(),
                source: &o.source,
                start: o.period.start,
                value: o.value,
            })
            .collect(),
        sources: cited(selection),
        title: meta.title.get(lang),
        unit: meta.unit,
        unit_shown: selection.unit_name(),
        view: ViewRange {
            countries: &selection.countries,
            from: view.from,
            to: match view.to {
                YearBound::Latest => YearOrLatest::Latest("latest"),
                YearBound::Year(year) => YearOrLatest::Year(year),
            },
        },
    }
}
