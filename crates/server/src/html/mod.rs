//! The HTML pages, written with maud, which escapes every interpolated value. The only raw
//! HTML is the chart's SVG, whose text plotters and `render_svg` escape. One module per kind
//! of page; the words of every page in `words.rs`.

mod embed;
mod error;
mod overview;
mod page;
mod words;

pub(crate) use embed::{LINKS_HEIGHT, attribute, embed, iframe_snippet};
pub(crate) use error::error_page;
pub(crate) use overview::{Card, overview};
pub(crate) use page::{Dashboard, ModeChoice, page};
pub(crate) use words::{Words, words};

use maud::{Markup, PreEscaped, html};

/// What every page's head holds: encoding, viewport, title and its style sheet (a dashboard
/// file's name, linked by its versioned URL).
fn head_common(title: &str, stylesheet: &str) -> Markup {
    html! {
        meta charset="utf-8";
        meta name="viewport" content="width=device-width, initial-scale=1";
        title { (title) }
        // No icon to fetch: an empty one, so browsers do not ask for /favicon.ico.
        link rel="icon" href="data:,";
        link rel="stylesheet" href=(crate::handlers::assets::url(stylesheet));
    }
}

/// A drawn chart in its holder: `chart-light` or `chart-dark` by the theme it was drawn in
/// (the stylesheets recolour a light one when the reader's system is dark), with the theme
/// for `fit.js` to ask for when it redraws the chart at the width shown.
fn themed((theme, svg): &(&'static str, String)) -> Markup {
    html! {
        div class={ "chart-" (theme) } data-theme-chart=(theme) { (PreEscaped(svg)) }
    }
}
