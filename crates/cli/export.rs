//! `indikator export`: one view as CSV, JSON, JSON-stat 2.0 or SDMX-CSV.

use indikator_query::write_csv;

use crate::args::{ExportArgs, ExportFormat};
use crate::{emit, load, warn_without_data};

pub fn run(args: ExportArgs) -> anyhow::Result<()> {
    let query = args.view.view();
    let data = load(args.view.data.as_deref())?;
    let selection = query.select(&data)?.require_some()?;
    warn_without_data(&query, &selection.without_data);
    // The notes every output gives for this view (charts' `view_notes`).
    let notes = indikator_charts::view_notes(&selection, args.lang);
    let mut out = Vec::new();
    match args.format {
        ExportFormat::Json => serde_json::to_writer_pretty(
            &mut out,
            &indikator_formats::view_json(&selection, args.lang, &notes),
        )?,
        ExportFormat::Jsonstat => serde_json::to_writer_pretty(
            &mut out,
            &indikator_formats::to_jsonstat(&selection, args.lang, &notes),
        )?,
        ExportFormat::SdmxCsv => indikator_formats::write_sdmx_csv(&selection, &mut out)?,
        ExportFormat::Csv => write_csv(&selection, &mut out, args.dialect, args.lang)?,
    }
    emit(&out, args.output.as_deref())
}
