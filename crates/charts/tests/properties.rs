//! Any value a chart can be given, finite or not, on every kind and scale, draws in bounded
//! time and size, or is refused with the log-scale error; it never panics or loops.
//!
//! Before: a count of 400 digits (inf) made the log axis loop for ever and the linear axis
//! panic with "capacity overflow"; 1e-300 beside 1e300 drew 601 ticks.

use indikator_charts::{
    ChartError, ChartSpec, Kind, Marker, Point, Scale, Series, Style, Theme, dark_for_light,
    render_png, render_svg,
};
use proptest::prelude::*;

fn value() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        3 => proptest::num::f64::ANY.prop_map(Some),
        2 => (-320i32..=308, 1.0f64..10.0).prop_map(|(e, m)| Some(m * 10f64.powi(e))),
        1 => Just(Some(f64::INFINITY)),
        1 => Just(Some(f64::NAN)),
        1 => Just(Some(0.0)),
        1 => Just(None),
    ]
}

fn series() -> impl Strategy<Value = Vec<Series>> {
    series_of(value(), 1..4)
}

/// Between `count`'s bounds of series, of up to 8 points each with values from `value`.
fn series_of(
    value: impl Strategy<Value = Option<f64>>,
    count: std::ops::Range<usize>,
) -> impl Strategy<Value = Vec<Series>> {
    let flags = proptest::sample::select(vec!["", "p", "e", "b", "u", "d", "pb"]);
    proptest::collection::vec(
        proptest::collection::vec((1900i32..=2100, 0i32..4, value, flags), 0..8),
        count,
    )
    .prop_map(|all| {
        all.into_iter()
            .enumerate()
            .map(|(i, points)| Series {
                code: format!("C{i}"),
                name: format!("Country {i}"),
                points: points
                    .into_iter()
                    .map(|(start, length, value, flags)| Point {
                        start,
                        end: (start + length).min(2100),
                        value,
                        flags: flags.parse().unwrap_or_default(),
                    })
                    .collect(),
            })
            .collect()
    })
}

fn spec(kind: Kind, scale: Scale) -> ChartSpec {
    ChartSpec {
        style: Style {
            kind,
            scale,
            ..Style::default()
        },
        title: "Any values".into(),
        ..ChartSpec::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_values_draw_or_are_refused_cleanly(series in series(), bar in any::<bool>(), log in any::<bool>()) {
        let kind = if bar { Kind::Bar } else { Kind::Line };
        let scale = if log { Scale::Log } else { Scale::Linear };
        match render_svg(&series, &spec(kind, scale)) {
            Ok(svg) => {
                // Bounded: a handful of ticks and the points, never thousands of elements.
                prop_assert!(svg.len() < 400_000, "{} bytes", svg.len());
                prop_assert!(svg.matches("<line").count() + svg.matches("<path").count() + svg.matches("<polyline").count() < 2_000);
            }
            Err(ChartError::LogScale { value }) => prop_assert!(log && value <= 0.0),
            Err(other) => prop_assert!(false, "unexpected error: {other}"),
        }
    }
}

/// `svg` with each light colour written as `"#RRGGBB"` put in the dark one, all at once
/// (two of the series colours trade places).
fn recoloured(svg: &str, pairs: &[(String, String)]) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find("\"#") {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let colour = rest.get(..7).unwrap_or_default();
        match pairs.iter().find(|(light, _)| light == colour) {
            Some((_, dark)) if rest[7..].starts_with('"') => {
                out.push_str(dark);
                rest = &rest[7..];
            }
            _ => {}
        }
    }
    out.push_str(rest);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The dashboard sends the light drawing and recolours it by CSS when the reader's
    /// system is dark (the server writes the rules from `dark_for_light`): that is exact only
    /// while the dark drawing is the light one with its colours changed and nothing else.
    #[test]
    fn the_dark_chart_is_the_light_one_recoloured(
        series in series_of((0u32..2_000).prop_map(|v| Some(f64::from(v) + 1.0)), 1..10),
        bar in any::<bool>(),
        log in any::<bool>(),
        narrow in any::<bool>(),
    ) {
        let pairs = dark_for_light();
        let lights: std::collections::HashSet<_> = pairs.iter().map(|(l, _)| l).collect();
        prop_assert_eq!(lights.len(), pairs.len(), "a light colour with two dark ones");
        let mut spec = spec(if bar { Kind::Bar } else { Kind::Line }, if log { Scale::Log } else { Scale::Linear });
        spec.subtitle = "Number".into();
        spec.notes = vec!["A note long enough to be wrapped onto a second line of the chart's foot, at any width.".into()];
        spec.markers = vec![Marker { year: 1990, label: "A marked year".into() }];
        spec.sources = vec!["Producer".into()];
        spec.data_as_of = "2026-11-29".into();
        if narrow {
            spec.style.width = 360;
            spec.style.height = 450;
        }
        let light = render_svg(&series, &ChartSpec { style: Style { theme: Theme::Light, ..spec.style }, ..spec.clone() });
        let dark = render_svg(&series, &ChartSpec { style: Style { theme: Theme::Dark, ..spec.style }, ..spec.clone() });
        match (light, dark) {
            (Ok(light), Ok(dark)) => {
                // Every colour drawn is one the CSS knows.
                for (i, _) in light.match_indices("=\"#") {
                    let colour = &light[i + 2..i + 9];
                    prop_assert!(lights.contains(&colour.to_owned()), "{} is not in dark_for_light", colour);
                }
                prop_assert!(recoloured(&light, &pairs) == dark, "the dark chart differs from the light one recoloured");
            }
            (light, dark) => prop_assert_eq!(light.is_ok(), dark.is_ok()),
        }
    }
}

#[test]
fn extreme_values_draw_as_png_too() -> Result<(), ChartError> {
    for values in [
        vec![f64::INFINITY, 6.0],
        vec![1e-300, 1e300],
        vec![f64::MAX, f64::MIN_POSITIVE],
        vec![5e-324, 1.0],
    ] {
        let series = vec![Series {
            code: "NO".into(),
            name: "Norway".into(),
            points: values
                .iter()
                .enumerate()
                .map(|(i, v)| Point {
                    start: 2010 + i as i32,
                    end: 2010 + i as i32,
                    value: Some(*v),
                    flags: Default::default(),
                })
                .collect(),
        }];
        for scale in [Scale::Linear, Scale::Log] {
            let png = render_png(&series, &spec(Kind::Line, scale))?;
            assert!(png.starts_with(b"\x89PNG"), "{values:?} {scale:?}");
        }
    }
    Ok(())
}
