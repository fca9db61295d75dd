//! The embed page for an iframe.

use maud::{DOCTYPE, Markup, html};

use super::{head_common, themed, words};

/// The height an embed adds under its chart: the row of links.
pub(crate) const LINKS_HEIGHT: u32 = 40;

/// The iframe snippet of an embed, written in this one place for the page's Embed tab and for
/// oEmbed. The iframe shrinks with its column (`width:100%` up to its own width), the embed
/// then draws its chart for that width, and embed-host.js sets the iframe's height to fit.
pub(crate) fn iframe_snippet(base: &str, id: &str, params: &ViewParams, title: &str) -> String {
    let src = Format::Embed.url(base, id, Some(params));
    let (width, height) = (params.style.width, params.style.height + LINKS_HEIGHT);
    format!(
        "<iframe src=\"{}\" width=\"{width}\" height=\"{height}\" title=\"{}\" style=\"border:0;width:100%;max-width:{width}px\" loading=\"lazy\" data-indikator-embed></iframe><script src=\"{base}/static/embed-host.js\" async></script>",
        attribute(&src),
        attribute(title),
    )
}

/// Escapes text for a double-quoted HTML attribute.
pub(crate) fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
use crate::params::{Format, Parts, ViewParams, with_query};

/// The embed page: the chart, a "Get the data" link and a link to the full view. A script
/// posts its height to the parent so the host's iframe fits it.
pub(crate) fn embed(
    params: &ViewParams,
    id: &str,
    title: &str,
    chart: &(&'static str, String),
) -> Markup {
    let lang = params.style.lang;
    let w = words(lang);
    let csv = Format::Csv.url("", id, Some(params));
    let page = ViewParams {
        indicator: Some(id.to_owned()),
        ..params.clone()
    };
    let full = with_query(
        "/",
        &page.query(Parts {
            page: true,
            ..Parts::CHART
        }),
    );
    html! {
        (DOCTYPE)
        html lang=(lang.code()) data-theme=[params.theme_chosen.then(|| params.style.theme.as_str())] {
            head { (head_common(title, "embed.css")) }
            body {
                figure data-src=(Format::Svg.url("", id, Some(params))) data-width=(params.style.width) {
                    (themed(chart))
                }
                p.links {
                    a href=(csv) target="_blank" rel="noopener" { (w.get_data) }
                    " · "
                    a href=(full) target="_blank" rel="noopener" { (w.full_view) }
                }
                script type="module" src=(crate::handlers::assets::url("embed.js")) {}
            }
        }
    }
}
