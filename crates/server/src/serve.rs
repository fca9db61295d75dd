//! The accept loop: HTTP/1.1 connections with a cap on how many are open, a time limit for a
//! request's headers, a time limit for an idle keep-alive connection, and graceful shutdown.
//!
//! `axum::serve` has none of these limits, and without them a few hundred idle or slowly
//! dripping sockets lock every other client out, so the loop is written here on hyper's own
//! connection builder.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// Limits on connections.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The most connections open at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// How long a client has to send a request's headers, from the moment it connects (or
    /// starts the request).
    pub header_timeout: Duration,
    /// How long a keep-alive connection may sit idle between requests.
    pub idle_timeout: Duration,
    /// How long shutdown waits for requests in flight.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(15),
        }
    }
}

/// The largest request head (request line and headers) read, in bytes. (`max_buf_size`
/// alone let 100 KB through: hyper checks it only between reads.)
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Serves `router` on `listener` within `limits` until `shutdown` completes, then lets the
/// requests in flight finish (for at most `limits.shutdown_grace`) and returns.
pub async fn serve_with(
    listener: TcpListener,
    router: axum::Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let open = Arc::new(AtomicUsize::new(0));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(err) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!("accept failed: {err}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity::default());
        let io = TokioIo::new(Watched {
            inner: stream,
            activity: Arc::clone(&activity),
        });
        let service = TowerToHyperService::new(Counting {
            inner: router.clone(),
            activity: Arc::clone(&activity),
        });
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .max_buf_size(MAX_HEAD_BYTES)
            .max_header_size(MAX_HEAD_BYTES)
            .max_headers(100)
            .keep_alive(true)
            .serve_connection(io, service);
        let connection = graceful.watch(connection);
        let open = Arc::clone(&open);
        open.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(async move {
            let _permit = permit;
            let idle = idle_close(activity, limits.idle_timeout);
            tokio::select! {
                _ = connection => {},
                () = idle => {},
            }
            open.fetch_sub(1, Ordering::Relaxed);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "{} connection(s) still open after {:?}; closing them",
            open.load(Ordering::Relaxed),
            limits.shutdown_grace
        );
    }
    Ok(())
}

/// Completes when the connection has been idle, with no request in progress and no byte
/// read or written, for `limit`.
async fn idle_close(activity: Arc<Activity>, limit: Duration) {
    let tick = (limit / 4).max(Duration::from_millis(50));
    let mut idle_for = Duration::ZERO;
    loop {
        tokio::time::sleep(tick).await;
        let busy = activity.in_flight.load(Ordering::Relaxed) > 0;
        let moved = activity.moved.swap(false, Ordering::Relaxed);
        if busy || moved {
            idle_for = Duration::ZERO;
        } else {
            idle_for += tick;
            if idle_for >= limit {
                return;
            }
        }
    }
}

/// What a connection did lately: whether it moved any bytes since the last look, and how many
/// requests it has in progress.
#[derive(Default)]
struct Activity {
    moved: AtomicBool,
    in_flight: AtomicUsize,
}

/// A socket that notes each read and write.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.moved.store(true, Ordering::Relaxed);
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.moved.store(true, Ordering::Relaxed);
        }
        result
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.moved.store(true, Ordering::Relaxed);
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// The router, counting the requests in progress on one connection.
#[derive(Clone)]
struct Counting {
    inner: axum::Router,
    activity: Arc<Activity>,
}

/// Counts a request as in progress until it is dropped (answered or abandoned).
struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl<B> tower::Service<axum::http::Request<B>> for Counting
where
    axum::Router: tower::Service<axum::http::Request<B>>,
    <axum::Router as tower::Service<axum::http::Request<B>>>::Future: Send + 'static,
{
    type Response = <axum::Router as tower::Service<axum::http::Request<B>>>::Response;
    type Error = <axum::Router as tower::Service<axum::http::Request<B>>>::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        tower::Service::<axum::http::Request<B>>::poll_ready(&mut self.inner, cx)
    }

    fn call(&mut self, request: axum::http::Request<B>) -> Self::Future {
        self.activity.in_flight.fetch_add(1, Ordering::Relaxed);
        let guard = InFlight(Arc::clone(&self.activity));
        let future = self.inner.call(request);
        Box::pin(async move {
            let response = future.await;
            drop(guard);
            response
        })
    }
}
