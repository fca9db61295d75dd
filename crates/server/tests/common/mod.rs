//! What the server's tests share: the router on the shipped data, and requests through it
//! in process (no socket) with the reply read whole.
#![allow(dead_code)] // Each test file uses a part.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use indikator_server::{AppState, DataSource, app};
use tower::ServiceExt;

/// The service on the shipped data, with a public URL, and the data version.
pub fn router() -> (Router, String) {
    let public = Some("http://indikator.test".to_owned());
    let state = AppState::load(DataSource::Embedded, public).expect("the shipped data is valid");
    let version = state.current().data.version().to_owned();
    (app(state), version)
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    /// The headers a client relies on, with the data version masked.
    pub fn key_headers(&self, version: &str) -> String {
        [
            "content-type",
            "cache-control",
            "etag",
            "content-disposition",
            "access-control-allow-origin",
        ]
        .iter()
        .filter(|name| self.headers.contains_key(**name))
        .map(|name| {
            let value = self.header(name).replace(version, "[version]");
            format!(
                "{name}: {}",
                if *name == "etag" {
                    mask_view(&value)
                } else {
                    value
                }
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
    }
}

/// `"[version]-0123456789abcdef"` → `"[version]-[view]"`, after checking the view hash's form.
fn mask_view(etag: &str) -> String {
    let hash = etag
        .trim_matches('"')
        .rsplit('-')
        .next()
        .unwrap_or_default();
    assert!(
        hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{etag}"
    );
    etag.replace(hash, "[view]")
}

pub async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    Reply {
        status,
        headers,
        body,
    }
}

pub async fn get(app: &Router, uri: &str) -> Reply {
    send(
        app,
        Request::get(uri)
            .header("host", "indikator.test")
            .body(Body::empty())
            .expect("a request"),
    )
    .await
}

/// A GET with these headers.
pub async fn get_with(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::get(uri).header("host", "indikator.test");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(app, request.body(Body::empty()).expect("a request")).await
}
