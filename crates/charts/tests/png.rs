//! Charts as PNG, decoded and looked at as a person would: the size, each country's colour in
//! the plot, and the same bytes on every render.

use indikator_charts::{Style, Theme, chart_for, render_png};
use indikator_ingest::Dataset;
use indikator_query::View;
use resvg::tiny_skia::Pixmap;

fn png(view: View, style: Style) -> Vec<u8> {
    let data = Dataset::embedded().expect("the shipped data is valid");
    let selection = view.select(&data).expect("a valid view");
    let (series, spec) = chart_for(&selection, &view, style);
    render_png(&series, &spec).expect("draws")
}

/// How many pixels inside the box have exactly this colour.
fn count(image: &Pixmap, rgb: [u8; 3], (x0, y0, x1, y1): (u32, u32, u32, u32)) -> usize {
    let mut n = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            if let Some(p) = image.pixel(x, y)
                && [p.red(), p.green(), p.blue()] == rgb
                && p.alpha() == 255
            {
                n += 1;
            }
        }
    }
    n
}

const BLUE: [u8; 3] = [0x00, 0x72, 0xB2];
const VERMILLION: [u8; 3] = [0xD5, 0x5E, 0x00];

#[test]
fn png_has_the_size_asked_for() {
    let style = Style {
        width: 640,
        height: 360,
        ..Style::default()
    };
    let image =
        Pixmap::decode_png(&png(View::new("advertised-procurements"), style)).expect("a PNG");
    assert_eq!((image.width(), image.height()), (640, 360));
}

#[test]
fn each_country_is_drawn_in_its_colour_inside_the_plot() {
    let image = Pixmap::decode_png(&png(View::new("advertised-procurements"), Style::default()))
        .expect("a PNG");
    // The plot: below the title block, above the notes, left of the line-end labels.
    let plot = (60, 60, 700, 370);
    assert!(
        count(&image, BLUE, plot) > 50,
        "Norway's span and marker in blue"
    );
    assert!(
        count(&image, VERMILLION, plot) > 200,
        "Sweden's lines and markers in vermillion"
    );
    let corner = image.pixel(2, 2).map(|p| [p.red(), p.green(), p.blue()]);
    assert_eq!(corner, Some([255, 255, 255]), "a white background");
}

#[test]
fn dark_theme_has_a_dark_background() {
    let style = Style {
        theme: Theme::Dark,
        ..Style::default()
    };
    let image =
        Pixmap::decode_png(&png(View::new("innovation-in-strategy"), style)).expect("a PNG");
    let corner = image.pixel(2, 2).map(|p| [p.red(), p.green(), p.blue()]);
    assert_eq!(corner, Some([0x15, 0x17, 0x1A]));
}

#[test]
fn text_is_drawn_from_the_shipped_font() {
    // The title band holds dark text pixels: the text was rasterised, not dropped for want
    // of a system font.
    let image = Pixmap::decode_png(&png(View::new("innovation-procurements"), Style::default()))
        .expect("a PNG");
    let mut dark = 0;
    for y in 10..35 {
        for x in 10..300 {
            if image
                .pixel(x, y)
                .is_some_and(|p| p.red() < 80 && p.green() < 80 && p.blue() < 80)
            {
                dark += 1;
            }
        }
    }
    assert!(dark > 300, "title text is visible ({dark} dark pixels)");
}

#[test]
fn two_renders_are_byte_identical() {
    let first = png(View::new("innovation-procurements"), Style::default());
    let second = png(View::new("innovation-procurements"), Style::default());
    assert!(first.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(first, second);
}
