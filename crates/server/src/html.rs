//! The HTML pages, written with maud, which escapes every interpolated value. The only raw
//! HTML is the chart's SVG, whose text plotters and `render_svg` escape.

use indikator_charts::{ChartSpec, format_value};
use indikator_ingest::{Lang, Metadata, Observation, Source, country_name};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::params::{Parts, ViewParams, with_query};

/// The page's own words in English, Swedish and Norwegian Bokmål.
pub(crate) struct Words {
    pub indicator: &'static str,
    pub all_indicators: &'static str,
    pub countries: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub latest: &'static str,
    pub mode: &'static str,
    pub absolute: &'static str,
    pub index: &'static str,
    pub per_thousand: &'static str,
    pub language: &'static str,
    pub theme: &'static str,
    pub light: &'static str,
    pub dark: &'static str,
    pub show: &'static str,
    pub table: &'static str,
    pub country: &'static str,
    pub period: &'static str,
    pub value: &'static str,
    pub flag: &'static str,
    pub note: &'static str,
    pub sources: &'static str,
    pub notes: &'static str,
    pub download: &'static str,
    pub csv_view: &'static str,
    pub csv_excel: &'static str,
    pub embed: &'static str,
    pub get_data: &'static str,
    pub full_view: &'static str,
    pub primary: &'static str,
    pub secondary: &'static str,
    pub published: &'static str,
    pub accessed: &'static str,
    pub no_date: &'static str,
    pub tagline: &'static str,
}

pub(crate) fn words(lang: Lang) -> &'static Words {
    const EN: Words = Words {
        indicator: "Indicator",
        all_indicators: "All indicators",
        countries: "Countries",
        from: "From",
        to: "To",
        latest: "latest",
        mode: "Show as",
        absolute: "Values as published",
        index: "Index (first year = 100)",
        per_thousand: "Per 1,000 advertised procurements",
        language: "Language",
        theme: "Theme",
        light: "Light",
        dark: "Dark",
        show: "Show",
        table: "Table",
        country: "Country",
        period: "Period",
        value: "Value",
        flag: "Flag",
        note: "Note",
        sources: "Sources",
        notes: "Notes",
        download: "Download",
        csv_view: "CSV of this view",
        csv_excel: "CSV for Excel (Nordic)",
        embed: "Embed",
        get_data: "Get the data",
        full_view: "Open in indikator",
        primary: "primary source",
        secondary: "secondary source",
        published: "published",
        accessed: "accessed",
        no_date: "no date",
        tagline: "Innovation public procurement, Norway beside Sweden",
    };
    const SV: Words = Words {
        indicator: "Indikator",
        all_indicators: "Alla indikatorer",
        countries: "Länder",
        from: "Från",
        to: "Till",
        latest: "senaste",
        mode: "Visa som",
        absolute: "Publicerade värden",
        index: "Index (första året = 100)",
        per_thousand: "Per 1 000 annonserade upphandlingar",
        language: "Språk",
        theme: "Tema",
        light: "Ljust",
        dark: "Mörkt",
        show: "Visa",
        table: "Tabell",
        country: "Land",
        period: "Period",
        value: "Värde",
        flag: "Flagga",
        note: "Anmärkning",
        sources: "Källor",
        notes: "Anmärkningar",
        download: "Ladda ner",
        csv_view: "CSV för denna vy",
        csv_excel: "CSV för Excel (svenskt/norskt)",
        embed: "Bädda in",
        get_data: "Hämta data",
        full_view: "Öppna i indikator",
        primary: "primärkälla",
        secondary: "sekundärkälla",
        published: "publicerad",
        accessed: "hämtad",
        no_date: "utan datum",
        tagline: "Innovationsupphandling, Norge bredvid Sverige",
    };
    const NB: Words = Words {
        indicator: "Indikator",
        all_indicators: "Alle indikatorer",
        countries: "Land",
        from: "Fra",
        to: "Til",
        latest: "siste",
        mode: "Vis som",
        absolute: "Publiserte verdier",
        index: "Indeks (første år = 100)",
        per_thousand: "Per 1 000 kunngjorte anskaffelser",
        language: "Språk",
        theme: "Tema",
        light: "Lyst",
        dark: "Mørkt",
        show: "Vis",
        table: "Tabell",
        country: "Land",
        period: "Periode",
        value: "Verdi",
        flag: "Flagg",
        note: "Merknad",
        sources: "Kilder",
        notes: "Merknader",
        download: "Last ned",
        csv_view: "CSV for denne visningen",
        csv_excel: "CSV for Excel (norsk/svensk)",
        embed: "Bygg inn",
        get_data: "Hent data",
        full_view: "Åpne i indikator",
        primary: "primærkilde",
        secondary: "sekundærkilde",
        published: "publisert",
        accessed: "hentet",
        no_date: "udatert",
        tagline: "Innovative anskaffelser, Norge ved siden av Sverige",
    };
    match lang {
        Lang::En => &EN,
        Lang::Sv => &SV,
        Lang::Nb => &NB,
    }
}

/// What every page's head holds: encoding, viewport, title and its style sheet.
fn head_common(title: &str, stylesheet: &str) -> Markup {
    html! {
        meta charset="utf-8";
        meta name="viewport" content="width=device-width, initial-scale=1";
        title { (title) }
        link rel="stylesheet" href=(stylesheet);
    }
}

/// One indicator as the page shows it.
pub(crate) struct Section<'a> {
    pub meta: &'a Metadata,
    pub spec: ChartSpec,
    pub svg: String,
    pub observations: Vec<Observation>,
    pub cited: Vec<Source>,
}

/// What the page's controls offer.
pub(crate) struct Controls {
    pub indicators: Vec<(String, String)>,
    pub countries: Vec<String>,
    pub has_denominator: bool,
}

fn selected(on: bool) -> Option<&'static str> {
    on.then_some("selected")
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

/// The dashboard page without JavaScript: the controls as a form, and for each indicator its
/// chart, table, sources and notes.
pub(crate) fn page(
    params: &ViewParams,
    base: &str,
    self_url: &str,
    controls: &Controls,
    sections: &[Section<'_>],
) -> Markup {
    let lang = params.style.lang;
    let w = words(lang);
    let oembed = format!(
        "{base}/oembed?{}",
        form_urlencoded::Serializer::new(String::new())
            .append_pair("url", self_url)
            .append_pair("format", "json")
            .finish()
    );
    html! {
        (DOCTYPE)
        html lang=(lang.code()) data-theme=(params.style.theme.as_str()) {
            head {
                (head_common(&format!("indikator — {}", w.tagline), "/static/style.css"))
                link rel="alternate" type="application/json+oembed" href=(oembed) title="oEmbed";
            }
            body {
                a.skip href="#main" { "Skip to the chart" }
                header {
                    h1 { "indikator" }
                    p.tagline { (w.tagline) }
                }
                form.controls method="get" action="/" {
                    label { (w.indicator) " "
                        select name="indicator" {
                            option value="" selected=[selected(params.indicator.is_none())] { (w.all_indicators) }
                            @for (id, title) in &controls.indicators {
                                option value=(id) selected=[selected(params.indicator.as_deref() == Some(id))] { (title) }
                            }
                        }
                    }
                    fieldset {
                        legend { (w.countries) }
                        @for code in &controls.countries {
                            label.check {
                                input type="checkbox" name="country" value=(code)
                                    checked[params.countries.is_empty() || params.countries.contains(code)];
                                " " (country_name(code, lang))
                            }
                        }
                    }
                    label { (w.from) " " input type="number" name="from" min="1900" max="2100" value=[params.from]; }
                    label { (w.to) " " input type="text" name="to" size="6" value=(params.to.to_string()) placeholder=(w.latest); }
                    label { (w.mode) " "
                        select name="mode" {
                            option value="absolute" selected=[selected(params.mode == indikator_query::Mode::Absolute)] { (w.absolute) }
                            option value="index" selected=[selected(params.mode == indikator_query::Mode::Index)] { (w.index) }
                            @if controls.has_denominator {
                                option value="share:advertised-procurements"
                                    selected=[selected(matches!(&params.mode, indikator_query::Mode::Share(_)))] { (w.per_thousand) }
                            }
                        }
                    }
                    label { (w.language) " "
                        select name="lang" {
                            option value="en" selected=[selected(lang == Lang::En)] { "English" }
                            option value="sv" selected=[selected(lang == Lang::Sv)] { "Svenska" }
                            option value="nb" selected=[selected(lang == Lang::Nb)] { "Norsk bokmål" }
                        }
                    }
                    label { (w.theme) " "
                        select name="theme" {
                            option value="light" selected=[selected(params.style.theme.as_str() == "light")] { (w.light) }
                            option value="dark" selected=[selected(params.style.theme.as_str() == "dark")] { (w.dark) }
                        }
                    }
                    button type="submit" { (w.show) }
                }
                main id="main" {
                    @for section in sections {
                        (indicator_section(section, params, base, w))
                    }
                }
            }
        }
    }
}

fn indicator_section(section: &Section<'_>, params: &ViewParams, base: &str, w: &Words) -> Markup {
    let id = &section.meta.id;
    let lang = params.style.lang;
    let data_query = params.query(Parts::DATA);
    let chart_query = params.query(Parts::CHART);
    let excel = ViewParams {
        dialect: indikator_query::Dialect::ExcelNordic,
        ..params.clone()
    };
    let excel_query = excel.query(Parts {
        dialect: true,
        ..Parts::DATA
    });
    html! {
        section.indicator id=(id) {
            h2 { (section.meta.title.get(lang)) }
            p.description { (section.meta.description.get(lang)) }
            figure.chart {
                (PreEscaped(&section.svg))
            }
            h3 { (w.table) }
            table {
                thead { tr { th scope="col" { (w.country) } th scope="col" { (w.period) } th scope="col" { (w.value) } th scope="col" { (w.flag) } th scope="col" { (w.note) } } }
                tbody {
                    @for obs in &section.observations {
                        tr {
                            td { (country_name(&obs.country, lang)) }
                            td { (obs.period.to_string()) }
                            td.num { @if let Some(v) = obs.value { (format_value(v, section.spec.unit, section.spec.decimals, lang)) } }
                            td { (obs.flags.to_string()) }
                            td { (obs.note) }
                        }
                    }
                }
            }
            @if !section.spec.notes.is_empty() {
                h3 { (w.notes) }
                ul.notes { @for note in &section.spec.notes { li { (note) } } }
            }
            h3 { (w.sources) }
            ul.sources { @for source in &section.cited { li { (citation(source, w)) } } }
            h3 { (w.download) }
            ul.downloads {
                li { a href=(with_query(&format!("/api/v1/indicators/{id}.csv"), &data_query)) { (w.csv_view) } }
                li { a href=(with_query(&format!("/api/v1/indicators/{id}.csv"), &excel_query)) { (w.csv_excel) } }
                li { a href=(with_query(&format!("/charts/{id}.svg"), &chart_query)) { "SVG" } }
                li { a href=(with_query(&format!("/charts/{id}.png"), &chart_query)) { "PNG" } }
                li { a href=(with_query(&format!("/api/v1/indicators/{id}"), &data_query)) { "JSON" } }
                li { a href=(with_query(&format!("{base}/embed/{id}"), &chart_query)) { (w.embed) } }
            }
        }
    }
}

/// The embed page: the chart, a "Get the data" link and a link to the full view. A script
/// posts its height to the parent so the host's iframe fits it.
pub(crate) fn embed(params: &ViewParams, id: &str, title: &str, svg: &str) -> Markup {
    let lang = params.style.lang;
    let w = words(lang);
    let csv = with_query(
        &format!("/api/v1/indicators/{id}.csv"),
        &params.query(Parts::DATA),
    );
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
        html lang=(lang.code()) data-theme=(params.style.theme.as_str()) {
            head { (head_common(title, "/static/embed.css")) }
            body {
                figure { (PreEscaped(svg)) }
                p.links {
                    a href=(csv) target="_blank" rel="noopener" { (w.get_data) }
                    " · "
                    a href=(full) target="_blank" rel="noopener" { (w.full_view) }
                }
                script src="/static/embed.js" defer {}
            }
        }
    }
}
