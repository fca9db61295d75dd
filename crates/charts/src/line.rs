//! Line charts: one line per country over years. Only consecutive years are joined, so a
//! missing year is a gap; a span is a horizontal segment across its years; a break in series
//! is a gap with a tick; country names stand at the line ends.

use indikator_ingest::Flag;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::format::value_label;
use crate::frame::{Frame, Naming, Rect, Sizes};
use crate::marks::{draw_letters, draw_point};
use crate::text::{style, width};
use crate::{ChartError, Kind, Point, Series};

/// At most this many values in all, and a line chart labels each with its number.
const SPARSE: usize = 8;

/// A country name at its line's end.
struct Label {
    index: usize,
    y: i32,
}

/// Where the line-end labels go, and whether any had to move to avoid another.
fn labels(frame: &Frame<'_>, series: &[Series]) -> (Vec<Label>, bool) {
    let mut labels: Vec<Label> = series
        .iter()
        .enumerate()
        .filter_map(|(index, s)| {
            let last = s
                .points
                .iter()
                .filter(|p| p.value.is_some())
                .max_by_key(|p| p.end)?;
            Some(Label {
                index,
                y: frame.y(last.value.unwrap_or_default()),
            })
        })
        .collect();
    labels.sort_by_key(|l| l.y);
    let gap = Sizes::line(frame.sizes.small);
    let mut collided = false;
    for i in 1..labels.len() {
        let min = labels[i - 1].y + gap;
        if labels[i].y < min {
            collided = true;
            labels[i].y = min;
        }
    }
    // Pushed below the plot: shift the whole stack back up.
    if let Some(last) = labels.last() {
        let over = last.y - frame.plot.y1;
        if over > 0 {
            labels.iter_mut().for_each(|l| l.y -= over);
        }
    }
    (labels, collided)
}

/// How a chart of `kind` names its series at first: a line chart at the line ends, a bar
/// chart in a legend.
pub(crate) fn naming(kind: Kind) -> Naming {
    Naming {
        legend: kind == Kind::Bar,
        end_labels: kind == Kind::Line,
    }
}

/// A better layout than `frame`'s where its line-end labels collide: with a legend as well, so
/// that a label moved off its line still has a key; and with the legend alone where the labels
/// do not fit beside the plot even stacked (many countries), as they would overflow it.
pub(crate) fn renaming(frame: &Frame<'_>, series: &[Series]) -> Option<Naming> {
    if !frame.end_labels {
        return None;
    }
    let (labels, collided) = labels(frame, series);
    let needed = labels.len() as i32 * Sizes::line(frame.sizes.small);
    let better = Naming {
        legend: collided || frame.has_legend(),
        end_labels: needed <= frame.plot.y1 - frame.plot.y0,
    };
    let now = Naming {
        legend: frame.has_legend(),
        end_labels: true,
    };
    (better != now).then_some(better)
}

/// How two neighbouring values are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Join {
    /// A line: consecutive years.
    Line,
    /// A break in series: no line, a tick between.
    Break,
}

/// A point with its value.
type Valued<'p> = (&'p Point, f64);

/// Which neighbouring values are joined, and how. Only single years that follow each other
/// are joined: a missing year leaves a gap, and a span stands alone.
pub(crate) fn joins<'p>(valued: &[Valued<'p>]) -> Vec<(Valued<'p>, Valued<'p>, Join)> {
    valued
        .windows(2)
        .filter_map(|pair| {
            let (a, b) = (pair[0], pair[1]);
            let consecutive = !a.0.is_span() && !b.0.is_span() && b.0.start == a.0.end + 1;
            let join = if b.0.flags.contains(Flag::Break) {
                Join::Break
            } else {
                Join::Line
            };
            consecutive.then_some((a, b, join))
        })
        .collect()
}

/// Whether the chart is sparse (a few values in all), and so labels each value: its numbers
/// are its content.
fn sparse(series: &[Series]) -> bool {
    let values: usize = series
        .iter()
        .map(|s| s.points.iter().filter(|p| p.value.is_some()).count())
        .sum();
    values <= SPARSE
}

/// A value's label on a sparse chart: its text, its style, and where it stands (centred,
/// above the mark at `centre`).
fn value_text(
    frame: &Frame<'_>,
    color: RGBColor,
    centre: (i32, i32),
    value: f64,
) -> (String, TextStyle<'static>, (i32, i32)) {
    let text = value_label(
        value,
        frame.spec.unit,
        frame.spec.decimals,
        frame.spec.style.lang,
    );
    let label_style = style(frame.sizes.small, false, color, HPos::Center, VPos::Bottom);
    let lift = frame.sizes.marker + 3;
    (text, label_style, (centre.0, centre.1 - lift))
}

/// Where the value labels of a sparse line chart stand, each with the mark under it, so that
/// the event markers' labels keep clear of them; none where the chart labels no values.
pub(crate) fn value_label_boxes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame<'_>,
    series: &[Series],
) -> Vec<Rect> {
    if !sparse(series) {
        return Vec::new();
    }
    let height = Sizes::line(frame.sizes.small);
    series
        .iter()
        .flat_map(|s| s.points.iter())
        .filter_map(|point| {
            let value = point.value?;
            let centre = at(frame, point, value);
            let (text, label_style, (x, bottom)) =
                value_text(frame, RGBColor(0, 0, 0), centre, value);
            let mark = frame.sizes.marker + 1;
            let half = (width(area, &text, &label_style) / 2 + 1).max(mark);
            Some(Rect {
                x0: x - half,
                y0: bottom - height,
                x1: x + half,
                y1: centre.1 + mark,
            })
        })
        .collect()
}

fn at(frame: &Frame<'_>, point: &Point, value: f64) -> (i32, i32) {
    let middle = (f64::from(point.start) + f64::from(point.end)) / 2.0;
    (frame.x(middle), frame.y(value))
}

pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame<'_>,
    series: &[Series],
) -> Result<(), ChartError> {
    let stroke = (frame.sizes.base * 0.17).round().max(1.0) as u32;
    let sparse = sparse(series);
    for (index, s) in series.iter().enumerate() {
        let look = frame.look(index);
        let line_style = look.color.stroke_width(stroke);
        let valued: Vec<Valued<'_>> = s
            .points
            .iter()
            .filter_map(|p| Some((p, p.value?)))
            .collect();

        for (a, b, join) in joins(&valued) {
            let (from, to) = (at(frame, a.0, a.1), at(frame, b.0, b.1));
            match (join, look.dash) {
                (Join::Break, _) => {
                    // A break in series: no line across it, a tick where it falls.
                    let (x, y) = ((from.0 + to.0) / 2, (from.1 + to.1) / 2);
                    let half = frame.sizes.marker * 2;
                    let tick = PathElement::new(
                        vec![(x, y - half), (x, y + half)],
                        look.color.stroke_width(2),
                    );
                    area.draw(&tick)
                }
                (Join::Line, None) => area.draw(&PathElement::new(vec![from, to], line_style)),
                (Join::Line, Some((dash, gap))) => area.draw(&DashedPathElement::new(
                    vec![from, to],
                    dash,
                    gap,
                    line_style,
                )),
            }?;
        }

        for (point, value) in &valued {
            let centre = at(frame, point, *value);
            if sparse {
                // Few values: each says its number, above its mark.
                let (text, label_style, anchor) = value_text(frame, look.color, centre, *value);
                area.draw_text(&text, &label_style, anchor)?;
            }
            if point.is_span() {
                let (x0, x1) = (
                    frame.x(f64::from(point.start)),
                    frame.x(f64::from(point.end)),
                );
                let y = centre.1;
                let cap = frame.sizes.marker;
                let span_style = look.color.stroke_width(stroke + 1);
                for segment in [
                    vec![(x0, y), (x1, y)],
                    vec![(x0, y - cap), (x0, y + cap)],
                    vec![(x1, y - cap), (x1, y + cap)],
                ] {
                    area.draw(&PathElement::new(segment, span_style))?;
                }
                // No mark in the middle, which would read as a value for the middle year;
                // the flags (provisional too) are letters at the span's end.
                draw_letters(
                    area,
                    frame,
                    index,
                    (x1 + cap + 2, y),
                    &point.flags.to_string(),
                )?;
                continue;
            }
            draw_point(area, frame, index, centre, &point.flags)?;
        }
    }

    if !frame.end_labels {
        return Ok(());
    }
    let (labels, _) = labels(frame, series);
    let name_size = frame.sizes.small;
    for label in labels {
        // The name alone, in the series' colour: a marker beside it read as a value of the
        // last year.
        let look = frame.look(label.index);
        let x = frame.plot.x1 + frame.sizes.pad / 2 + frame.sizes.marker * 2;
        let name_style = style(name_size, true, look.color, HPos::Left, VPos::Center);
        area.draw_text(&series[label.index].name, &name_style, (x, label.y))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(period: &str, flags: &str) -> Point {
        let (start, end) = period.split_once('/').unwrap_or((period, period));
        Point {
            start: start.parse().unwrap_or_default(),
            end: end.parse().unwrap_or_default(),
            value: Some(1.0),
            flags: flags.parse().unwrap_or_default(),
        }
    }

    fn joined(points: &[Point]) -> Vec<String> {
        let valued: Vec<(&Point, f64)> = points.iter().map(|p| (p, 1.0)).collect();
        joins(&valued)
            .into_iter()
            .map(|(a, b, join)| format!("{}-{} {join:?}", a.0.start, b.0.start))
            .collect()
    }

    #[test]
    fn missing_years_are_gaps() {
        let points = [
            point("2016", ""),
            point("2017", ""),
            point("2019", ""),
            point("2020", ""),
        ];
        assert_eq!(joined(&points), ["2016-2017 Line", "2019-2020 Line"]);
        let points = [point("2010", ""), point("2016", "")];
        assert!(joined(&points).is_empty(), "2010 and 2016 are not bridged");
    }

    #[test]
    fn spans_stand_alone_and_breaks_are_not_joined_by_a_line() {
        let points = [
            point("2016/2017", "e"),
            point("2018", ""),
            point("2019", "b"),
            point("2020", "p"),
        ];
        assert_eq!(joined(&points), ["2018-2019 Break", "2019-2020 Line"]);
    }
}
