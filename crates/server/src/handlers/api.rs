//! `/api/v1`: the indicators with their metadata, one view as JSON or CSV, and the status.

use axum::Json;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use indikator_charts::chart_for;
use indikator_query::{Dialect, YearBound, write_csv};
use serde_json::{Value, json};

use super::{Begin, ViewArgs, ViewRequest, base_url, begin, blocking, cached, etag, not_modified};
use crate::error::AppError;
use crate::params::{Parts, ViewParams, with_query};
use crate::state::AppState;

/// `GET /api/v1/indicators`: every indicator with titles, unit, description, sources, notes,
/// annotations, countries, period range and data as of.
pub(crate) async fn indicators(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let loaded = state.current();
    let tag = etag(&loaded, "indicators");
    if let Some(response) = not_modified(&headers, &tag) {
        return response;
    }
    let base = base_url(&state, &headers);
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
                "links": {
                    "json": format!("{base}/api/v1/indicators/{}", meta.id),
                    "csv": format!("{base}/api/v1/indicators/{}.csv", meta.id),
                    "svg": format!("{base}/charts/{}.svg", meta.id),
                    "png": format!("{base}/charts/{}.png", meta.id),
                    "embed": format!("{base}/embed/{}", meta.id),
                },
            })
        })
        .collect();
    let body = json!({ "data_version": loaded.data.version(), "indicators": list });
    cached(&tag, "application/json", Json(body))
}

/// `GET /api/v1/indicators/{id}` (JSON) and `{id}.csv`: one view's observations.
pub(crate) async fn indicator(
    State(state): State<AppState>,
    args: ViewArgs,
) -> Result<Response, AppError> {
    let request = match begin(&state, &args, &[".csv", ""], "api", Parts::ALL)? {
        Begin::NotModified(response) => return Ok(response),
        Begin::Fresh(request) => request,
    };
    let ViewRequest {
        params,
        loaded,
        id,
        ext,
        etag: tag,
    } = request;
    let base = base_url(&state, &args.headers);
    if ext == ".csv" {
        let filename = csv_filename(&id, &params);
        let csv = blocking(move || {
            let selection = params.view(&id).select(&loaded.data)?;
            let mut out = Vec::new();
            write_csv(&selection, &mut out, params.dialect)?;
            Ok(out)
        })
        .await?;
        let mut response = cached(&tag, "text/csv; charset=utf-8", csv);
        let disposition = format!("attachment; filename=\"{filename}\"");
        if let Ok(value) = HeaderValue::from_str(&disposition) {
            response.headers_mut().insert(CONTENT_DISPOSITION, value);
        }
        return Ok(response);
    }
    let body = blocking(move || view_json(&loaded, &id, &params, &base)).await?;
    Ok(cached(&tag, "application/json", Json(body)))
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
    let meta = &selection.indicator.meta;
    let observations: Vec<Value> = selection
        .observations
        .iter()
        .map(|o| {
            json!({
                "country": o.country,
                "period": o.period.to_string(),
                "start": o.period.start,
                "end": o.period.end,
                "value": o.value,
                "flag": o.flags.to_string(),
                "source": o.source,
                "note": o.note,
            })
        })
        .collect();
    let cited: Vec<&indikator_ingest::Source> = meta
        .sources
        .iter()
        .filter(|s| selection.observations.iter().any(|o| o.source == s.id))
        .collect();
    let data_query = params.query(Parts::DATA);
    let chart_query = params.query(Parts::CHART);
    Ok(json!({
        "indicator": id,
        "title": meta.title.get(params.style.lang),
        "unit": meta.unit,
        "unit_shown": selection.unit_name(),
        "mode": params.mode.to_string(),
        "view": {
            "countries": selection.countries,
            "from": params.from,
            "to": match params.to { YearBound::Latest => json!("latest"), YearBound::Year(y) => json!(y) },
        },
        "data_version": loaded.data.version(),
        "data_as_of": meta.data_as_of(),
        "observations": observations,
        "countries_without_data": selection.without_data,
        "notes": spec.notes,
        "sources": cited,
        "links": {
            "csv": with_query(&format!("{base}/api/v1/indicators/{id}.csv"), &data_query),
            "svg": with_query(&format!("{base}/charts/{id}.svg"), &chart_query),
            "png": with_query(&format!("{base}/charts/{id}.png"), &chart_query),
            "embed": with_query(&format!("{base}/embed/{id}"), &chart_query),
        },
    }))
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
    let source = match state.source() {
        crate::DataSource::Embedded => "embedded".to_owned(),
        crate::DataSource::Dir(dir) => dir.display().to_string(),
    };
    let body = json!({
        "data_version": loaded.data.version(),
        "loaded_at": time(loaded.loaded_at),
        "source": source,
        "indicators": loaded.data.indicators().count(),
        "last_reload_at": status.attempted_at.map(time),
        "last_reload_error": status.error,
    });
    let mut response = Json(body).into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
