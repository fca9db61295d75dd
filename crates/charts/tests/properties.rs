//! Any value a chart can be given, finite or not, on every kind and scale, draws in bounded
//! time and size, or is refused with the log-scale error; it never panics or loops.
//!
//! Before: a count of 400 digits (inf) made the log axis loop for ever and the linear axis
//! panic with "capacity overflow"; 1e-300 beside 1e300 drew 601 ticks.

use indikator_charts::{
    ChartError, ChartSpec, Kind, Point, Scale, Series, Style, render_png, render_svg,
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
    proptest::collection::vec(
        proptest::collection::vec((1900i32..=2100, 0i32..4, value()), 0..8),
        1..4,
    )
    .prop_map(|all| {
        all.into_iter()
            .enumerate()
            .map(|(i, points)| Series {
                code: format!("C{i}"),
                name: format!("Country {i}"),
                points: points
                    .into_iter()
                    .map(|(start, length, value)| Point {
                        start,
                        end: (start + length).min(2100),
                        value,
                        flags: Default::default(),
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
