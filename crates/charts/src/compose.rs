//! From a query selection to plain series and a spec, in the chart's language: titles, the
//! mode's subtitle, comparability notes for the countries shown, event markers, sources and
//! "data as of".

use indikator_ingest::{Lang, country_name};
use indikator_query::{Applied, Selection, View, YearBound};

use crate::{ChartSpec, Marker, Point, Series, Style, ValueUnit, i18n};

/// The notes of a view, in `lang`, as every output gives them (chart, page, JSON, JSON-stat,
/// CSV bundle, CLI): first who has no data in it, then the indicator's notes for the countries
/// shown, then its denominator's in share mode.
pub fn view_notes(selection: &Selection<'_>, lang: Lang) -> Vec<String> {
    let meta = &selection.indicator.meta;
    let shown = &selection.countries;
    let mut notes = Vec::new();
    if !selection.without_data.is_empty() {
        let names: Vec<String> = selection
            .without_data
            .iter()
            .map(|c| country_name(c, lang))
            .collect();
        // First: it is about this view, and a chart short of room keeps its first notes.
        notes.push(i18n::no_data_for(lang, &names.join(", ")));
    }
    notes.extend(meta.notes_for(shown).map(|n| n.text.get(lang).to_owned()));
    if let Applied::Share { denominator, .. } = &selection.applied {
        for note in denominator.meta.notes_for(shown) {
            let text = note.text.get(lang).to_owned();
            if !notes.contains(&text) {
                notes.push(text);
            }
        }
    }
    notes
}

/// The series and spec that draw `selection` (selected by `view`) in `style`.
pub fn chart_for(selection: &Selection<'_>, view: &View, style: Style) -> (Vec<Series>, ChartSpec) {
    let lang = style.lang;
    let meta = &selection.indicator.meta;
    let series: Vec<Series> = selection
        .countries
        .iter()
        .map(|code| Series {
            code: code.clone(),
            name: country_name(code, lang),
            points: selection
                .observations
                .iter()
                .filter(|o| o.country == *code)
                .map(|o| Point {
                    start: o.period.start,
                    end: o.period.end,
                    // Drawn only where finite: anything else is a gap, never a crash.
                    value: o.value.filter(|v| v.is_finite()),
                    flags: o.flags.clone(),
                })
                .collect(),
        })
        .collect();

    let (subtitle, unit, decimals) = match &selection.applied {
        Applied::Absolute => {
            let unit = ValueUnit::of(meta.unit);
            (unit.name(lang).to_owned(), unit, meta.decimals)
        }
        // One base period for every country (query's index mode sees to it).
        Applied::Index { bases, .. } => {
            let subtitle = match bases.first() {
                Some((_, period)) => i18n::index_year(lang, &period.to_string()),
                None => i18n::index(lang).to_owned(),
            };
            (subtitle, ValueUnit::Number, 0)
        }
        Applied::Share { denominator, .. } => {
            let title = denominator.meta.title.get(lang);
            (i18n::per_thousand(lang, title), ValueUnit::Number, 1)
        }
    };

    // Honest at first sight: the subtitle itself says when the countries count differently.
    let subtitle = if selection.not_like_for_like() {
        format!("{subtitle} · {}", i18n::not_like_for_like(lang))
    } else {
        subtitle
    };
    let shown = &selection.countries;
    let notes = view_notes(selection, lang);
    // The producers of the cited sources, each once; the view's own "data as of".
    let mut sources: Vec<String> = Vec::new();
    for source in selection.cited_sources() {
        if !sources.contains(&source.producer) {
            sources.push(source.producer.clone());
        }
    }
    let data_as_of = selection.data_as_of();

    let markers = meta
        .annotations
        .iter()
        .filter(|a| a.country.as_ref().is_none_or(|c| shown.contains(c)))
        .map(|a| Marker {
            year: a.year,
            label: a.text.get(lang).to_owned(),
        })
        .collect();

    let data_years = || {
        let starts = selection.observations.iter().map(|o| o.period.start);
        let ends = selection.observations.iter().map(|o| o.period.end);
        (starts.min(), ends.max())
    };
    let (first, last) = data_years();
    let years = match (view.from.or(first), view.to, last) {
        (Some(from), YearBound::Year(to), _) => Some((from, to)),
        (Some(from), YearBound::Latest, Some(last)) => Some((from, last.max(from))),
        _ => None,
    };

    let spec = ChartSpec {
        style,
        title: meta.title.get(lang).to_owned(),
        subtitle,
        unit,
        decimals,
        years,
        notes,
        markers,
        sources,
        data_as_of,
    };
    (series, spec)
}
