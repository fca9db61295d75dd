//! The one application state: the dataset being served, swapped atomically on reload, and what
//! the last reload did.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use arc_swap::ArcSwap;
use indikator_ingest::Dataset;

use crate::cache::{DEFAULT_CACHE_MB, ResponseCache};
use crate::replay::Replays;

/// Where the data comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataSource {
    /// The dataset compiled into the binary.
    Embedded,
    /// A folder, which can be reloaded.
    Dir(PathBuf),
}

impl DataSource {
    /// Loads the dataset.
    pub fn load(&self) -> Result<Dataset, indikator_ingest::Error> {
        match self {
            DataSource::Embedded => Dataset::embedded(),
            DataSource::Dir(dir) => Dataset::load(dir),
        }
    }
}

/// A dataset as served, with when it was loaded.
#[derive(Debug)]
pub struct Loaded {
    /// The data.
    pub data: Dataset,
    /// When it was loaded.
    pub loaded_at: SystemTime,
}

/// What the last reload attempt did.
#[derive(Debug, Clone, Default)]
pub struct ReloadStatus {
    /// When it was tried.
    pub attempted_at: Option<SystemTime>,
    /// Every problem it found, if it failed; the last good data is still served.
    pub error: Option<String>,
    /// Whether the data folder is watched for changes (`None` for the embedded data).
    pub watching: Option<bool>,
    /// Why the folder is not watched, when it is not.
    pub watch_error: Option<String>,
}

/// The application state, cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    current: ArcSwap<Loaded>,
    /// Counts the loads that replaced the data; a replay is given only in its generation.
    generation: AtomicU64,
    replays: Replays,
    source: DataSource,
    status: Mutex<ReloadStatus>,
    public_url: Option<String>,
    responses: ResponseCache,
}

/// How the state serves, beyond its data.
#[derive(Debug, Clone)]
pub struct Options {
    /// The public origin for absolute links (such as `https://indikator.example`); without
    /// it, links use `http://localhost`.
    pub public_url: Option<String>,
    /// The response cache's budget in MiB.
    pub cache_mb: u64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            public_url: None,
            cache_mb: DEFAULT_CACHE_MB,
        }
    }
}

impl AppState {
    /// Loads `source` and serves it. `public_url` (such as `https://indikator.example`) is the
    /// origin used in absolute links; without it, links use the request's Host.
    pub fn load(
        source: DataSource,
        public_url: Option<String>,
    ) -> Result<Self, indikator_ingest::Error> {
        let data = source.load()?;
        Ok(Self::new(data, source, public_url))
    }

    /// Serves `data`, which came from `source`.
    pub fn new(data: Dataset, source: DataSource, public_url: Option<String>) -> Self {
        let options = Options {
            public_url,
            ..Options::default()
        };
        Self::with_options(data, source, options)
    }

    /// Serves `data`, which came from `source`, as `options` say.
    pub fn with_options(data: Dataset, source: DataSource, options: Options) -> Self {
        let loaded = Loaded {
            data,
            loaded_at: SystemTime::now(),
        };
        let workers = std::thread::available_parallelism().map_or(2, usize::from);
        let watching = matches!(source, DataSource::Dir(_)).then_some(false);
        Self(Arc::new(Inner {
            current: ArcSwap::from_pointee(loaded),
            source,
            status: Mutex::new(ReloadStatus {
                watching,
                ..ReloadStatus::default()
            }),
            public_url: options
                .public_url
                .map(|u| u.trim_end_matches('/').to_owned()),
            // Replays mostly share their bodies with the rendered views; they get a quarter
            // of the budget on top, counted as if they did not.
            responses: ResponseCache::new(options.cache_mb.saturating_mul(1 << 20), workers),
            generation: AtomicU64::new(0),
            replays: Replays::new(options.cache_mb.saturating_mul(1 << 18)),
        }))
    }

    /// The dataset now served. A request holds on to it, so a reload never changes data
    /// under a request.
    pub fn current(&self) -> Arc<Loaded> {
        self.0.current.load_full()
    }

    /// Where the data comes from.
    pub fn source(&self) -> &DataSource {
        &self.0.source
    }

    /// The configured public origin, if any.
    pub fn public_url(&self) -> Option<&str> {
        self.0.public_url.as_deref()
    }

    /// What the last reload did.
    pub fn status(&self) -> ReloadStatus {
        self.0
            .status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Loads the source again (blocking). On success the new data replaces the old in one
    /// atomic swap; on failure the old data stays and the problems are kept for the status.
    pub fn reload(&self) -> Result<(), String> {
        let result = self.0.source.load();
        let mut status = self.0.status.lock().unwrap_or_else(PoisonError::into_inner);
        status.attempted_at = Some(SystemTime::now());
        match result {
            Ok(data) => {
                let version = data.version().to_owned();
                self.0.current.store(Arc::new(Loaded {
                    data,
                    loaded_at: SystemTime::now(),
                }));
                // Old keys name the old version and can never match again.
                self.0.generation.fetch_add(1, Ordering::Release);
                self.0.responses.clear();
                self.0.replays.clear();
                status.error = None;
                tracing::info!(%version, "reloaded the data");
                Ok(())
            }
            Err(err) => {
                let message = self.public_message(&err.to_string());
                for line in message.lines() {
                    tracing::error!("reload failed, still serving the last good data: {line}");
                }
                status.error = Some(message.clone());
                Err(message)
            }
        }
    }

    /// Which load of the data is served: one more after each successful reload.
    pub(crate) fn generation(&self) -> u64 {
        self.0.generation.load(Ordering::Acquire)
    }

    /// The responses kept whole for repeat requests.
    pub(crate) fn replays(&self) -> &Replays {
        &self.0.replays
    }

    /// The response cache and render pool.
    pub(crate) fn responses(&self) -> &ResponseCache {
        &self.0.responses
    }

    /// Whether the data folder is being watched, and why not; `None` for the embedded data.
    pub(crate) fn set_watching(&self, watching: bool, why_not: Option<String>) {
        let mut status = self.0.status.lock().unwrap_or_else(PoisonError::into_inner);
        if status.watching != Some(watching) {
            match &why_not {
                Some(why) => tracing::warn!("not watching the data folder: {why}"),
                None => tracing::info!("watching the data folder"),
            }
        }
        status.watching = Some(watching);
        status.watch_error = why_not;
    }

    /// `message` with the data folder's path turned into its name, so that a public page
    /// shows where in the folder a problem is, but not where the folder is on the server.
    pub(crate) fn public_message(&self, message: &str) -> String {
        match &self.0.source {
            DataSource::Embedded => message.to_owned(),
            DataSource::Dir(dir) => {
                let shown = dir.display().to_string();
                let name = folder_name(dir);
                let inside = format!("{}/", shown.trim_end_matches('/'));
                message
                    .replace(&inside, &format!("{name}/"))
                    .replace(&shown, &name)
            }
        }
    }
}

/// A folder's last component, as the public sees it (`data` for `/srv/indikator/data`).
pub(crate) fn folder_name(dir: &std::path::Path) -> String {
    dir.file_name()
        .map_or_else(|| "data".to_owned(), |n| n.to_string_lossy().into_owned())
}
