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
use crate::sprites::{TextElement, sprites_for};
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
    // Only the events' labels keep clear of the value labels: without events, no boxes.
    let values = match kind {
        Kind::Line if !spec.markers.is_empty() => line::value_label_boxes(area, &frame, series),
        _ => Vec::new(),
    };
    frame.draw(area, &values)?;
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
    // Shorter for pages and phones (a chart is most of the dashboard page's bytes): the font
    // family is said once, on the root, and inherited; opacity 1 is the default; font sizes
    // to a hundredth of a pixel.
    let svg = shorter_font_sizes(
        &without_empty_polylines(&svg)
            .replace(&format!(" font-family=\"{FAMILY}\""), "")
            .replace(" opacity=\"1\"", ""),
    );
    let Some(open_end) = svg.find('>') else {
        return Err(ChartError::Draw(
            "the SVG backend wrote no <svg> element".into(),
        ));
    };
    let head = svg[..open_end].replacen("<svg ", "<svg role=\"img\" ", 1);
    Ok(format!(
        "{head} font-family=\"{FONT_FAMILIES}\">\n<title>{}</title>\n<desc>{}</desc>{}",
        escape(&spec.title),
        escape(&describe(series, spec)),
        &svg[open_end + 1..]
    ))
}

/// The chart as a PNG image of `width` × `height` pixels.
pub fn render_png(series: &[Series], spec: &ChartSpec) -> Result<Vec<u8>, ChartError> {
    let svg = render_svg(series, spec)?;
    let options = usvg_options();
    // Text is drawn from sprites (sprites.rs) after the rest; the rest goes through usvg.
    let (shapes, texts) = split_text(&svg);
    let density = spec.style.density;
    let (elements, sources): (Vec<_>, Vec<_>) = texts.into_iter().unzip();
    let sprites = sprites_for(&elements, &options, density);
    let mut rest = shapes;
    for (sprite, source) in sprites.iter().zip(&sources) {
        if sprite.is_none() {
            rest.push_str(source);
        }
    }
    rest.push_str("</svg>\n");
    let tree =
        usvg::Tree::from_str(&rest, &options).map_err(|e| ChartError::Draw(e.to_string()))?;
    let (width, height) = (spec.style.width * density, spec.style.height * density);
    // The canvas is a kept buffer, reused from render to render: allocating images of every
    // size afresh left the allocator's heaps fragmented, and a server's memory grew by about
    // 1 MB a render under PNGs of random sizes.
    let mut canvas = CANVASES.take();
    canvas.clear();
    canvas.resize(width as usize * height as usize * 4, 0);
    let mut pixmap = tiny_skia::IntSize::from_wh(width, height)
        .and_then(|size| tiny_skia::Pixmap::from_vec(canvas, size))
        .ok_or_else(|| ChartError::Draw("cannot allocate the image".into()))?;
    let scale = density as f32;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    for (sprite, element) in sprites.iter().zip(&elements) {
        if let Some(sprite) = sprite {
            element.paint(sprite, &mut pixmap.as_mut(), density);
        }
    }
    let png = encode_png(&pixmap).map_err(|e| ChartError::Draw(e.to_string()));
    CANVASES.keep(pixmap.take());
    png
}

/// The SVG without its closing tag and without the text elements that can be drawn as
/// sprites, and those elements with their source lines.
fn split_text(svg: &str) -> (String, Vec<(TextElement<'_>, &str)>) {
    let body = svg.trim_end().strip_suffix("</svg>").unwrap_or(svg);
    let mut shapes = String::with_capacity(body.len());
    let mut texts = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find("<text ") {
        shapes.push_str(&rest[..at]);
        let element = &rest[at..];
        let Some(end) = element.find("</text>") else {
            rest = element;
            break;
        };
        let source = &element[..end + "</text>".len()];
        let parsed = source
            .strip_suffix("</text>")
            .and_then(|s| s.split_once('\n'))
            .and_then(|(open, content)| {
                let content = content.strip_suffix('\n')?;
                (!content.contains('\n')).then(|| TextElement::parse(open, content))?
            });
        match parsed {
            Some(text) => texts.push((text, source)),
            None => shapes.push_str(source),
        }
        rest = &element[source.len()..];
    }
    shapes.push_str(rest);
    (shapes, texts)
}

/// Buffers kept from one PNG render for the next, so that images of every size do not each
/// allocate afresh: one a render running at once, at most [`Kept::MOST`].
struct Kept(std::sync::Mutex<Vec<Vec<u8>>>);

impl Kept {
    /// More than any render pool runs at once; a buffer beyond it is freed.
    const MOST: usize = 16;

    /// The buffers. A poisoned lock is taken all the same: it is held only to push, pop or
    /// clear, which leave the list whole.
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Vec<u8>>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn take(&self) -> Vec<u8> {
        self.lock().pop().unwrap_or_default()
    }

    fn keep(&self, buffer: Vec<u8>) {
        let mut kept = self.lock();
        if kept.len() < Self::MOST {
            kept.push(buffer);
        }
    }

    fn release(&self) {
        self.lock().clear();
    }
}

/// The pixels of the last PNGs drawn.
static CANVASES: Kept = Kept(std::sync::Mutex::new(Vec::new()));
/// The pixels of the last PNGs encoded: palette indices, RGB or straight RGBA.
static PIXELS: Kept = Kept(std::sync::Mutex::new(Vec::new()));

/// Frees the buffers kept between PNG renders. They are as large as the largest image drawn
/// lately (48 MB each for 2000 × 1500 at density 2): a server calls this when it has stopped
/// rendering for a while, and the next render allocates afresh.
pub fn release_png_buffers() {
    CANVASES.release();
    PIXELS.release();
}

/// The pixmap as PNG: indexed colour where every pixel is opaque and there are at most 256
/// colours (as on most charts: flat colours and their antialiased edges), RGB where every
/// pixel is opaque, else RGBA; zlib level 3 without row filters.
///
/// Measured on the 800 × 500 benchmark chart (`examples/png_encoding.rs`): tiny-skia's own
/// `encode_png` (zlib's default level, adaptive filters) took 5.7 ms of a 9 ms render and
/// `png`'s fdeflate setting 0.65 ms for 52 KB; RGB at zlib 1 0.8 ms for 25 KB; indexed at
/// zlib 1 0.56 ms. Indexed, level 3 against level 1 (session 5, with 12 px text): the
/// dashboard's default view 36 KB → 28 KB and the benchmark chart 15 KB → 11 KB, for 0.8 ms
/// more a render (2.1 → 2.9 ms); level 6 saves 2 % more for another 1 ms. Charts are long
/// runs of flat colour, which zlib matches well unfiltered, and a cached PNG is served many
/// times for each time it is drawn: its bytes cost more than its drawing.
fn encode_png(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    // tiny-skia keeps premultiplied colour and PNG wants it straight; they are the same where
    // every pixel is opaque.
    // The converted pixels go into a kept buffer, reused as the canvas is, so that PNGs of
    // random sizes do not fragment the heap (the flood's peak memory).
    let mut pixels = PIXELS.take();
    pixels.clear();
    let opaque = pixmap.pixels().iter().all(|p| p.alpha() == u8::MAX);
    let mut palette = None;
    let color = if opaque {
        palette = index_colours(pixmap.data(), &mut pixels);
        if palette.is_some() {
            png::ColorType::Indexed
        } else {
            pixels.clear();
            pixels.extend(
                pixmap
                    .data()
                    .chunks_exact(4)
                    .flat_map(|p| [p[0], p[1], p[2]]),
            );
            png::ColorType::Rgb
        }
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
    if let Some(palette) = palette {
        encoder.set_palette(palette);
    }
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_deflate_compression(png::DeflateCompression::Level(3));
    encoder.set_filter(png::Filter::NoFilter);
    let written = encoder.write_header().and_then(|mut writer| {
        writer
            .write_image_data(&pixels)
            .and_then(|()| writer.finish())
    });
    PIXELS.keep(pixels);
    written.map(|()| out)
}

/// Writes each RGBA pixel of `data` as an index into a palette of its colours, and returns
/// the palette (RGB triples); `None` when there are more than 256 colours.
///
/// An open-addressed table of 1024 slots, and the previous pixel's colour tried first (most
/// pixels continue a run). By hand: the colour-quantising crates (`color_quant`, `imagequant`)
/// approximate, and this must be exact or give up.
fn index_colours(data: &[u8], indices: &mut Vec<u8>) -> Option<Vec<u8>> {
    const SLOTS: usize = 1024;
    const EMPTY: u32 = u32::MAX;
    let mut keys = [EMPTY; SLOTS];
    let mut values = [0u8; SLOTS];
    let mut palette = Vec::with_capacity(256 * 3);
    let mut last = (EMPTY, 0u8);
    indices.reserve(data.len() / 4);
    for p in data.chunks_exact(4) {
        let colour = u32::from_be_bytes([0, p[0], p[1], p[2]]);
        if colour != last.0 {
            let mut slot = (colour.wrapping_mul(0x9E37_79B1) >> 22) as usize;
            let index = loop {
                match keys[slot] {
                    key if key == colour => break values[slot],
                    EMPTY => {
                        let count = palette.len() / 3;
                        let index = u8::try_from(count).ok()?;
                        keys[slot] = colour;
                        values[slot] = index;
                        palette.extend_from_slice(&p[..3]);
                        break index;
                    }
                    _ => slot = (slot + 1) % SLOTS,
                }
            };
            last = (colour, index);
        }
        indices.push(last.1);
    }
    Some(palette)
}

/// `svg` with each `font-size="16.129032258064512"` written `font-size="16.13"`.
fn shorter_font_sizes(svg: &str) -> String {
    const ATTRIBUTE: &str = " font-size=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find(ATTRIBUTE) {
        let (before, after) = rest.split_at(at + ATTRIBUTE.len());
        out.push_str(before);
        let end = after.find('"').unwrap_or(after.len());
        match after[..end].parse::<f64>() {
            Ok(size) if size.is_finite() => {
                let short = format!("{size:.2}");
                out.push_str(short.trim_end_matches('0').trim_end_matches('.'));
            }
            _ => out.push_str(&after[..end]),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
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

/// How usvg reads a chart: the shipped faces only, DejaVu Sans where none is named.
pub(crate) fn usvg_options() -> usvg::Options<'static> {
    usvg::Options {
        font_family: FAMILY.to_owned(),
        fontdb: fonts(),
        ..usvg::Options::default()
    }
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
    use super::*;
    use crate::{Point, Style};

    fn series(code: &str, name: &str, values: &[(i32, Option<f64>)]) -> Series {
        Series {
            code: code.into(),
            name: name.into(),
            points: values
                .iter()
                .map(|&(start, value)| Point {
                    start,
                    end: start,
                    value,
                    flags: if start == 2022 {
                        "p".parse().unwrap_or_default()
                    } else {
                        Default::default()
                    },
                })
                .collect(),
        }
    }

    /// The PNG's pixels as RGB, and the same SVG drawn whole by resvg.
    fn both(series: &[Series], spec: &ChartSpec) -> (Vec<u8>, Vec<u8>) {
        let png = render_png(series, spec).expect("png");
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().expect("header");
        assert_eq!(reader.info().color_type, png::ColorType::Indexed);
        let mut ours = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut ours).expect("pixels");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        ours.truncate(info.buffer_size());

        let svg = render_svg(series, spec).expect("svg");
        let tree = usvg::Tree::from_str(&svg, &usvg_options()).expect("tree");
        let d = spec.style.density;
        let mut whole =
            tiny_skia::Pixmap::new(spec.style.width * d, spec.style.height * d).expect("pixmap");
        let scale = d as f32;
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut whole.as_mut(),
        );
        let whole = whole
            .data()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        (ours, whole)
    }

    #[test]
    fn sprites_draw_what_resvg_draws() {
        let shown = [
            series(
                "NO",
                "Norway",
                &(2008..2023)
                    .map(|y| (y, Some(f64::from(y - 2000) * 10.0)))
                    .collect::<Vec<_>>(),
            ),
            series(
                "SE",
                "Sweden",
                &[
                    (2010, Some(6.0)),
                    (2012, None),
                    (2016, Some(180.0)),
                    (2022, Some(412.5)),
                ],
            ),
        ];
        // Density 2 and 3 (high-resolution PNG) as well: the sprites are drawn at it.
        for (width, height, density) in [
            (800, 500, 1),
            (390, 300, 1),
            (1200, 700, 1),
            (390, 300, 2),
            (400, 250, 3),
        ] {
            let spec = ChartSpec {
                style: Style { width, height, density, ..Style::default() },
                title: "Innovation procurements announced, Norway and Sweden — a title long enough to wrap on a phone".into(),
                subtitle: "Number".into(),
                notes: vec!["Not like-for-like: the two countries count differently.".into()],
                sources: vec!["Producer A & B <C>".into()],
                data_as_of: "2026-11-27".into(),
                ..ChartSpec::default()
            };
            // Twice: the second draws every text from the kept sprites.
            for _ in 0..2 {
                let (ours, whole) = both(&shown, &spec);
                assert_eq!(ours.len(), whole.len());
                // A sprite's edges keep 8 levels of coverage, so its values are within half
                // a level (18 of 255) of resvg's. And tiny-skia's fixed-point edges fall a
                // little differently at another origin: a few single pixels of glyph edges
                // differ more (6 of 1.2 million values, by at most 30 of 255, measured).
                // Missing or moved text would differ by ~200 over hundreds of pixels.
                let worst = ours.iter().zip(&whole).map(|(a, b)| a.abs_diff(*b)).max();
                let differing = ours
                    .iter()
                    .zip(&whole)
                    .filter(|(a, b)| a.abs_diff(**b) > 20)
                    .count();
                assert!(
                    worst <= Some(48) && differing * 10_000 <= ours.len(),
                    "{width} x {height}: {differing} channel values differ, by up to {worst:?}"
                );
            }
        }
    }

    /// The boxes of the event markers' label lines, laid out clear of the value labels or of
    /// nothing, and the value labels' boxes, on a chart like the dashboard's first (Sweden's
    /// value lower, so that its label stands among the events' at a phone's width).
    fn marker_boxes(
        width: u32,
        values_avoided: bool,
    ) -> (Vec<crate::frame::Rect>, Vec<crate::frame::Rect>) {
        use crate::Marker;
        use crate::frame::Frame;

        let shown = [
            series("NO", "Norway", &[(2010, Some(6.0)), (2016, Some(180.0))]),
            series("SE", "Sweden", &[(2022, Some(700.0))]),
        ];
        let marker = |year, label: &str| Marker {
            year,
            label: label.into(),
        };
        let spec = ChartSpec {
            style: Style {
                width,
                ..Style::default()
            },
            title: "Innovation procurements announced".into(),
            subtitle: "Number · Not like-for-like: the countries count differently (see notes)"
                .into(),
            markers: vec![
                marker(2010, "Norway's supplier development programme starts"),
                marker(
                    2016,
                    "First state budget allocation to the programme (NOK 10 million)",
                ),
                marker(
                    2017,
                    "The programme starts measuring Doffin notices; DFØ takes over in 2019",
                ),
            ],
            ..ChartSpec::default()
        };
        register_fonts().expect("the shipped fonts");
        let mut svg = String::new();
        let area =
            SVGBackend::with_string(&mut svg, (width, spec.style.height)).into_drawing_area();
        let frame =
            Frame::layout(&area, &shown, &spec, line::naming(Kind::Line)).expect("laid out");
        let values = line::value_label_boxes(&area, &frame, &shown);
        let avoided = if values_avoided {
            values.as_slice()
        } else {
            &[]
        };
        let labels = frame
            .marker_labels(&area, avoided)
            .iter()
            .map(|l| l.bounds(&area, frame.sizes.small))
            .collect();
        (labels, values)
    }

    #[test]
    fn event_labels_keep_clear_of_the_values_and_each_other_at_every_width() {
        use crate::frame::Rect;
        let meets = |a: &Rect, b: &Rect| a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
        for width in [360, 390, 600, 800, 1200] {
            let (labels, values) = marker_boxes(width, true);
            assert_eq!(values.len(), 3, "{width}: three values labelled");
            assert!(!labels.is_empty(), "{width}: the events are labelled");
            for (i, label) in labels.iter().enumerate() {
                for value in &values {
                    assert!(!meets(label, value), "{width}: {label:?} over {value:?}");
                }
                for other in &labels[i + 1..] {
                    assert!(!meets(label, other), "{width}: {label:?} over {other:?}");
                }
            }
        }
        // Laid out as before, the phone's labels ran over the values: the check can fail.
        let (labels, values) = marker_boxes(390, false);
        assert!(labels.iter().any(|l| values.iter().any(|v| meets(l, v))));
    }

    #[test]
    fn colours_are_indexed_exactly_or_not_at_all() {
        let pixels: Vec<u8> = (0..300u32)
            .flat_map(|i| [(i % 7) as u8 * 30, (i / 7) as u8, 9, 255])
            .collect();
        // Every pixel has a colour of its own. The first 256: indexed, and reversible.
        let mut indices = Vec::new();
        let palette = index_colours(&pixels[..256 * 4], &mut indices).expect("256 colours fit");
        assert_eq!(palette.len(), 256 * 3);
        for (pixel, &index) in pixels.chunks_exact(4).zip(&indices) {
            let at = usize::from(index) * 3;
            assert_eq!(&palette[at..at + 3], &pixel[..3]);
        }
        // All 300: 300 colours, too many for a palette.
        assert_eq!(index_colours(&pixels, &mut Vec::new()), None);
    }

    #[test]
    fn font_sizes_are_written_to_a_hundredth() {
        let svg = "<text font-size=\"16.129032258064512\">a</text><text font-size=\"12\" x=\"1.25\">b</text><text font-size=\"9.5\"/>";
        assert_eq!(
            shorter_font_sizes(svg),
            "<text font-size=\"16.13\">a</text><text font-size=\"12\" x=\"1.25\">b</text><text font-size=\"9.5\"/>"
        );
    }

    #[test]
    fn text_that_cannot_be_a_sprite_stays_in_the_svg() {
        let svg = "<svg>\n<rect/>\n<text x=\"1.5\" y=\"2\" dy=\"0\">\nhalf\n</text>\n<text x=\"3\" y=\"4\" dy=\"0\">\nwhole\n</text>\n</svg>\n";
        let (shapes, texts) = split_text(svg);
        assert_eq!(
            shapes,
            "<svg>\n<rect/>\n<text x=\"1.5\" y=\"2\" dy=\"0\">\nhalf\n</text>\n\n"
        );
        assert_eq!(texts.len(), 1);
        assert_eq!(
            texts[0].1,
            "<text x=\"3\" y=\"4\" dy=\"0\">\nwhole\n</text>"
        );
    }

    #[test]
    fn polylines_of_one_point_are_dropped() {
        let svg = "<svg>\n<polyline stroke=\"#D55E00\" points=\"356,123 356,123 \"/>\n<polyline points=\"1,2 3,4 \"/>\n<text>356,123 356,123</text>\n</svg>\n";
        assert_eq!(
            without_empty_polylines(svg),
            "<svg>\n<polyline points=\"1,2 3,4 \"/>\n<text>356,123 356,123</text>\n</svg>\n"
        );
    }
}
