//! The view as plain JSON: what it shows and every observation, with its sources and notes.

use indikator_ingest::Lang;
use indikator_query::{Selection, YearBound};
use serde_json::{Value, json};

use crate::cited;

/// The view as JSON. `notes` are the notes the view shows (in the view's language).
pub fn view_json(selection: &Selection<'_>, lang: Lang, notes: &[String]) -> Value {
    let meta = &selection.indicator.meta;
    let view = &selection.view;
    let observations: Vec<Value> = selection
        .observations
        .iter()
        .map(|o| {
            json!({
                "country": o.country,
                "period": o.period.to_string(),
                "start": o.period.start,
                "end": o.period.end,
                "value": o.value,
                "flag": o.flags.to_string(),
                "source": o.source,
                "note": o.note,
            })
        })
        .collect();
    json!({
        "indicator": meta.id,
        "title": meta.title.get(lang),
        "unit": meta.unit,
        "unit_shown": selection.unit_name(),
        "mode": view.mode.to_string(),
        "view": {
            "countries": selection.countries,
            "from": view.from,
            "to": match view.to { YearBound::Latest => json!("latest"), YearBound::Year(y) => json!(y) },
        },
        "data_as_of": meta.data_as_of(),
        "observations": observations,
        "countries_without_data": selection.without_data,
        "notes": notes,
        "sources": cited(selection),
    })
}
