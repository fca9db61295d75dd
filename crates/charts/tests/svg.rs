//! Charts of the shipped data as SVG: snapshots of representative views, and what a reader
//! notices: title and description, escaping, fonts, sizes and scales.

use indikator_charts::{
    ChartError, ChartSpec, Kind, Point, Scale, Series, Style, Theme, chart_for, describe,
    render_svg,
};
use indikator_ingest::{Dataset, Lang};
use indikator_query::{Mode, View};
use insta::assert_snapshot;

fn chart(view: View, style: Style) -> (Vec<Series>, ChartSpec) {
    let data = Dataset::embedded().expect("the shipped data is valid");
    let selection = view.select(&data).expect("a valid view");
    chart_for(&selection, &view, style)
}

fn svg(view: View, style: Style) -> String {
    let (series, spec) = chart(view, style);
    render_svg(&series, &spec).expect("draws")
}

fn style() -> Style {
    Style::default()
}

/// A series with every flag, a gap, a span and a break, to show every mark at once.
fn every_flag() -> (Vec<Series>, ChartSpec) {
    let point = |start, end, value, flags: &str| Point {
        start,
        end,
        value: Some(value),
        flags: flags.parse().unwrap_or_default(),
    };
    let series = vec![
        Series {
            code: "NO".into(),
            name: "Norway".into(),
            points: vec![
                point(2012, 2012, 20.0, ""),
                point(2013, 2013, 24.0, "e"),
                point(2014, 2014, 31.0, "b"),
                point(2015, 2015, 35.0, ""),
                point(2017, 2017, 40.0, "p"),
            ],
        },
        Series {
            code: "SE".into(),
            name: "Sweden".into(),
            points: vec![point(2012, 2014, 12.0, "u"), point(2016, 2016, 18.0, "d")],
        },
    ];
    let spec = ChartSpec {
        style: style(),
        title: "Every flag".into(),
        subtitle: "Number".into(),
        notes: vec!["A comparability note that is long enough to be wrapped to the width of the chart, so that it runs onto a second line.".into()],
        sources: vec!["Producer A".into()],
        data_as_of: "2026-11-27".into(),
        ..ChartSpec::default()
    };
    (series, spec)
}

#[test]
fn snapshot_seed_norway_and_sweden_with_gaps() {
    assert_snapshot!("seed", svg(View::new("innovation-procurements"), style()));
}

#[test]
fn snapshot_span() {
    assert_snapshot!("span", svg(View::new("advertised-procurements"), style()));
}

#[test]
fn snapshot_every_flag() {
    let (series, spec) = every_flag();
    assert_snapshot!("every-flag", render_svg(&series, &spec).expect("draws"));
}

#[test]
fn snapshot_index_mode() {
    assert_snapshot!(
        "index",
        svg(
            View::new("innovation-in-strategy")
                .countries(["NO"])
                .mode(Mode::Index),
            style()
        )
    );
}

#[test]
fn snapshot_share_mode() {
    let view =
        View::new("innovation-procurements").mode(Mode::Share("advertised-procurements".into()));
    assert_snapshot!("share", svg(view, style()));
}

#[test]
fn snapshot_swedish_and_norwegian_numbers() {
    let sv = Style {
        lang: Lang::Sv,
        ..style()
    };
    assert_snapshot!("sv", svg(View::new("advertised-procurements"), sv));
    let nb = Style {
        lang: Lang::Nb,
        ..style()
    };
    assert_snapshot!("nb", svg(View::new("innovation-procedure-share"), nb));
}

#[test]
fn snapshot_dark_bar_and_log() {
    let dark = Style {
        theme: Theme::Dark,
        ..style()
    };
    assert_snapshot!("dark", svg(View::new("innovation-in-strategy"), dark));
    let bar = Style {
        kind: Kind::Bar,
        ..style()
    };
    assert_snapshot!("bar", svg(View::new("advertised-procurements"), bar));
    let log = Style {
        scale: Scale::Log,
        ..style()
    };
    assert_snapshot!("log", svg(View::new("innovation-procurements"), log));
}

#[test]
fn title_and_description_say_what_the_chart_shows() {
    let text = svg(View::new("innovation-procurements"), style());
    assert!(
        text.starts_with("<svg role=\"img\" width=\"800\" height=\"500\""),
        "{}",
        &text[..120]
    );
    assert!(text.contains("<title>Innovation procurements announced</title>"));
    assert!(text.contains(
        "<desc>Norway: 6 in 2010 to 180 in 2016; Sweden: 793 in 2022 (low reliability, definition differs)</desc>"
    ));
    let (series, spec) = chart(
        View::new("innovation-procurements"),
        Style {
            lang: Lang::Sv,
            ..style()
        },
    );
    assert_eq!(
        describe(&series, &spec),
        "Norge: 6 år 2010 till 180 år 2016; Sverige: 793 år 2022 (låg tillförlitlighet, annan definition)"
    );
}

#[test]
fn the_chart_carries_notes_sources_flags_and_data_as_of() {
    let drawn = svg(View::new("innovation-procurements"), style());
    // Lines wrap at the chart's width: read the text as one run.
    let text = texts(&drawn)
        .into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "Flags: u low reliability · d definition differs, see notes",
        "Note: Not like-for-like.",
        "Sources: Sveriges Offentliga Inköpare (SOI); Nasjonalt program for leverandørutvikling (Innovative anskaffelser); Upphandlingsmyndigheten",
        "Data as of 2026-11-27",
        "2010 Norway&apos;s supplier development programme starts",
    ] {
        assert!(text.contains(expected), "missing {expected:?}");
    }
    let only_sweden = svg(
        View::new("innovation-procurements").countries(["SE"]),
        style(),
    );
    assert!(
        !only_sweden.contains("supplier development programme starts"),
        "Norway's events stay off Sweden's chart"
    );
}

#[test]
fn modes_say_so_in_the_subtitle() {
    let index = svg(
        View::new("ted-contract-notices")
            .countries(["NO", "SE"])
            .mode(Mode::Index),
        style(),
    );
    assert!(index.contains("Index, 2006 = 100"));
    let same_base = svg(
        View::new("innovation-procurements")
            .countries(["NO"])
            .mode(Mode::Index),
        style(),
    );
    assert!(same_base.contains("Index, 2010 = 100"));
    let share = svg(
        View::new("innovation-procurements").mode(Mode::Share("advertised-procurements".into())),
        style(),
    );
    assert!(share.contains("Per 1,000 advertised public procurements"));
    assert!(share.contains("No data for Norway in this view."));
}

#[test]
fn text_from_data_is_escaped() {
    let (series, mut spec) = every_flag();
    spec.title = "<script>alert(\"x\")</script> & more".into();
    spec.notes = vec!["<b>bold</b>".into()];
    let text = render_svg(&series, &spec).expect("draws");
    assert!(!text.contains("<script") && !text.contains("<b>"));
    assert!(
        text.contains(
            "<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more</title>"
        )
    );
}

#[test]
fn text_is_real_text_in_the_shipped_face_first() {
    let text = svg(View::new("innovation-procurements"), style());
    assert!(text.contains("<text "));
    let families: Vec<&str> = text
        .match_indices("font-family=\"")
        .map(|(i, m)| {
            let rest = &text[i + m.len()..];
            &rest[..rest.find('"').unwrap_or(0)]
        })
        .collect();
    assert!(!families.is_empty());
    assert!(
        families
            .iter()
            .all(|f| *f == "DejaVu Sans, Bitstream Vera Sans, Verdana, sans-serif")
    );
}

#[test]
fn sizes_outside_the_limits_are_errors() {
    let (series, spec) = every_flag();
    let sized = |width, height| {
        let spec = ChartSpec {
            style: Style {
                width,
                height,
                ..spec.style
            },
            ..spec.clone()
        };
        render_svg(&series, &spec).err().map(|e| e.to_string())
    };
    assert_eq!(
        sized(199, 500),
        Some("width 199 is outside 200–4000; choose a width in that range".into())
    );
    assert_eq!(
        sized(4001, 500),
        Some("width 4001 is outside 200–4000; choose a width in that range".into())
    );
    assert_eq!(
        sized(800, 149),
        Some("height 149 is outside 150–3000; choose a height in that range".into())
    );
    assert_eq!(
        sized(800, 3001),
        Some("height 3001 is outside 150–3000; choose a height in that range".into())
    );
    assert_eq!(sized(200, 150), None);
    assert_eq!(sized(4000, 3000), None);
}

#[test]
fn log_scale_refuses_values_that_are_not_positive() {
    let (mut series, mut spec) = every_flag();
    spec.style.scale = Scale::Log;
    series[0].points[0].value = Some(0.0);
    let err = render_svg(&series, &spec).err();
    assert!(matches!(err, Some(ChartError::LogScale { value }) if value == 0.0));
    assert_eq!(
        err.map(|e| e.to_string()),
        Some("a log scale needs values above 0, and this view has 0; use the linear scale".into())
    );
}

#[test]
fn a_view_with_nothing_to_draw_says_so() {
    let (mut series, spec) = every_flag();
    series.iter_mut().for_each(|s| s.points.clear());
    let text = render_svg(&series, &spec).expect("draws");
    assert!(text.contains("No data to show."));
    assert!(text.contains("<desc>No data to show.</desc>"));
}

/// The y of every `<text>` element, and its content.
fn texts(svg: &str) -> Vec<(f64, String)> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|element| {
            let y = element
                .split("y=\"")
                .nth(1)?
                .split('"')
                .next()?
                .parse()
                .ok()?;
            let body = element
                .split('>')
                .nth(1)?
                .split('<')
                .next()?
                .trim()
                .to_owned();
            Some((y, body))
        })
        .collect()
}

/// Every country of the TED series (33).
fn ted_countries() -> Vec<String> {
    let data = Dataset::embedded().expect("valid");
    let indicator = data.indicator("ted-contract-notices").expect("shipped");
    indicator.countries.clone()
}

#[test]
fn thirty_three_countries_are_named_once_each_and_stay_on_the_canvas() {
    let all = ted_countries();
    assert_eq!(all.len(), 33);
    for width in [800, 1200] {
        let view = View::new("ted-contract-notices").countries(all.clone());
        let style = Style { width, ..style() };
        let (series, spec) = chart(view, style);
        let svg = render_svg(&series, &spec).expect("draws");
        let texts = texts(&svg);
        for s in &series {
            let named = texts.iter().filter(|(_, t)| *t == s.name).count();
            assert_eq!(named, 1, "{width} px: {} named {named} times", s.name);
        }
        let height = f64::from(style.height);
        for (y, text) in &texts {
            assert!(
                (0.0..=height).contains(y),
                "{width} px: `{text}` at y = {y}"
            );
        }
    }
    // At 800 × 500 the 33 names leave room for one of the five notes, and the chart says
    // so; at 900 px high all five fit.
    let view = View::new("ted-contract-notices").countries(all.clone());
    let short = svg(view.clone(), style());
    assert!(
        short.contains("4 more notes, left out for room: see the indicator&apos;s page."),
        "{short}"
    );
    let tall = svg(
        view,
        Style {
            height: 900,
            ..style()
        },
    );
    assert!(!tall.contains("left out for room"));
    // Two countries keep their names at the line ends, without a legend.
    let two = svg(
        View::new("ted-contract-notices").countries(["NO", "SE"]),
        style(),
    );
    let names = texts(&two);
    assert_eq!(names.iter().filter(|(_, t)| t == "Norway").count(), 1);
}

#[test]
fn a_chart_opens_on_the_default_countries_and_an_export_keeps_all() {
    let data = Dataset::embedded().expect("valid");
    let view = View::new("ted-contract-notices");
    let charted = view.clone().or_default_countries(&data);
    assert_eq!(charted.countries, ["NO", "SE"]);
    let (series, _) = chart(charted, style());
    let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Norway", "Sweden"]);
    assert_eq!(view.select(&data).expect("valid").countries.len(), 33);
}

/// Every `font-size` in an SVG, in pixels.
fn font_sizes(svg: &str) -> Vec<f64> {
    svg.split(" font-size=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

#[test]
fn no_text_is_below_twelve_pixels_at_any_width() {
    let all = ted_countries();
    for width in [
        200, 320, 358, 390, 480, 640, 800, 1024, 1280, 1600, 2400, 4000,
    ] {
        for view in [
            View::new("innovation-procurements"),
            View::new("ted-contract-notices").countries(all.clone()),
        ] {
            let style = Style {
                width,
                height: 600,
                ..style()
            };
            let drawn = svg(view, style);
            let sizes = font_sizes(&drawn);
            assert!(!sizes.is_empty());
            let smallest = sizes.iter().copied().fold(f64::INFINITY, f64::min);
            assert!(
                smallest >= indikator_charts::SMALLEST_TEXT_PX - 0.01,
                "{width} px: text of {smallest} px"
            );
        }
    }
}

#[test]
fn countries_that_count_differently_say_so_in_the_subtitle() {
    let warning = "Not like-for-like: the countries count differently (see notes)";
    // Norway's programme classification beside Sweden's notice flag.
    let both = svg(View::new("innovation-procurements"), style());
    assert!(both.contains(warning), "{both}");
    let sv = svg(
        View::new("innovation-procurements"),
        Style {
            lang: indikator_ingest::Lang::Sv,
            ..style()
        },
    );
    assert!(sv.contains("Inte jämförbart: länderna räknar olika"));
    // One country alone is compared with nothing; TED counts every country one way.
    let norway = svg(
        View::new("innovation-procurements").countries(["NO"]),
        style(),
    );
    assert!(!norway.contains(warning));
    let ted = svg(
        View::new("ted-contract-notices").countries(["NO", "SE"]),
        style(),
    );
    assert!(!ted.contains(warning));
}

#[test]
fn a_brief_foot_leaves_notes_and_sources_to_the_page() {
    let full = svg(View::new("innovation-procurements"), style());
    let brief = svg(
        View::new("innovation-procurements"),
        Style {
            foot: indikator_charts::Foot::Brief,
            ..style()
        },
    );
    for kept in ["Flags: u low reliability", "Data as of 2026-11-27"] {
        assert!(full.contains(kept) && brief.contains(kept), "{kept}");
    }
    for left in ["Note: Not like-for-like.", "Sources: Sveriges"] {
        assert!(full.contains(left), "{left}");
        assert!(!brief.contains(left), "{left}");
    }
}

#[test]
fn sparse_charts_say_their_numbers_and_spans_have_no_middle_mark() {
    let text = |svg: &str| -> Vec<String> { texts(svg).into_iter().map(|(_, t)| t).collect() };
    // Three values in all: each is written by its mark.
    let sparse = text(&svg(View::new("innovation-procurements"), style()));
    for value in ["6", "180", "793"] {
        assert!(sparse.iter().any(|t| t == value), "{value} in {sparse:?}");
    }
    // Forty values: the axis carries them; no value labels.
    let dense = text(&svg(
        View::new("ted-contract-notices").countries(["NO", "SE"]),
        style(),
    ));
    assert!(!dense.iter().any(|t| t == "3,512"), "{dense:?}");
    // Norway's 2018/2022 share is a bar from 2018 to 2022, with its value, and no circle in
    // 2020 that would read as a 2020 value.
    let span = svg(
        View::new("innovation-procedure-share").countries(["NO"]),
        style(),
    );
    assert!(text(&span).iter().any(|t| t == "0.43%"));
    assert!(!span.contains("<circle"), "{span}");
}

#[test]
fn event_labels_stay_beside_their_year_and_go_short_on_a_narrow_chart() {
    let wide = svg(
        View::new("ted-contract-notices").countries(["NO", "SE"]),
        style(),
    );
    assert!(wide.contains("2010 Norway&apos;s supplier development programme starts"));
    let narrow = svg(
        View::new("ted-contract-notices").countries(["NO", "SE"]),
        Style {
            width: 350,
            ..style()
        },
    );
    // Four lines of label would stand over the data: the year alone marks the event.
    assert!(!narrow.contains("supplier development"), "{narrow}");
    let texts: Vec<String> = texts(&narrow).into_iter().map(|(_, t)| t).collect();
    for year in ["2010", "2016", "2023"] {
        assert!(
            texts.iter().filter(|t| *t == year).count() >= 1,
            "{year}: {texts:?}"
        );
    }
}
