//! `/oembed`: oEmbed 1.0, so a CMS turns a pasted view link into the embedded chart.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::{accepts_gzip, base_url, etag, known, not_modified, respond};
use crate::error::AppError;
use crate::html::{LINKS_HEIGHT, iframe_snippet};
use crate::params::ViewParams;
use crate::state::AppState;
use crate::views::OEmbed;

/// Every parameter `/oembed` takes (oEmbed 1.0): the others are ignored.
pub const OEMBED_PARAMETERS: [&str; 4] = ["url", "maxwidth", "maxheight", "format"];

pub(crate) async fn oembed(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let query = query.unwrap_or_default();
    let mut url = None;
    let (mut max_width, mut max_height) = (None, None);
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let number = |name: &'static str| {
            value.parse::<u32>().map_err(|_| AppError::BadParam {
                name,
                message: format!("`{value}` is not a whole number of pixels"),
            })
        };
        match key.as_ref() {
            // The names in OEMBED_PARAMETERS.
            "url" => url = Some(value.to_string()),
            "maxwidth" => max_width = Some(number("maxwidth")?),
            "maxheight" => max_height = Some(number("maxheight")?),
            // A blank format is not given: JSON, the default.
            "format" if value != "json" && !value.trim().is_empty() => {
                return Err(AppError::NotImplemented(format!(
                    "format `{value}` is not offered; use format=json"
                )));
            }
            _ => {}
        }
    }
    let url = url.ok_or_else(|| AppError::BadParam {
        name: "url",
        message: "is required: the address of an indikator view".into(),
    })?;
    let (path, view_query) = path_and_query(&url);
    let mut params = ViewParams::parse(Some(view_query))?;
    let id = match path.trim_end_matches('/') {
        "" => params.indicator.clone(),
        other => other
            .strip_prefix("/embed/")
            .or_else(|| {
                other
                    .strip_prefix("/charts/")
                    .map(|f| f.trim_end_matches(".svg").trim_end_matches(".png"))
            })
            .map(str::to_owned),
    };
    let loaded = state.current();
    let Some(id) = id else {
        return Err(AppError::NotFound(format!(
            "`{url}` is not an indikator view; paste the link of one chart"
        )));
    };
    let id = known(&loaded, &id)?;
    if let Some(max) = max_width {
        params.style.width = params
            .style
            .width
            .min(max)
            .max(indikator_charts::WIDTHS.start().to_owned());
    }
    let chart_height = match max_height {
        Some(max) => params
            .style
            .height
            .min(max.saturating_sub(LINKS_HEIGHT))
            .max(*indikator_charts::HEIGHTS.start()),
        None => params.style.height,
    };
    params.style.height = chart_height;
    let base = base_url(&state);
    let title = loaded
        .data
        .indicator(&id)
        .map(|i| i.meta.title.get(params.style.lang).to_owned())
        .unwrap_or_default();
    let (width, height) = (params.style.width, chart_height + LINKS_HEIGHT);
    let iframe = iframe_snippet(&base, &id, &params, &title);
    let body = OEmbed {
        version: "1.0",
        kind: "rich",
        provider_name: "indikator",
        provider_url: base,
        title,
        html: iframe,
        width,
        height,
        cache_age: 300,
    };
    let tag = etag(&loaded, &format!("oembed:{query}"));
    if let Some(response) = not_modified(&headers, &tag) {
        return Ok(response);
    }
    // Kept like every view: rendered once, gzipped once, replayed whole.
    respond(
        &state,
        &tag,
        "application/json",
        accepts_gzip(&headers),
        move || Ok(serde_json::to_vec(&body)?),
    )
    .await
}

/// The path and query of a URL. Only these matter: the origin is whatever the link says, and
/// a full URL parser (the `url` crate, with IDNA) would add weight for nothing here.
fn path_and_query(url: &str) -> (&str, &str) {
    let after_origin = match url.find("://") {
        Some(i) => url[i + 3..].find('/').map_or("", |j| &url[i + 3 + j..]),
        None => url,
    };
    let without_fragment = after_origin.split('#').next().unwrap_or_default();
    without_fragment
        .split_once('?')
        .unwrap_or((without_fragment, ""))
}

#[cfg(test)]
mod tests {
    use super::path_and_query;

    #[test]
    fn paths_and_queries() {
        assert_eq!(
            path_and_query("https://x.org/embed/a?country=NO#top"),
            ("/embed/a", "country=NO")
        );
        assert_eq!(
            path_and_query("http://localhost:8080/?indicator=a"),
            ("/", "indicator=a")
        );
        assert_eq!(path_and_query("http://localhost:8080"), ("", ""));
        assert_eq!(path_and_query("/charts/a.svg"), ("/charts/a.svg", ""));
    }
}
