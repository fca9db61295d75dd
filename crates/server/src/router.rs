//! The one route table, with middleware applied in one place.

use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::header::{CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
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
    // Public data: any site may read the API and the chart images.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers(Any);
    let api = Router::new()
        .route("/indicators", get(api::indicators))
        .route("/indicators/{file}", get(api::indicator))
        .route("/status", get(api::status))
        .layer(cors.clone());
    let charts = Router::new()
        .route("/{file}", get(charts::chart))
        .layer(cors);
    Router::new()
        .route("/", get(pages::index))
        .route("/embed/{id}", get(pages::embed))
        .route("/oembed", get(oembed::oembed))
        .route("/healthz", get(healthz))
        .route("/static/{file}", get(assets::asset))
        .nest("/api/v1", api)
        .nest("/charts", charts)
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
