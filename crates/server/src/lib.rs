//! The indikator web service: the dashboard page, the JSON and CSV API, chart images, embeds
//! and oEmbed, over one dataset that can be reloaded while it serves.
//!
//! [`app`] is the whole service as an axum `Router`, so tests drive it without a socket;
//! [`run`] binds, serves, reloads and shuts down gracefully. This is the only crate that knows
//! HTTP and HTML.
//!
//! ```
//! use indikator_server::{AppState, DataSource, app};
//!
//! let state = AppState::load(DataSource::Embedded, None).expect("the shipped data is valid");
//! let router: axum::Router = app(state);
//! ```

mod cache;
mod error;
mod handlers;
mod html;
mod memory;
mod params;
mod reload;
mod replay;
mod router;
mod serve;
mod state;
mod views;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;

pub use cache::{CacheStats, DEFAULT_CACHE_MB, RENDER_QUEUE};
pub use error::AppError;
pub use handlers::oembed::OEMBED_PARAMETERS;
pub use params::{MAX_COUNTRIES, MAX_PIXELS, MAX_QUERY, VIEW_PARAMETERS, ViewParams};
pub use reload::{SETTLE, WatchHandle, reload_on_sighup, watch};
pub use router::{REQUEST_TIMEOUT, app, route_paths};
pub use serve::{Limits, serve_with};
pub use state::{AppState, DataSource, Loaded, Options, ReloadStatus};

/// How to run the service.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen.
    pub addr: SocketAddr,
    /// A data folder to serve and watch; `None` serves the embedded dataset.
    pub data: Option<PathBuf>,
    /// The public origin for absolute links, when behind a proxy.
    pub public_url: Option<String>,
    /// The response cache's budget in MiB.
    pub cache_mb: u64,
}

/// Why the service could not start or stopped with an error.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The data did not load.
    #[error("{0}")]
    Load(#[from] indikator_ingest::Error),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The data folder could not be watched.
    #[error("cannot watch the data folder: {0}")]
    Watch(#[from] notify::Error),
    /// Serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Serves `state` on `listener` within the default [`Limits`] until `shutdown` completes,
/// then finishes the requests in flight and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, app(state), Limits::default(), shutdown).await
}

/// Loads the data, binds, prints the address, and serves until SIGINT or SIGTERM; reloads on
/// file changes and SIGHUP when serving a folder.
pub fn run(config: Config) -> Result<(), ServeError> {
    let source = match config.data {
        Some(dir) => DataSource::Dir(dir),
        None => DataSource::Embedded,
    };
    let data = source.load()?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| ServeError::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr()?;
        // Absolute links never come from a request's Host (responses are cached and
        // public): without --public-url they name the address served.
        let public_url = config.public_url.unwrap_or_else(|| {
            if addr.ip().is_unspecified() {
                tracing::warn!("listening on every interface without --public-url: links in embeds and oEmbed will name localhost");
                format!("http://localhost:{}", addr.port())
            } else {
                format!("http://{addr}")
            }
        });
        let options = Options {
            public_url: Some(public_url),
            cache_mb: config.cache_mb,
        };
        let state = AppState::with_options(data, source, options);
        let loaded = state.current();
        let from = match state.source() {
            DataSource::Embedded => "the embedded dataset".to_owned(),
            DataSource::Dir(dir) => dir.display().to_string(),
        };
        println!(
            "indikator: serving http://{addr}/ ({from}, data version {})",
            loaded.data.version()
        );
        let _watcher = watch(state.clone())?;
        tokio::spawn(reload_on_sighup(state.clone()));
        serve(listener, state, shutdown_signal()).await?;
        println!("indikator: stopped");
        Ok(())
    })
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
