//! Hot reload of a data folder: on a change to its files (watched with `notify`) and on SIGHUP.
//! A reload that fails keeps the last good data (see [`AppState::reload`]).
//!
//! The watch survives the folder itself going away: deleted and made again, or replaced by a
//! rename (as deploy tools do). Once a second the watcher checks that the folder it watches is
//! still the one at the path; when it is not, it watches the new one and reloads, and while
//! there is none, `/api/v1/status` says it is not watching.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::state::{AppState, DataSource};

/// How long to let a burst of file events (an editor saving, a copy) settle before reloading.
pub const SETTLE: Duration = Duration::from_millis(250);

/// How often the watcher checks that the folder at the path is the one it watches.
const CHECK_FOLDER: Duration = Duration::from_secs(1);

/// A handle on the watch: when it is dropped, its channel closes and the watch stops.
pub struct WatchHandle {
    _stop: std::sync::mpsc::Sender<()>,
}

/// Watches the data folder, if the data comes from one, and reloads after each change. The
/// watch stops when the returned handle is dropped.
pub fn watch(state: AppState) -> Result<Option<WatchHandle>, notify::Error> {
    let DataSource::Dir(dir) = state.source().clone() else {
        return Ok(None);
    };
    let (changed, changes) = std::sync::mpsc::channel();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reading the files (as a reload does) is not a change.
        if event.is_ok_and(|e| !matches!(e.kind, EventKind::Access(_))) {
            let _ = changed.send(());
        }
    })?;
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let mut folder = Folder {
        dir,
        watcher,
        watched: None,
    };
    folder.rewatch(&state);
    std::thread::spawn(move || folder.run(&state, &changes, &stopped));
    Ok(Some(WatchHandle { _stop: stop }))
}

/// The identity of a folder: its device and inode, which a rename or a new folder changes.
fn identity(dir: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(dir)
            .ok()
            .filter(std::fs::Metadata::is_dir)
            .map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(dir)
            .ok()
            .filter(std::fs::Metadata::is_dir)
            .map(|_| (0, 0))
    }
}

struct Folder {
    dir: PathBuf,
    watcher: RecommendedWatcher,
    /// The identity of the folder being watched, if any.
    watched: Option<(u64, u64)>,
}

impl Folder {
    /// Watches whatever folder is at the path now, and says so in the status.
    fn rewatch(&mut self, state: &AppState) {
        let _ = self.watcher.unwatch(&self.dir);
        self.watched = None;
        let Some(id) = identity(&self.dir) else {
            let why = "the data folder is missing; the last good data is served, and the watch resumes when the folder is back";
            state.set_watching(false, Some(why.into()));
            return;
        };
        match self.watcher.watch(&self.dir, RecursiveMode::NonRecursive) {
            Ok(()) => {
                self.watched = Some(id);
                state.set_watching(true, None);
            }
            Err(err) => state.set_watching(false, Some(format!("cannot watch: {err}"))),
        }
    }

    fn run(mut self, state: &AppState, changes: &Receiver<()>, stopped: &Receiver<()>) {
        loop {
            if !matches!(
                stopped.try_recv(),
                Err(std::sync::mpsc::TryRecvError::Empty)
            ) {
                return;
            }
            match changes.recv_timeout(CHECK_FOLDER) {
                Ok(()) => {
                    std::thread::sleep(SETTLE);
                    while changes.try_recv().is_ok() {}
                    let _ = state.reload();
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if identity(&self.dir) != self.watched {
                self.rewatch(state);
                // A folder came back or was replaced: what it holds is new data.
                if self.watched.is_some() {
                    let _ = state.reload();
                }
            }
        }
    }
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
