//! Hot reload of a data folder: on a change to its files (watched with `notify`) and on SIGHUP.
//! A reload that fails keeps the last good data (see [`AppState::reload`]).

use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::state::{AppState, DataSource};

/// How long to let a burst of file events (an editor saving, a copy) settle before reloading.
pub const SETTLE: Duration = Duration::from_millis(250);

/// Watches the data folder, if the data comes from one, and reloads after each change. The
/// watcher stops when the returned value is dropped.
pub fn watch(state: AppState) -> Result<Option<RecommendedWatcher>, notify::Error> {
    let DataSource::Dir(dir) = state.source().clone() else {
        return Ok(None);
    };
    let (changed, changes) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reading the files (as a reload does) is not a change.
        if event.is_ok_and(|e| !matches!(e.kind, EventKind::Access(_))) {
            let _ = changed.send(());
        }
    })?;
    watcher.watch(&dir, RecursiveMode::NonRecursive)?;
    std::thread::spawn(move || {
        while changes.recv().is_ok() {
            std::thread::sleep(SETTLE);
            while changes.try_recv().is_ok() {}
            let _ = state.reload();
        }
    });
    Ok(Some(watcher))
}

/// Reloads on every SIGHUP, for as long as the server runs.
pub async fn reload_on_sighup(state: AppState) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut hangups) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot listen for SIGHUP; reload by changing the files instead");
            return;
        };
        while hangups.recv().await.is_some() {
            tracing::info!("SIGHUP: reloading the data");
            let state = state.clone();
            let _ = tokio::task::spawn_blocking(move || state.reload()).await;
        }
    }
    #[cfg(not(unix))]
    std::future::pending::<()>().await;
}
