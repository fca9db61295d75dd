//! The one route table, with middleware applied in one place.

use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_METHOD, CONTENT_SECURITY_POLICY,
    REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnFailure, TraceLayer};

use crate::error::AppError;
use crate::handlers::{api, assets, charts, oembed, pages};
use crate::params::MAX_QUERY;
use crate::state::AppState;

/// How long one request may take before it is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The whole service: every route, with its middleware, over `state`.
pub fn app(state: AppState) -> Router {
    // Merged, not nested: a nested router rewrites every request's URI on the way in.
    let public = Router::new()
        .route("/api/v1/indicators", get(api::indicators))
        .route("/api/v1/indicators/{file}", get(api::indicator))
        .route("/api/v1/status", get(api::status))
        .route("/charts/{file}", get(charts::chart))
        .layer(middleware::from_fn(cors));
    Router::new()
        .route("/", get(pages::index))
        .route("/embed/{id}", get(pages::embed))
        .route("/oembed", get(oembed::oembed))
        .route("/healthz", get(healthz))
        .route("/static/{file}", get(assets::asset))
        .merge(public)
        .fallback(not_found)
        .layer(middleware::from_fn(limit_query))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        // Outside everything that can answer early (414, 408), so every response has them.
        .layer(middleware::from_fn(security_headers))
        // A 5xx is logged where it happens (internal errors); overload is counted in the
        // status. At ERROR here, a flood of 503s would be a flood of log lines.
        .layer(
            TraceLayer::new_for_http()
                .on_failure(DefaultOnFailure::new().level(tracing::Level::DEBUG)),
        )
        .with_state(state)
}

async fn healthz() -> &'static str {
    "ok"
}

async fn not_found(request: Request) -> AppError {
    AppError::NotFound(format!("no such page `{}`", request.uri().path()))
}

/// Public data: any site may read the API and the chart images, with any request headers.
///
/// Written here rather than with tower-http's `CorsLayer`: axum clones a route's layers for
/// every request, and `CorsLayer`'s service carries its configuration, so it cost 7–11 µs of a
/// cached view's 25–30 µs (bench/README.md). This policy is constant, so its headers are static.
async fn cors(request: Request, next: Next) -> Response {
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = if preflight {
        let mut response = StatusCode::NO_CONTENT.into_response();
        let headers = response.headers_mut();
        headers.insert(
            ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, HEAD"),
        );
        headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("*"));
        headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
        response
    } else {
        next.run(request).await
    };
    response
        .headers_mut()
        .insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

/// Refuses a query string over the limit before any handler reads it.
async fn limit_query(request: Request, next: Next) -> Response {
    let length = request.uri().query().map_or(0, str::len);
    if length > MAX_QUERY {
        return AppError::QueryTooLong(length).into_response();
    }
    next.run(request).await
}

/// nosniff, a referrer policy and a content security policy on every response. Embeds and
/// chart images may be framed by any site; everything else only by this one.
async fn security_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let frameable = path.starts_with("/embed/") || path.starts_with("/charts/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    let policy = if frameable {
        "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors *"
    } else {
        "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
    };
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    response
}
