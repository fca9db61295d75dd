//! The one error type of the HTTP layer and its one JSON shape, `{"error": "…"}`.
//!
//! Policy: a caller's mistake is a 4xx whose message says what to change; a failure of ours is
//! a 500 with a generic message, and the detail goes to the log (axum's error-handling
//! example).

use axum::Json;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use indikator_query::QueryError;

use crate::params::MAX_QUERY;
use crate::views::ErrorBody;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A query parameter with a value that is not allowed.
    #[error("parameter `{name}`: {message}")]
    BadParam {
        /// The parameter.
        name: &'static str,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A query parameter whose value is not one of its names.
    #[error("parameter `{name}`: `{value}` is not allowed; use {}", list(allowed))]
    NotAllowed {
        /// The parameter.
        name: &'static str,
        /// The value given.
        value: String,
        /// The values it takes.
        allowed: Vec<&'static str>,
    },
    /// Something that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// An indicator that does not exist.
    #[error("unknown indicator `{id}`; the indicators are: {}", known.join(", "))]
    UnknownIndicator {
        /// The id asked for.
        id: String,
        /// Every id there is.
        known: Vec<String>,
    },
    /// A query string over the limit.
    #[error("the query string is {0} bytes; at most {MAX_QUERY} are allowed")]
    QueryTooLong(usize),
    /// A format this route does not offer.
    #[error("{0}")]
    NotImplemented(String),
    /// Too many renders are waiting; the client should try again shortly.
    #[error("the server is busy; try again in a second")]
    Overloaded,
    /// A failure of ours; the detail is logged, not sent.
    #[error("internal error")]
    Internal(String),
}

impl From<QueryError> for AppError {
    fn from(err: QueryError) -> Self {
        match err {
            QueryError::UnknownIndicator { id, known } => AppError::UnknownIndicator { id, known },
            QueryError::UnknownCountry { .. } => AppError::BadParam {
                name: "countries",
                message: err.to_string(),
            },
            QueryError::BadYear { .. } | QueryError::ReversedRange { .. } => AppError::BadParam {
                name: "time",
                message: err.to_string(),
            },
            QueryError::BadMode { .. }
            | QueryError::NotADenominator { .. }
            | QueryError::NoCommonBase { .. } => AppError::BadParam {
                name: "mode",
                message: err.to_string(),
            },
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<serde_json::Error> for AppError {
    fn from(err: serde_json::Error) -> Self {
        AppError::Internal(format!("cannot write JSON: {err}"))
    }
}

impl From<indikator_charts::ChartError> for AppError {
    fn from(err: indikator_charts::ChartError) -> Self {
        use indikator_charts::ChartError;
        match err {
            ChartError::Size { what, .. } => AppError::BadParam {
                name: what,
                message: err.to_string(),
            },
            ChartError::LogScale { .. } => AppError::BadParam {
                name: "scale",
                message: err.to_string(),
            },
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.to_string(),
            known: match &self {
                AppError::UnknownIndicator { known, .. } => Some(known.clone()),
                _ => None,
            },
        };
        self.answer(Json(body))
    }
}

impl AppError {
    /// The error as an HTML page for a reader (the dashboard and embed routes), with the
    /// status and headers the JSON answer has; `stylesheet` is the page's or the embed's.
    pub(crate) fn for_people(self, lang: indikator_ingest::Lang, stylesheet: &str) -> Response {
        let page = crate::html::error_page(&self.to_string(), lang, stylesheet).into_string();
        self.answer(Html(page))
    }

    /// `body` with this error's status (and `Retry-After` for 503); an internal error's detail
    /// is logged here, once, whatever the body.
    fn answer(self, body: impl IntoResponse) -> Response {
        let status = match &self {
            AppError::BadParam { .. } | AppError::NotAllowed { .. } => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) | AppError::UnknownIndicator { .. } => StatusCode::NOT_FOUND,
            AppError::QueryTooLong(_) => StatusCode::URI_TOO_LONG,
            AppError::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
            AppError::Overloaded => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut response = (status, body).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// The page language a query string asks for, read on its own: an error page speaks it even
/// when another parameter is wrong.
pub(crate) fn lang_of(query: Option<&str>) -> indikator_ingest::Lang {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(key, _)| key == "lang")
        .and_then(|(_, value)| {
            indikator_ingest::Lang::ALL
                .into_iter()
                .find(|lang| lang.code() == value.trim())
        })
        .unwrap_or(indikator_ingest::Lang::En)
}

/// `a`, `a or b`, `a, b or c`.
fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}
