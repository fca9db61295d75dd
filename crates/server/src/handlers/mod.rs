//! One module per resource, and what they share: running work off the async runtime, ETags
//! and 304s, absolute links.

pub(crate) mod api;
pub(crate) mod assets;
pub(crate) mod charts;
pub(crate) mod oembed;
pub(crate) mod pages;

use std::sync::Arc;

use axum::extract::{FromRequestParts, Path};
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY,
};
use axum::http::request::Parts as RequestParts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use indikator_charts::{ChartSpec, Series, chart_for};
use indikator_ingest::{Indicator, hex};

use crate::cache::Rendered;
use crate::error::AppError;
use crate::params::{Format, Parts, ViewParams};
use crate::replay::Replayable;
use crate::state::{AppState, Loaded};

/// How long clients and caches may keep a view.
pub(crate) const CACHE_CONTROL_VIEWS: &str = "public, max-age=300";

/// Answers with the response kept under `etag`, or renders it with `work` on the render pool
/// (off the async runtime, at most one render per core) and keeps it. Identical concurrent
/// misses render once. Every type but PNG is kept gzipped too, and a client that accepts gzip
/// gets that, under its own ETag.
pub(crate) async fn respond(
    state: &AppState,
    etag: &str,
    content_type: &'static str,
    gzip: bool,
    work: impl FnOnce() -> Result<Vec<u8>, AppError> + Send + 'static,
) -> Result<Response, AppError> {
    let compress = compressible(content_type);
    // The key names the route and format, so one key always has this content type.
    let rendered = state
        .responses()
        .get_or_render(etag, move || Ok(Rendered::new(work()?, compress)))
        .await?;
    let mut response = match rendered.gzip.filter(|_| gzip) {
        Some(body) => {
            let mut response = cached(&gzip_tag(etag), content_type, body);
            response
                .headers_mut()
                .insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            response
        }
        None => cached(etag, content_type, rendered.identity),
    };
    if compress {
        response
            .headers_mut()
            .insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    Ok(response)
}

/// Whether a response of this type is kept gzipped as well: all but PNG images and zip
/// bundles, which are compressed already.
fn compressible(content_type: &str) -> bool {
    !content_type.starts_with("image/png") && content_type != "application/zip"
}

/// The ETag of a view's gzip encoding: another representation, so another strong tag.
fn gzip_tag(etag: &str) -> String {
    format!("{}-gz\"", etag.trim_end_matches('"'))
}

/// Whether the request's `Accept-Encoding` takes gzip (by name or `*`, with a q above 0).
pub(crate) fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// A strong ETag for `what` (route and normalised view) in this data version.
pub(crate) fn etag(loaded: &Loaded, what: &str) -> String {
    let digest = Sha256::digest(what.as_bytes());
    format!("\"{}-{}\"", loaded.data.version(), hex(&digest[..8]))
}

/// A 304 if the client already has `etag`, in either encoding. If-None-Match compares weakly
/// (RFC 9110 §13.1.2), so `W/"…"` matches the same tag.
pub(crate) fn not_modified(headers: &HeaderMap, etag: &str) -> Option<Response> {
    revalidated(headers.get(IF_NONE_MATCH), etag)
}

/// A 304 if `if_none_match` names `etag` or its gzip encoding's tag; it carries the tag
/// named, which is the representation the client has.
fn revalidated(if_none_match: Option<&HeaderValue>, etag: &str) -> Option<Response> {
    let wanted = if_none_match?.to_str().ok()?;
    let gzipped = gzip_tag(etag);
    let held = if wanted.trim() == "*" {
        Some(etag)
    } else {
        wanted.split(',').find_map(|tag| {
            let tag = tag.trim();
            let tag = tag.strip_prefix("W/").unwrap_or(tag);
            if tag == etag {
                Some(etag)
            } else if tag == gzipped {
                Some(gzipped.as_str())
            } else {
                None
            }
        })
    }?;
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    set_cache_headers(response.headers_mut(), held);
    response.extensions_mut().insert(Replayable);
    Some(response)
}

fn set_cache_headers(headers: &mut HeaderMap, etag: &str) {
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(ETAG, value);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL_VIEWS));
}

/// A cacheable 200: the body with its type, ETag and Cache-Control, which an identical request
/// may be given again as it is (`replay.rs`).
pub(crate) fn cached(etag: &str, content_type: &'static str, body: impl IntoResponse) -> Response {
    let mut response = body.into_response();
    response.extensions_mut().insert(Replayable);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    set_cache_headers(headers, etag);
    response
}

/// The origin for absolute links: the configured public URL, or `http://localhost`.
///
/// Never the request's Host: every view is cached and sent as `public` under one ETag, so a
/// link taken from one request's Host would be served to every other client.
pub(crate) fn base_url(state: &AppState) -> String {
    state
        .public_url()
        .map_or_else(|| "http://localhost".to_owned(), str::to_owned)
}

/// The indicator id in `file` (`innovation-procurements.csv`) and its extension, where the
/// id is one the data has.
pub(crate) fn split_file(
    loaded: &Loaded,
    file: &str,
    formats: &[Format],
) -> Result<(String, Format), AppError> {
    for format in formats {
        if let Some(id) = file.strip_suffix(format.suffix()) {
            return known(loaded, id).map(|id| (id, *format));
        }
    }
    let names: Vec<&str> = formats.iter().map(|f| f.suffix()).collect();
    Err(AppError::NotFound(format!(
        "no such file `{file}`; ask for <indicator>{}",
        names.join(" or <indicator>")
    )))
}

/// The indicator `id`, else a 404 listing the ids there are.
pub(crate) fn indicator<'a>(loaded: &'a Loaded, id: &str) -> Result<&'a Indicator, AppError> {
    loaded
        .data
        .indicator(id)
        .ok_or_else(|| AppError::UnknownIndicator {
            id: id.to_owned(),
            known: loaded
                .data
                .indicators()
                .map(|i| i.meta.id.clone())
                .collect(),
        })
}

/// `id` if the data has it, else a 404 listing the ids it has.
pub(crate) fn known(loaded: &Loaded, id: &str) -> Result<String, AppError> {
    indicator(loaded, id).map(|i| i.meta.id.clone())
}

/// What a view request carries: the indicator (or file) in the path, the query string, and
/// the two headers a view reads (If-None-Match, Accept-Encoding).
pub(crate) struct ViewArgs {
    pub file: String,
    pub params: ViewParams,
    pub if_none_match: Option<HeaderValue>,
    /// Whether the client takes gzip.
    pub gzip: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for ViewArgs {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut RequestParts, state: &S) -> Result<Self, Response> {
        let Path(file) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let params = ViewParams::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Self {
            file,
            params,
            if_none_match: parts.headers.get(IF_NONE_MATCH).cloned(),
            gzip: accepts_gzip(&parts.headers),
        })
    }
}

/// A request for one indicator's view, checked and ready to answer.
pub(crate) struct ViewRequest {
    pub params: ViewParams,
    pub loaded: Arc<Loaded>,
    pub id: String,
    pub format: Format,
    pub etag: String,
    /// Whether the client takes gzip.
    pub gzip: bool,
}

/// How a view request begins: a 304, or the work to do.
pub(crate) enum Begin {
    NotModified(Response),
    Fresh(ViewRequest),
}

/// Takes the data now served, finds the indicator in `file` (in one of `formats`), and answers
/// 304 if the client has this `route`'s view already. `parts` are the parameters that change
/// the response.
pub(crate) fn begin(
    state: &AppState,
    args: ViewArgs,
    formats: &[Format],
    route: &str,
    parts: Parts,
) -> Result<Begin, AppError> {
    let loaded = state.current();
    let (id, format) = split_file(&loaded, &args.file, formats)?;
    let tag = etag(
        &loaded,
        &format!("{route}:{}?{}", args.file, args.params.query(parts)),
    );
    if let Some(response) = revalidated(args.if_none_match.as_ref(), &tag) {
        return Ok(Begin::NotModified(response));
    }
    Ok(Begin::Fresh(ViewRequest {
        params: args.params,
        loaded,
        id,
        format,
        etag: tag,
        gzip: args.gzip,
    }))
}

/// The chart of indicator `id` in the view.
pub(crate) fn chart(
    loaded: &Loaded,
    params: &ViewParams,
    id: &str,
) -> Result<(Vec<Series>, ChartSpec), AppError> {
    let view = params.view(id).or_default_countries(&loaded.data);
    let selection = view.select(&loaded.data)?;
    Ok(chart_for(&selection, &view, params.style))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(
            ACCEPT_ENCODING,
            HeaderValue::from_str(value).expect("a value"),
        );
        accepts_gzip(&headers)
    }

    #[test]
    fn gzip_is_taken_when_named_or_starred_and_not_refused() {
        for yes in [
            "gzip",
            "gzip, deflate, br, zstd",
            "br;q=1.0, GZIP;q=0.5",
            "*",
        ] {
            assert!(accept(yes), "{yes}");
        }
        for no in [
            "",
            "identity",
            "br",
            "gzip;q=0",
            "gzip; q=0.0, br",
            "x-gzip",
        ] {
            assert!(!accept(no), "{no}");
        }
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn the_gzip_tag_is_its_own_strong_tag_and_revalidates() {
        let tag = "\"abc-123\"";
        assert_eq!(gzip_tag(tag), "\"abc-123-gz\"");
        let held = |header: &str| {
            let value = HeaderValue::from_str(header).expect("a value");
            revalidated(Some(&value), tag).map(|r| r.headers()[ETAG].clone())
        };
        assert_eq!(
            held("\"abc-123-gz\"").as_ref().map(|v| v.as_bytes()),
            Some(&b"\"abc-123-gz\""[..])
        );
        assert_eq!(
            held("W/\"abc-123\"").as_ref().map(|v| v.as_bytes()),
            Some(&b"\"abc-123\""[..])
        );
        assert!(held("\"abc-124-gz\"").is_none());
    }
}
