//! `/`: the dashboard page, server-rendered, working without JavaScript; `/embed/{id}`: the
//! page for an iframe.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use indikator_charts::{ChartSpec, Style, Theme, chart_for, render_svg};

use super::{Begin, ViewArgs, accepts_gzip, base_url, begin, etag, known, not_modified, respond};
use crate::error::AppError;
use crate::html::{self, Dashboard};
use crate::params::{Format, Parts, ViewParams, with_query};
use crate::state::{AppState, Loaded};

/// The indicator the page shows when none is chosen.
const DEFAULT_INDICATOR: &str = "innovation-procurements";

pub(crate) async fn index(
    State(state): State<AppState>,
    params: ViewParams,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let loaded = state.current();
    let id = match &params.indicator {
        Some(id) => known(&loaded, id)?,
        None => match loaded.data.indicator(DEFAULT_INDICATOR) {
            Some(_) => DEFAULT_INDICATOR.to_owned(),
            None => loaded
                .data
                .indicators()
                .next()
                .map(|i| i.meta.id.clone())
                .unwrap_or_default(),
        },
    };
    let base = base_url(&state);
    let tag = etag(&loaded, &format!("page:{id}?{}", params.query(Parts::ALL)));
    if let Some(response) = not_modified(&headers, &tag) {
        return Ok(response);
    }
    respond(
        &state,
        &tag,
        Format::Embed.content_type(),
        accepts_gzip(&headers),
        move || {
            Ok(page(&loaded, params, &id, &base)?
                .into_string()
                .into_bytes())
        },
    )
    .await
}

fn page(
    loaded: &Loaded,
    mut params: ViewParams,
    id: &str,
    base: &str,
) -> Result<maud::Markup, AppError> {
    let data = &loaded.data;
    let indicator = super::indicator(loaded, id)?;
    let lang = params.style.lang;
    params.indicator = Some(id.to_owned());
    // The denominators its sidecar declares, which `check` made sure are counts in the data.
    let denominators: Vec<(String, String)> = indicator
        .meta
        .denominators
        .iter()
        .filter_map(|id| data.indicator(id))
        .map(|d| (d.meta.id.clone(), d.meta.title.get(lang).to_owned()))
        .collect();
    // A share the form cannot offer (the indicator was changed, keeping the mode) falls back.
    if let indikator_query::Mode::Share(denominator) = &params.mode
        && !denominators.iter().any(|(id, _)| id == denominator)
    {
        params.mode = indikator_query::Mode::Absolute;
    }
    let view = params.view(id).or_default_countries(data);
    let selection = view.select(data)?;
    let (series, spec) = chart_for(&selection, &view, params.style);
    let description = indikator_charts::describe(&series, &spec);
    let themes: Vec<Theme> = if params.theme_chosen {
        vec![params.style.theme]
    } else {
        vec![Theme::Light, Theme::Dark]
    };
    let mut charts = Vec::new();
    for theme in themes {
        let spec = ChartSpec {
            style: Style {
                theme,
                ..spec.style
            },
            ..spec.clone()
        };
        charts.push((theme.as_str(), render_svg(&series, &spec)?));
    }
    let mut countries = indicator.countries.clone();
    countries.extend(selection.countries.iter().cloned());
    countries.sort();
    countries.dedup();
    let dashboard = Dashboard {
        params: &params,
        base,
        canonical: with_query(&format!("{base}/"), &params.query(Parts::ALL)),
        indicators: data
            .indicators()
            .map(|i| (i.meta.id.clone(), i.meta.title.get(lang).to_owned()))
            .collect(),
        countries,
        indicator_countries: indicator.countries.clone(),
        meta: &indicator.meta,
        years: (indicator.first_year, indicator.last_year),
        denominators,
        charts,
        description,
        spec,
        observations: selection.observations.clone(),
        shown: selection.countries.clone(),
    };
    Ok(html::page(&dashboard))
}

pub(crate) async fn embed(
    State(state): State<AppState>,
    args: ViewArgs,
) -> Result<Response, AppError> {
    let request = match begin(&state, args, &[Format::Embed], "embed", Parts::CHART)? {
        Begin::NotModified(response) => return Ok(response),
        Begin::Fresh(request) => request,
    };
    let tag = request.etag.clone();
    respond(
        &state,
        &tag,
        Format::Embed.content_type(),
        request.gzip,
        move || {
            let (series, spec) = super::chart(&request.loaded, &request.params, &request.id)?;
            let svg = render_svg(&series, &spec)?;
            let markup = html::embed(&request.params, &request.id, &spec.title, &svg);
            Ok(markup.into_string().into_bytes())
        },
    )
    .await
}
