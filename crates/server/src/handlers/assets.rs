//! `/static/{file}`: the dashboard's files, compiled in from `dashboard/`. Only those files
//! exist here: no path reaches the file system.

use axum::extract::Path;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use include_dir::{Dir, include_dir};

use crate::error::AppError;

static DASHBOARD: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../dashboard");

/// A dashboard file by name; `None` for anything else.
pub(crate) fn file(name: &str) -> Option<&'static [u8]> {
    if name.contains('/') || name.contains('\\') || name.starts_with('.') {
        return None;
    }
    DASHBOARD.get_file(name).map(|f| f.contents())
}

pub(crate) async fn asset(Path(name): Path<String>) -> Result<Response, AppError> {
    let Some(bytes) = file(&name) else {
        return Err(AppError::NotFound(format!("no static file `{name}`")));
    };
    let content_type = match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("html") => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    };
    let mut response = bytes.into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response.headers_mut().insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    Ok(response)
}
