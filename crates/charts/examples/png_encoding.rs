//! What a chart's PNG costs: `cargo run --release -p indikator-charts --example png_encoding`
//!
//! First, the benchmark chart (2 countries × 15 years, 800 × 500) rendered 200 times three
//! ways, as the server meets them when its response cache misses:
//! - the same chart each time;
//! - new values each time (a view not seen before: other countries, years or mode), so the
//!   shapes and some tick labels are new and the rest of the text comes from kept sprites;
//! - a new width each time, so every text element is drawn afresh (a chart's font sizes follow
//!   its width): the cost with nothing kept.
//!
//! Then how the encoding trades time for bytes: the chart encoded with each colour type,
//! deflate setting and row filter of the `png` crate. The choice in `render_png` (indexed
//! where the colours fit, zlib level 3, no filter) comes from this table. Name a PNG file (one
//! saved from the server, say) to encode its pixels instead:
//! `cargo run --release -p indikator-charts --example png_encoding -- chart.png`

use std::time::Instant;

use indikator_charts::{ChartSpec, Point, Series, Style, render_png};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let series = |code: &str, name: &str, k: f64| Series {
        code: code.into(),
        name: name.into(),
        points: (2008..2023)
            .map(|y| Point {
                start: y,
                end: y,
                value: Some(k * f64::from(y - 2000)),
                flags: Default::default(),
            })
            .collect(),
    };
    let spec = |width| ChartSpec {
        style: Style {
            width,
            ..Style::default()
        },
        title: "Innovation procurements announced".into(),
        subtitle: "Number".into(),
        notes: vec!["Not like-for-like: the two countries count differently.".into()],
        sources: vec!["Producer A".into()],
        data_as_of: "2026-11-27".into(),
        ..ChartSpec::default()
    };
    let ms = |t: Instant, n: u32| t.elapsed().as_secs_f64() * 1000.0 / f64::from(n);
    let rounds = 200;
    // Warm-up: the font database and this thread's buffers.
    let fixed = [series("NO", "Norway", 10.0), series("SE", "Sweden", 14.0)];
    let mut png = render_png(&fixed, &spec(800))?;

    let started = Instant::now();
    for _ in 0..rounds {
        png = render_png(&fixed, &spec(800))?;
    }
    println!(
        "same chart:           {:.2} ms, {} bytes",
        ms(started, rounds),
        png.len()
    );
    let started = Instant::now();
    for i in 0..rounds {
        let k = 3.0 + f64::from(i) * 0.37;
        let shown = [series("NO", "Norway", k), series("SE", "Sweden", k * 1.4)];
        render_png(&shown, &spec(800))?;
    }
    println!("new values each time: {:.2} ms", ms(started, rounds));
    let started = Instant::now();
    for i in 0..rounds {
        render_png(&fixed, &spec(801 + i))?;
    }
    println!("new width each time:  {:.2} ms", ms(started, rounds));

    // The table encodes this chart, or the PNG file named on the command line (such as a
    // chart saved from the server).
    if let Some(file) = std::env::args_os().nth(1) {
        png = std::fs::read(file)?;
    }
    let mut decoder = png::Decoder::new(std::io::Cursor::new(&png));
    // Indexed PNGs (what `render_png` writes) are expanded to RGB.
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info()?;
    let mut buffer = vec![0; reader.output_buffer_size().unwrap_or_default()];
    let info = reader.next_frame(&mut buffer)?;
    let rgba: Vec<u8> = match info.color_type {
        png::ColorType::Rgb => buffer[..info.buffer_size()]
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], u8::MAX])
            .collect(),
        _ => buffer[..info.buffer_size()].to_vec(),
    };
    let rgb: Vec<u8> = rgba
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut palette: Vec<[u8; 3]> = rgb.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect();
    palette.sort_unstable();
    palette.dedup();
    println!("{} colours", palette.len());
    let indexed: Vec<u8> = rgb
        .chunks_exact(3)
        .map(|p| palette.binary_search(&[p[0], p[1], p[2]]).unwrap_or(0) as u8)
        .collect();
    // Indexed only when the colours fit a palette.
    let colours = [
        ("RGBA", png::ColorType::Rgba, &rgba),
        ("RGB", png::ColorType::Rgb, &rgb),
        ("index", png::ColorType::Indexed, &indexed),
    ]
    .into_iter()
    .filter(|(_, colour, _)| *colour != png::ColorType::Indexed || palette.len() <= 256);
    let deflates = [
        ("fdeflate", png::DeflateCompression::FdeflateUltraFast),
        ("zlib 1", png::DeflateCompression::Level(1)),
        ("zlib 3", png::DeflateCompression::Level(3)),
        ("zlib 6", png::DeflateCompression::Level(6)),
        ("zlib 9", png::DeflateCompression::Level(9)),
    ];
    let filters = [
        ("adaptive", png::Filter::Adaptive),
        ("sub", png::Filter::Sub),
        ("none", png::Filter::NoFilter),
    ];
    println!("colour  deflate   filter      ms   bytes");
    for (colour_name, colour, pixels) in colours {
        for (deflate_name, deflate) in deflates {
            for (filter_name, filter) in filters {
                let rounds = 20;
                let started = Instant::now();
                let mut out = Vec::new();
                for _ in 0..rounds {
                    out.clear();
                    let mut encoder = png::Encoder::new(&mut out, info.width, info.height);
                    encoder.set_color(colour);
                    if colour == png::ColorType::Indexed {
                        encoder.set_palette(palette.concat());
                    }
                    encoder.set_depth(png::BitDepth::Eight);
                    encoder.set_deflate_compression(deflate);
                    encoder.set_filter(filter);
                    let mut writer = encoder.write_header()?;
                    writer.write_image_data(pixels)?;
                    writer.finish()?;
                }
                println!(
                    "{colour_name:6}  {deflate_name:8}  {filter_name:8}  {:5.2}  {}",
                    ms(started, rounds),
                    out.len()
                );
            }
        }
    }
    Ok(())
}
