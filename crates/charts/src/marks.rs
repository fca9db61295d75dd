//! Marker shapes and flag marks, shared by every chart kind.

use indikator_ingest::{Flag, Flags};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::ChartError;
use crate::frame::Frame;
use crate::text::style;
use crate::theme::Shape;

/// Draws `shape` centred on `at` with radius `r`: filled, or hollow (outlined, with the
/// background inside) for a provisional value.
pub(crate) fn draw_shape<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    shape: Shape,
    at: (i32, i32),
    r: i32,
    color: RGBColor,
    filled: bool,
    background: RGBColor,
) -> Result<(), ChartError> {
    let (x, y) = at;
    let outline = color.stroke_width(2);
    let fill = if filled {
        color.filled()
    } else {
        background.filled()
    };
    let corners = match shape {
        Shape::Circle => {
            area.draw(&Circle::new(at, r, fill))?;
            if !filled {
                area.draw(&Circle::new(at, r, outline))?;
            }
            return Ok(());
        }
        Shape::Cross => {
            let width = if filled { 3 } else { 1 };
            for (dx, dy) in [(r, r), (r, -r)] {
                let line = PathElement::new(
                    vec![(x - dx, y - dy), (x + dx, y + dy)],
                    color.stroke_width(width),
                );
                area.draw(&line)?;
            }
            if !filled {
                area.draw(&Circle::new(at, r + 1, outline))?;
            }
            return Ok(());
        }
        Shape::Square => vec![
            (x - r, y - r),
            (x + r, y - r),
            (x + r, y + r),
            (x - r, y + r),
        ],
        Shape::Triangle => vec![(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)],
        Shape::TriangleDown => vec![(x - r - 1, y - r), (x + r + 1, y - r), (x, y + r + 1)],
        Shape::Diamond => vec![
            (x, y - r - 1),
            (x + r + 1, y),
            (x, y + r + 1),
            (x - r - 1, y),
        ],
    };
    area.draw(&Polygon::new(corners.clone(), fill))?;
    if !filled {
        let mut closed = corners;
        closed.push(closed[0]);
        area.draw(&PathElement::new(closed, outline))?;
    }
    Ok(())
}

/// The letters written beside a marked value: every flag but `p`, which the hollow marker shows.
pub(crate) fn flag_letters(flags: &Flags) -> String {
    flags
        .iter()
        .filter(|f| *f != Flag::Provisional)
        .map(Flag::letter)
        .collect()
}

/// Draws a value's marker and its flag letters at `at`.
pub(crate) fn draw_point<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame<'_>,
    index: usize,
    at: (i32, i32),
    flags: &Flags,
) -> Result<(), ChartError> {
    let look = frame.look(index);
    let r = frame.sizes.marker;
    let filled = !flags.contains(Flag::Provisional);
    draw_shape(
        area,
        look.shape,
        at,
        r,
        look.color,
        filled,
        frame.palette.background,
    )?;
    draw_letters(
        area,
        frame,
        index,
        (at.0 + r + 2, at.1),
        &flag_letters(flags),
    )
}

/// Writes flag `letters` in the series' colour, starting at `at` and centred on its height.
pub(crate) fn draw_letters<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame<'_>,
    index: usize,
    at: (i32, i32),
    letters: &str,
) -> Result<(), ChartError> {
    if letters.is_empty() {
        return Ok(());
    }
    let look = frame.look(index);
    let letter_style = style(
        frame.sizes.small,
        true,
        look.color,
        HPos::Left,
        VPos::Center,
    );
    area.draw_text(letters, &letter_style, at)?;
    Ok(())
}
