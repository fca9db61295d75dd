//! Rendering speed: SVG and PNG of 2 countries × 15 years (`cargo bench -p indikator-charts`).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use indikator_charts::{ChartSpec, Point, Series, Style, render_png, render_svg};

fn fifteen_years(code: &str, name: &str, scale: f64) -> Series {
    Series {
        code: code.into(),
        name: name.into(),
        points: (2008..2023)
            .map(|year| Point {
                start: year,
                end: year,
                value: Some(scale * f64::from(year - 2000)),
                flags: if year == 2022 {
                    "p".parse().unwrap_or_default()
                } else {
                    Default::default()
                },
            })
            .collect(),
    }
}

fn bench(c: &mut Criterion) {
    let series = [
        fifteen_years("NO", "Norway", 10.0),
        fifteen_years("SE", "Sweden", 14.0),
    ];
    let spec = ChartSpec {
        style: Style::default(),
        title: "Innovation procurements announced".into(),
        subtitle: "Number".into(),
        notes: vec!["Not like-for-like: the two countries count differently.".into()],
        sources: vec!["Producer A".into(), "Producer B".into()],
        data_as_of: "2026-11-27".into(),
        ..ChartSpec::default()
    };
    c.bench_function("svg 2 countries x 15 years", |b| {
        b.iter(|| render_svg(black_box(&series), black_box(&spec)))
    });
    c.bench_function("png 2 countries x 15 years", |b| {
        b.iter(|| render_png(black_box(&series), black_box(&spec)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
