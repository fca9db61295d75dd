//! The one application state: the dataset being served, swapped atomically on reload, and what
//! the last reload did.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use arc_swap::ArcSwap;
use axum::body::Bytes;
use indikator_ingest::Dataset;

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
}

/// The most rendered PNGs kept in memory.
const PNG_CACHE_ENTRIES: usize = 256;

/// The application state, cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    current: ArcSwap<Loaded>,
    source: DataSource,
    status: Mutex<ReloadStatus>,
    public_url: Option<String>,
    pngs: Mutex<HashMap<String, Bytes>>,
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
        let loaded = Loaded {
            data,
            loaded_at: SystemTime::now(),
        };
        Self(Arc::new(Inner {
            current: ArcSwap::from_pointee(loaded),
            source,
            status: Mutex::default(),
            public_url: public_url.map(|u| u.trim_end_matches('/').to_owned()),
            pngs: Mutex::default(),
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
                status.error = None;
                tracing::info!(%version, "reloaded the data");
                Ok(())
            }
            Err(err) => {
                let message = err.to_string();
                for line in message.lines() {
                    tracing::error!("reload failed, still serving the last good data: {line}");
                }
                status.error = Some(message.clone());
                Err(message)
            }
        }
    }

    /// A rendered PNG, if one is cached under `key` (which includes the data version).
    pub(crate) fn cached_png(&self, key: &str) -> Option<Bytes> {
        self.0
            .pngs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .cloned()
    }

    /// Keeps a rendered PNG. The cache is bounded: when full it starts again empty, which is
    /// simple and enough for a dataset of a few indicators.
    pub(crate) fn keep_png(&self, key: String, png: Bytes) {
        let mut pngs = self.0.pngs.lock().unwrap_or_else(PoisonError::into_inner);
        if pngs.len() >= PNG_CACHE_ENTRIES {
            pngs.clear();
        }
        pngs.insert(key, png);
    }
}
