//! The view's query string, shared by every route: one view is one query string.
//!
//! `countries=NO,SE` (or Our World in Data's `country=NO~SE`), `from`, `to` (a year or
//! `latest`; or `time=2010..latest`), `mode`, `kind`, `scale`, `lang`, `theme`, `width`,
//! `height`, `foot`, `density`; `dialect` for CSV; `indicator` and `tab` for the page. Unknown parameters are
//! ignored, so links that pick up tracking parameters still work; a known parameter with a value
//! that is not allowed is a 400 that names it.

use indikator_charts::{Foot, Kind, Scale, Style, Theme};
use indikator_ingest::Lang;
use indikator_query::{Dialect, Mode, View, YearBound, parse_countries};

use crate::error::AppError;

/// The most countries one view may compare: every country of the TED series (33), with room.
pub const MAX_COUNTRIES: usize = 40;
/// The most pixels one chart may have (width × height).
pub const MAX_PIXELS: u64 = 4_000_000;
/// The longest query string accepted, in bytes.
pub const MAX_QUERY: usize = 2048;
/// The page's tabs.
pub const TABS: [&str; 5] = ["chart", "table", "sources", "download", "embed"];

/// A parsed view query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewParams {
    /// Countries; empty means every country with data.
    pub countries: Vec<String>,
    /// First year.
    pub from: Option<i32>,
    /// Last year or latest.
    pub to: YearBound,
    /// How values are shown.
    pub mode: Mode,
    /// How the chart looks.
    pub style: Style,
    /// The CSV dialect.
    pub dialect: Dialect,
    /// The page's indicator.
    pub indicator: Option<String>,
    /// The page's tab.
    pub tab: Option<String>,
    /// Whether `theme` was given: the page follows the system's colour scheme until it is.
    pub theme_chosen: bool,
}

fn bad(name: &'static str, message: impl Into<String>) -> AppError {
    AppError::BadParam {
        name,
        message: message.into(),
    }
}

fn year(name: &'static str, text: &str) -> Result<i32, AppError> {
    match text.parse::<YearBound>() {
        Ok(YearBound::Year(year)) => Ok(year),
        _ => Err(bad(
            name,
            format!("`{text}` is not a year; write a year such as 2016"),
        )),
    }
}

/// A parameter whose value is one of a few names.
trait Choice: Sized + Copy + 'static {
    /// Every value, the default first.
    const ALL: &'static [Self];
    /// The value's name in URLs.
    fn name(self) -> &'static str;
}

macro_rules! choices {
    ($($type:ty: $all:expr, $name:expr;)+) => {$(
        impl Choice for $type {
            const ALL: &'static [Self] = $all;
            fn name(self) -> &'static str {
                $name(self)
            }
        }
    )+};
}

choices! {
    Kind: Kind::ALL, Kind::as_str;
    Scale: Scale::ALL, Scale::as_str;
    Foot: Foot::ALL, Foot::as_str;
    Theme: Theme::ALL, Theme::as_str;
    Lang: &Lang::ALL, Lang::code;
    Dialect: &[Dialect::Standard, Dialect::ExcelNordic], |d| match d {
        Dialect::Standard => "standard",
        Dialect::ExcelNordic => "excel-nordic",
    };
}

fn choice<T: Choice>(name: &'static str, text: &str) -> Result<T, AppError> {
    T::ALL
        .iter()
        .copied()
        .find(|c| c.name() == text)
        .ok_or_else(|| AppError::NotAllowed {
            name,
            value: text.to_owned(),
            allowed: T::ALL.iter().map(|c| c.name()).collect(),
        })
}

fn size(name: &'static str, text: &str) -> Result<u32, AppError> {
    text.parse()
        .map_err(|_| bad(name, format!("`{text}` is not a whole number of pixels")))
}

/// The view from the request's query string: a 400 that names the parameter if a value is
/// not allowed.
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ViewParams {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, AppError> {
        ViewParams::parse(parts.uri.query())
    }
}

impl ViewParams {
    /// Parses a query string (without the `?`).
    pub fn parse(query: Option<&str>) -> Result<Self, AppError> {
        // The router refused a query over MAX_QUERY before any handler runs.
        let query = query.unwrap_or_default();
        let mut params = ViewParams::default();
        let mut seen: Vec<String> = Vec::new();
        let mut time_given = false;
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let key = key.into_owned();
            let value = value.trim().to_owned();
            // An empty field is a field left blank in a form: not given.
            if value.is_empty() {
                continue;
            }
            let repeatable = key == "country" || key == "countries";
            if seen.contains(&key) && !repeatable {
                let name = match VIEW_PARAMETERS.iter().find(|k| **k == key) {
                    Some(known) => *known,
                    None => continue,
                };
                return Err(bad(name, "is given twice; give it once"));
            }
            seen.push(key.clone());
            match key.as_str() {
                // Repeatable, as a form's checkboxes send them: `country=NO&country=SE`.
                "countries" | "country" => {
                    let name = if key == "country" {
                        "country"
                    } else {
                        "countries"
                    };
                    for code in parse_countries(&value).map_err(|e| bad(name, e.to_string()))? {
                        if !params.countries.contains(&code) {
                            params.countries.push(code);
                        }
                    }
                    if params.countries.len() > MAX_COUNTRIES {
                        let count = params.countries.len();
                        return Err(bad(
                            name,
                            format!("{count} countries; at most {MAX_COUNTRIES} can be compared"),
                        ));
                    }
                }
                "from" => params.from = Some(year("from", &value)?),
                "to" => {
                    params.to = value.parse().map_err(|_| {
                        bad(
                            "to",
                            format!(
                                "`{value}` is not a year; write a year such as 2022, or latest"
                            ),
                        )
                    })?;
                }
                "time" => {
                    time_given = true;
                    let (from, to) = value.split_once("..").unwrap_or((&value, &value));
                    params.from = match from {
                        "" | "earliest" => None,
                        year_text => Some(year("time", year_text)?),
                    };
                    params.to = match to {
                        "" | "latest" => YearBound::Latest,
                        year_text => YearBound::Year(year("time", year_text)?),
                    };
                }
                "mode" => {
                    params.mode = value
                        .parse()
                        .map_err(|e: indikator_query::QueryError| bad("mode", e.to_string()))?
                }
                "kind" => params.style.kind = choice::<Kind>("kind", &value)?,
                "scale" => params.style.scale = choice::<Scale>("scale", &value)?,
                "foot" => params.style.foot = choice::<Foot>("foot", &value)?,
                "theme" => {
                    params.style.theme = choice::<Theme>("theme", &value)?;
                    params.theme_chosen = true;
                }
                "lang" => params.style.lang = choice::<Lang>("lang", &value)?,
                "width" => params.style.width = size("width", &value)?,
                "density" => {
                    params.style.density = value.parse().map_err(|_| {
                        bad(
                            "density",
                            format!("`{value}` is not 1, 2 or 3 (PNG pixels per pixel)"),
                        )
                    })?;
                }
                "height" => params.style.height = size("height", &value)?,
                "dialect" => params.dialect = choice::<Dialect>("dialect", &value)?,
                "indicator" => params.indicator = Some(value),
                "tab" => {
                    if !TABS.contains(&value.as_str()) {
                        return Err(AppError::NotAllowed {
                            name: "tab",
                            value,
                            allowed: TABS.to_vec(),
                        });
                    }
                    params.tab = Some(value);
                }
                _ => {}
            }
        }
        if time_given && (seen.iter().any(|k| k == "from") || seen.iter().any(|k| k == "to")) {
            return Err(bad("time", "give `time` or `from` and `to`, not both"));
        }
        if let (Some(from), YearBound::Year(to)) = (params.from, params.to)
            && from > to
        {
            return Err(bad(
                "from",
                format!("{from} is after {to}; the first year must not be after the last"),
            ));
        }
        params.style.validate()?;
        let density = u64::from(params.style.density);
        let pixels = u64::from(params.style.width) * u64::from(params.style.height);
        if pixels * density * density > MAX_PIXELS {
            let drawn = pixels * density * density;
            return Err(bad(
                "width",
                if density == 1 {
                    format!("width × height is {pixels} pixels; at most {MAX_PIXELS} are allowed")
                } else {
                    format!(
                        "width × height × density² is {drawn} pixels; at most {MAX_PIXELS} are allowed"
                    )
                },
            ));
        }
        Ok(params)
    }

    /// The view of indicator `id`.
    pub fn view(&self, id: &str) -> View {
        let view = View::new(id)
            .countries(self.countries.clone())
            .to(self.to)
            .mode(self.mode.clone());
        match self.from {
            Some(from) => view.from(from),
            None => view,
        }
    }

    /// The query string of the parts asked for, in one canonical order, leaving out defaults.
    pub fn query(&self, parts: Parts) -> String {
        // Every value here was parsed and checked (codes, years, ids, choice names), and all
        // are URL-safe, so pairs are written as they are: `country=NO~SE`, as people share them.
        let defaults = Style::default();
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if parts.page
            && let Some(indicator) = &self.indicator
        {
            pairs.push(("indicator", indicator.clone()));
        }
        if parts.view {
            if !self.countries.is_empty() {
                pairs.push(("country", self.countries.join("~")));
            }
            if self.from.is_some() || self.to != YearBound::Latest {
                let from = self.from.map_or("earliest".to_owned(), |y| y.to_string());
                pairs.push(("time", format!("{from}..{}", self.to)));
            }
            if self.mode != Mode::Absolute {
                pairs.push(("mode", self.mode.to_string()));
            }
        }
        if parts.style {
            let style = &self.style;
            let candidates = [
                ("kind", style.kind != defaults.kind, style.kind.to_string()),
                (
                    "scale",
                    style.scale != defaults.scale,
                    style.scale.to_string(),
                ),
                ("lang", style.lang != defaults.lang, style.lang.to_string()),
                // Light is the default drawing, but a page or embed with light chosen is not
                // one that follows the reader's system: it keeps `theme=light`.
                (
                    "theme",
                    style.theme != defaults.theme || self.theme_chosen,
                    style.theme.to_string(),
                ),
                (
                    "width",
                    style.width != defaults.width,
                    style.width.to_string(),
                ),
                (
                    "height",
                    style.height != defaults.height,
                    style.height.to_string(),
                ),
                ("foot", style.foot != defaults.foot, style.foot.to_string()),
                (
                    "density",
                    style.density != defaults.density,
                    style.density.to_string(),
                ),
            ];
            pairs.extend(
                candidates
                    .into_iter()
                    .filter(|(_, differs, _)| *differs)
                    .map(|(k, _, v)| (k, v)),
            );
        }
        if parts.lang && !parts.style && self.style.lang != defaults.lang {
            pairs.push(("lang", self.style.lang.to_string()));
        }
        if parts.dialect && self.dialect != Dialect::default() {
            pairs.push(("dialect", self.dialect.name().to_owned()));
        }
        if parts.page
            && let Some(tab) = self.tab.as_ref().filter(|tab| *tab != "chart")
        {
            pairs.push(("tab", tab.clone()));
        }
        let safe = |c: char| c.is_ascii_alphanumeric() || "-~.:_".contains(c);
        pairs
            .into_iter()
            .map(|(key, value)| {
                let value: String = value.chars().filter(|c| safe(*c)).collect();
                format!("{key}={value}")
            })
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Which parameters a query string carries.
#[derive(Debug, Clone, Copy, Default)]
pub struct Parts {
    /// Countries, time and mode.
    pub view: bool,
    /// Kind, scale, language, theme and size.
    pub style: bool,
    /// The CSV dialect.
    pub dialect: bool,
    /// Indicator and tab.
    pub page: bool,
    /// The language alone (country names and notes in exports), where the rest of the style
    /// is left out.
    pub lang: bool,
}

impl Parts {
    /// Everything.
    pub const ALL: Parts = Parts {
        view: true,
        style: true,
        dialect: true,
        page: true,
        lang: true,
    };
    /// What selects data: countries, time, mode.
    pub const DATA: Parts = Parts {
        view: true,
        style: false,
        dialect: false,
        page: false,
        lang: true,
    };
    /// What draws a chart: the data and its look.
    pub const CHART: Parts = Parts {
        view: true,
        style: true,
        dialect: false,
        page: false,
        lang: true,
    };
}

/// Every parameter a view's query string takes.
pub const VIEW_PARAMETERS: [&str; 17] = [
    "countries",
    "country",
    "from",
    "to",
    "time",
    "mode",
    "kind",
    "scale",
    "theme",
    "lang",
    "width",
    "height",
    "foot",
    "density",
    "dialect",
    "indicator",
    "tab",
];

/// The formats a view answers in, and where: the one place that knows the URL layout. A file's
/// format is the suffix of its path (`.svg`, `.csv`, none for JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// The embed page (its path is the id alone).
    Embed,
    Json,
    Csv,
    JsonStat,
    SdmxCsv,
    Svg,
    Png,
    /// The download bundle: data, metadata.json and README in one zip.
    Zip,
}

impl Format {
    /// The data formats under `/api/v1/indicators/`, the longest suffix first, so that
    /// `.sdmx.csv` is not read as `.csv`, and JSON (no suffix) last.
    pub(crate) const DATA: [Format; 5] = [
        Format::SdmxCsv,
        Format::Csv,
        Format::JsonStat,
        Format::Zip,
        Format::Json,
    ];
    /// The image formats under `/charts/`.
    pub(crate) const CHART: [Format; 2] = [Format::Svg, Format::Png];

    /// What follows the indicator id in the path.
    pub(crate) fn suffix(self) -> &'static str {
        match self {
            Format::Embed | Format::Json => "",
            Format::Csv => ".csv",
            Format::JsonStat => ".jsonstat",
            Format::SdmxCsv => ".sdmx.csv",
            Format::Svg => ".svg",
            Format::Png => ".png",
            Format::Zip => ".zip",
        }
    }

    /// The response's content type.
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            Format::Embed => "text/html; charset=utf-8",
            Format::Json | Format::JsonStat => "application/json",
            Format::Csv | Format::SdmxCsv => "text/csv; charset=utf-8",
            Format::Svg => "image/svg+xml",
            Format::Png => "image/png",
            Format::Zip => "application/zip",
        }
    }
}

impl Format {
    /// The URL of indicator `id` in this format under `base` (empty for a relative link), with
    /// the view's query if given: what selects data for data formats, and also the chart's
    /// look for images and the embed.
    pub(crate) fn url(self, base: &str, id: &str, view: Option<&ViewParams>) -> String {
        let data = |format: Format| format!("{base}/api/v1/indicators/{id}{}", format.suffix());
        let chart = |format: Format| format!("{base}/charts/{id}{}", format.suffix());
        let path = match self {
            Format::Json | Format::Csv | Format::JsonStat | Format::SdmxCsv | Format::Zip => {
                data(self)
            }
            Format::Svg | Format::Png => chart(self),
            Format::Embed => format!("{base}/embed/{id}"),
        };
        let parts = match self {
            Format::Svg | Format::Png | Format::Embed => Parts::CHART,
            _ => Parts::DATA,
        };
        match view {
            Some(view) => with_query(&path, &view.query(parts)),
            None => path,
        }
    }
}

/// `?query`, or nothing for an empty query.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<ViewParams, String> {
        ViewParams::parse(Some(query)).map_err(|e| e.to_string())
    }

    #[test]
    fn both_country_forms_and_time_ranges() -> Result<(), String> {
        let a = parse("countries=NO,SE&from=2010&to=latest")?;
        let b = parse("country=no~se&time=2010..latest")?;
        assert_eq!(a, b);
        assert_eq!(a.query(Parts::ALL), "country=NO~SE&time=2010..latest");
        assert_eq!(parse("time=earliest..2020")?.to, YearBound::Year(2020));
        assert_eq!(parse("time=2016")?.from, Some(2016));
        let form = parse("indicator=&country=NO&country=SE&from=&to=latest&mode=absolute")?;
        assert_eq!(form.countries, ["NO", "SE"]);
        assert_eq!(
            (form.from, form.indicator),
            (None, None),
            "blank form fields are not given"
        );
        Ok(())
    }

    #[test]
    fn canonical_form_leaves_out_defaults_and_ignores_unknowns() -> Result<(), String> {
        let params = parse("utm_source=x&lang=sv&width=800&mode=index&theme=dark&fbclid=1")?;
        assert_eq!(params.query(Parts::ALL), "mode=index&lang=sv&theme=dark");
        // Data keeps the language: country names and notes in exports follow it.
        assert_eq!(params.query(Parts::DATA), "mode=index&lang=sv");
        Ok(())
    }

    #[test]
    fn a_light_theme_chosen_is_kept_apart_from_the_system_theme() -> Result<(), String> {
        // Both draw light, but the page with light chosen stays light on a dark system: its
        // share link, canonical link and cache key keep the choice (once, they were the
        // system's, and the one rendered first was served for both).
        assert_eq!(parse("theme=light")?.query(Parts::ALL), "theme=light");
        assert_eq!(parse("theme=&lang=sv")?.query(Parts::ALL), "lang=sv");
        assert_eq!(parse("lang=sv")?.query(Parts::ALL), "lang=sv");
        Ok(())
    }

    #[test]
    fn bad_values_name_the_parameter() {
        let cases = [
            (
                "width=100",
                "parameter `width`: width 100 is outside 200–4000; choose a width in that range",
            ),
            (
                "width=wide",
                "parameter `width`: `wide` is not a whole number of pixels",
            ),
            (
                "width=4000&height=3000",
                "parameter `width`: width × height is 12000000 pixels; at most 4000000 are allowed",
            ),
            (
                "kind=pie",
                "parameter `kind`: `pie` is not allowed; use line or bar",
            ),
            (
                "lang=de",
                "parameter `lang`: `de` is not allowed; use en, sv or nb",
            ),
            (
                "from=2020&to=2010",
                "parameter `from`: 2020 is after 2010; the first year must not be after the last",
            ),
            (
                "to=soon",
                "parameter `to`: `soon` is not a year; write a year such as 2022, or latest",
            ),
            (
                "time=2010..&from=2011",
                "parameter `time`: give `time` or `from` and `to`, not both",
            ),
            (
                "lang=sv&lang=nb",
                "parameter `lang`: is given twice; give it once",
            ),
            (
                "countries=NO,XX",
                "parameter `countries`: unknown country `XX`; use ISO 3166-1 alpha-2 codes such as NO or SE, separated by commas",
            ),
            (
                "tab=graph",
                "parameter `tab`: `graph` is not allowed; use chart, table, sources, download or embed",
            ),
            (
                "mode=ratio",
                "parameter `mode`: unknown mode `ratio`; use absolute, index, or share:<denominator-id> such as share:advertised-procurements",
            ),
        ];
        for (query, expected) in cases {
            assert_eq!(parse(query).err().as_deref(), Some(expected), "{query}");
        }
    }

    #[test]
    fn limits() {
        let many: Vec<&str> = [
            "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
            "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "NO",
            "IS", "LI", "CH", "GB", "MK", "US", "CA", "AU", "NZ", "JP", "KR", "BR", "MX",
        ]
        .to_vec();
        assert_eq!(many.len(), MAX_COUNTRIES + 1);
        let err = parse(&format!("countries={}", many.join(","))).err();
        assert_eq!(
            err.as_deref(),
            Some("parameter `countries`: 41 countries; at most 40 can be compared")
        );
    }
}
