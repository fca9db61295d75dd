//! `/api/v1`: the indicators with their metadata, one view as JSON or CSV, and the status.

use axum::Json;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use indikator_charts::chart_for;
use indikator_query::{Dialect, write_csv};
use serde_json::{Value, json};

use super::{
    Begin, ViewArgs, ViewRequest, accepts_gzip, base_url, begin, etag, not_modified, respond,
};
use crate::error::AppError;
use crate::params::{Link, Parts, ViewParams};
use crate::state::AppState;

const JSON: &str = "application/json";
const CSV: &str = "text/csv; charset=utf-8";

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
    respond(&state, &tag, JSON, accepts_gzip(&headers), move || {
        Ok(serde_json::to_vec(&indicators_json(&loaded, &base))?)
    })
    .await
}

fn indicators_json(loaded: &crate::state::Loaded, base: &str) -> Value {
    let list: Vec<Value> = loaded
        .data
        .indicators()
        .map(|indicator| {
            let meta = &indicator.meta;
            json!({
                "id": meta.id,
                "title": meta.title,
                "description": meta.description,
                "unit": meta.unit,
                "decimals": meta.decimals,
                "countries": indicator.countries,
                "period": { "first": indicator.first_year, "last": indicator.last_year },
                "rows": indicator.rows,
                "data_as_of": meta.data_as_of(),
                "sources": meta.sources,
                "notes": meta.notes,
                "annotations": meta.annotations,
                // What `mode=share:<id>` may divide by, and what a chart shows first.
                "denominators": meta.denominators,
                "default_countries": meta.default_countries,
                "links": {
                    "json": Link::Json.url(base, &meta.id, None),
                    "csv": Link::Csv.url(base, &meta.id, None),
                    "jsonstat": Link::JsonStat.url(base, &meta.id, None),
                    "sdmx_csv": Link::SdmxCsv.url(base, &meta.id, None),
                    "svg": Link::Svg.url(base, &meta.id, None),
                    "png": Link::Png.url(base, &meta.id, None),
                    "embed": Link::Embed.url(base, &meta.id, None),
                },
            })
        })
        .collect();
    json!({ "data_version": loaded.data.version(), "indicators": list })
}

/// `GET /api/v1/indicators/{id}` (JSON) and `{id}.csv`: one view's observations.
pub(crate) async fn indicator(
    State(state): State<AppState>,
    args: ViewArgs,
) -> Result<Response, AppError> {
    let request = match begin(
        &state,
        &args,
        &[".sdmx.csv", ".csv", ".jsonstat", ""],
        "api",
        Parts::ALL,
    )? {
        Begin::NotModified(response) => return Ok(response),
        Begin::Fresh(request) => request,
    };
    let ViewRequest {
        params,
        loaded,
        id,
        ext,
        etag: tag,
        gzip,
    } = request;
    let base = base_url(&state);
    if ext == ".csv" {
        let filename = csv_filename(&id, &params);
        let mut response = respond(&state, &tag, CSV, gzip, move || {
            let selection = params.view(&id).select(&loaded.data)?;
            let mut out = Vec::new();
            write_csv(&selection, &mut out, params.dialect)?;
            Ok(out)
        })
        .await?;
        let disposition = format!("attachment; filename=\"{filename}\"");
        if let Ok(value) = HeaderValue::from_str(&disposition) {
            response.headers_mut().insert(CONTENT_DISPOSITION, value);
        }
        return Ok(response);
    }
    let content_type = if ext == ".sdmx.csv" { CSV } else { JSON };
    respond(&state, &tag, content_type, gzip, move || match ext {
        ".jsonstat" => Ok(serde_json::to_vec(&view_jsonstat(&loaded, &id, &params)?)?),
        ".sdmx.csv" => {
            let selection = params.view(&id).select(&loaded.data)?;
            let mut out = Vec::new();
            indikator_formats::write_sdmx_csv(&selection, &mut out)?;
            Ok(out)
        }
        _ => Ok(serde_json::to_vec(&view_json(
            &loaded, &id, &params, &base,
        )?)?),
    })
    .await
}

fn view_json(
    loaded: &crate::state::Loaded,
    id: &str,
    params: &ViewParams,
    base: &str,
) -> Result<Value, AppError> {
    let view = params.view(id);
    let selection = view.select(&loaded.data)?;
    let (_, spec) = chart_for(&selection, &view, params.style);
    let mut body = indikator_formats::view_json(&selection, params.style.lang, &spec.notes);
    if let Some(object) = body.as_object_mut() {
        object.insert("data_version".into(), json!(loaded.data.version()));
        object.insert(
            "links".into(),
            json!({
                "csv": Link::Csv.url(base, id, Some(params)),
                "jsonstat": Link::JsonStat.url(base, id, Some(params)),
                "sdmx_csv": Link::SdmxCsv.url(base, id, Some(params)),
                "svg": Link::Svg.url(base, id, Some(params)),
                "png": Link::Png.url(base, id, Some(params)),
                "embed": Link::Embed.url(base, id, Some(params)),
            }),
        );
    }
    Ok(body)
}

/// The view as JSON-stat 2.0.
fn view_jsonstat(
    loaded: &crate::state::Loaded,
    id: &str,
    params: &ViewParams,
) -> Result<Value, AppError> {
    let view = params.view(id);
    let selection = view.select(&loaded.data)?;
    let (_, spec) = chart_for(&selection, &view, params.style);
    Ok(indikator_formats::to_jsonstat(
        &selection,
        params.style.lang,
        &spec.notes,
    ))
}

/// A file name that names the view: `innovation-procurements_NO-SE_2010-latest.csv`.
fn csv_filename(id: &str, params: &ViewParams) -> String {
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
    name + ".csv"
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
    let cache = state.responses().stats();
    let body = json!({
        "data_version": loaded.data.version(),
        "loaded_at": time(loaded.loaded_at),
        "source": source,
        "indicators": loaded.data.indicators().count(),
        "last_reload_at": status.attempted_at.map(time),
        "last_reload_error": status.error,
        "watching": status.watching,
        "watch_error": status.watch_error,
        "cache": {
            "budget_bytes": cache.budget_bytes,
            "bytes": cache.bytes,
            "entries": cache.entries,
            "hits": cache.hits,
            "renders": cache.renders,
            "overloaded": cache.overloaded,
        },
    });
    let mut response = Json(body).into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
