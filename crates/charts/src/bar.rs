//! Bar charts, grouped by year: one bar per country in each year's slot. A span is a wide,
//! light bar across its years, drawn behind the others; a provisional value is a hollow bar.

use indikator_ingest::Flag;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::frame::Frame;
use crate::marks::draw_point;
use crate::{ChartError, Series};

pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame<'_>,
    series: &[Series],
) -> Result<(), ChartError> {
    let count = series.len().max(1) as f64;
    let group = frame.year_width() * 0.8;
    let bar = group / count;
    let base = frame.baseline();
    let half = (group / 2.0).round() as i32;

    // Spans first, so single-year bars stand in front of them.
    for (index, s) in series.iter().enumerate() {
        let look = frame.look(index);
        for point in s.points.iter().filter(|p| p.is_span()) {
            let Some(value) = point.value else { continue };
            let (x0, x1) = (
                frame.x(f64::from(point.start)) - half,
                frame.x(f64::from(point.end)) + half,
            );
            let top = frame.y(value);
            area.draw(&Rectangle::new(
                [(x0, top), (x1, base)],
                look.color.mix(0.22).filled(),
            ))?;
            area.draw(&Rectangle::new(
                [(x0, top), (x1, base)],
                look.color.stroke_width(2),
            ))?;
            let middle = (x0 + x1) / 2;
            draw_point(area, frame, index, (middle, top), &point.flags)?;
        }
    }

    for (index, s) in series.iter().enumerate() {
        let look = frame.look(index);
        for point in s.points.iter().filter(|p| !p.is_span()) {
            let Some(value) = point.value else { continue };
            let left = frame.x(f64::from(point.start)) - half + (bar * index as f64).round() as i32;
            let right = left + (bar.round() as i32 - 1).max(1);
            let top = frame.y(value);
            let corners = [(left, top), (right, base)];
            if point.flags.contains(Flag::Provisional) {
                area.draw(&Rectangle::new(corners, frame.palette.background.filled()))?;
                area.draw(&Rectangle::new(corners, look.color.stroke_width(2)))?;
            } else {
                area.draw(&Rectangle::new(corners, look.color.filled()))?;
            }
            // The series' marker on top: its second cue in grey print, and where flags show.
            let r = frame.sizes.marker;
            draw_point(
                area,
                frame,
                index,
                ((left + right) / 2, top - r - 2),
                &point.flags,
            )?;
        }
    }
    Ok(())
}
