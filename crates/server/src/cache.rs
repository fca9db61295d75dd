//! What bounds the cost of rendering: one response cache for every rendered view, and a small
//! pool that runs the renders.
//!
//! Every view a route renders (page, embed, SVG, PNG, JSON, CSV, JSON-stat, SDMX-CSV) is kept
//! in one [`ResponseCache`] under its ETag, which already names the data version, the route
//! and the canonical view. The cache is weighed in bytes against a budget (`--cache-mb`), and
//! N identical misses render once: the first caller renders, the others wait for its result
//! (single-flight). Renders run on the render pool: at most one per core at a time, with a
//! short queue behind them. When the queue is full the request is answered 503 with
//! `Retry-After` (the one 5xx the service gives, and only under overload), so a flood of
//! expensive requests costs bounded memory and CPU. Once the renders stop, what they freed
//! goes back to the system ([`memory::release_freed`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError};

use axum::body::Bytes;
use quick_cache::Weighter;
use tokio::sync::Semaphore;

use crate::error::AppError;
use crate::memory;

/// The default byte budget of the response cache.
pub const DEFAULT_CACHE_MB: u64 = 64;

/// How many renders may wait for a worker before requests are turned away with 503.
pub const RENDER_QUEUE: usize = 64;

/// How long the render threads wait with nothing to do, after rendering, before they give
/// back the memory the renders freed: long enough that a steady trickle of renders does not
/// pay for it each time, short enough that the memory a burst took falls back soon after.
const IDLE_BEFORE_RELEASE: std::time::Duration = std::time::Duration::from_secs(2);

/// A rendered body, and its gzip encoding where the type compresses: compressed once when
/// rendered, so that a browser's repeat views cost no compression.
#[derive(Debug, Clone)]
pub(crate) struct Rendered {
    /// The body as rendered.
    pub identity: Bytes,
    /// The body gzipped, where it was asked for.
    pub gzip: Option<Bytes>,
}

impl Rendered {
    /// `body`, with its gzip encoding if `compress`.
    pub fn new(body: Vec<u8>, compress: bool) -> Self {
        let gzip = compress.then(|| gzip(&body)).flatten();
        Self {
            identity: Bytes::from(body),
            gzip,
        }
    }

    /// The bodies copied to buffers of their own size, made on this thread. What the cache
    /// keeps is then what its weight counts (a PNG was written into a buffer of a sixteenth
    /// of its pixels: 750 KB for a 2000 × 1500 image of 100 KB), and it is not left among the
    /// render threads' short-lived buffers, where one small kept body holds a whole page of
    /// freed memory that `malloc_trim` cannot give back.
    fn compacted(self) -> Self {
        Self {
            identity: Bytes::copy_from_slice(&self.identity),
            gzip: self.gzip.as_deref().map(Bytes::copy_from_slice),
        }
    }
}

fn gzip(body: &[u8]) -> Option<Bytes> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4 + 64),
        flate2::Compression::default(),
    );
    encoder.write_all(body).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

#[derive(Clone)]
struct ByBytes;

impl Weighter<String, Rendered> for ByBytes {
    fn weight(&self, key: &String, value: &Rendered) -> u64 {
        // The key, the bodies, and the entry's own bookkeeping.
        let gzip = value.gzip.as_ref().map_or(0, Bytes::len);
        (key.len() + value.identity.len() + gzip + 128) as u64
    }
}

/// What the cache has done, for `/api/v1/status`.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct CacheStats {
    /// The byte budget.
    pub budget_bytes: u64,
    /// The bytes kept now.
    pub bytes: u64,
    /// The responses kept now.
    pub entries: usize,
    /// Requests answered from the cache (including those that waited for another's render).
    pub hits: u64,
    /// Renders run.
    pub renders: u64,
    /// Requests turned away because the render queue was full.
    pub overloaded: u64,
    /// Whole responses kept for repeat requests (`replay.rs`), and their bytes.
    pub replays: usize,
    /// The bytes they hold.
    pub replay_bytes: u64,
    /// Requests answered by a replay (not counted in `hits`).
    pub replayed: u64,
}

/// The response cache and the render pool, shared by every request.
pub(crate) struct ResponseCache {
    cache: quick_cache::sync::Cache<String, Rendered, ByBytes>,
    budget: u64,
    pool: RenderPool,
    hits: AtomicU64,
    renders: AtomicU64,
}

impl ResponseCache {
    /// A cache of `budget_bytes`, rendering on `workers` threads at a time.
    pub fn new(budget_bytes: u64, workers: usize) -> Self {
        // Rendered views are a few KiB to a few hundred KiB; the estimate only sizes tables.
        let estimated_items = (budget_bytes / 16_384).clamp(16, 65_536) as usize;
        Self {
            cache: quick_cache::sync::Cache::with_weighter(estimated_items, budget_bytes, ByBytes),
            budget: budget_bytes,
            pool: RenderPool::new(workers, RENDER_QUEUE),
            hits: AtomicU64::new(0),
            renders: AtomicU64::new(0),
        }
    }

    /// The response kept under `key`, or `render` run on the pool and kept. Concurrent calls
    /// for one key render once; an error is returned to its caller and not kept.
    pub async fn get_or_render(
        &self,
        key: &str,
        render: impl FnOnce() -> Result<Rendered, AppError> + Send + 'static,
    ) -> Result<Rendered, AppError> {
        match self.cache.get_value_or_guard_async(key).await {
            Ok(found) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Ok(found)
            }
            Err(guard) => {
                let rendered = self.pool.run(render).await?.compacted();
                self.renders.fetch_add(1, Ordering::Relaxed);
                let _ = guard.insert(rendered.clone());
                Ok(rendered)
            }
        }
    }

    /// Empties the cache (the data changed; old keys can never match again, so this only
    /// gives their memory back sooner).
    pub fn clear(&self) {
        self.cache.clear();
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            budget_bytes: self.budget,
            bytes: self.cache.weight(),
            entries: self.cache.len(),
            hits: self.hits.load(Ordering::Relaxed),
            renders: self.renders.load(Ordering::Relaxed),
            overloaded: self.pool.overloaded.load(Ordering::Relaxed),
            replays: 0,
            replay_bytes: 0,
            replayed: 0,
        }
    }
}

/// A job for a render thread.
type Job = Box<dyn FnOnce() + Send>;

/// `workers` threads of its own that render, and at most `queue` renders waiting for them.
///
/// Its own threads rather than tokio's blocking pool: that pool grows to hundreds of threads,
/// and each thread that renders a large PNG keeps its own malloc arena, so memory taken by a
/// flood of renders stayed after it (3.3 GB). With a fixed few threads it is bounded by them.
///
/// Even so, glibc keeps in its arenas what the renders freed (a flood of large PNGs left the
/// server at its peak, 290 MB with a 64 MB cache, for as long as it ran): a render thread that
/// has rendered and then waited [`IDLE_BEFORE_RELEASE`] for work calls `release`, which gives
/// it back.
struct RenderPool {
    admitted: Arc<Semaphore>,
    jobs: std::sync::Mutex<std::sync::mpsc::Sender<Job>>,
    overloaded: AtomicU64,
}

impl RenderPool {
    fn new(workers: usize, queue: usize) -> Self {
        Self::with_release(workers, queue, IDLE_BEFORE_RELEASE, || {
            indikator_charts::release_png_buffers();
            memory::release_freed()
        })
    }

    fn with_release(
        workers: usize,
        queue: usize,
        idle: std::time::Duration,
        release: fn() -> bool,
    ) -> Self {
        use std::sync::mpsc::RecvTimeoutError;
        let (jobs, inbox) = std::sync::mpsc::channel::<Job>();
        let inbox = Arc::new(std::sync::Mutex::new(inbox));
        for i in 0..workers.max(1) {
            let inbox = Arc::clone(&inbox);
            let spawned = std::thread::Builder::new()
                .name(format!("render-{i}"))
                .spawn(move || {
                    let mut rendered = false;
                    loop {
                        let job = {
                            let inbox = inbox.lock().unwrap_or_else(PoisonError::into_inner);
                            inbox.recv_timeout(idle)
                        };
                        match job {
                            // A render that panics (a bug) fails its request, not the thread.
                            Ok(job) => {
                                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                                rendered = true;
                            }
                            Err(RecvTimeoutError::Timeout) => {
                                if std::mem::take(&mut rendered) {
                                    let released = release();
                                    tracing::debug!(
                                        released,
                                        "render threads idle: freed memory given back"
                                    );
                                }
                            }
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                });
            if let Err(err) = spawned {
                tracing::error!("cannot start a render thread: {err}");
            }
        }
        Self {
            admitted: Arc::new(Semaphore::new(workers.max(1) + queue)),
            jobs: std::sync::Mutex::new(jobs),
            overloaded: AtomicU64::new(0),
        }
    }

    /// Runs `work` on a render thread once one is free. A request that gives up (its time ran
    /// out, or the client left) before its turn is skipped; once running, the work finishes,
    /// so no more renders run at once than there are threads.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let Ok(admitted) = Arc::clone(&self.admitted).try_acquire_owned() else {
            self.overloaded.fetch_add(1, Ordering::Relaxed);
            return Err(AppError::Overloaded);
        };
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _admitted = admitted;
            if !done.is_closed() {
                let _ = done.send(work());
            }
        });
        self.jobs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .send(job)
            .map_err(|_| AppError::Internal("the render threads have stopped".into()))?;
        result
            .await
            .map_err(|_| AppError::Internal("a render failed".into()))?
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn body(text: &'static str) -> Result<Rendered, AppError> {
        Ok(Rendered::new(text.as_bytes().to_vec(), false))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn identical_misses_render_once() {
        let cache = Arc::new(ResponseCache::new(1 << 20, 2));
        let calls = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        for _ in 0..32 {
            let (cache, calls) = (Arc::clone(&cache), Arc::clone(&calls));
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_render("k", move || {
                        calls.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(50));
                        body("rendered")
                    })
                    .await
            }));
        }
        for task in tasks {
            let got = task.await.ok().and_then(Result::ok).map(|r| r.identity);
            assert_eq!(got.as_deref(), Some(&b"rendered"[..]));
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        let stats = cache.stats();
        assert_eq!((stats.renders, stats.hits, stats.entries), (1, 31, 1));
    }

    #[tokio::test]
    async fn the_budget_bounds_the_bytes_kept() {
        let cache = ResponseCache::new(10_000, 1);
        for i in 0..100 {
            let _ = cache
                .get_or_render(&format!("key-{i}"), || {
                    Ok(Rendered::new(vec![b'x'; 1000], false))
                })
                .await;
        }
        let stats = cache.stats();
        assert!(stats.bytes <= 10_000, "{stats:?}");
        assert!(stats.entries >= 5, "{stats:?}");
    }

    #[test]
    fn a_compressed_body_is_gzip_of_the_body_and_is_weighed() {
        use std::io::Read as _;
        let text = "country,period,value\n".repeat(100);
        let rendered = Rendered::new(text.clone().into_bytes(), true);
        let gzip = rendered.gzip.clone().unwrap_or_default();
        assert!(gzip.len() < text.len() / 10, "{} bytes", gzip.len());
        let mut back = String::new();
        let read = flate2::read::GzDecoder::new(&gzip[..]).read_to_string(&mut back);
        assert!(read.is_ok());
        assert_eq!(back, text);
        let weight = ByBytes.weight(&"k".to_owned(), &rendered);
        assert_eq!(weight, (1 + text.len() + gzip.len() + 128) as u64);
        assert!(Rendered::new(b"png".to_vec(), false).gzip.is_none());
    }

    #[tokio::test]
    async fn errors_are_not_kept() {
        let cache = ResponseCache::new(1 << 20, 1);
        let failed = cache
            .get_or_render("k", || Err(AppError::NotFound("no".into())))
            .await;
        assert!(failed.is_err());
        let ok = cache.get_or_render("k", || body("now")).await;
        assert_eq!(ok.ok().map(|r| r.identity).as_deref(), Some(&b"now"[..]));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_is_turned_away_and_the_rest_run() {
        let pool = Arc::new(RenderPool::new(1, 1));
        let gate = Arc::new(std::sync::Barrier::new(2));
        let slow = {
            let (pool, gate) = (Arc::clone(&pool), Arc::clone(&gate));
            tokio::spawn(async move {
                pool.run(move || {
                    gate.wait();
                    Ok(1)
                })
                .await
            })
        };
        // One running and one waiting fill the pool of one worker and a queue of one.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let queued = {
            let pool = Arc::clone(&pool);
            tokio::spawn(async move { pool.run(|| Ok(2)).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        let turned_away = pool.run(|| Ok(3)).await;
        assert!(matches!(turned_away, Err(AppError::Overloaded)));
        gate.wait();
        assert_eq!(slow.await.ok().and_then(Result::ok), Some(1));
        assert_eq!(queued.await.ok().and_then(Result::ok), Some(2));
        assert_eq!(pool.overloaded.load(Ordering::Relaxed), 1);
    }

    static RELEASES: AtomicU64 = AtomicU64::new(0);

    fn counted_release() -> bool {
        RELEASES.fetch_add(1, Ordering::SeqCst);
        // The real call too: it must be harmless whenever the pool makes it.
        memory::release_freed()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn freed_memory_is_given_back_once_the_renders_stop_and_only_then() {
        let idle = Duration::from_millis(100);
        let pool = RenderPool::with_release(2, 4, idle, counted_release);
        let releases = || RELEASES.load(Ordering::SeqCst);
        // Waits (up to 10 s, on a busy machine) for the count to reach `n`, then as long
        // again as it took plus four idle periods, and says whether it stayed at `n`.
        let settles_at = |n: u64| async move {
            let started = std::time::Instant::now();
            while releases() < n && started.elapsed() < Duration::from_secs(10) {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            tokio::time::sleep(started.elapsed() + idle * 4).await;
            releases() == n
        };
        assert!(
            settles_at(0).await,
            "nothing rendered, nothing to give back"
        );
        let big = pool.run(|| Ok(vec![1u8; 8 << 20].len())).await;
        assert_eq!(big.ok(), Some(8 << 20));
        assert!(
            settles_at(1).await,
            "given back once after the render thread waited, and not again while nothing renders"
        );
        assert_eq!(pool.run(|| Ok(1)).await.ok(), Some(1));
        assert!(settles_at(2).await, "a later render, a later release");
    }
}
