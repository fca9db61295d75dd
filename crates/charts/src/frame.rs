//! What every chart kind shares: the layout, the axes, the title block, the legend, the event
//! markers, and the text under the plot (flag key, notes, sources, "data as of").

use indikator_ingest::Flag;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::format::value_label;
use crate::marks::draw_shape;
use crate::text::{style, width, wrap};
use crate::theme::{Palette, SeriesLook, look, palette};
use crate::{ChartError, ChartSpec, Foot, Kind, Marker, Scale, Series, i18n};

/// A rectangle in pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rect {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

/// Font sizes and spacing, scaled with the chart's width.
///
/// Sizes are in plotters' units: its SVG backend writes `font-size` as size / 1.24 (and the
/// PNG is drawn from that SVG), so text of `px` CSS pixels is drawn at `px × PX`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sizes {
    pub base: f64,
    pub title: f64,
    pub small: f64,
    pub pad: i32,
    pub marker: i32,
}

/// plotters' font size for one CSS pixel of text.
const PX: f64 = 1.24;

/// The smallest text a chart has, in CSS pixels when it is shown at the width it was drawn
/// for: tick labels, legend, notes, event labels.
pub const SMALLEST_TEXT_PX: f64 = 12.0;

impl Sizes {
    fn for_width(width: u32) -> Self {
        // 12 px up to 320 px wide, growing to 14 px at 1280 px and beyond: a phone's chart
        // is read at arm's length as a desktop's is, so its text is not scaled down with it.
        let small_px =
            (SMALLEST_TEXT_PX + (f64::from(width) - 320.0) / 480.0).clamp(SMALLEST_TEXT_PX, 14.0);
        let small = small_px * PX;
        let base = small / 0.86;
        Self {
            base,
            title: base * 1.4,
            small,
            pad: (base * 0.9).round() as i32,
            marker: (base * 0.3).round().max(3.0) as i32,
        }
    }

    /// Line height of text of `size`.
    pub fn line(size: f64) -> i32 {
        (size * 1.3).round() as i32
    }
}

/// The value axis: its range in drawing space (log10 of values for a log scale) and ticks.
#[derive(Debug, Clone)]
pub(crate) struct ValueAxis {
    lo: f64,
    hi: f64,
    log: bool,
    ticks: Vec<f64>,
    tick_decimals: u8,
}

impl ValueAxis {
    fn new(values: &[f64], scale: Scale, target_ticks: usize) -> Result<Self, ChartError> {
        // What cannot be drawn is a gap: the axis is made from finite values only.
        let values: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let values = values.as_slice();
        let (min, max) = values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(*v), hi.max(*v))
            });
        if scale == Scale::Log {
            if let Some(bad) = values.iter().find(|v| **v <= 0.0) {
                return Err(ChartError::LogScale { value: *bad });
            }
            let (lo, hi) = if values.is_empty() {
                (0.0, 1.0)
            } else {
                (
                    min.log10().floor(),
                    max.log10().ceil().max(min.log10().floor() + 1.0),
                )
            };
            // One tick a decade, or every few decades on a wide axis, so that no value, however
            // small or large, can ask for more than a handful of ticks.
            let decades = hi - lo;
            let few_decades = decades <= 2.0;
            let every = (decades / target_ticks.max(1) as f64).ceil().max(1.0);
            let ticks = (0..=(decades / every) as usize)
                .flat_map(|i| {
                    let decade = lo + every * i as f64;
                    [1.0, 2.0, 5.0]
                        .into_iter()
                        .filter(move |m| *m == 1.0 || few_decades)
                        .map(move |m| decade + f64::log10(m))
                })
                .filter(|tick| *tick <= hi + 1e-9)
                .collect();
            let tick_decimals = (-lo).clamp(0.0, MAX_TICK_DECIMALS) as u8;
            return Ok(Self {
                lo,
                hi,
                log: true,
                ticks,
                tick_decimals,
            });
        }
        // Linear: start at 0 for data that is never negative (counts and shares always are).
        let lo = if values.is_empty() { 0.0 } else { min.min(0.0) };
        let hi = if values.is_empty() || max <= lo {
            lo + 1.0
        } else {
            max
        };
        // Divided before subtracting, so that even the widest finite range cannot overflow.
        let parts = target_ticks.max(1) as f64;
        let step = nice_step(hi / parts - lo / parts);
        let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
        let count = (hi / step - lo / step).round().clamp(1.0, MAX_TICKS) as usize;
        let ticks = (0..=count).map(|i| lo + step * i as f64).collect();
        let tick_decimals = (-step.log10().floor()).clamp(0.0, MAX_TICK_DECIMALS) as u8;
        Ok(Self {
            lo,
            hi,
            log: false,
            ticks,
            tick_decimals,
        })
    }

    /// Where a value falls on the axis, in drawing space (log10 for a log scale).
    fn to_axis(&self, value: f64) -> f64 {
        if self.log { value.log10() } else { value }
    }

    fn tick_value(&self, tick: f64) -> f64 {
        if self.log { 10f64.powf(tick) } else { tick }
    }
}

/// The most ticks a linear axis has (a nice step gives at most the target plus two).
const MAX_TICKS: f64 = 20.0;

/// The most decimals a tick label shows: values this small only come from the modes' ratios.
const MAX_TICK_DECIMALS: f64 = 24.0;

/// 1, 2 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    if raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let norm = raw / magnitude;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    let step = nice * magnitude;
    // At the ends of the f64 range the power of ten under- or overflows.
    if step > 0.0 && step.is_finite() {
        step
    } else {
        1.0
    }
}

/// One line of text under the plot.
struct FootLine {
    text: String,
    bold: bool,
}

/// Everything laid out, ready to draw.
pub(crate) struct Frame<'a> {
    pub spec: &'a ChartSpec,
    pub palette: Palette,
    pub sizes: Sizes,
    pub plot: Rect,
    pub years: (i32, i32),
    axis: ValueAxis,
    title: Vec<String>,
    subtitle: Vec<String>,
    legend: Vec<Vec<(usize, String)>>,
    foot: Vec<FootLine>,
    year_step: i32,
    /// Where the title block ends, for the legend.
    legend_top: i32,
    /// Whether line charts name each line at its end (else the legend alone names them).
    pub end_labels: bool,
}

/// One line of an event marker's label, laid out: its text, its alignment and its anchor
/// (top, and left or right as `h` says).
pub(crate) struct MarkerLine {
    pub text: String,
    pub h: HPos,
    pub at: (i32, i32),
}

impl MarkerLine {
    /// The box it covers, in text of `size`.
    pub(crate) fn bounds<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        size: f64,
    ) -> Rect {
        let w = width(
            area,
            &self.text,
            &style(size, false, BLACK, self.h, VPos::Top),
        );
        let (x0, x1) = match self.h {
            HPos::Right => (self.at.0 - w, self.at.0),
            _ => (self.at.0, self.at.0 + w),
        };
        let (y0, y1) = (self.at.1, self.at.1 + Sizes::line(size));
        Rect { x0, y0, x1, y1 }
    }
}

/// A label fitted beside its rule: its alignment, its anchor's x and its lines.
type Fitted = (HPos, i32, Vec<String>);

/// What names the series: a legend under the title, names at the line ends, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Naming {
    /// A legend under the subtitle.
    pub legend: bool,
    /// Names at the line ends (line charts), with room kept right of the plot for them.
    pub end_labels: bool,
}

/// The flags that any drawn point carries, in key order.
pub(crate) fn flags_used(series: &[Series]) -> Vec<Flag> {
    Flag::ALL
        .into_iter()
        .filter(|flag| {
            series.iter().any(|s| {
                s.points
                    .iter()
                    .any(|p| p.value.is_some() && p.flags.contains(*flag))
            })
        })
        .collect()
}

impl<'a> Frame<'a> {
    /// Lays the chart out, with the series named as `naming` asks.
    pub(crate) fn layout<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        series: &[Series],
        spec: &'a ChartSpec,
        naming: Naming,
    ) -> Result<Self, ChartError> {
        let style_ = &spec.style;
        let (w, h) = (style_.width as i32, style_.height as i32);
        let sizes = Sizes::for_width(style_.width);
        let palette = palette(style_.theme);
        let lang = style_.lang;
        let content = w - 2 * sizes.pad;
        let (ink, muted) = (palette.text, palette.muted);

        let title_style = style(sizes.title, true, ink, HPos::Left, VPos::Top);
        // A bare chart (a thumbnail under its own heading) has no words around its plot.
        let bare = spec.style.foot == Foot::Bare;
        let words = |text: &str, style| {
            if bare {
                Vec::new()
            } else {
                wrap(area, text, style, content)
            }
        };
        let title = words(&spec.title, &title_style);
        let sub_style = style(sizes.base, false, muted, HPos::Left, VPos::Top);
        let subtitle = words(&spec.subtitle, &sub_style);
        let mut top = sizes.pad
            + title.len() as i32 * Sizes::line(sizes.title)
            + subtitle.len() as i32 * Sizes::line(sizes.base);
        let legend_top = top + sizes.pad / 2;

        // The legend: marker and name per series, in rows that fit the width.
        let mut rows: Vec<Vec<(usize, String)>> = Vec::new();
        if naming.legend {
            let item_style = style(sizes.small, false, ink, HPos::Left, VPos::Top);
            let mut used = 0;
            for (i, s) in series.iter().enumerate() {
                let item = width(area, &s.name, &item_style) + sizes.marker * 3 + sizes.pad;
                if rows.is_empty() || used + item > content {
                    rows.push(Vec::new());
                    used = 0;
                }
                used += item;
                if let Some(row) = rows.last_mut() {
                    row.push((i, s.name.clone()));
                }
            }
            top = legend_top + rows.len() as i32 * Sizes::line(sizes.small);
        }

        // Text under the plot: flag key, notes, sources, data as of.
        let small = style(sizes.small, false, muted, HPos::Left, VPos::Top);
        let lines = |text: &str| -> Vec<FootLine> {
            wrap(area, text, &small, content)
                .into_iter()
                .map(|text| FootLine { text, bold: false })
                .collect()
        };
        let mut head = Vec::new();
        let used = flags_used(series);
        if !used.is_empty() && !bare {
            let items: Vec<String> = used
                .iter()
                .map(|f| {
                    let symbol = if *f == Flag::Provisional {
                        '○'
                    } else {
                        f.letter()
                    };
                    format!(
                        "{symbol} {}{}",
                        i18n::flag_meaning(*f, lang),
                        i18n::flag_drawing(*f, lang)
                    )
                })
                .collect();
            head.extend(lines(&format!(
                "{}: {}",
                i18n::flags(lang),
                items.join(" · ")
            )));
        }
        let full = spec.style.foot == Foot::Full;
        let notes: Vec<Vec<FootLine>> = spec
            .notes
            .iter()
            .filter(|_| full)
            .map(|note| lines(&format!("{}: {note}", i18n::note(lang))))
            .collect();
        let mut tail = Vec::new();
        if full && !spec.sources.is_empty() {
            tail.extend(lines(&format!(
                "{}: {}",
                i18n::source(lang, spec.sources.len()),
                spec.sources.join("; ")
            )));
        }
        if !spec.data_as_of.is_empty() && !bare {
            tail.push(FootLine {
                text: format!("{} {}", i18n::data_as_of(lang), spec.data_as_of),
                bold: true,
            });
        }
        // The notes that fit, whole, with the plot keeping at least a third of the height;
        // those left out are counted in a line that says where to read them.
        let line = Sizes::line(sizes.small);
        let room = (h - top - 2 * sizes.pad - line - h / 3) / line;
        let fixed = (head.len() + tail.len()) as i32;
        let all_notes: i32 = notes.iter().map(|n| n.len() as i32).sum();
        let mut foot = head;
        if fixed + all_notes <= room {
            foot.extend(notes.into_iter().flatten());
        } else {
            let mut left = room - fixed - 1;
            let mut kept = 0;
            for note in &notes {
                if note.len() as i32 > left {
                    break;
                }
                left -= note.len() as i32;
                kept += 1;
            }
            let omitted = notes.len() - kept;
            foot.extend(notes.into_iter().take(kept).flatten());
            foot.extend(lines(&i18n::notes_left_out(omitted, lang)));
        }
        foot.extend(tail);
        let foot_height = foot.len() as i32 * Sizes::line(sizes.small);

        // The plot: what is left, less the axis labels.
        let axis_labels = Sizes::line(sizes.small) + sizes.pad / 2;
        let y0 = top + sizes.pad;
        let y1 = (h - sizes.pad - foot_height - axis_labels).max(y0 + 30);

        let values: Vec<f64> = series
            .iter()
            .flat_map(|s| s.points.iter().filter_map(|p| p.value))
            .collect();
        let target_ticks = ((y1 - y0) / 45).clamp(2, 8) as usize;
        let axis = ValueAxis::new(&values, style_.scale, target_ticks)?;
        let tick_style = style(sizes.small, false, muted, HPos::Right, VPos::Center);
        let tick_width = axis
            .ticks
            .iter()
            .map(|t| width(area, &tick_label(spec, &axis, *t), &tick_style))
            .max()
            .unwrap_or(0);

        let right = if style_.kind == Kind::Line && naming.end_labels {
            let label_style = style(sizes.small, true, ink, HPos::Left, VPos::Center);
            let widest = series
                .iter()
                .map(|s| width(area, &s.name, &label_style))
                .max()
                .unwrap_or(0);
            (widest + sizes.marker * 3 + sizes.pad).min(w / 3)
        } else {
            0
        };
        let plot = Rect {
            x0: sizes.pad + tick_width + sizes.pad / 2,
            y0,
            x1: (w - sizes.pad - right).max(sizes.pad + tick_width + 40),
            y1,
        };

        let years = spec.years.unwrap_or_else(|| {
            let starts = series.iter().flat_map(|s| s.points.iter().map(|p| p.start));
            let ends = series.iter().flat_map(|s| s.points.iter().map(|p| p.end));
            (starts.min().unwrap_or(2000), ends.max().unwrap_or(2000))
        });
        let years = if years.0 >= years.1 {
            (years.0 - 1, years.0 + 1)
        } else {
            years
        };
        let year_style = style(sizes.small, false, muted, HPos::Center, VPos::Top);
        let year_width = width(area, "2000", &year_style) + sizes.pad;
        let slots = years.1 - years.0 + 1;
        let year_step = [1, 2, 5, 10, 20, 50]
            .into_iter()
            .find(|step| (slots / step + 1) * year_width <= plot.x1 - plot.x0)
            .unwrap_or(100);

        Ok(Self {
            spec,
            palette,
            sizes,
            plot,
            years,
            axis,
            title,
            subtitle,
            legend: rows,
            foot,
            year_step,
            legend_top,
            end_labels: naming.end_labels && style_.kind == Kind::Line,
        })
    }

    /// The x of a year's centre (a fractional year for the middle of a span).
    pub fn x(&self, year: f64) -> i32 {
        let slots = f64::from(self.years.1 - self.years.0 + 1);
        let t = (year - f64::from(self.years.0) + 0.5) / slots;
        self.plot.x0 + (t * f64::from(self.plot.x1 - self.plot.x0)).round() as i32
    }

    /// The width of one year on the axis.
    pub fn year_width(&self) -> f64 {
        f64::from(self.plot.x1 - self.plot.x0) / f64::from(self.years.1 - self.years.0 + 1)
    }

    /// The y of a value.
    pub fn y(&self, value: f64) -> i32 {
        self.y_on_axis(self.axis.to_axis(value))
    }

    /// The y of a point in drawing space (a tick).
    fn y_on_axis(&self, at: f64) -> i32 {
        let t = ((at - self.axis.lo) / (self.axis.hi - self.axis.lo)).clamp(-0.05, 1.05);
        self.plot.y1 - (t * f64::from(self.plot.y1 - self.plot.y0)).round() as i32
    }

    /// The y where bars start: 0, or the bottom of a log axis.
    pub fn baseline(&self) -> i32 {
        if self.axis.log || self.axis.lo >= 0.0 {
            self.plot.y1
        } else {
            self.y(0.0)
        }
    }

    /// Whether the series are named in a legend.
    pub fn has_legend(&self) -> bool {
        !self.legend.is_empty()
    }

    /// The look of series `index`: colour, marker shape, dash.
    pub fn look(&self, index: usize) -> SeriesLook {
        look(&self.palette, index)
    }

    /// Draws everything but the series: background, title block, legend, grid and axes, event
    /// markers (their labels clear of `values`, the value labels' boxes) and the text under
    /// the plot.
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        values: &[Rect],
    ) -> Result<(), ChartError> {
        let (p, s) = (&self.palette, &self.sizes);
        area.fill(&p.background)?;

        let mut y = s.pad;
        let title_style = style(s.title, true, p.text, HPos::Left, VPos::Top);
        for line in &self.title {
            area.draw_text(line, &title_style, (s.pad, y))?;
            y += Sizes::line(s.title);
        }
        let sub_style = style(s.base, false, p.muted, HPos::Left, VPos::Top);
        for line in &self.subtitle {
            area.draw_text(line, &sub_style, (s.pad, y))?;
            y += Sizes::line(s.base);
        }

        let mut y = self.legend_top;
        let item_style = style(s.small, false, p.text, HPos::Left, VPos::Center);
        for row in &self.legend {
            let mut x = s.pad;
            let mid = y + Sizes::line(s.small) / 2;
            for (index, name) in row {
                let look = self.look(*index);
                draw_shape(
                    area,
                    look.shape,
                    (x + s.marker, mid),
                    s.marker,
                    look.color,
                    true,
                    p.background,
                )?;
                x += s.marker * 3;
                area.draw_text(name, &item_style, (x, mid))?;
                x += width(area, name, &item_style) + s.pad;
            }
            y += Sizes::line(s.small);
        }

        self.draw_axes(area)?;
        self.draw_markers(area, values)?;

        let mut y = self.plot.y1 + Sizes::line(s.small) + s.pad / 2;
        for line in &self.foot {
            let line_style = style(s.small, line.bold, p.muted, HPos::Left, VPos::Top);
            area.draw_text(&line.text, &line_style, (s.pad, y))?;
            y += Sizes::line(s.small);
        }
        Ok(())
    }

    fn draw_axes<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), ChartError> {
        let (p, s, plot) = (&self.palette, &self.sizes, self.plot);
        let tick_style = style(s.small, false, p.muted, HPos::Right, VPos::Center);
        for tick in &self.axis.ticks {
            let y = self.y_on_axis(*tick);
            let line = if *tick == 0.0 && !self.axis.log {
                p.muted
            } else {
                p.grid
            };
            area.draw(&PathElement::new(
                vec![(plot.x0, y), (plot.x1, y)],
                line.stroke_width(1),
            ))?;
            let label = tick_label(self.spec, &self.axis, *tick);
            area.draw_text(&label, &tick_style, (plot.x0 - s.pad / 2, y))?;
        }
        let year_style = style(s.small, false, p.muted, HPos::Center, VPos::Top);
        let first = self.years.0
            + (self.year_step - self.years.0.rem_euclid(self.year_step)) % self.year_step;
        for year in (first..=self.years.1).step_by(self.year_step as usize) {
            let x = self.x(f64::from(year));
            area.draw(&PathElement::new(
                vec![(x, plot.y1), (x, plot.y1 + s.pad / 3)],
                p.muted.stroke_width(1),
            ))?;
            area.draw_text(&year.to_string(), &year_style, (x, plot.y1 + s.pad / 2))?;
        }
        Ok(())
    }

    /// The event markers within the years shown, each with its rule's x.
    fn markers_shown(&self) -> impl Iterator<Item = (&'a Marker, i32)> + '_ {
        self.spec
            .markers
            .iter()
            .filter(|m| (self.years.0..=self.years.1).contains(&m.year))
            .map(|m| (m, self.x(f64::from(m.year))))
    }

    /// Event markers: a thin rule at the year and a short label, staggered so labels do not
    /// overlap each other, nor the value labels in `values`.
    fn draw_markers<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        values: &[Rect],
    ) -> Result<(), ChartError> {
        let (p, plot) = (&self.palette, self.plot);
        for (_, x) in self.markers_shown() {
            area.draw(&PathElement::new(
                vec![(x, plot.y0), (x, plot.y1)],
                p.muted.mix(0.35).stroke_width(1),
            ))?;
        }
        for label in self.marker_labels(area, values) {
            let label_style = style(self.sizes.small, false, p.muted, label.h, VPos::Top);
            area.draw_text(&label.text, &label_style, label.at)?;
        }
        Ok(())
    }

    /// The lines of the event markers' labels, laid out: each beside its rule, on the side
    /// with more room, wrapped to that room, in the highest rows of the plot where it fits. A
    /// value label (in `values`) or an earlier marker's label beside a label's lines narrows
    /// the room on its side; where it leaves too little, the label goes further down.
    pub(crate) fn marker_labels<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        values: &[Rect],
    ) -> Vec<MarkerLine> {
        let (p, s, plot) = (&self.palette, &self.sizes, self.plot);
        let label_size = s.small;
        let line = Sizes::line(label_size);
        let rows = (plot.y1 - plot.y0) / line;
        let mut placed = Vec::new();
        // What a label keeps clear of: the value labels, and the labels placed so far.
        let mut taken: Vec<Rect> = values.to_vec();
        for (marker, x) in self.markers_shown() {
            // The room on each side of the rule for a label of `tall` lines from row `row`
            // down, up to the plot's edge or the nearest label beside it.
            let rooms = |row: i32, tall: i32| {
                let top = plot.y0 + row * line;
                let beside: Vec<&Rect> = taken
                    .iter()
                    .filter(|v| v.y1 > top && v.y0 < top + tall * line)
                    .collect();
                let right = beside
                    .iter()
                    .filter(|v| v.x1 > x + 4)
                    .fold(plot.x1 - x - 4, |room, v| room.min(v.x0 - (x + 4) - 4));
                let left = beside
                    .iter()
                    .filter(|v| v.x0 < x - 4)
                    .fold(x - plot.x0 - 4, |room, v| room.min((x - 4) - v.x1 - 4));
                (left, right)
            };
            // `text` in that room: on the side with more room (or the right, where it fits on
            // one line), wrapped to it; `None` where it takes more than two lines or a word is
            // wider than the room.
            let fit = |text: &str, (left_room, right_room): (i32, i32)| {
                let left = style(label_size, false, p.muted, HPos::Left, VPos::Top);
                let (h, at, room) =
                    if right_room >= left_room || width(area, text, &left) <= right_room {
                        (HPos::Left, x + 4, right_room)
                    } else {
                        (HPos::Right, x - 4, left_room)
                    };
                let label_style = style(label_size, false, p.muted, h, VPos::Top);
                let lines = wrap(area, text, &label_style, room.max(1));
                let fits =
                    lines.len() <= 2 && lines.iter().all(|l| width(area, l, &label_style) <= room);
                fits.then_some((h, at, lines))
            };
            // The whole label in the first rows where it fits; else its year alone (the
            // dashboard page lists the events in full under the chart); else the rule stands
            // unlabelled. Rows with the same room are laid out once.
            let first_fit = |text: &str, tall: i32| {
                let mut tried: Vec<((i32, i32), Option<Fitted>)> = Vec::new();
                (0..rows).find_map(|row| {
                    let room = rooms(row, tall);
                    let laid = match tried.iter().find(|(r, _)| *r == room) {
                        Some((_, laid)) => laid.clone(),
                        None => {
                            let laid = fit(text, room);
                            tried.push((room, laid.clone()));
                            laid
                        }
                    };
                    let (h, at, lines) = laid?;
                    (row + lines.len() as i32 <= rows).then(|| {
                        let top = plot.y0 + row * line;
                        lines
                            .into_iter()
                            .enumerate()
                            .map(|(i, text)| MarkerLine {
                                text,
                                h,
                                at: (at, top + i as i32 * line),
                            })
                            .collect::<Vec<_>>()
                    })
                })
            };
            let found = first_fit(&format!("{} {}", marker.year, marker.label), 2)
                .or_else(|| first_fit(&marker.year.to_string(), 1));
            for placed_line in found.into_iter().flatten() {
                taken.push(placed_line.bounds(area, label_size));
                placed.push(placed_line);
            }
        }
        placed
    }

    /// A note in the middle of the plot, for a view with nothing to draw.
    pub fn draw_empty<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), ChartError> {
        let text_style = style(
            self.sizes.base,
            false,
            self.palette.muted,
            HPos::Center,
            VPos::Center,
        );
        let centre = (
            (self.plot.x0 + self.plot.x1) / 2,
            (self.plot.y0 + self.plot.y1) / 2,
        );
        area.draw_text(i18n::no_data(self.spec.style.lang), &text_style, centre)?;
        Ok(())
    }
}

fn tick_label(spec: &ChartSpec, axis: &ValueAxis, tick: f64) -> String {
    value_label(
        axis.tick_value(tick),
        spec.unit,
        axis.tick_decimals,
        spec.style.lang,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(37.0), 50.0);
        assert_eq!(nice_step(3800.0), 5000.0);
        assert_eq!(nice_step(0.09), 0.1);
        assert_eq!(nice_step(1.5), 2.0);
        assert_eq!(nice_step(0.0), 1.0);
    }

    #[test]
    fn linear_axis_starts_at_zero() -> Result<(), ChartError> {
        let axis = ValueAxis::new(&[6.0, 180.0], Scale::Linear, 5)?;
        assert_eq!(axis.ticks, [0.0, 50.0, 100.0, 150.0, 200.0]);
        let axis = ValueAxis::new(&[17198.0, 18525.0], Scale::Linear, 4)?;
        assert_eq!(axis.ticks.first(), Some(&0.0));
        Ok(())
    }

    #[test]
    fn log_axis_needs_positive_values() -> Result<(), ChartError> {
        let tick_values = |axis: &ValueAxis| -> Vec<f64> {
            axis.ticks
                .iter()
                .map(|t| (axis.tick_value(*t) * 1000.0).round() / 1000.0)
                .collect()
        };
        let three_decades = ValueAxis::new(&[6.0, 180.0], Scale::Log, 5)?;
        assert_eq!(tick_values(&three_decades), [1.0, 10.0, 100.0, 1000.0]);
        let two_decades = ValueAxis::new(&[12.0, 180.0], Scale::Log, 5)?;
        assert_eq!(
            tick_values(&two_decades),
            [10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0]
        );
        assert!(matches!(
            ValueAxis::new(&[0.0, 5.0], Scale::Log, 5),
            Err(ChartError::LogScale { .. })
        ));
        Ok(())
    }
}
