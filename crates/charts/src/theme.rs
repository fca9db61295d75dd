//! Colours, marker shapes and dash patterns. The palette is Okabe–Ito (colour-blind safe); each
//! series also gets a marker shape and a dash pattern so the chart reads in grey print.

use plotters::style::RGBColor;

use crate::Theme;

/// The colours of one theme.
pub(crate) struct Palette {
    pub background: RGBColor,
    pub text: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    pub series: [RGBColor; 7],
}

pub(crate) fn palette(theme: Theme) -> Palette {
    const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    const SKY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
    const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
    const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
    match theme {
        Theme::Light => Palette {
            background: RGBColor(0xFF, 0xFF, 0xFF),
            text: RGBColor(0x1A, 0x1A, 0x1A),
            muted: RGBColor(0x5E, 0x5E, 0x5E),
            grid: RGBColor(0xE2, 0xE2, 0xE2),
            series: [
                BLUE,
                VERMILLION,
                GREEN,
                PURPLE,
                ORANGE,
                SKY,
                RGBColor(0, 0, 0),
            ],
        },
        Theme::Dark => Palette {
            background: RGBColor(0x15, 0x17, 0x1A),
            text: RGBColor(0xED, 0xED, 0xED),
            muted: RGBColor(0xA9, 0xA9, 0xA9),
            grid: RGBColor(0x34, 0x38, 0x3E),
            series: [
                SKY,
                VERMILLION,
                GREEN,
                PURPLE,
                ORANGE,
                BLUE,
                RGBColor(0xF0, 0xE4, 0x42),
            ],
        },
    }
}

/// The dark theme's colour for each colour of the light theme, as `#RRGGBB` pairs in the
/// form the SVG writes them. A chart drawn light and recoloured by these pairs is the chart
/// drawn dark, byte for byte (`tests/properties.rs` holds this): the dashboard draws its
/// chart once, light, and its CSS recolours it while the reader's system is dark, instead of
/// sending both drawings.
pub fn dark_for_light() -> Vec<(String, String)> {
    let hex = |c: RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
    let (light, dark) = (palette(Theme::Light), palette(Theme::Dark));
    let fixed = [
        (light.background, dark.background),
        (light.text, dark.text),
        (light.muted, dark.muted),
        (light.grid, dark.grid),
    ];
    fixed
        .into_iter()
        .chain(light.series.into_iter().zip(dark.series))
        .map(|(l, d)| (hex(l), hex(d)))
        .collect()
}

/// A marker shape: the second cue beside colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
    Cross,
}

const SHAPES: [Shape; 6] = [
    Shape::Circle,
    Shape::Square,
    Shape::Triangle,
    Shape::Diamond,
    Shape::TriangleDown,
    Shape::Cross,
];

/// Dash patterns as (dash, gap) in pixels; `None` is a solid line.
const DASHES: [Option<(i32, i32)>; 4] = [None, Some((7, 4)), Some((2, 3)), Some((12, 4))];

/// How series number `index` is drawn.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SeriesLook {
    pub color: RGBColor,
    pub shape: Shape,
    pub dash: Option<(i32, i32)>,
}

pub(crate) fn look(palette: &Palette, index: usize) -> SeriesLook {
    SeriesLook {
        color: palette.series[index % palette.series.len()],
        shape: SHAPES[index % SHAPES.len()],
        dash: DASHES[index % DASHES.len()],
    }
}
