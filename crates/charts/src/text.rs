//! The shipped font, and measuring and wrapping text with it.
//!
//! plotters measures text with the shipped DejaVu Sans (through `ab_glyph`), so the layout is
//! the same on every machine. The SVG names the face first in its font-family list, and the
//! PNG is rasterised from the same font bytes.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::ChartError;

/// The shipped face's family name.
pub(crate) const FAMILY: &str = "DejaVu Sans";
/// The shipped regular face (DejaVu Sans 2.37, Bitstream Vera licence: fonts/LICENSE).
pub(crate) const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
/// The shipped bold face.
pub(crate) const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Registers the shipped faces with plotters, once per process.
pub(crate) fn register_fonts() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font(FAMILY, FontStyle::Normal, REGULAR)
                .and_then(|()| plotters::style::register_font(FAMILY, FontStyle::Bold, BOLD))
                .map_err(|_| "the shipped font could not be read".to_owned())
        })
        .clone()
        .map_err(ChartError::Draw)
}

/// A text style in the shipped face.
pub(crate) fn style(
    size: f64,
    bold: bool,
    color: RGBColor,
    h: HPos,
    v: VPos,
) -> TextStyle<'static> {
    let weight = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    TextStyle {
        font: (FontFamily::Name(FAMILY), size, weight).into(),
        color: color.to_backend_color(),
        pos: Pos::new(h, v),
    }
}

/// The width of `text` in pixels.
pub(crate) fn width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
) -> i32 {
    area.estimate_text_size(text, style)
        .map_or(0, |(w, _)| i32::try_from(w).unwrap_or(i32::MAX))
}

/// `text` broken into lines no wider than `max` pixels, at spaces. A word wider than `max`
/// stands on a line of its own.
pub(crate) fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max: i32,
) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || width(area, &candidate, style) <= max {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
