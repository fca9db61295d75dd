//! Repeat requests for a cached view are given the first answer again, whole (replay.rs):
//! byte for byte the same, per encoding and revalidation, never across a data change, and
//! never for errors or for what changes from request to request.

mod common;

use axum::http::StatusCode;
use common::{Reply, get, get_with};
use indikator_server::{AppState, DataSource, app};

async fn replayed(app: &axum::Router) -> u64 {
    get(app, "/api/v1/status").await.json()["cache"]["replayed"]
        .as_u64()
        .expect("a count")
}

fn same(first: &Reply, again: &Reply, what: &str) {
    assert_eq!(first.status, again.status, "{what}");
    assert_eq!(first.headers, again.headers, "{what}");
    assert_eq!(first.body, again.body, "{what}");
}

#[tokio::test]
async fn a_repeat_is_the_first_answer_again_in_each_encoding_and_revalidation() {
    let (app, _) = common::router();
    let views = [
        "/?indicator=innovation-procurements&country=NO~SE",
        "/embed/ted-contract-notices?lang=sv",
        "/charts/innovation-procurements.svg?country=NO~SE",
        "/charts/ted-contract-notices.png?width=640&height=400",
        "/api/v1/indicators/innovation-procurements",
        "/api/v1/indicators/innovation-procurements.csv?dialect=excel-nordic",
        "/oembed?url=%2Fembed%2Finnovation-procurements",
    ];
    let encodings: [&[(&str, &str)]; 2] = [&[], &[("accept-encoding", "gzip, deflate, br")]];
    for uri in views {
        for headers in encodings {
            let before = replayed(&app).await;
            let first = get_with(&app, uri, headers).await;
            assert_eq!(first.status, StatusCode::OK, "{uri}: {}", first.text());
            let again = get_with(&app, uri, headers).await;
            same(&first, &again, uri);
            assert_eq!(replayed(&app).await, before + 1, "{uri} {headers:?}");

            // Revalidation: a 304 for the tag held, given again as well; another tag is a 200.
            let tag = first.header("etag").to_owned();
            let held = [headers, &[("if-none-match", tag.as_str())]].concat();
            let not_modified = get_with(&app, uri, &held).await;
            assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED, "{uri}");
            assert_eq!(not_modified.header("etag"), tag, "{uri}");
            same(&not_modified, &get_with(&app, uri, &held).await, uri);
            let other = [headers, &[("if-none-match", "\"other\"")]].concat();
            same(&first, &get_with(&app, uri, &other).await, uri);
        }
        // The two encodings are two answers, each under its own tag.
        let plain = get(&app, uri).await;
        let packed = get_with(&app, uri, encodings[1]).await;
        if !uri.contains(".png") {
            assert_eq!(packed.header("content-encoding"), "gzip", "{uri}");
            assert_ne!(plain.header("etag"), packed.header("etag"), "{uri}");
        }
        assert_eq!(plain.header("content-encoding"), "", "{uri}");
    }
}

#[tokio::test]
async fn errors_and_the_status_are_never_replayed() {
    let (app, _) = common::router();
    let before = replayed(&app).await;
    for _ in 0..3 {
        let bad = get(&app, "/charts/innovation-procurements.svg?width=10").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let missing = get(&app, "/charts/nope.svg").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let _ = get(&app, "/healthz").await;
    }
    // Each status read shows the count of its own moment: it moved only by what was replayed.
    assert_eq!(replayed(&app).await, before);
    assert_eq!(replayed(&app).await, before);
}

#[tokio::test]
async fn a_reload_ends_every_replay() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for entry in std::fs::read_dir(data)? {
        let path = entry?.path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, dir.path().join(name))?;
        }
    }
    let state = AppState::load(DataSource::Dir(dir.path().to_owned()), None)?;
    let app = app(state.clone());
    let uri = "/api/v1/indicators/innovation-procurements.csv?country=NO";
    let first = get(&app, uri).await;
    same(&first, &get(&app, uri).await, "before");
    assert!(first.text().contains(",180,"), "{}", first.text());

    let csv = dir.path().join("innovation-procurements.csv");
    let text = std::fs::read_to_string(&csv)?;
    assert!(text.contains(",180,"));
    std::fs::write(&csv, text.replacen(",180,", ",181,", 1))?;
    state.reload()?;

    let after = get(&app, uri).await;
    assert!(after.text().contains(",181,"), "{}", after.text());
    assert_ne!(first.header("etag"), after.header("etag"));
    same(&after, &get(&app, uri).await, "after");
    Ok(())
}
