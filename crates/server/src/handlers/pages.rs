//! `/`: the dashboard page, server-rendered, working without JavaScript; `/embed/{id}`: the
//! page for an iframe.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::http::header::IF_NONE_MATCH;
use axum::response::Response;
use indikator_charts::{ChartSpec, Foot, Style, Theme, ValueUnit, chart_for, render_svg};
use indikator_ingest::country_name;
use indikator_query::{Mode, QueryError};

use super::{Begin, ViewArgs, accepts_gzip, base_url, begin, etag, known, not_modified, respond};
use crate::error::{AppError, lang_of};
use crate::html::{self, Dashboard, ModeChoice};
use crate::params::{Format, Parts, ViewParams, with_query};
use crate::state::{AppState, Loaded};

/// The chart as SVG in the chosen theme, or light while the theme follows the reader's
/// system: the page's and the embed's CSS then recolour it when the system is dark
/// (`assets::dark_chart_rules`), so one drawing serves both.
fn drawing(
    series: &[indikator_charts::Series],
    spec: &ChartSpec,
    params: &ViewParams,
) -> Result<(&'static str, String), AppError> {
    let theme = if params.theme_chosen {
        params.style.theme
    } else {
        Theme::Light
    };
    let spec = ChartSpec {
        style: Style {
            theme,
            ..spec.style
        },
        ..spec.clone()
    };
    Ok((theme.as_str(), render_svg(series, &spec)?))
}

/// The size the page's chart is drawn at: the desktop column (64rem less its padding), as
/// `dashboard/fit.js`'s `chartSize(990)` gives it, so a desktop does not ask again.
const PAGE_CHART: (u32, u32) = (990, 614);

/// The overview: each indicator as a card with a small chart of its default countries, their
/// latest values, unit, years, and whether the countries are measured alike.
fn overview(loaded: &Loaded, params: &ViewParams) -> maud::Markup {
    let data = &loaded.data;
    let lang = params.style.lang;
    let cards = data
        .indicators()
        .map(|indicator| {
            let id = &indicator.meta.id;
            let view = ViewParams {
                indicator: Some(id.clone()),
                ..ViewParams::default()
            }
            .view(id)
            .or_default_countries(data);
            let selection = view.select(data).ok();
            let latest = selection
                .as_ref()
                .map(|s| {
                    s.countries
                        .iter()
                        .filter_map(|c| {
                            let last = s
                                .observations
                                .iter()
                                .filter(|o| o.country == *c && o.value.is_some())
                                .max_by_key(|o| o.period.end)?;
                            let value = indikator_charts::value_label(
                                last.value?,
                                ValueUnit::of(indicator.meta.unit),
                                indicator.meta.decimals,
                                lang,
                            );
                            Some((country_name(c, lang), value, last.period.to_string()))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let shown = selection
                .as_ref()
                .map_or_else(Vec::new, |s| s.countries.clone());
            let page = ViewParams {
                indicator: Some(id.clone()),
                style: Style {
                    lang,
                    ..Style::default()
                },
                ..ViewParams::default()
            };
            html::Card {
                id: id.clone(),
                title: indicator.meta.title.get(lang).to_owned(),
                // A card shows the indicator as it is (no index or share mode).
                unit: ValueUnit::of(indicator.meta.unit).name(lang).to_owned(),
                years: (indicator.first_year, indicator.last_year),
                countries: indicator.countries.len(),
                latest,
                like_for_like: !selection.as_ref().is_some_and(|s| s.not_like_for_like()),
                href: with_query("/", &page.query(Parts::ALL)),
                chart: ViewParams {
                    countries: shown,
                    style: Style {
                        lang,
                        foot: Foot::Bare,
                        ..Style::default()
                    },
                    ..ViewParams::default()
                },
            }
        })
        .collect::<Vec<_>>();
    html::overview(params, &cards)
}

/// The modes the page offers for this view, each with why it cannot be chosen, if so: index
/// needs one year with values for every country shown; a share, a value of its declared
/// denominator for each of them.
fn modes(loaded: &Loaded, params: &ViewParams, id: &str) -> Vec<ModeChoice> {
    let data = &loaded.data;
    let lang = params.style.lang;
    let w = html::words(lang);
    let try_mode = |mode: Mode| {
        let view = ViewParams {
            mode,
            ..params.clone()
        }
        .view(id)
        .or_default_countries(data);
        view.select(data)
    };
    let mut choices = vec![ModeChoice {
        value: Mode::Absolute.to_string(),
        label: w.absolute.to_owned(),
        why_not: None,
    }];
    let index_why = match try_mode(Mode::Index) {
        Err(QueryError::NoCommonBase { years, .. }) => {
            Some(format!("{} {}", w.index_needs, country_years(&years, lang)))
        }
        _ => None,
    };
    choices.push(ModeChoice {
        value: Mode::Index.to_string(),
        label: w.index.to_owned(),
        why_not: index_why,
    });
    let Some(indicator) = data.indicator(id) else {
        return choices;
    };
    for denominator in indicator
        .meta
        .denominators
        .iter()
        .filter_map(|d| data.indicator(d))
    {
        let label = indikator_charts::per_thousand(lang, denominator.meta.title.get(lang));
        let mode = Mode::Share(denominator.meta.id.clone());
        let why_not = match try_mode(mode.clone()) {
            Ok(selection)
                if selection.without_data.is_empty() && !selection.observations.is_empty() =>
            {
                None
            }
            Ok(selection) => {
                let missing = if selection.without_data.is_empty() {
                    selection.countries.clone()
                } else {
                    selection.without_data.clone()
                };
                let names: Vec<String> = missing.iter().map(|c| country_name(c, lang)).collect();
                Some(format!("{label}: {} {}.", w.share_needs, names.join(", ")))
            }
            Err(err) => Some(format!("{label}: {err}")),
        };
        choices.push(ModeChoice {
            value: mode.to_string(),
            label,
            why_not,
        });
    }
    choices
}

/// "Norway 2010, 2016; Sweden 2022." with the countries named in `lang`.
fn country_years(years: &[(String, String)], lang: indikator_ingest::Lang) -> String {
    years
        .iter()
        .map(|(code, periods)| format!("{} {periods}", country_name(code, lang)))
        .collect::<Vec<_>>()
        .join("; ")
        + "."
}

/// The dashboard page; what cannot be shown is an HTML page in the reader's language.
pub(crate) async fn index(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of(query.as_deref());
    match page_response(state, query.as_deref(), headers).await {
        Ok(response) => response,
        Err(err) => err.for_people(lang, "style.css"),
    }
}

async fn page_response(
    state: AppState,
    query: Option<&str>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let params = ViewParams::parse(query)?;
    let loaded = state.current();
    let base = base_url(&state);
    // No indicator chosen: the overview, every indicator as a card.
    let Some(id) = &params.indicator else {
        let tag = etag(&loaded, &format!("overview?{}", params.query(Parts::ALL)));
        if let Some(response) = not_modified(&headers, &tag) {
            return Ok(response);
        }
        return respond(
            &state,
            &tag,
            Format::Embed.content_type(),
            accepts_gzip(&headers),
            move || Ok(overview(&loaded, &params).into_string().into_bytes()),
        )
        .await;
    };
    let id = known(&loaded, id)?;
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
    let modes = modes(loaded, &params, id);
    // A mode this view cannot have (kept from another indicator or view, or typed in the
    // address) falls back to the values as published; the form says why beside it.
    let current = params.mode.to_string();
    if modes
        .iter()
        .find(|m| m.value == current)
        .is_none_or(|m| m.why_not.is_some())
    {
        params.mode = indikator_query::Mode::Absolute;
    }
    let view = params.view(id).or_default_countries(data);
    let selection = view.select(data)?;
    // Drawn for the page: its notes and sources are printed beside it in larger text, and its
    // width is the desktop column's until the script asks for the width it is shown at.
    let defaults = Style::default();
    let style = Style {
        foot: Foot::Brief,
        width: if params.style.width == defaults.width {
            PAGE_CHART.0
        } else {
            params.style.width
        },
        height: if params.style.height == defaults.height {
            PAGE_CHART.1
        } else {
            params.style.height
        },
        ..params.style
    };
    let (series, spec) = chart_for(&selection, &view, style);
    let description = indikator_charts::describe(&series, &spec);
    let chart = drawing(&series, &spec, &params)?;
    let chart_params = ViewParams {
        style: Style {
            foot: Foot::Brief,
            ..params.style
        },
        ..params.clone()
    };
    let not_like_for_like = selection.not_like_for_like().then(|| {
        indicator
            .meta
            .like_for_like
            .as_deref()
            .and_then(|other| data.indicator(other))
            .map(|other| (other.meta.id.clone(), other.meta.title.get(lang).to_owned()))
    });
    let mut countries = indicator.countries.clone();
    countries.extend(selection.countries.iter().cloned());
    countries.sort();
    countries.dedup();
    let dashboard = Dashboard {
        params: &params,
        base,
        canonical: with_query(&format!("{base}/"), &params.query(Parts::ALL)),
        share: with_query(
            &format!("{base}/"),
            &ViewParams {
                tab: None,
                ..params.clone()
            }
            .query(Parts::ALL),
        ),
        indicators: data
            .indicators()
            .map(|i| (i.meta.id.clone(), i.meta.title.get(lang).to_owned()))
            .collect(),
        countries,
        indicator_countries: indicator.countries.clone(),
        meta: &indicator.meta,
        years: (indicator.first_year, indicator.last_year),
        modes,
        not_like_for_like,
        chart_src: Format::Svg.url("", id, Some(&chart_params)),
        chart_width: style.width,
        chart,
        description,
        spec,
        observations: selection.observations.clone(),
        shown: selection.countries.clone(),
    };
    Ok(html::page(&dashboard))
}

/// The embed page; what cannot be shown is an HTML page in the reader's language.
pub(crate) async fn embed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of(query.as_deref());
    let args = ViewParams::parse(query.as_deref()).map(|params| ViewArgs {
        file,
        params,
        if_none_match: headers.get(IF_NONE_MATCH).cloned(),
        gzip: accepts_gzip(&headers),
    });
    let answer = match args {
        Ok(args) => embed_response(state, args).await,
        Err(err) => Err(err),
    };
    answer.unwrap_or_else(|err| err.for_people(lang, "embed.css"))
}

async fn embed_response(state: AppState, args: ViewArgs) -> Result<Response, AppError> {
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
            let chart = drawing(&series, &spec, &request.params)?;
            let markup = html::embed(&request.params, &request.id, &spec.title, &chart);
            Ok(markup.into_string().into_bytes())
        },
    )
    .await
}
