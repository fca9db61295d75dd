//! Drawing a chart to SVG text, and rasterising that SVG to PNG.
//!
//! PNG is not drawn with plotters' bitmap backend: in plotters 0.3.7 its `ab_glyph` text lacks
//! glyph side bearings, so letters are unevenly spaced. Instead the SVG is rasterised by resvg
//! with a font database holding only the shipped faces. PNG and SVG then come from one drawing,
//! text is properly shaped, and the bytes are the same on every machine.

use std::sync::{Arc, OnceLock};

use plotters::coord::Shift;
use plotters::prelude::*;
use resvg::{tiny_skia, usvg};

use crate::describe::describe;
use crate::frame::Frame;
use crate::text::{BOLD, FAMILY, REGULAR, register_fonts};
use crate::{ChartError, ChartSpec, Kind, Series, bar, line};

/// The font-family list written into SVG text: the shipped face first.
const FONT_FAMILIES: &str = "DejaVu Sans, Bitstream Vera Sans, Verdana, sans-serif";

fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series],
    spec: &ChartSpec,
) -> Result<(), ChartError> {
    let kind = spec.style.kind;
    let mut frame = Frame::layout(area, series, spec, line::naming(kind))?;
    // At most twice: a legend added takes height, which can leave the labels no room.
    for _ in 0..2 {
        match line::renaming(&frame, series) {
            Some(naming) => frame = Frame::layout(area, series, spec, naming)?,
            None => break,
        }
    }
    frame.draw(area)?;
    let any_value = series
        .iter()
        .any(|s| s.points.iter().any(|p| p.value.is_some()));
    if !any_value {
        return frame.draw_empty(area);
    }
    match kind {
        Kind::Line => line::draw(area, &frame, series),
        Kind::Bar => bar::draw(area, &frame, series),
    }
}

/// The chart as an SVG document, with `<title>` and a `<desc>` that says what it shows.
pub fn render_svg(series: &[Series], spec: &ChartSpec) -> Result<String, ChartError> {
    spec.style.validate()?;
    register_fonts()?;
    let mut svg = String::new();
    {
        let size = (spec.style.width, spec.style.height);
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw(&area, series, spec)?;
        area.present()?;
    }
    let svg = without_empty_polylines(&svg).replace(
        &format!("font-family=\"{FAMILY}\""),
        &format!("font-family=\"{FONT_FAMILIES}\""),
    );
    let Some(open_end) = svg.find('>') else {
        return Err(ChartError::Draw(
            "the SVG backend wrote no <svg> element".into(),
        ));
    };
    let head = svg[..open_end].replacen("<svg ", "<svg role=\"img\" ", 1);
    Ok(format!(
        "{head}>\n<title>{}</title>\n<desc>{}</desc>{}",
        escape(&spec.title),
        escape(&describe(series, spec)),
        &svg[open_end + 1..]
    ))
}

/// The chart as a PNG image of `width` × `height` pixels.
pub fn render_png(series: &[Series], spec: &ChartSpec) -> Result<Vec<u8>, ChartError> {
    let svg = render_svg(series, spec)?;
    let options = usvg::Options {
        font_family: FAMILY.to_owned(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&svg, &options).map_err(|e| ChartError::Draw(e.to_string()))?;
    let (width, height) = (spec.style.width, spec.style.height);
    // The canvas is this thread's own buffer, reused from render to render: allocating
    // images of every size afresh left the allocator's heaps fragmented, and a server's
    // memory grew by about 1 MB a render under PNGs of random sizes.
    let mut canvas = CANVAS.with_borrow_mut(std::mem::take);
    canvas.clear();
    canvas.resize(width as usize * height as usize * 4, 0);
    let mut pixmap = tiny_skia::IntSize::from_wh(width, height)
        .and_then(|size| tiny_skia::Pixmap::from_vec(canvas, size))
        .ok_or_else(|| ChartError::Draw("cannot allocate the image".into()))?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    let png = encode_png(&pixmap).map_err(|e| ChartError::Draw(e.to_string()));
    CANVAS.with_borrow_mut(|kept| *kept = pixmap.take());
    png
}

thread_local! {
    /// The pixels of the last PNG this thread drew, kept for the next.
    static CANVAS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The pixels of the last PNG this thread encoded, as RGB or straight RGBA.
    static PIXELS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The pixmap as PNG: RGB where every pixel is opaque (as on a chart's filled background),
/// else RGBA; zlib level 1 without row filters.
///
/// Measured on the 800 × 500 benchmark chart (`examples/png_encoding.rs`): tiny-skia's own
/// `encode_png` (zlib's default level, adaptive filters) took 5.7 ms of a 9 ms render; `png`'s
/// fdeflate setting 0.65 ms for 52 KB; this 0.75 ms for 25 KB. Charts are long runs of flat
/// colour, which zlib matches well unfiltered, and PNG responses are bound by their bytes.
fn encode_png(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    // tiny-skia keeps premultiplied colour and PNG wants it straight; they are the same where
    // every pixel is opaque.
    // The converted pixels go into this thread's own buffer, reused as the canvas is, so
    // that PNGs of random sizes do not fragment the heap (the flood's peak memory).
    let mut pixels = PIXELS.with_borrow_mut(std::mem::take);
    pixels.clear();
    let opaque = pixmap.pixels().iter().all(|p| p.alpha() == u8::MAX);
    let color = if opaque {
        pixels.extend(
            pixmap
                .data()
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]]),
        );
        png::ColorType::Rgb
    } else {
        pixels.extend(pixmap.pixels().iter().flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        }));
        png::ColorType::Rgba
    };
    let mut out = Vec::with_capacity(pixmap.data().len() / 16);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_deflate_compression(png::DeflateCompression::Level(1));
    encoder.set_filter(png::Filter::NoFilter);
    let written = encoder.write_header().and_then(|mut writer| {
        writer
            .write_image_data(&pixels)
            .and_then(|()| writer.finish())
    });
    PIXELS.with_borrow_mut(|kept| *kept = pixels);
    written.map(|()| out)
}

/// `svg` without the polylines whose points are all one point. plotters' dashed lines end in
/// such a dash at some sizes (1500 × 600, say); it draws nothing, and rasterising it made
/// tiny-skia log "path stroking failed" on each PNG. plotters writes one element a line.
fn without_empty_polylines(svg: &str) -> String {
    let empty = |line: &str| {
        line.starts_with("<polyline ")
            && line
                .split_once("points=\"")
                .and_then(|(_, rest)| rest.split_once('"'))
                .is_some_and(|(points, _)| {
                    let mut points = points.split_whitespace();
                    let first = points.next();
                    first.is_some() && points.all(|p| Some(p) == first)
                })
    };
    let mut out = String::with_capacity(svg.len());
    for line in svg.split_inclusive('\n') {
        if !empty(line) {
            out.push_str(line);
        }
    }
    out
}

/// A font database with the shipped faces and nothing from the system.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(REGULAR.to_vec());
            db.load_font_data(BOLD.to_vec());
            db.set_sans_serif_family(FAMILY);
            Arc::new(db)
        })
        .clone()
}

/// Escapes text for XML content. Five replacements; plotters escapes the text it writes
/// itself, and this covers the two elements added here.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::without_empty_polylines;

    #[test]
    fn polylines_of_one_point_are_dropped() {
        let svg = "<svg>\n<polyline stroke=\"#D55E00\" points=\"356,123 356,123 \"/>\n<polyline points=\"1,2 3,4 \"/>\n<text>356,123 356,123</text>\n</svg>\n";
        assert_eq!(
            without_empty_polylines(svg),
            "<svg>\n<polyline points=\"1,2 3,4 \"/>\n<text>356,123 356,123</text>\n</svg>\n"
        );
    }
}
