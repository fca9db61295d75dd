//! How a chart's PNG encoding trades time for bytes: the benchmark chart (2 countries × 15
//! years, 800 × 500) rendered once, then encoded with each colour type, deflate setting and row
//! filter of the `png` crate. `cargo run --release -p indikator-charts --example png_encoding`
//!
//! The choice in `render_png` (RGB, zlib level 1, no filter) comes from this table.

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
    let series = [series("NO", "Norway", 10.0), series("SE", "Sweden", 14.0)];
    let spec = ChartSpec {
        style: Style::default(),
        title: "Innovation procurements announced".into(),
        subtitle: "Number".into(),
        notes: vec!["Not like-for-like: the two countries count differently.".into()],
        sources: vec!["Producer A".into()],
        data_as_of: "2026-11-27".into(),
        ..ChartSpec::default()
    };
    let rounds = 50;
    let started = Instant::now();
    let mut png = Vec::new();
    for _ in 0..rounds {
        png = render_png(&series, &spec)?;
    }
    let ms = |t: Instant, n: u32| t.elapsed().as_secs_f64() * 1000.0 / f64::from(n);
    println!(
        "render_png: {:.2} ms, {} bytes",
        ms(started, rounds),
        png.len()
    );

    let mut reader = png::Decoder::new(std::io::Cursor::new(&png)).read_info()?;
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
    let colours = [
        ("RGBA", png::ColorType::Rgba, &rgba),
        ("RGB", png::ColorType::Rgb, &rgb),
    ];
    let deflates = [
        ("fdeflate", png::DeflateCompression::FdeflateUltraFast),
        ("zlib 1", png::DeflateCompression::Level(1)),
        ("zlib 6", png::DeflateCompression::Level(6)),
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
