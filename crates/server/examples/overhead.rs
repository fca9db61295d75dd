//! What the router and its middleware cost per request, without sockets: each route called
//! 200 000 times in-process on the embedded data, after one call that fills the response
//! cache. `cargo run --release -p indikator-server --example overhead` (`ONLY=304` for one).
//!
//! This is how the per-route `layer` calls and tower-http's `CorsLayer` were found to cost
//! most of a cached view's time (router.rs says what replaced them).

use std::time::Instant;

use axum::body::Body;
use axum::http::Request;
use indikator_server::{AppState, DataSource, app};
use tower::ServiceExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let router = app(AppState::load(DataSource::Embedded, None)?);
    let svg = "/charts/innovation-procurements.svg?country=NO~SE";
    let first = router
        .clone()
        .oneshot(Request::get(svg).body(Body::empty())?)
        .await?;
    let tag = first.headers()["etag"].to_str()?.to_owned();
    let only = std::env::var("ONLY").ok();
    let routes = [
        ("healthz", "/healthz", None),
        ("304", svg, Some(tag.as_str())),
        ("svg", svg, None),
        (
            "csv",
            "/api/v1/indicators/innovation-procurements.csv?country=NO~SE",
            None,
        ),
        (
            "page",
            "/?indicator=innovation-procurements&country=NO~SE",
            None,
        ),
        ("static", "/static/embed-host.js", None),
    ];
    for (name, uri, if_none_match) in routes {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let rounds = 200_000;
        let started = Instant::now();
        for _ in 0..rounds {
            let mut request = Request::get(uri).header("host", "localhost");
            if let Some(tag) = if_none_match {
                request = request.header("if-none-match", tag);
            }
            let response = router.clone().oneshot(request.body(Body::empty())?).await?;
            std::hint::black_box(response);
        }
        let micros = started.elapsed().as_secs_f64() * 1e6 / f64::from(rounds);
        println!("{name:8} {micros:.2} µs");
    }
    Ok(())
}
