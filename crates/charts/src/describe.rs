//! The chart in one sentence, for `<desc>` and alt text: "Norway: 6 in 2010 to 180 in 2016;
//! Sweden: 793 in 2022 (low reliability, definition differs)".

use crate::format::value_label;
use crate::i18n;
use crate::{ChartSpec, Point, Series};

/// What the chart says, in the chart's language.
pub fn describe(series: &[Series], spec: &ChartSpec) -> String {
    let lang = spec.style.lang;
    let value = |point: &Point, value: f64| {
        let period = if point.is_span() {
            format!("{}–{}", point.start, point.end)
        } else {
            point.start.to_string()
        };
        let mut text = format!(
            "{} {} {period}",
            value_label(value, spec.unit, spec.decimals, lang),
            i18n::value_in(lang)
        );
        let meanings: Vec<&str> = point
            .flags
            .iter()
            .map(|f| i18n::flag_meaning(f, lang))
            .collect();
        if !meanings.is_empty() {
            text.push_str(&format!(" ({})", meanings.join(", ")));
        }
        text
    };
    let parts: Vec<String> = series
        .iter()
        .filter_map(|s| {
            let valued: Vec<(&Point, f64)> = s
                .points
                .iter()
                .filter_map(|p| Some((p, p.value?)))
                .collect();
            let (first, last) = (valued.first()?, valued.last()?);
            Some(if valued.len() == 1 {
                format!("{}: {}", s.name, value(first.0, first.1))
            } else {
                format!(
                    "{}: {} {} {}",
                    s.name,
                    value(first.0, first.1),
                    i18n::to(lang),
                    value(last.0, last.1)
                )
            })
        })
        .collect();
    if parts.is_empty() {
        i18n::no_data(lang).to_owned()
    } else {
        parts.join("; ")
    }
}
