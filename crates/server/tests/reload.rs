//! Hot reload under a running service: a broken file keeps the last good data served and
//! the status says why; a fixed file is served.

use std::path::Path;
use std::time::{Duration, Instant};

mod common;

use common::get;
use indikator_server::{AppState, DataSource, app, watch};

async fn get_json(router: &axum::Router, uri: &str) -> serde_json::Value {
    let reply = get(router, uri).await;
    assert!(reply.status.is_success(), "{uri}: {}", reply.status);
    reply.json()
}

/// Sweden's 2022 value as served.
async fn sweden_2022(router: &axum::Router) -> serde_json::Value {
    let view = get_json(
        router,
        "/api/v1/indicators/innovation-procurements?country=SE",
    )
    .await;
    view["observations"][0]["value"].clone()
}

/// Waits (up to 20 s) until `done` holds.
async fn eventually<F, Fut>(what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !done().await {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn copy_data(to: &Path) -> std::io::Result<()> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for entry in std::fs::read_dir(data)? {
        let path = entry?.path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, to.join(name))?;
        }
    }
    Ok(())
}

#[tokio::test]
async fn broken_files_keep_the_last_good_data_and_fixed_files_are_served()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    copy_data(dir.path())?;
    let state = AppState::load(DataSource::Dir(dir.path().to_owned()), None)?;
    let _watcher = watch(state.clone())?;
    let router = app(state.clone());
    assert_eq!(sweden_2022(&router).await, serde_json::json!(793.0));
    let first_version = get_json(&router, "/api/v1/status").await["data_version"].clone();

    let csv = dir.path().join("innovation-procurements.csv");
    let good = std::fs::read_to_string(&csv)?;
    std::fs::write(&csv, good.replace("SE,2022,793,ud", "SE,2022,seven,ud"))?;
    eventually("the failed reload to show in the status", || async {
        get_json(&router, "/api/v1/status").await["last_reload_error"].is_string()
    })
    .await;
    let status = get_json(&router, "/api/v1/status").await;
    let error = status["last_reload_error"].as_str().unwrap_or_default();
    assert!(
        error.contains("innovation-procurements.csv:4:9: value `seven` is not a number"),
        "{error}"
    );
    assert_eq!(
        status["data_version"], first_version,
        "the broken copy is never served"
    );
    assert_eq!(
        sweden_2022(&router).await,
        serde_json::json!(793.0),
        "the last good data is still served"
    );

    // A fixture value, not a published figure: it only shows that the new file is served.
    std::fs::write(&csv, good.replace("SE,2022,793,ud", "SE,2022,794,ud"))?;
    eventually("the fixed data to be served", || async {
        sweden_2022(&router).await == serde_json::json!(794.0)
    })
    .await;
    let status = get_json(&router, "/api/v1/status").await;
    assert_eq!(status["last_reload_error"], serde_json::Value::Null);
    assert_ne!(status["data_version"], first_version);
    Ok(())
}

#[tokio::test]
async fn a_reload_that_fails_reports_every_problem() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    copy_data(dir.path())?;
    let state = AppState::load(DataSource::Dir(dir.path().to_owned()), None)?;
    std::fs::remove_file(dir.path().join("advertised-procurements.toml"))?;
    std::fs::write(
        dir.path().join("innovation-in-strategy.csv"),
        "country,period\n",
    )?;
    let error = state.reload().err().unwrap_or_default();
    assert_eq!(error.lines().count(), 5, "{error}");
    assert!(
        error.contains("advertised-procurements.csv:1:1: no sidecar"),
        "{error}"
    );
    assert!(
        error.contains("innovation-in-strategy.csv:1:1: missing column `value`"),
        "{error}"
    );
    assert!(
        state
            .current()
            .data
            .indicator("advertised-procurements")
            .is_some()
    );
    Ok(())
}

#[tokio::test]
async fn the_watch_survives_the_folder_deleted_recreated_and_replaced_by_a_rename()
-> Result<(), Box<dyn std::error::Error>> {
    let parent = tempfile::tempdir()?;
    let dir = parent.path().join("data");
    std::fs::create_dir(&dir)?;
    copy_data(&dir)?;
    let state = AppState::load(DataSource::Dir(dir.clone()), None)?;
    let _watcher = watch(state.clone())?;
    let router = app(state.clone());
    assert_eq!(
        get_json(&router, "/api/v1/status").await["watching"],
        serde_json::json!(true)
    );
    let csv = |dir: &Path| dir.join("innovation-procurements.csv");
    let good = std::fs::read_to_string(csv(&dir))?;

    // Deleted: the last good data is served, and the status says the folder is not watched.
    std::fs::remove_dir_all(&dir)?;
    eventually("the status to say it is not watching", || async {
        get_json(&router, "/api/v1/status").await["watching"] == serde_json::json!(false)
    })
    .await;
    let status = get_json(&router, "/api/v1/status").await;
    let why = status["watch_error"].as_str().unwrap_or_default();
    assert!(why.contains("the data folder is missing"), "{why}");
    assert_eq!(sweden_2022(&router).await, serde_json::json!(793.0));

    // Made again: watched again, and a later edit is picked up. (Fixture values, not
    // published figures.)
    std::fs::create_dir(&dir)?;
    copy_data(&dir)?;
    eventually("the watch to resume", || async {
        get_json(&router, "/api/v1/status").await["watching"] == serde_json::json!(true)
    })
    .await;
    std::fs::write(csv(&dir), good.replace("SE,2022,793,ud", "SE,2022,795,ud"))?;
    eventually("the edit after the folder came back", || async {
        sweden_2022(&router).await == serde_json::json!(795.0)
    })
    .await;

    // Replaced by a rename, as deploy tools do: the new folder's files are served, and its
    // later edits too.
    let next = parent.path().join("data.next");
    std::fs::create_dir(&next)?;
    copy_data(&next)?;
    std::fs::write(csv(&next), good.replace("SE,2022,793,ud", "SE,2022,796,ud"))?;
    std::fs::remove_dir_all(&dir)?;
    std::fs::rename(&next, &dir)?;
    eventually("the renamed folder to be served", || async {
        sweden_2022(&router).await == serde_json::json!(796.0)
    })
    .await;
    std::fs::write(csv(&dir), good.replace("SE,2022,793,ud", "SE,2022,797,ud"))?;
    eventually("an edit in the renamed folder", || async {
        sweden_2022(&router).await == serde_json::json!(797.0)
    })
    .await;
    Ok(())
}

#[cfg(unix)]
#[tokio::test]
async fn the_status_names_no_server_path_and_shows_no_linked_file()
-> Result<(), Box<dyn std::error::Error>> {
    let parent = tempfile::tempdir()?;
    let dir = parent.path().join("served");
    std::fs::create_dir(&dir)?;
    copy_data(&dir)?;
    let secret = parent.path().join("secret.csv");
    std::fs::write(&secret, "root:x:0:0:root:/root:/bin/bash\n")?;
    let state = AppState::load(DataSource::Dir(dir.clone()), None)?;
    let router = app(state.clone());
    std::os::unix::fs::symlink(&secret, dir.join("passwd.csv"))?;
    std::fs::write(dir.join("innovation-in-strategy.csv"), "country,period\n")?;
    let _ = state.reload();
    let status = get_json(&router, "/api/v1/status").await;
    let text = status.to_string();
    let error = status["last_reload_error"].as_str().unwrap_or_default();
    assert!(
        error.contains("served/passwd.csv:1:1: this is a link to a file outside the data folder"),
        "{error}"
    );
    assert!(
        error.contains("served/innovation-in-strategy.csv:1:1: missing column `value`"),
        "{error}"
    );
    assert_eq!(status["source"], "served");
    let root = parent.path().display().to_string();
    assert!(!text.contains(&root), "the server's path leaked: {text}");
    assert!(!text.contains("root:x"), "the linked file leaked: {text}");
    Ok(())
}
