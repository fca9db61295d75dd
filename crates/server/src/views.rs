//! The JSON the API answers with, as typed structs: each response's shape is written once,
//! here, and serde writes it (the crates.io backend's "views").

use indikator_ingest::{Annotation, Indicator, Metadata, Note, Source, Text, Unit};
use serde::Serialize;

use crate::cache::CacheStats;
use crate::params::{Format, ViewParams};

/// `GET /api/v1/indicators`.
#[derive(Serialize)]
pub(crate) struct IndicatorList<'a> {
    pub data_version: &'a str,
    pub indicators: Vec<IndicatorEntry<'a>>,
}

/// One indicator in the list: its metadata, coverage and links.
#[derive(Serialize)]
pub(crate) struct IndicatorEntry<'a> {
    pub id: &'a str,
    pub title: &'a Text,
    pub description: &'a Text,
    pub unit: Unit,
    pub decimals: u8,
    pub countries: &'a [String],
    pub period: PeriodRange,
    pub rows: usize,
    pub data_as_of: &'a str,
    pub sources: &'a [Source],
    pub notes: &'a [Note],
    pub annotations: &'a [Annotation],
    /// What `mode=share:<id>` may divide by.
    pub denominators: &'a [String],
    /// What a chart shows first.
    pub default_countries: &'a [String],
    pub links: Links,
}

impl<'a> IndicatorEntry<'a> {
    pub fn new(indicator: &'a Indicator, base: &str) -> Self {
        let meta: &'a Metadata = &indicator.meta;
        Self {
            id: &meta.id,
            title: &meta.title,
            description: &meta.description,
            unit: meta.unit,
            decimals: meta.decimals,
            countries: &indicator.countries,
            period: PeriodRange {
                first: indicator.first_year,
                last: indicator.last_year,
            },
            rows: indicator.rows,
            data_as_of: meta.data_as_of(),
            sources: &meta.sources,
            notes: &meta.notes,
            annotations: &meta.annotations,
            denominators: &meta.denominators,
            default_countries: &meta.default_countries,
            links: Links::new(base, &meta.id, None, true),
        }
    }
}

/// `GET /api/v1/indicators/{id}`: the view as formats writes it, with the data version and
/// the view's links.
#[derive(Serialize)]
pub(crate) struct ApiView<'a> {
    pub data_version: &'a str,
    pub links: Links,
    #[serde(flatten)]
    pub view: indikator_formats::ViewJson<'a>,
}

/// The first and last year an indicator covers.
#[derive(Serialize)]
pub(crate) struct PeriodRange {
    pub first: i32,
    pub last: i32,
}

/// Where the same view is in every format.
#[derive(Serialize)]
pub(crate) struct Links {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json: Option<String>,
    pub csv: String,
    pub jsonstat: String,
    pub sdmx_csv: String,
    pub svg: String,
    pub png: String,
    pub embed: String,
}

impl Links {
    /// The links of indicator `id` (of the view, if given); `with_json` adds the JSON view's
    /// own address, which the JSON view itself leaves out.
    pub fn new(base: &str, id: &str, view: Option<&ViewParams>, with_json: bool) -> Self {
        Self {
            json: with_json.then(|| Format::Json.url(base, id, view)),
            csv: Format::Csv.url(base, id, view),
            jsonstat: Format::JsonStat.url(base, id, view),
            sdmx_csv: Format::SdmxCsv.url(base, id, view),
            svg: Format::Svg.url(base, id, view),
            png: Format::Png.url(base, id, view),
            embed: Format::Embed.url(base, id, view),
        }
    }
}

/// `GET /api/v1/status`.
#[derive(Serialize)]
pub(crate) struct Status {
    pub data_version: String,
    pub loaded_at: String,
    pub source: String,
    pub indicators: usize,
    pub last_reload_at: Option<String>,
    pub last_reload_error: Option<String>,
    pub watching: Option<bool>,
    pub watch_error: Option<String>,
    pub cache: CacheStats,
}

/// `GET /oembed`: an oEmbed 1.0 rich response.
#[derive(Serialize)]
pub(crate) struct OEmbed {
    pub version: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub provider_name: &'static str,
    pub provider_url: String,
    pub title: String,
    pub html: String,
    pub width: u32,
    pub height: u32,
    pub cache_age: u32,
}

/// Every error: what went wrong, and for an unknown indicator the ids there are.
#[derive(Serialize)]
pub(crate) struct ErrorBody {
    pub error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known: Option<Vec<String>>,
}
