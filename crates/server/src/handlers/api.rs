//! `/api/v1`: the indicators with their metadata, one view as JSON or CSV, and the status.

use axum::Json;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use indikator_charts::view_notes;
use indikator_query::{Dialect, write_csv};
use serde_json::Value;

use super::{
    Begin, ViewArgs, ViewRequest, accepts_gzip, base_url, begin, etag, not_modified, respond,
};
use crate::error::AppError;
use crate::params::{Format, Parts, ViewParams, with_query};
use crate::state::AppState;
use crate::views::{ApiView, IndicatorEntry, IndicatorList, Links, Status};

/// `GET /api/v1/indicators`: every indicator with titles, unit, description, sources, notes,
/// annotations, countries, period range and data as of.
pub(crate) async fn indicators(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let loaded = state.current();
    let tag = etag(&loaded, "indicators");
    if let Some(response) = not_modified(&headers, &tag) {
        return Ok(response);
    }
    let base = base_url(&state);
    respond(
        &state,
        &tag,
        Format::Json.content_type(),
        accepts_gzip(&headers),
        move || Ok(serde_json::to_vec(&indicators_json(&loaded, &base))?),
    )
    .await
}

fn indicators_json<'a>(loaded: &'a crate::state::Loaded, base: &str) -> IndicatorList<'a> {
    IndicatorList {
        data_version: loaded.data.version(),
        indicators: loaded
            .data
            .indicators()
            .map(|indicator| IndicatorEntry::new(indicator, base))
            .collect(),
    }
}

/// `GET /api/v1/indicators/{id}` (JSON) and `{id}.csv`: one view's observations.
pub(crate) async fn indicator(
    State(state): State<AppState>,
    args: ViewArgs,
) -> Result<Response, AppError> {
    let request = match begin(&state, args, &Format::DATA, "api", Parts::ALL)? {
        Begin::NotModified(response) => return Ok(response),
        Begin::Fresh(request) => request,
    };
    let ViewRequest {
        params,
        loaded,
        id,
        format,
        etag: tag,
        gzip,
    } = request;
    let base = base_url(&state);
    // Only downloads are named (CSV and the zip bundle); the other formats skip the work.
    let filename = match format {
        Format::Csv => Some(download_name(&id, &params) + ".csv"),
        Format::Zip => Some(download_name(&id, &params) + ".zip"),
        _ => None,
    };
    let mut response = respond(
        &state,
        &tag,
        format.content_type(),
        gzip,
        move || match format {
            Format::Csv => {
                let selection = params.view(&id).select(&loaded.data)?;
                let mut out = Vec::new();
                write_csv(&selection, &mut out, params.dialect, params.style.lang)?;
                Ok(out)
            }
            Format::SdmxCsv => {
                let selection = params.view(&id).select(&loaded.data)?;
                let mut out = Vec::new();
                indikator_formats::write_sdmx_csv(&selection, &mut out)?;
                Ok(out)
            }
            Format::JsonStat => Ok(serde_json::to_vec(&view_jsonstat(&loaded, &id, &params)?)?),
            Format::Zip => {
                let selection = params.view(&id).select(&loaded.data)?;
                let page = ViewParams {
                    indicator: Some(id.clone()),
                    ..params.clone()
                };
                let url = with_query(&format!("{base}/"), &page.query(Parts::ALL));
                let notes = view_notes(&selection, params.style.lang);
                let options = indikator_formats::BundleOptions {
                    lang: params.style.lang,
                    notes: &notes,
                    dialect: params.dialect,
                    view: &params.query(Parts::DATA),
                    url: &url,
                    data_version: loaded.data.version(),
                };
                indikator_formats::write_bundle(&selection, &options)
                    .map_err(|e| AppError::Internal(e.to_string()))
            }
            Format::Json | Format::Embed | Format::Svg | Format::Png => {
                view_json(&loaded, &id, &params, &base)
            }
        },
    )
    .await?;
    if let Some(filename) = filename {
        let disposition = format!("attachment; filename=\"{filename}\"");
        if let Ok(value) = HeaderValue::from_str(&disposition) {
            response.headers_mut().insert(CONTENT_DISPOSITION, value);
        }
    }
    Ok(response)
}

fn view_json(
    loaded: &crate::state::Loaded,
    id: &str,
    params: &ViewParams,
    base: &str,
) -> Result<Vec<u8>, AppError> {
    let selection = params.view(id).select(&loaded.data)?;
    let notes = view_notes(&selection, params.style.lang);
    // The view itself is formats' JSON; the server adds the data version and where the view
    // is in the other formats.
    let body = ApiView {
        data_version: loaded.data.version(),
        links: Links::new(base, id, Some(params), false),
        view: indikator_formats::view_json(&selection, params.style.lang, &notes),
    };
    Ok(serde_json::to_vec(&body)?)
}

/// The view as JSON-stat 2.0.
fn view_jsonstat(
    loaded: &crate::state::Loaded,
    id: &str,
    params: &ViewParams,
) -> Result<Value, AppError> {
    let selection = params.view(id).select(&loaded.data)?;
    let notes = view_notes(&selection, params.style.lang);
    Ok(indikator_formats::to_jsonstat(
        &selection,
        params.style.lang,
        &notes,
    ))
}

/// A file name that names the view: `innovation-procurements_NO-SE_2010-latest.csv`.
/// A download's file name without its extension: the indicator, countries, years, mode and
/// dialect, so that files of different views never overwrite one another.
fn download_name(id: &str, params: &ViewParams) -> String {
    let countries = if params.countries.is_empty() {
        "all".to_owned()
    } else {
        params.countries.join("-")
    };
    let from = params.from.map_or("first".to_owned(), |y| y.to_string());
    let mut name = format!("{id}_{countries}_{from}-{}", params.to);
    if params.mode != indikator_query::Mode::Absolute {
        name.push('_');
        name.push_str(&params.mode.to_string().replace(':', "-"));
    }
    if params.dialect == Dialect::ExcelNordic {
        name.push_str("_excel-nordic");
    }
    name
}

/// `GET /api/v1/status`: the data version, when it was loaded, and the last reload error.
pub(crate) async fn status(State(state): State<AppState>) -> Response {
    let loaded = state.current();
    let status = state.status();
    let time = |t: std::time::SystemTime| humantime::format_rfc3339_seconds(t).to_string();
    // The folder's name only: where it is on the server is nobody's business.
    let source = match state.source() {
        crate::DataSource::Embedded => "embedded".to_owned(),
        crate::DataSource::Dir(dir) => crate::state::folder_name(dir),
    };
    let body = Status {
        data_version: loaded.data.version().to_owned(),
        loaded_at: time(loaded.loaded_at),
        source,
        indicators: loaded.data.indicators().count(),
        last_reload_at: status.attempted_at.map(time),
        last_reload_error: status.error,
        watching: status.watching,
        watch_error: status.watch_error,
        cache: {
            let mut stats = state.responses().stats();
            state.replays().add_stats(&mut stats);
            stats
        },
    };
    let mut response = Json(body).into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
