//! The one route table, with middleware applied in one place.

use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_MAX_AGE, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnFailure, TraceLayer};

use crate::error::AppError;
use crate::handlers::{api, assets, charts, oembed, pages};
use crate::params::MAX_QUERY;
use crate::replay::ReplayLayer;
use crate::state::AppState;

/// How long one request may take before it is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The content security policy of every page: scripts, styles and images from here only, and
/// framed only by this site.
const POLICY: &str = "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";
/// The same for embeds and chart images, which any site may frame.
const POLICY_FRAMEABLE: &str = "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors *";

/// Which headers a route's group shares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    /// The page, oEmbed, health and static files: this site's own.
    Page,
    /// The API: any site may read it (CORS).
    Api,
    /// Chart images: any site may read and frame them.
    Chart,
    /// Embeds: any site may frame them.
    Embed,
}

/// The route table: every path the service answers and its handlers, by group.
fn table() -> [(Group, &'static str, MethodRouter<AppState>); 9] {
    // Routes other sites read answer CORS preflight too.
    let public = |route: MethodRouter<AppState>| route.options(preflight);
    [
        (Group::Page, "/", get(pages::index)),
        (Group::Page, "/oembed", get(oembed::oembed)),
        (Group::Page, "/healthz", get(healthz)),
        (Group::Page, "/static/{file}", get(assets::asset)),
        (
            Group::Api,
            "/api/v1/indicators",
            public(get(api::indicators)),
        ),
        (
            Group::Api,
            "/api/v1/indicators/{file}",
            public(get(api::indicator)),
        ),
        (Group::Api, "/api/v1/status", public(get(api::status))),
        (Group::Chart, "/charts/{file}", public(get(charts::chart))),
        (Group::Embed, "/embed/{id}", get(pages::embed)),
    ]
}

/// Every path the service answers, as the router has them (`/charts/{file}`): what the
/// OpenAPI description must cover.
pub fn route_paths() -> Vec<&'static str> {
    table().into_iter().map(|(_, path, _)| path).collect()
}

/// The whole service: every route, with its middleware, over `state`.
///
/// Each group of middleware is one `ServiceBuilder` stack given to `Router::layer` once: every
/// `layer` call wraps every route in one more boxed service, moved on each request, and nine
/// of them were most of a cached view's time in the router (`examples/overhead.rs`). Headers
/// that never change are set with `SetResponseHeaderLayer`.
pub fn app(state: AppState) -> Router {
    let header =
        |name, value| SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value));
    // Public data: any site may read the API and the chart images, with any request headers.
    // Written out rather than with tower-http's `CorsLayer`: axum clones a route's layers for
    // every request, and `CorsLayer`'s service carries its configuration (7–11 µs of a cached
    // view's 25–30 µs; bench/README.md). This policy is constant, so its headers are too.
    let group = |wanted: Group| {
        table()
            .into_iter()
            .filter(|(group, _, _)| *group == wanted)
            .fold(Router::new(), |router, (_, path, handler)| {
                router.route(path, handler)
            })
    };
    let api = group(Group::Api).layer(header(ACCESS_CONTROL_ALLOW_ORIGIN, "*"));
    let charts = group(Group::Chart).layer(
        ServiceBuilder::new()
            .layer(header(ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
            .layer(header(CONTENT_SECURITY_POLICY, POLICY_FRAMEABLE)),
    );
    let embeds = group(Group::Embed).layer(header(CONTENT_SECURITY_POLICY, POLICY_FRAMEABLE));
    let middleware = ServiceBuilder::new()
        // First: a repeat of a cached view is answered before the rest (replay.rs).
        .layer(ReplayLayer(state.clone()))
        // A 5xx is logged where it happens (internal errors); overload is counted in the
        // status. At ERROR here, a flood of 503s would be a flood of log lines.
        .layer(
            TraceLayer::new_for_http()
                .on_failure(DefaultOnFailure::new().level(tracing::Level::DEBUG)),
        )
        // Outside everything that can answer early (414, 408), so every response has them; a
        // route's own policy (frameable) stays.
        .layer(header(X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(REFERRER_POLICY, "strict-origin-when-cross-origin"))
        .layer(SetResponseHeaderLayer::if_not_present(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(POLICY),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(limit_query));
    group(Group::Page)
        .merge(api)
        .merge(charts)
        .merge(embeds)
        .fallback(not_found)
        .layer(middleware)
        .with_state(state)
}

/// A CORS preflight: any site may GET with any headers.
async fn preflight() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, HEAD"),
    );
    headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("*"));
    headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    response
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
