//! `/charts/{id}.svg` and `.png`: the chart for the view, kept in the response cache.

use axum::extract::State;
use axum::response::Response;
use indikator_charts::{render_png, render_svg};

use super::{Begin, ViewArgs, begin, respond};
use crate::error::AppError;
use crate::params::{Format, Parts};
use crate::state::AppState;

pub(crate) async fn chart(
    State(state): State<AppState>,
    args: ViewArgs,
) -> Result<Response, AppError> {
    let request = match begin(&state, args, &Format::CHART, "chart", Parts::CHART)? {
        Begin::NotModified(response) => return Ok(response),
        Begin::Fresh(request) => request,
    };
    let tag = request.etag.clone();
    let format = request.format;
    Box::pin(respond(
        &state,
        &tag,
        format.content_type(),
        request.gzip,
        move || {
            let (series, spec) = super::chart(&request.loaded, &request.params, &request.id)?;
            Ok(match format {
                Format::Png => render_png(&series, &spec)?,
                _ => render_svg(&series, &spec)?.into_bytes(),
            })
        },
    ))
    .await
}
