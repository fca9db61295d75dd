//! The page a reader gets for an address that cannot be shown.

use indikator_ingest::Lang;
use maud::{DOCTYPE, Markup, html};

use super::{head_common, words};

/// The page a reader gets for a page or embed address that cannot be shown: what is wrong
/// (as the API says it, naming the parameter), in the page's frame and language, with a way
/// back. `stylesheet` is the page's or the embed's.
pub(crate) fn error_page(message: &str, lang: Lang, stylesheet: &str) -> Markup {
    let w = words(lang);
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head { (head_common(&format!("{} — indikator", w.error_title), stylesheet)) }
            body {
                header.top { p.brand { a href="/" { "indikator" } } }
                main id="main" {
                    h1 { (w.error_title) }
                    p id="error-message" { (message) }
                    p { a href={ "/?lang=" (lang.code()) } { (w.error_back) } }
                }
            }
        }
    }
}
