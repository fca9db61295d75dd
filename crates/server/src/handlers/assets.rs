//! `/static/{file}`: the dashboard's files, compiled in from `dashboard/`. Only those files
//! exist here: no path reaches the file system. The stylesheets of the pages that show a
//! chart inline are served with the rules that recolour it for a dark system, and the scripts
//! import `fit.js` by its versioned URL.

use std::fmt::Write as _;
use std::sync::LazyLock;

use axum::extract::{Path, RawQuery};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use include_dir::{Dir, include_dir};

use crate::error::AppError;

static DASHBOARD: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../dashboard");

/// How the scripts import `fit.js` (a test checks that they still do).
const FIT_IMPORT: &str = "from \"./fit.js\";";

/// The files served other than as written: the page's and the embed's stylesheets, each
/// followed by [`dark_chart_rules`], and the scripts, importing `fit.js` by its versioned URL
/// (so a new `fit.js` makes new scripts, with new versions of their own).
static REWRITTEN: LazyLock<Vec<(&'static str, Vec<u8>)>> = LazyLock::new(|| {
    let source = |name| DASHBOARD.get_file(name).map(include_dir::File::contents);
    let rules = dark_chart_rules();
    let fit = format!(
        "from \"./fit.js?v={}\";",
        version(source("fit.js").unwrap_or_default())
    );
    let styles = ["style.css", "embed.css"].into_iter().filter_map(|name| {
        let mut css = source(name)?.to_vec();
        css.extend_from_slice(rules.as_bytes());
        Some((name, css))
    });
    let scripts = ["app.js", "embed.js"].into_iter().filter_map(|name| {
        let js = String::from_utf8_lossy(source(name)?).replace(FIT_IMPORT, &fit);
        Some((name, js.into_bytes()))
    });
    styles.chain(scripts).collect()
});

/// A file's version: the first 12 hex digits of the SHA-256 of `bytes`.
fn version(bytes: &[u8]) -> String {
    indikator_ingest::hex(&<sha2::Sha256 as sha2::Digest>::digest(bytes)[..6])
}

/// Each dashboard file's version: the first 12 hex digits of the SHA-256 of what is served.
/// Pages link their stylesheet and script by [`url`], so a changed file has a new URL: a
/// browser never pairs a new page with an old stylesheet it kept for an hour (after the
/// change to one chart drawing, the old rules would have hidden the page's only chart on a
/// dark system), and a versioned URL can be kept for a year.
static VERSIONS: LazyLock<Vec<(&'static str, String)>> = LazyLock::new(|| {
    DASHBOARD
        .files()
        .filter_map(|f| {
            let name = f.path().to_str()?;
            Some((name, version(file(name)?)))
        })
        .collect()
});

/// The version of the dashboard file `name`, if there is one.
fn version_of(name: &str) -> Option<&'static str> {
    VERSIONS
        .iter()
        .find(|(file, _)| *file == name)
        .map(|(_, version)| version.as_str())
}

/// `/static/NAME?v=VERSION`: the URL pages give a dashboard file.
pub(crate) fn url(name: &str) -> String {
    match version_of(name) {
        Some(version) => format!("/static/{name}?v={version}"),
        None => format!("/static/{name}"),
    }
}

/// A dashboard file by name; `None` for anything else.
pub(crate) fn file(name: &str) -> Option<&'static [u8]> {
    if name.contains('/') || name.contains('\\') || name.starts_with('.') {
        return None;
    }
    if let Some((_, served)) = REWRITTEN.iter().find(|(rewritten, _)| *rewritten == name) {
        return Some(served);
    }
    DASHBOARD.get_file(name).map(|f| f.contents())
}

/// While the page follows the reader's system (no theme chosen), its chart is drawn once,
/// light; when the system is dark, these rules give each light colour (as a fill or a
/// stroke) its dark one. They are written from the charts' palettes, whose dark drawing is
/// the light one recoloured so (a test in indikator-charts holds it), so the two cannot
/// disagree. Sending one drawing, not both, takes a fifth off the page, and a phone redraws
/// the chart at its width once, not twice.
fn dark_chart_rules() -> String {
    let mut css = String::from(
        "\n/* Written by the server from the charts' palettes: a light chart recoloured for a dark system. */\n\
         @media (prefers-color-scheme: dark) {\n",
    );
    for (light, dark) in indikator_charts::dark_for_light() {
        for property in ["fill", "stroke"] {
            let _ = writeln!(
                css,
                "  html:not([data-theme]) .chart-light [{property}=\"{light}\"] {{ {property}: {dark}; }}"
            );
        }
    }
    css.push_str("}\n");
    css
}

pub(crate) async fn asset(
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
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
    // Asked for by its current version, the answer never changes; otherwise an hour.
    let current = query
        .as_deref()
        .and_then(|q| q.strip_prefix("v="))
        .is_some_and(|asked| version_of(&name) == Some(asked));
    response.headers_mut().insert(
        CACHE_CONTROL,
        HeaderValue::from_static(if current {
            "public, max-age=31536000, immutable"
        } else {
            "public, max-age=3600"
        }),
    );
    Ok(response)
}
