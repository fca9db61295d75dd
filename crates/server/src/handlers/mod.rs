//! One module per resource, and what they share: running work off the async runtime, ETags
//! and 304s, absolute links.

pub(crate) mod api;
pub(crate) mod assets;
pub(crate) mod charts;
pub(crate) mod oembed;
pub(crate) mod pages;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::request::Parts as RequestParts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use indikator_charts::{ChartSpec, Series, chart_for};

use crate::error::AppError;
use crate::params::{Parts, ViewParams};
use crate::state::{AppState, Loaded};

/// How long clients and caches may keep a view.
pub(crate) const CACHE_CONTROL_VIEWS: &str = "public, max-age=300";

/// Answers with the response kept under `etag`, or renders it with `work` on the render pool
/// (off the async runtime, at most one render per core) and keeps it. Identical concurrent
/// misses render once.
pub(crate) async fn respond(
    state: &AppState,
    etag: &str,
    content_type: &'static str,
    work: impl FnOnce() -> Result<Vec<u8>, AppError> + Send + 'static,
) -> Result<Response, AppError> {
    // The key names the route and format, so one key always has this content type.
    let body = state
        .responses()
        .get_or_render(etag, move || Ok(Bytes::from(work()?)))
        .await?;
    Ok(cached(etag, content_type, body))
}

/// A strong ETag for `what` (route and normalised view) in this data version.
pub(crate) fn etag(loaded: &Loaded, what: &str) -> String {
    use std::fmt::Write as _;
    let digest = Sha256::digest(what.as_bytes());
    let mut tag = String::with_capacity(36);
    let _ = write!(tag, "\"{}-", loaded.data.version());
    for byte in &digest[..8] {
        let _ = write!(tag, "{byte:02x}");
    }
    tag.push('"');
    tag
}

/// A 304 if the client already has `etag`. If-None-Match compares weakly (RFC 9110
/// §13.1.2), so `W/"…"` matches the same tag.
pub(crate) fn not_modified(headers: &HeaderMap, etag: &str) -> Option<Response> {
    revalidated(headers.get(IF_NONE_MATCH), etag)
}

/// A 304 if `if_none_match` names `etag`.
fn revalidated(if_none_match: Option<&HeaderValue>, etag: &str) -> Option<Response> {
    let wanted = if_none_match?.to_str().ok()?;
    let matches = wanted.trim() == "*"
        || wanted.split(',').any(|tag| {
            let tag = tag.trim();
            tag.strip_prefix("W/").unwrap_or(tag) == etag
        });
    matches.then(|| {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        set_cache_headers(response.headers_mut(), etag);
        response
    })
}

fn set_cache_headers(headers: &mut HeaderMap, etag: &str) {
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(ETAG, value);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL_VIEWS));
}

/// A cacheable 200: the body with its type, ETag and Cache-Control.
pub(crate) fn cached(etag: &str, content_type: &'static str, body: impl IntoResponse) -> Response {
    let mut response = body.into_response();
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
    extensions: &[&'static str],
) -> Result<(String, &'static str), AppError> {
    for ext in extensions {
        if let Some(id) = file.strip_suffix(ext) {
            return known(loaded, id).map(|id| (id, *ext));
        }
    }
    Err(AppError::NotFound(format!(
        "no such file `{file}`; ask for <indicator>{}",
        extensions.join(" or <indicator>")
    )))
}

/// `id` if the data has it, else a 404 listing the ids it has.
pub(crate) fn known(loaded: &Loaded, id: &str) -> Result<String, AppError> {
    match loaded.data.indicator(id) {
        Some(_) => Ok(id.to_owned()),
        None => Err(AppError::UnknownIndicator {
            id: id.to_owned(),
            known: loaded
                .data
                .indicators()
                .map(|i| i.meta.id.clone())
                .collect(),
        }),
    }
}

/// What a view request carries: the indicator (or file) in the path, the query string and the
/// If-None-Match header (the only header a view reads).
pub(crate) struct ViewArgs {
    pub file: String,
    pub query: Option<String>,
    pub if_none_match: Option<HeaderValue>,
}

impl<S: Send + Sync> FromRequestParts<S> for ViewArgs {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut RequestParts, state: &S) -> Result<Self, Response> {
        let Path(file) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Self {
            file,
            query: parts.uri.query().map(str::to_owned),
            if_none_match: parts.headers.get(IF_NONE_MATCH).cloned(),
        })
    }
}

/// A request for one indicator's view, checked and ready to answer.
pub(crate) struct ViewRequest {
    pub params: ViewParams,
    pub loaded: Arc<Loaded>,
    pub id: String,
    pub ext: &'static str,
    pub etag: String,
}

/// How a view request begins: a 304, or the work to do.
pub(crate) enum Begin {
    NotModified(Response),
    Fresh(ViewRequest),
}

/// Parses the view, takes the data now served, finds the indicator in `file` (by one of
/// `extensions`), and answers 304 if the client has this `route`'s view already. `parts` are
/// the parameters that change the response.
pub(crate) fn begin(
    state: &AppState,
    args: &ViewArgs,
    extensions: &[&'static str],
    route: &str,
    parts: Parts,
) -> Result<Begin, AppError> {
    let params = ViewParams::parse(args.query.as_deref())?;
    let loaded = state.current();
    let (id, ext) = split_file(&loaded, &args.file, extensions)?;
    let tag = etag(
        &loaded,
        &format!("{route}:{}?{}", args.file, params.query(parts)),
    );
    if let Some(response) = revalidated(args.if_none_match.as_ref(), &tag) {
        return Ok(Begin::NotModified(response));
    }
    Ok(Begin::Fresh(ViewRequest {
        params,
        loaded,
        id,
        ext,
        etag: tag,
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
