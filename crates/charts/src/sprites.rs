//! Text drawn once and reused: each distinct text element of a chart's SVG, rasterised alone
//! to a small image (a sprite) and copied onto every PNG that shows the same text.
//!
//! Of a fresh 800 × 500 PNG's 4.7 ms, its 30 text elements cost 1.7 ms of usvg's layout and
//! shaping and 1.1 ms of resvg's glyph filling (bench/README.md). Charts repeat their text
//! from view to view (tick labels, titles, notes, sources), so the work is kept per element.
//! No crate caches resvg's text; fontdb and rustybuzz shape afresh for every tree.
//!
//! Exact but for the coverage's levels: plotters writes every text position in whole pixels,
//! and a sprite drawn at a whole-pixel offset covers the same pixels with the same coverage as
//! the text drawn in place, rounded to [`COVERAGE_LEVELS`] (to make the PNG smaller).
//! `tests::sprites_draw_what_resvg_draws` compares the two images.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use resvg::{tiny_skia, usvg};

/// The sprites kept, in bytes of pixels. When a new one would pass this, all are dropped:
/// charts of random sizes (each size has its own font sizes) cannot grow memory.
const BUDGET: usize = 16 << 20;
/// The largest sprite kept; a larger one is drawn and dropped.
const LARGEST: usize = BUDGET / 16;
/// The largest sprite drawn at all, in pixels a side: wider than any chart (`WIDTHS`).
const SIDE: i32 = 4096;

/// One text element as pixels, and where its top left corner sits from the text's anchor.
pub(crate) struct Sprite {
    /// `None` for text that draws nothing (spaces).
    pixmap: Option<tiny_skia::Pixmap>,
    left: i32,
    top: i32,
}

impl Sprite {
    const EMPTY: Sprite = Sprite {
        pixmap: None,
        left: 0,
        top: 0,
    };
}

#[derive(Default)]
struct Sprites {
    by_text: HashMap<String, Arc<Sprite>>,
    bytes: usize,
}

fn sprites() -> &'static Mutex<Sprites> {
    static SPRITES: OnceLock<Mutex<Sprites>> = OnceLock::new();
    SPRITES.get_or_init(Mutex::default)
}

/// A text element of plotters' SVG: its opening tag (with the position taken out), its
/// content, and its anchor in whole pixels.
pub(crate) struct TextElement<'a> {
    open: &'a str,
    content: &'a str,
    x: i32,
    y: i32,
}

impl<'a> TextElement<'a> {
    /// Reads `<text x=".." y=".." ...>` + content + `</text>` as plotters writes them, one
    /// line each; `None` for anything else (which is then drawn as it is).
    pub(crate) fn parse(open: &'a str, content: &'a str) -> Option<Self> {
        let rest = open.strip_prefix("<text x=\"")?;
        let (x, rest) = rest.split_once("\" y=\"")?;
        let (y, rest) = rest.split_once('"')?;
        let (x, y) = (x.parse().ok()?, y.parse().ok()?);
        Some(TextElement {
            open: rest,
            content,
            x,
            y,
        })
    }

    /// Copies `sprite` onto `canvas` at this element's position: source over, on
    /// premultiplied pixels, skipping the sprite's transparent ones (most of them).
    ///
    /// By hand rather than `PixmapMut::draw_pixmap`: tiny-skia runs its whole raster pipeline
    /// for that (a pattern shader over the rectangle). Measured with `examples/png_encoding`:
    /// a chart whose texts are all new took 5.9 ms with it and 5.4 ms with this loop; a chart
    /// from kept sprites, 2.27 and 2.25 ms.
    pub(crate) fn paint(&self, sprite: &Sprite, canvas: &mut tiny_skia::PixmapMut, density: u32) {
        let Some(pixmap) = &sprite.pixmap else {
            return;
        };
        let (width, height) = (canvas.width() as i64, canvas.height() as i64);
        let (sw, sh) = (i64::from(pixmap.width()), i64::from(pixmap.height()));
        // The anchor in device pixels: a whole number of them at every density.
        let (x0, y0) = (
            i64::from(self.x) * i64::from(density) + i64::from(sprite.left),
            i64::from(self.y) * i64::from(density) + i64::from(sprite.top),
        );
        // The columns of the sprite that fall on the canvas, the same on every row.
        let (from, to) = (x0.max(0), (x0 + sw).min(width));
        if from >= to {
            return;
        }
        let source = pixmap.data();
        let target = canvas.data_mut();
        for row in y0.max(0)..(y0 + sh).min(height) {
            let s = ((row - y0) * sw + (from - x0)) as usize * 4;
            let t = (row * width + from) as usize * 4;
            let n = (to - from) as usize * 4;
            for (s, t) in source[s..s + n]
                .chunks_exact(4)
                .zip(target[t..t + n].chunks_exact_mut(4))
            {
                let alpha = u16::from(s[3]);
                if alpha == 0 {
                    continue;
                }
                let keep = 255 - alpha;
                for c in 0..4 {
                    // s + t × (255 − α) / 255, rounded; premultiplied s ≤ α keeps it ≤ 255.
                    let t16 = u16::from(t[c]) * keep + 128;
                    t[c] = s[c].saturating_add(((t16 + (t16 >> 8)) >> 8) as u8);
                }
            }
        }
    }
}

/// The sprite of each element, taken from the cache or drawn now; `None` where resvg cannot
/// read the element (it is then left in the SVG).
///
/// The missing ones are read as one SVG document: a usvg tree per text cost 1.2 ms more on a
/// chart of a new size, whose ~30 texts are all drawn afresh.
pub(crate) fn sprites_for(
    elements: &[TextElement<'_>],
    options: &usvg::Options,
    density: u32,
) -> Vec<Option<Arc<Sprite>>> {
    // Each element without its position, at the image's density: each density keeps its own.
    let mut keys: Vec<String> = elements
        .iter()
        .map(|e| format!("{density}{}\n{}", e.open, e.content))
        .collect();
    let mut found: Vec<Option<Arc<Sprite>>> = {
        let kept = lock();
        keys.iter()
            .map(|key| kept.by_text.get(key).cloned())
            .collect()
    };
    let missing: Vec<usize> = (0..elements.len())
        .filter(|&i| found[i].is_none())
        .collect();
    if missing.is_empty() {
        return found;
    }
    let texts: Vec<(String, &TextElement<'_>)> = missing
        .iter()
        .map(|&i| (format!("s{i}"), &elements[i]))
        .collect();
    match usvg::Tree::from_str(&document(&texts), options) {
        Ok(tree) => {
            for (&i, (id, _)) in missing.iter().zip(&texts) {
                found[i] = keep(std::mem::take(&mut keys[i]), draw(&tree, id, density));
            }
        }
        // One element resvg cannot read spoils the batch: each alone, then.
        Err(_) => {
            for (&i, text) in missing.iter().zip(&texts) {
                let alone = usvg::Tree::from_str(&document(std::slice::from_ref(text)), options);
                let key = std::mem::take(&mut keys[i]);
                found[i] = alone
                    .ok()
                    .and_then(|tree| keep(key, draw(&tree, &text.0, density)));
            }
        }
    }
    found
}

/// An SVG document of the texts, each anchored at (0, 0) under its id.
fn document(texts: &[(String, &TextElement<'_>)]) -> String {
    let mut svg =
        String::from("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\">\n");
    for (id, element) in texts {
        svg.push_str(&format!(
            "<text id=\"{id}\" x=\"0\" y=\"0\"{}\n{}\n</text>\n",
            element.open, element.content
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

/// The text `id` of `tree` as a sprite: its pixels, from its anchor at (0, 0).
fn draw(tree: &usvg::Tree, id: &str, density: u32) -> Option<Sprite> {
    // usvg leaves out text that draws nothing (an empty string).
    let Some(node) = tree.node_by_id(id) else {
        return Some(Sprite::EMPTY);
    };
    let scale = density as f32;
    let Some(bounds) = node
        .abs_stroke_bounding_box()
        .transform(tiny_skia::Transform::from_scale(scale, scale))
    else {
        return Some(Sprite::EMPTY);
    };
    let Some(layer) = node.abs_layer_bounding_box() else {
        return Some(Sprite::EMPTY);
    };
    if bounds.width() <= 0.0 || bounds.height() <= 0.0 {
        return Some(Sprite::EMPTY);
    }
    // One pixel more on each side for antialiasing; the bounds are finite (usvg's Rect).
    let left = (bounds.left().floor() as i32 - 1).clamp(-SIDE, SIDE);
    let top = (bounds.top().floor() as i32 - 1).clamp(-SIDE, SIDE);
    let right = (bounds.right().ceil() as i32 + 1).clamp(left + 1, left + SIDE);
    let bottom = (bounds.bottom().ceil() as i32 + 1).clamp(top + 1, top + SIDE);
    let mut pixmap = tiny_skia::Pixmap::new((right - left) as u32, (bottom - top) as u32)?;
    // `render_node` moves the node by its layer's corner; moving it back keeps the glyphs
    // on the same fractions of a pixel as in the whole chart.
    // (At a density above 1, the node is scaled first, then moved to the sprite's corner.)
    let transform = tiny_skia::Transform::from_translate(-(left as f32), -(top as f32))
        .pre_scale(scale, scale)
        .pre_translate(layer.x(), layer.y());
    resvg::render_node(node, transform, &mut pixmap.as_mut())?;
    quantise_coverage(&mut pixmap);
    Some(Sprite {
        pixmap: Some(pixmap),
        left,
        top,
    })
}

/// How many levels of coverage a glyph's edge pixels keep, from none to full.
///
/// A PNG's bytes are mostly its text's edges (each of 256 coverages, over each text colour, is
/// another colour to code), and a cached PNG is served far more often than drawn: its bytes
/// bound how fast it is served. At 8 levels the default 800 × 500 chart is 23.9 KB instead of
/// 28.9 (16 levels: 27.7 KB; 5: 21.1 KB), and side by side at three times the size the text
/// looks the same (bench/README.md). The SVG keeps the browser's own antialiasing.
const COVERAGE_LEVELS: u32 = 8;

/// Rounds the coverage of a one-colour text's pixels to [`COVERAGE_LEVELS`]; text of more
/// than one colour (a colour emoji) is left as drawn.
fn quantise_coverage(pixmap: &mut tiny_skia::Pixmap) {
    let Some(solid) = pixmap.pixels().iter().max_by_key(|p| p.alpha()) else {
        return;
    };
    let solid = solid.demultiply();
    let colour = [solid.red(), solid.green(), solid.blue()];
    // Premultiplied values are rounded: a pixel at half coverage or more gives its colour
    // back within 2.
    let one_colour = pixmap
        .pixels()
        .iter()
        .filter(|p| p.alpha() >= 128)
        .all(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue()]
                .iter()
                .zip(&colour)
                .all(|(a, b)| a.abs_diff(*b) <= 2)
        });
    if solid.alpha() == 0 || !one_colour {
        return;
    }
    let top = COVERAGE_LEVELS - 1;
    for pixel in pixmap.data_mut().chunks_exact_mut(4) {
        let level = (u32::from(pixel[3]) * top + 127) / 255;
        let alpha = (level * 255 + top / 2) / top;
        for (value, c) in pixel.iter_mut().zip(colour) {
            *value = ((u32::from(c) * alpha + 127) / 255) as u8;
        }
        pixel[3] = alpha as u8;
    }
}

/// Keeps `sprite` under `key` within the budget, and hands it back.
fn keep(key: String, sprite: Option<Sprite>) -> Option<Arc<Sprite>> {
    let sprite = Arc::new(sprite?);
    let bytes = sprite.pixmap.as_ref().map_or(0, |p| p.data().len()) + key.len();
    if bytes <= LARGEST {
        let mut kept = lock();
        if kept.bytes + bytes > BUDGET {
            kept.by_text.clear();
            kept.bytes = 0;
        }
        kept.bytes += bytes;
        kept.by_text.insert(key, sprite.clone());
    }
    Some(sprite)
}

fn lock() -> std::sync::MutexGuard<'static, Sprites> {
    // A panic while the lock was held leaves at worst a missing sprite; the map is whole.
    sprites()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_keeps_its_colour_at_eight_levels_of_coverage() {
        let options = crate::output::usvg_options();
        let tag = "<text x=\"3\" y=\"4\" dy=\"0.76em\" font-size=\"13\" fill=\"#d35f00\">";
        let element = TextElement::parse(tag, "Wavy edges, 2016: 180").expect("parses");
        let sprites = sprites_for(std::slice::from_ref(&element), &options, 1);
        let pixmap = sprites[0].as_ref().and_then(|s| s.pixmap.as_ref());
        let pixels = pixmap.expect("drawn").pixels();
        let mut alphas: Vec<u8> = pixels.iter().map(|p| p.alpha()).collect();
        alphas.sort_unstable();
        alphas.dedup();
        assert_eq!(alphas, [0, 36, 73, 109, 146, 182, 219, 255]);
        for p in pixels.iter().filter(|p| p.alpha() > 0) {
            let c = p.demultiply();
            let (r, g, b) = (c.red(), c.green(), c.blue());
            assert!(
                r.abs_diff(0xd3) <= 4 && g.abs_diff(0x5f) <= 4 && b <= 4,
                "{p:?}"
            );
        }
    }

    #[test]
    fn text_of_two_colours_is_left_as_drawn() {
        let mut pixmap = tiny_skia::Pixmap::new(2, 1).expect("a pixmap");
        let data = [200, 0, 0, 200, 0, 0, 255, 255];
        pixmap.data_mut().copy_from_slice(&data);
        quantise_coverage(&mut pixmap);
        assert_eq!(pixmap.data(), data);
    }

    #[test]
    fn the_kept_sprites_stay_within_their_budget() {
        let options = usvg::Options::default();
        let open = " dy=\"0.76em\" text-anchor=\"start\" font-size=\"40\" fill=\"#000\">";
        let content = "W".repeat(300);
        // Wide texts (clipped to 4096 px, ~0.8 MB each) of 80 sizes: 4 times the budget.
        for size in 0..80 {
            let open = open.replace("40", &format!("{}", 40 + size));
            let tag = format!("<text x=\"0\" y=\"0\"{open}");
            let element = TextElement::parse(&tag, &content).expect("parses");
            let sprite = sprites_for(std::slice::from_ref(&element), &options, 1);
            assert!(sprite[0].is_some());
            assert!(lock().bytes <= BUDGET, "{} bytes kept", lock().bytes);
        }
    }
}
