//! Repeat requests answered in front of the middleware and the handlers: the response a cached
//! view gave (a 200 or its 304) is kept whole, under everything in the request that shaped
//! it, and given again to the next identical request while the data stays the same.
//!
//! The response cache (`cache.rs`) already keeps every rendered body, but reaching it costs a
//! request the query parse, its canonical form, the ETag's hash and seven middleware layers:
//! about 2.5 µs in-process against `/healthz`'s 1.9 µs (`examples/overhead.rs`), which held a
//! 304 to 0.76–0.8× of `/healthz`'s rate. A replay costs one hash lookup and a header copy.
//!
//! What may be replayed is decided where the response is made: handlers mark a cached view or
//! its 304 with [`Replayable`]. Such a response depends on the method, the path and query, the
//! `Accept-Encoding` and `If-None-Match` headers, and the data version, and on nothing else
//! (links never come from `Host`); the key holds the first three and each replay carries the
//! data generation it was made in.

use std::convert::Infallible;
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::header::{ACCEPT_ENCODING, IF_NONE_MATCH};
use axum::http::uri::PathAndQuery;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse as _, Response};
use quick_cache::{Equivalent, Weighter};

use crate::cache::CacheStats;
use crate::error::AppError;
use crate::state::AppState;

/// The mark on a response that may be replayed to an identical request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Replayable;

/// The largest body replayed; larger views go through the handlers.
const LARGEST: usize = 1 << 20;

/// One kept response.
struct Replay {
    /// The data generation it was made in.
    generation: u64,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// What a replay is kept under. Its parts share the request's own buffers (`Bytes`), so
/// keeping a key for a response that may be replayed allocates nothing.
struct Key {
    uri: PathAndQuery,
    accept_encoding: Option<HeaderValue>,
    if_none_match: Option<HeaderValue>,
}

/// A request's key, borrowed from it; hashes as the [`Key`] it equals.
struct KeyRef<'a> {
    uri: &'a PathAndQuery,
    accept_encoding: Option<&'a HeaderValue>,
    if_none_match: Option<&'a HeaderValue>,
}

impl KeyRef<'_> {
    fn owned(&self) -> Key {
        Key {
            uri: self.uri.clone(),
            accept_encoding: self.accept_encoding.cloned(),
            if_none_match: self.if_none_match.cloned(),
        }
    }

    /// The parts compared and hashed: the path and query as written, the headers' bytes.
    fn parts(&self) -> (&str, Option<&[u8]>, Option<&[u8]>) {
        (
            self.uri.as_str(),
            self.accept_encoding.map(HeaderValue::as_bytes),
            self.if_none_match.map(HeaderValue::as_bytes),
        )
    }
}

impl Key {
    fn borrowed(&self) -> KeyRef<'_> {
        KeyRef {
            uri: &self.uri,
            accept_encoding: self.accept_encoding.as_ref(),
            if_none_match: self.if_none_match.as_ref(),
        }
    }
}

impl Hash for KeyRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parts().hash(state);
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.borrowed().hash(state);
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.borrowed().parts() == other.borrowed().parts()
    }
}

impl Eq for Key {}

impl Equivalent<Key> for KeyRef<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        self.parts() == key.borrowed().parts()
    }
}

/// The key of a GET request, or `None` when it cannot be replayed (another method, or a
/// header that shapes the response given more than once).
fn key_of(request: &Request) -> Option<KeyRef<'_>> {
    if request.method() != Method::GET {
        return None;
    }
    let one = |name| {
        let mut values = request.headers().get_all(name).iter();
        match (values.next(), values.next()) {
            (None, _) => Some(None),
            (Some(value), None) => Some(Some(value)),
            (Some(_), Some(_)) => None,
        }
    };
    Some(KeyRef {
        uri: request.uri().path_and_query()?,
        accept_encoding: one(ACCEPT_ENCODING)?,
        if_none_match: one(IF_NONE_MATCH)?,
    })
}

#[derive(Clone)]
struct ByBytes;

impl Weighter<Key, Arc<Replay>> for ByBytes {
    fn weight(&self, key: &Key, replay: &Arc<Replay>) -> u64 {
        let headers: usize = replay
            .headers
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 32)
            .sum();
        let key_len = key.uri.as_str().len()
            + key.accept_encoding.as_ref().map_or(0, HeaderValue::len)
            + key.if_none_match.as_ref().map_or(0, HeaderValue::len);
        (key_len + headers + replay.body.len() + 128) as u64
    }
}

/// The kept responses, within a byte budget.
pub(crate) struct Replays {
    kept: quick_cache::sync::Cache<Key, Arc<Replay>, ByBytes>,
    replayed: AtomicU64,
}

impl Replays {
    pub fn new(budget_bytes: u64) -> Self {
        let estimated_items = (budget_bytes / 8_192).clamp(16, 65_536) as usize;
        Self {
            kept: quick_cache::sync::Cache::with_weighter(estimated_items, budget_bytes, ByBytes),
            replayed: AtomicU64::new(0),
        }
    }

    /// `stats` with what the replays hold and have answered.
    pub fn add_stats(&self, stats: &mut CacheStats) {
        stats.replays = self.kept.len();
        stats.replay_bytes = self.kept.weight();
        stats.replayed = self.replayed.load(Ordering::Relaxed);
    }

    /// Forgets every response (the data changed).
    pub fn clear(&self) {
        self.kept.clear();
    }
}

/// The layer that answers repeat requests from [`Replays`] (see the module's description).
#[derive(Clone)]
pub(crate) struct ReplayLayer(pub AppState);

impl<S> tower::Layer<S> for ReplayLayer {
    type Service = ReplayService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ReplayService {
            inner,
            state: self.0.clone(),
        }
    }
}

#[derive(Clone)]
pub(crate) struct ReplayService<S> {
    inner: S,
    state: AppState,
}

type Answer = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

impl<S, B> tower::Service<Request> for ReplayService<S>
where
    S: tower::Service<Request, Response = Response<B>, Error = Infallible>,
    S::Future: Send + 'static,
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Answer {
        let generation = self.state.generation();
        let key = key_of(&request);
        let hit = key
            .as_ref()
            .and_then(|key| self.state.replays().kept.get(key))
            .filter(|replay| replay.generation == generation);
        if let Some(replay) = hit {
            let replays = self.state.replays();
            replays.replayed.fetch_add(1, Ordering::Relaxed);
            let mut response = Response::new(Body::from(replay.body.clone()));
            *response.status_mut() = replay.status;
            *response.headers_mut() = replay.headers.clone();
            return Box::pin(std::future::ready(Ok(response)));
        }
        let key = key.map(|k| k.owned());
        let answer = self.inner.call(request);
        let state = self.state.clone();
        Box::pin(async move {
            let response = answer.await?.map(Body::new);
            match key {
                Some(key) if response.extensions().get::<Replayable>().is_some() => {
                    Ok(keep(&state, key, generation, response).await)
                }
                _ => Ok(response),
            }
        })
    }
}

/// Keeps `response` under `key`, if its body is whole and small enough, and gives it on.
async fn keep(state: &AppState, key: Key, generation: u64, response: Response) -> Response {
    let exact = response.body().size_hint().exact();
    if exact.is_none_or(|n| n > LARGEST as u64) {
        return response;
    }
    let (parts, body) = response.into_parts();
    // A whole body (as every cached view's is) is read at once, without copying.
    let body = match axum::body::to_bytes(body, LARGEST).await {
        Ok(body) => body,
        // Never for a whole body; the view is lost, so the client is asked to come again.
        Err(err) => {
            tracing::warn!("a cached view's body could not be read: {err}");
            return AppError::Overloaded.into_response();
        }
    };
    // A reload during the render: the response may be of either version, so not kept.
    if state.generation() == generation {
        let replay = Replay {
            generation,
            status: parts.status,
            headers: parts.headers.clone(),
            body: body.clone(),
        };
        state.replays().kept.insert(key, Arc::new(replay));
    }
    Response::from_parts(parts, Body::from(body))
}
