//! `indikator render`: one view as an SVG or PNG chart.

use std::path::Path;

use indikator_charts::{Style, chart_for, render_png, render_svg};

use crate::args::{ImageFormat, RenderArgs};
use crate::{emit, load, warn_without_data};

pub fn run(args: RenderArgs) -> anyhow::Result<()> {
    let style = Style {
        kind: args.kind,
        scale: args.scale,
        theme: args.theme,
        lang: args.lang,
        width: args.width,
        height: args.height,
        density: args.density,
        // A file stands alone: its notes and sources are in it.
        ..Style::default()
    };
    let extension = args
        .output
        .as_deref()
        .and_then(Path::extension)
        .map(|ext| ext.to_string_lossy().to_ascii_lowercase());
    let format = match (args.format, extension.as_deref()) {
        (Some(format), _) => format,
        (None, Some("png")) => ImageFormat::Png,
        (None, Some("svg") | None) => ImageFormat::Svg,
        (None, Some(other)) => anyhow::bail!(
            "cannot tell the format from `.{other}`; name the file .svg or .png, or give --format"
        ),
    };
    let data = load(args.view.data.as_deref())?;
    let query = args.view.view().or_default_countries(&data);
    let selection = query.select(&data)?.require_some()?;
    warn_without_data(&query, &selection.without_data);
    let (series, spec) = chart_for(&selection, &query, style);
    let bytes = match format {
        ImageFormat::Png => render_png(&series, &spec)?,
        ImageFormat::Svg => render_svg(&series, &spec)?.into_bytes(),
    };
    emit(&bytes, args.output.as_deref())
}
