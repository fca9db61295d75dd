//! One indicator's page: controls, tabs and their panels.

use indikator_charts::{ChartSpec, ValueUnit, value_label};
use indikator_ingest::{Lang, Metadata, Observation, Source, country_name};
use maud::{DOCTYPE, Markup, html};

use crate::params::{Format, Parts, ViewParams, with_query};

use super::{Words, attribute, head_common, iframe_snippet, themed, words};

/// Everything the dashboard page shows for one indicator.
pub(crate) struct Dashboard<'a> {
    /// The view, with the tab and indicator resolved.
    pub params: &'a ViewParams,
    /// The origin for absolute links.
    pub base: &'a str,
    /// This view's address, with its tab: what reload and the address bar keep.
    pub canonical: String,
    /// This view's address without the tab: the share link, the citation and oEmbed's, which
    /// open on the chart wherever the sharer was.
    pub share: String,
    /// Every indicator, as (id, title in the page's language).
    pub indicators: Vec<(String, String)>,
    /// The countries to offer: the indicator's, and any other the view asks for.
    pub countries: Vec<String>,
    /// The countries with data for the indicator shown.
    pub indicator_countries: Vec<String>,
    /// The indicator shown.
    pub meta: &'a Metadata,
    /// Its years, for the period pickers.
    pub years: (i32, i32),
    /// The modes the form offers, each with why it cannot be chosen for this view, if so.
    pub modes: Vec<ModeChoice>,
    /// Where the countries shown count differently: the like-for-like indicator (id, title),
    /// if the sidecar names one.
    pub not_like_for_like: Option<Option<(String, String)>>,
    /// The chart's own address without a size, which the page's script asks at its width.
    pub chart_src: String,
    /// The width the chart was drawn at.
    pub chart_width: u32,
    /// The chart: its theme's name and its SVG (light while the theme follows the system,
    /// and the CSS recolours it when that is dark).
    pub chart: (&'static str, String),
    /// The chart in one sentence, for alt text.
    pub description: String,
    /// The chart's spec: unit, decimals and notes for the view.
    pub spec: ChartSpec,
    /// The observations shown.
    pub observations: Vec<Observation>,
    /// The countries of the view, in order.
    pub shown: Vec<String>,
}

/// A mode the form offers.
pub(crate) struct ModeChoice {
    /// The `mode` value.
    pub value: String,
    /// Its name in the page's language.
    pub label: String,
    /// Why it cannot be chosen for this view, in the page's language; `None` where it can.
    pub why_not: Option<String>,
}

/// A citation: producer, title, dates, kind and address.
pub(crate) fn citation(source: &Source, w: &Words) -> Markup {
    let published = if source.published == "n.d." {
        w.no_date
    } else {
        &source.published
    };
    let kind = match source.kind {
        indikator_ingest::SourceKind::Primary => w.primary,
        indikator_ingest::SourceKind::Secondary => w.secondary,
    };
    html! {
        (source.producer) ". " cite { (source.title) } ". "
        (w.published) " " (published) "; " (w.accessed) " " (source.accessed) " (" (kind) "). "
        a href=(source.url) rel="noopener" { (source.url) }
    }
}

/// A query string with the tab set.
fn with_tab(params: &ViewParams, tab: &str) -> String {
    let tabbed = ViewParams {
        tab: Some(tab.to_owned()),
        ..params.clone()
    };
    with_query("/", &tabbed.query(Parts::ALL))
}

/// The dashboard page. It is complete without JavaScript: every panel is in the page, and
/// `app.js` turns them into tabs and refreshes the page in place when a control changes.
pub(crate) fn page(d: &Dashboard<'_>) -> Markup {
    let params = d.params;
    let lang = params.style.lang;
    let w = words(lang);
    let theme_chosen = params.theme_chosen;
    let tab = params.tab.as_deref().unwrap_or("chart");
    let oembed = format!(
        "{}/oembed?{}",
        d.base,
        form_urlencoded::Serializer::new(String::new())
            .append_pair("url", &d.share)
            .append_pair("format", "json")
            .finish()
    );
    let title = d.meta.title.get(lang);
    html! {
        (DOCTYPE)
        html lang=(lang.code()) data-theme=[theme_chosen.then(|| params.style.theme.as_str())] {
            head {
                (head_common(&format!("{title} — indikator"), "style.css"))
                link rel="canonical" href=(d.canonical);
                link rel="alternate" type="application/json+oembed" href=(oembed) title="oEmbed";
                script type="module" src=(crate::handlers::assets::url("app.js")) {}
            }
            body {
                a.skip href="#chart" { (w.skip) }
                header.top {
                    p.brand { a href="/" { "indikator" } }
                    p.tagline { (w.tagline) }
                }
                details.view-controls id="view-controls" open {
                    summary { (w.controls) }
                    (controls(d, w, theme_chosen))
                }
                main id="main" data-tab=(tab) {
                    h1 id="title" { (title) }
                    p.description { (d.meta.description.get(lang)) }
                    nav.tabs role="tablist" aria-label=(title) {
                        @for (name, label) in [("chart", w.tab_chart), ("table", w.tab_table), ("sources", w.tab_sources), ("download", w.tab_download), ("embed", w.tab_embed)] {
                            a role="tab" id={ "tab-" (name) } href=(with_tab(params, name)) aria-controls={ "panel-" (name) }
                                aria-selected=(if name == tab { "true" } else { "false" }) data-tab=(name) { (label) }
                        }
                    }
                    (chart_panel(d, w, tab))
                    (table_panel(d, w, tab))
                    (sources_panel(d, w, tab))
                    (download_panel(d, w, tab))
                    (embed_panel(d, w, tab))
                }
                footer.bottom {
                    p { (w.data_as_of) " " (d.spec.data_as_of) " · " (w.data_from) " " (d.spec.sources.join("; ")) }
                }
            }
        }
    }
}

fn panel(name: &str, tab: &str, content: Markup) -> Markup {
    html! {
        section.panel.active[name == tab] id={ "panel-" (name) } role="tabpanel" aria-labelledby={ "tab-" (name) } tabindex="-1" {
            (content)
        }
    }
}

/// More countries than this go into a list that opens on demand, so that the controls stay
/// short.
const MANY_COUNTRIES: usize = 8;
/// The Nordic countries, for the preset of that name.
const NORDIC: [&str; 5] = ["NO", "SE", "DK", "FI", "IS"];

fn country_boxes(d: &Dashboard<'_>, shown: &dyn Fn(&String) -> bool, lang: Lang) -> Markup {
    html! {
        @for code in &d.countries {
            label.check data-name=(format!("{} {}", country_name(code, lang), code).to_lowercase()) {
                input type="checkbox" name="country" value=(code) checked[shown(code)];
                " " (country_name(code, lang))
            }
        }
    }
}

/// One-click country choices (name, link, whether it is the view's choice): Norway and Sweden,
/// the Nordic countries, all of them; each only where the indicator has more than that.
fn presets(d: &Dashboard<'_>, w: &Words) -> Vec<(String, String, bool)> {
    let having = |codes: &[&str]| -> Vec<String> {
        codes
            .iter()
            .filter(|code| d.indicator_countries.iter().any(|c| c == *code))
            .map(|code| (*code).to_owned())
            .collect()
    };
    let pair = having(&["NO", "SE"]);
    let nordic = having(&NORDIC);
    let all = d.indicator_countries.clone();
    let mut choices = Vec::new();
    if pair.len() == 2 && all.len() > 2 {
        choices.push((w.norway_sweden.to_owned(), pair));
    }
    if nordic.len() > 2 && all.len() > nordic.len() {
        choices.push((w.nordic.to_owned(), nordic));
    }
    if choices.is_empty() {
        return Vec::new();
    }
    choices.push((w.all_countries.replace("{}", &all.len().to_string()), all));
    let mut shown = d.shown.clone();
    shown.sort();
    choices
        .into_iter()
        .map(|(name, countries)| {
            let mut same = countries.clone();
            same.sort();
            let view = ViewParams {
                countries,
                ..d.params.clone()
            };
            (
                name,
                with_query("/", &view.query(Parts::ALL)),
                same == shown,
            )
        })
        .collect()
}

fn controls(d: &Dashboard<'_>, w: &Words, theme_chosen: bool) -> Markup {
    let params = d.params;
    let lang = params.style.lang;
    let shown = |code: &String| d.shown.contains(code);
    let from = params.from;
    let to = match params.to {
        indikator_query::YearBound::Year(year) => Some(year),
        indikator_query::YearBound::Latest => None,
    };
    let mut years: Vec<i32> = (d.years.0..=d.years.1).collect();
    for year in [from, to].into_iter().flatten() {
        if !years.contains(&year) {
            years.push(year);
        }
    }
    years.sort_unstable();
    let mode = params.mode.to_string();
    html! {
        form.controls id="controls" method="get" action="/" {
            label { span { (w.indicator) }
                select name="indicator" {
                    @for (id, title) in &d.indicators {
                        option value=(id) selected[*id == d.meta.id] { (title) }
                    }
                }
            }
            fieldset.countries {
                legend { (w.countries) }
                @let presets = presets(d, w);
                @if !presets.is_empty() {
                    p.presets {
                        @for (name, href, current) in &presets {
                            a href=(href) data-view aria-current=[current.then_some("true")] { (name) }
                        }
                    }
                }
                @if d.countries.len() > MANY_COUNTRIES {
                    details.many {
                        summary { (w.countries) " (" (d.shown.len()) "/" (d.countries.len()) ")" }
                        // Shown by the script, which filters the boxes as one types.
                        input.country-filter type="search" hidden placeholder=(w.find_country) aria-label=(w.find_country) data-filter="country";
                        (country_boxes(d, &shown, lang))
                    }
                } @else {
                    (country_boxes(d, &shown, lang))
                }
            }
            label { span { (w.from) }
                select name="from" {
                    option value="" selected[from.is_none()] { (w.earliest) }
                    @for year in &years { option value=(year) selected[from == Some(*year)] { (year) } }
                }
            }
            label { span { (w.to) }
                select name="to" {
                    option value="latest" selected[to.is_none()] { (w.latest) }
                    @for year in &years { option value=(year) selected[to == Some(*year)] { (year) } }
                }
            }
            label { span { (w.mode) }
                select name="mode" aria-describedby="mode-why" {
                    @for choice in &d.modes {
                        @if choice.why_not.is_some() {
                            option value=(choice.value) disabled { (choice.label) " (" (w.unavailable) ")" }
                        } @else {
                            option value=(choice.value) selected[mode == choice.value] { (choice.label) }
                        }
                    }
                }
            }
            @let reasons: Vec<&String> = d.modes.iter().filter_map(|m| m.why_not.as_ref()).collect();
            @if !reasons.is_empty() {
                ul.why id="mode-why" {
                    @for reason in reasons { li { (reason) } }
                }
            }
            label.check {
                input type="checkbox" name="scale" value="log" checked[params.style.scale.as_str() == "log"];
                " " (w.log_scale)
            }
            label { span { (w.language) }
                select name="lang" {
                    option value="en" lang="en" selected[lang == Lang::En] { "English" }
                    option value="sv" lang="sv" selected[lang == Lang::Sv] { "Svenska" }
                    option value="nb" lang="nb" selected[lang == Lang::Nb] { "Norsk bokmål" }
                }
            }
            label { span { (w.theme) }
                select name="theme" {
                    option value="" selected[!theme_chosen] { (w.auto) }
                    option value="light" selected[theme_chosen && params.style.theme.as_str() == "light"] { (w.light) }
                    option value="dark" selected[theme_chosen && params.style.theme.as_str() == "dark"] { (w.dark) }
                }
            }
            input type="hidden" name="tab" value=(params.tab.as_deref().unwrap_or("chart"));
            button.submit type="submit" { (w.show) }
            p id="status" role="status" aria-live="polite" {}
        }
    }
}

fn chart_panel(d: &Dashboard<'_>, w: &Words, tab: &str) -> Markup {
    panel(
        "chart",
        tab,
        html! {
            h2.visually-hidden { (w.tab_chart) }
            // The script redraws the chart for the width it is shown at (fit.js).
            figure.chart id="chart" tabindex="-1" data-src=(d.chart_src) data-width=(d.chart_width) {
                (themed(&d.chart))
                figcaption.visually-hidden { (d.description) }
            }
            // Under the chart, whose subtitle says it first: the why and the way out.
            @if let Some(like_for_like) = &d.not_like_for_like {
                p.warning {
                    strong { (w.not_like_for_like) }
                    @if let Some((id, title)) = like_for_like {
                        @let link = ViewParams { indicator: Some(id.clone()), mode: indikator_query::Mode::Absolute, tab: None, ..d.params.clone() };
                        " " (w.like_for_like_see) " "
                        a href=(with_query("/", &link.query(Parts::ALL))) { (title) } "."
                    }
                }
            }
            @if !d.spec.notes.is_empty() {
                ul.notes { @for note in &d.spec.notes { li { (note) } } }
            }
            // The events the chart marks, in full: a narrow chart marks their years alone.
            @if !d.spec.markers.is_empty() {
                ul.events { @for marker in &d.spec.markers { li { strong { (marker.year) } " " (marker.label) } } }
            }
        },
    )
}

/// A change between two values, signed, in the unit's terms: percentage points for
/// percentages.
fn change(d: &Dashboard<'_>, w: &Words, first: f64, last: f64) -> String {
    let lang = d.params.style.lang;
    let delta = last - first;
    let sign = if delta > 0.0 { "+" } else { "" };
    let number = indikator_charts::format_number(delta, d.spec.decimals.max(1), lang);
    match d.spec.unit {
        ValueUnit::Percent => format!("{sign}{number}{}", w.points),
        ValueUnit::Number => format!("{sign}{number}"),
    }
}

fn table_panel(d: &Dashboard<'_>, w: &Words, tab: &str) -> Markup {
    let lang = d.params.style.lang;
    let value = |v: f64| value_label(v, d.spec.unit, d.spec.decimals, lang);
    let rows: Vec<(&String, Vec<&Observation>)> = d
        .shown
        .iter()
        .map(|c| {
            (
                c,
                d.observations
                    .iter()
                    .filter(|o| o.country == *c && o.value.is_some())
                    .collect(),
            )
        })
        .collect();
    panel(
        "table",
        tab,
        html! {
            h2 { (w.summary) }
            div.scroll {
            table.sortable id="summary" {
                (sortable_head(&[(w.country, false), (w.first, true), (w.last, true), (w.change, true), (w.relative_change, true), (w.flags, false)]))
                tbody {
                    @for (country, obs) in &rows {
                        @let first = obs.first().and_then(|o| Some((*o, o.value?)));
                        @let last = obs.last().and_then(|o| Some((*o, o.value?)));
                        // Every flag of the country's values, in the one order flags are
                        // written everywhere (as in the data, the chart and the exports).
                        @let flags: String = obs.iter().fold(indikator_ingest::Flags::default(), |all, o| all.union(&o.flags)).to_string();
                        tr {
                            th scope="row" data-value=(country_name(country, lang)) { (country_name(country, lang)) }
                            (value_cell(first, &value))
                            (value_cell(last.filter(|_| obs.len() > 1), &value))
                            @match (first, last) {
                                (Some((_, a)), Some((_, b))) if obs.len() > 1 => {
                                    td.num data-value=(b - a) { (change(d, w, a, b)) }
                                    @if a != 0.0 {
                                        @let relative = (b / a - 1.0) * 100.0;
                                        td.num data-value=(relative) {
                                            (if relative > 0.0 { "+" } else { "" }) (value_label(relative, ValueUnit::Percent, 0, lang))
                                        }
                                    } @else {
                                        td.num data-value="" { "–" }
                                    }
                                }
                                _ => { td.num data-value="" { "–" } td.num data-value="" { "–" } }
                            }
                            td data-value=(flags) { (flags) }
                        }
                    }
                }
            }
            }
            h2 { (w.all_values) }
            div.scroll {
            table.sortable id="values" {
                (sortable_head(&[(w.country, false), (w.period, false), (w.value, true), (w.flag, false), (w.note, false)]))
                tbody {
                    @for obs in &d.observations {
                        tr {
                            td data-value=(country_name(&obs.country, lang)) { (country_name(&obs.country, lang)) }
                            td data-value=(obs.period.to_string()) { (obs.period.to_string()) }
                            td.num data-value=[obs.value] { @if let Some(v) = obs.value { (value(v)) } }
                            td data-value=(obs.flags.to_string()) { (obs.flags.to_string()) }
                            td data-value=(obs.note_in(lang)) { (obs.note_in(lang)) }
                        }
                    }
                }
            }
            }
        },
    )
}

/// A table head whose columns sort as text or, where marked, as numbers.
fn sortable_head(columns: &[(&str, bool)]) -> Markup {
    html! {
        thead { tr {
            @for (label, numeric) in columns {
                th scope="col" data-type=(if *numeric { "number" } else { "text" }) { (label) }
            }
        } }
    }
}

/// A value and its period in a summary cell, or a dash.
fn value_cell(value: Option<(&Observation, f64)>, format: &impl Fn(f64) -> String) -> Markup {
    html! {
        @match value {
            Some((o, v)) => td.num data-value=(v) { (format(v)) " " span.period { "(" (o.period.to_string()) ")" } },
            None => td.num data-value="" { "–" },
        }
    }
}

fn sources_panel(d: &Dashboard<'_>, w: &Words, tab: &str) -> Markup {
    let lang = d.params.style.lang;
    let title = d.meta.title.get(lang);
    // The view's own date, as its chart says it: the newest access of the sources it cites.
    let as_of = d.spec.data_as_of.as_str();
    let year = as_of.get(..4).unwrap_or(as_of);
    let cite = format!(
        "indikator ({year}). {title}. {} {}. {} {as_of}. {}",
        w.data_from,
        d.spec.sources.join("; "),
        w.data_as_of,
        d.share
    );
    panel(
        "sources",
        tab,
        html! {
            h2 { (w.sources) }
            ol.sources { @for source in &d.meta.sources { li { (citation(source, w)) } } }
            h2 { (w.cite_this) }
            p.cite { (cite) }
            @if !d.spec.notes.is_empty() {
                h2 { (w.notes) }
                ul.notes { @for note in &d.spec.notes { li { (note) } } }
            }
            h2 { (w.flag_key) }
            dl.flags {
                @for flag in indikator_ingest::Flag::ALL {
                    dt { (flag.letter()) }
                    dd { (indikator_charts::flag_meaning(flag, lang)) }
                }
            }
            p { (w.data_as_of) " " strong { (as_of) } }
        },
    )
}

fn download_panel(d: &Dashboard<'_>, w: &Words, tab: &str) -> Markup {
    let id = &d.meta.id;
    let params = d.params;
    let excel = ViewParams {
        dialect: indikator_query::Dialect::ExcelNordic,
        ..params.clone()
    };
    let excel_query = excel.query(Parts {
        dialect: true,
        ..Parts::DATA
    });
    let api = Format::Json.url(d.base, id, Some(params));
    panel(
        "download",
        tab,
        html! {
            h2 { (w.download) }
            ul.downloads {
                li { a id="download-zip" href=(Format::Zip.url("", id, Some(params))) { (w.bundle) } }
                li { a id="download-csv" href=(Format::Csv.url("", id, Some(params))) { (w.csv_view) } }
                li { a id="download-csv-full" href=(Format::Csv.url("", id, None)) { (w.csv_full) } }
                li { a id="download-excel" href=(with_query(&Format::Csv.url("", id, None), &excel_query)) { (w.csv_excel) } }
                li { a id="download-png" href=(Format::Png.url("", id, Some(params))) { "PNG" } }
                li { a id="download-png-2x" href=(png_2x("", id, params)) { "PNG (2×)" } }
                li { a id="download-svg" href=(Format::Svg.url("", id, Some(params))) { "SVG" } }
                li { a id="download-json" href=(Format::Json.url("", id, Some(params))) { "JSON" } }
                li { a id="download-jsonstat" href=(Format::JsonStat.url("", id, Some(params))) { "JSON-stat 2.0" } }
                li { a id="download-sdmx" href=(Format::SdmxCsv.url("", id, Some(params))) { "SDMX-CSV" } }
            }
            label.copy { span { (w.api_link) }
                input id="api-link" type="text" readonly value=(api);
                button type="button" data-copy="api-link" hidden { (w.copy) }
            }
        },
    )
}

/// The view's PNG at twice the pixels, for high-resolution screens and print.
fn png_2x(base: &str, id: &str, params: &ViewParams) -> String {
    let sharp = ViewParams {
        style: indikator_charts::Style {
            density: 2,
            ..params.style
        },
        ..params.clone()
    };
    Format::Png.url(base, id, Some(&sharp))
}

fn embed_panel(d: &Dashboard<'_>, w: &Words, tab: &str) -> Markup {
    let id = &d.meta.id;
    let style = d.params.style;
    let title = d.meta.title.get(style.lang);
    let iframe = iframe_snippet(d.base, id, d.params, title);
    // An image that shrinks with its column instead of pushing the article sideways.
    let image = format!(
        "<img src=\"{}\" srcset=\"{} 2x\" width=\"{}\" height=\"{}\" alt=\"{}\" style=\"max-width:100%;height:auto\">",
        attribute(&Format::Png.url(d.base, id, Some(d.params))),
        attribute(&png_2x(d.base, id, d.params)),
        style.width,
        style.height,
        attribute(&d.description)
    );
    panel(
        "embed",
        tab,
        html! {
            h2 { (w.tab_embed) }
            label.snippet { span { (w.embed_iframe) }
                textarea id="embed-iframe" readonly rows="4" { (iframe) }
                button type="button" data-copy="embed-iframe" hidden { (w.copy) }
            }
            label.snippet { span { (w.embed_image) }
                textarea id="embed-image" readonly rows="3" { (image) }
                button type="button" data-copy="embed-image" hidden { (w.copy) }
            }
            label.copy { span { (w.share_link) }
                input id="share-link" type="text" readonly value=(d.share);
                button type="button" data-copy="share-link" hidden { (w.copy) }
            }
        },
    )
}
