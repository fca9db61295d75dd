//! `indikator check`: every problem of a data folder, or a summary per indicator.

use std::path::Path;

use crate::load;

pub fn run(dir: &Path) -> anyhow::Result<()> {
    let data = load(Some(dir))?;
    let indicators: Vec<_> = data.indicators().collect();
    let rows: usize = indicators.iter().map(|i| i.rows).sum();
    say!(
        "{}: {} indicators, {rows} observations, no problems",
        dir.display(),
        indicators.len()
    );
    let width = indicators
        .iter()
        .map(|i| i.meta.id.len())
        .max()
        .unwrap_or(0);
    for indicator in indicators {
        // A long list of codes would push the years off the line; the count says enough.
        let countries = match indicator.countries.len() {
            0..=4 => indicator.countries.join(","),
            n => format!("{n} countries"),
        };
        say!(
            "  {:width$}  {:7}  {:12}  {}–{}  {} rows",
            indicator.meta.id,
            indicator.meta.unit.as_str(),
            countries,
            indicator.first_year,
            indicator.last_year,
            indicator.rows,
        );
    }
    Ok(())
}
