//! `/`: the dashboard page, server-rendered, working without JavaScript; `/embed/{id}`: the
//! page for an iframe.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use indikator_charts::{chart_for, render_svg};
use indikator_ingest::Source;

use super::{Begin, ViewArgs, base_url, begin, blocking, cached, etag, known, not_modified};
use crate::error::AppError;
use crate::html::{self, Controls, Section};
use crate::params::{Parts, ViewParams, with_query};
use crate::state::{AppState, Loaded};

const HTML: &str = "text/html; charset=utf-8";

pub(crate) async fn index(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let params = ViewParams::parse(query.as_deref())?;
    let loaded = state.current();
    if let Some(id) = &params.indicator {
        known(&loaded, id)?;
    }
    let base = base_url(&state, &headers);
    let tag = etag(
        &loaded,
        &format!("page:{base}?{}", params.query(Parts::ALL)),
    );
    if let Some(response) = not_modified(&headers, &tag) {
        return Ok(response);
    }
    let markup = blocking(move || page(&loaded, &params, &base)).await?;
    Ok(cached(&tag, HTML, markup.into_string()))
}

fn page(loaded: &Loaded, params: &ViewParams, base: &str) -> Result<maud::Markup, AppError> {
    let lang = params.style.lang;
    let data = &loaded.data;
    let mut countries: Vec<String> = data
        .indicators()
        .flat_map(|i| i.countries.iter().cloned())
        .collect();
    countries.sort();
    countries.dedup();
    let controls = Controls {
        indicators: data
            .indicators()
            .map(|i| (i.meta.id.clone(), i.meta.title.get(lang).to_owned()))
            .collect(),
        countries,
        has_denominator: data.indicator("advertised-procurements").is_some(),
    };
    let mut sections = Vec::new();
    for indicator in data.indicators() {
        let id = &indicator.meta.id;
        if params.indicator.as_ref().is_some_and(|chosen| chosen != id) {
            continue;
        }
        // A share of the indicator by itself says nothing; show it as published.
        let mut params = params.clone();
        if matches!(&params.mode, indikator_query::Mode::Share(d) if d == id) {
            params.mode = indikator_query::Mode::Absolute;
        }
        let view = params.view(id);
        let selection = view.select(data)?;
        let (series, spec) = chart_for(&selection, &view, params.style);
        let svg = render_svg(&series, &spec)?;
        let cited: Vec<Source> = indicator
            .meta
            .sources
            .iter()
            .filter(|s| selection.observations.iter().any(|o| o.source == s.id))
            .cloned()
            .collect();
        sections.push(Section {
            meta: &indicator.meta,
            spec,
            svg,
            observations: selection.observations.clone(),
            cited,
        });
    }
    let self_url = with_query(&format!("{base}/"), &params.query(Parts::ALL));
    Ok(html::page(params, base, &self_url, &controls, &sections))
}

pub(crate) async fn embed(
    State(state): State<AppState>,
    args: ViewArgs,
) -> Result<Response, AppError> {
    let request = match begin(&state, &args, &[""], "embed", Parts::CHART)? {
        Begin::NotModified(response) => return Ok(response),
        Begin::Fresh(request) => request,
    };
    let tag = request.etag.clone();
    let markup = blocking(move || {
        let (series, spec) = super::chart(&request.loaded, &request.params, &request.id)?;
        let svg = render_svg(&series, &spec)?;
        Ok(html::embed(&request.params, &request.id, &spec.title, &svg))
    })
    .await?;
    Ok(cached(&tag, HTML, markup.into_string()))
}
