//! SDMX-CSV (version 1.0 of the format, as Eurostat and OECD serve it): one row per
//! observation, the dataflow first, then the dimensions, `TIME_PERIOD`, `OBS_VALUE` and the
//! attributes. Flags go in `OBS_FLAG` with Eurostat's letters, as Eurostat's own SDMX-CSV does.

use std::io::Write;

use indikator_query::{Dialect, QueryError, Selection, neutralise, value_cell};

/// SDMX's form of a period: `2016`, or a multi-year span as a start and a duration,
/// `2018-01-01/P5Y` for 2018/2022.
pub fn time_period(start: i32, end: i32) -> String {
    if end > start {
        format!("{start}-01-01/P{}Y", end - start + 1)
    } else {
        start.to_string()
    }
}

/// Writes the selection as SDMX-CSV.
pub fn write_sdmx_csv(selection: &Selection<'_>, out: impl Write) -> Result<(), QueryError> {
    let meta = &selection.indicator.meta;
    let dataflow = format!(
        "INDIKATOR:{}(1.0)",
        meta.id.to_uppercase().replace('-', "_")
    );
    let unit = neutralise(&selection.unit_name()).into_owned();
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record([
        "DATAFLOW",
        "FREQ",
        "INDICATOR",
        "REF_AREA",
        "TIME_PERIOD",
        "OBS_VALUE",
        "OBS_FLAG",
        "UNIT_MEASURE",
        "OBS_COMMENT",
    ])?;
    for obs in &selection.observations {
        csv.write_record([
            dataflow.as_str(),
            "A",
            meta.id.as_str(),
            obs.country.as_str(),
            &time_period(obs.period.start, obs.period.end),
            &value_cell(obs.value, Dialect::Standard),
            &obs.flags.to_string(),
            &unit,
            &neutralise(&obs.note),
        ])?;
    }
    csv.flush().map_err(csv::Error::from)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn periods() {
        assert_eq!(super::time_period(2016, 2016), "2016");
        assert_eq!(super::time_period(2018, 2022), "2018-01-01/P5Y");
        assert_eq!(super::time_period(2016, 2017), "2016-01-01/P2Y");
    }
}
