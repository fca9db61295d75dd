//! The overview: every indicator as a card, the first screen.

use indikator_ingest::Lang;
use maud::{DOCTYPE, Markup, html};

use super::{head_common, words};
use crate::params::{Format, ViewParams};

/// One indicator on the overview.
pub(crate) struct Card {
    pub id: String,
    pub title: String,
    pub unit: String,
    pub years: (i32, i32),
    pub countries: usize,
    /// (country name, value, period) of each default country's latest value.
    pub latest: Vec<(String, String, String)>,
    /// Whether the countries shown are measured alike.
    pub like_for_like: bool,
    /// The indicator's page.
    pub href: String,
    /// The card chart's view (countries, language, bare: the card has the words).
    pub chart: ViewParams,
}

/// The overview: the policymaker's first screen. Every indicator as a card with a small chart
/// (drawn at the width it is shown at: `srcset`), its latest values, unit, years and a badge
/// that says whether its countries are measured alike; one click opens it.
pub(crate) fn overview(params: &ViewParams, cards: &[Card]) -> Markup {
    let lang = params.style.lang;
    let w = words(lang);
    let image = |card: &Card, theme: &str, width: u32| {
        let mut view = card.chart.clone();
        view.style.width = width;
        view.style.height = width * 2 / 3;
        if theme == "dark" {
            view.style.theme = indikator_charts::Theme::Dark;
        }
        format!("{} {width}w", Format::Svg.url("", &card.id, Some(&view)))
    };
    let srcset = |card: &Card, theme: &str| {
        [300, 360, 480]
            .iter()
            .map(|width| image(card, theme, *width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                (head_common(&format!("{} — indikator", w.overview_title), "style.css"))
                script type="module" src=(crate::handlers::assets::url("app.js")) {}
            }
            body {
                header.top {
                    p.brand { a href="/" { "indikator" } }
                    p.tagline { (w.tagline) }
                    p.langs {
                        @for other in Lang::ALL {
                            a href={ "/?lang=" (other.code()) } lang=(other.code()) aria-current=[(other == lang).then_some("true")] { (other.code()) }
                        }
                    }
                }
                main id="overview" {
                    h1 { (w.overview_title) }
                    p.description { (w.overview_intro) }
                    ul.cards {
                        @for card in cards {
                            li.card {
                                h2 { a href=(card.href) { (card.title) } }
                                p.badge.comparable[card.like_for_like].incomparable[!card.like_for_like] {
                                    (if card.like_for_like { w.comparable } else { w.not_comparable })
                                }
                                a.thumb href=(card.href) tabindex="-1" aria-hidden="true" {
                                    picture {
                                        source media="(prefers-color-scheme: dark)" srcset=(srcset(card, "dark")) sizes="(max-width: 400px) 300px, 360px";
                                        img srcset=(srcset(card, "light")) sizes="(max-width: 400px) 300px, 360px" src=(image(card, "light", 360).trim_end_matches(" 360w")) width="360" height="240" loading="lazy" alt="";
                                    }
                                }
                                @if !card.latest.is_empty() {
                                    p.latest {
                                        (w.latest_values) ": "
                                        @for (i, (country, value, period)) in card.latest.iter().enumerate() {
                                            @if i > 0 { " · " }
                                            (country) " " strong { (value) } " (" (period) ")"
                                        }
                                    }
                                }
                                p.meta {
                                    (card.unit) " · " (card.years.0)
                                    @if card.years.1 != card.years.0 { "–" (card.years.1) }
                                    " · " (card.countries) " "
                                    (if card.countries == 1 { w.country_count_one } else { w.countries_count })
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
