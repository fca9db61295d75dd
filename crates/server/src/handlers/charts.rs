//! `/charts/{id}.svg` and `.png`: the chart for the view, kept in the response cache.

use axum::extract::State;
use axum::response::Response;
use indikator_charts::{render_png, render_svg};

use super::{Begin, ViewArgs, begin, respond};
use crate::error::AppError;
use crate::params::Parts;
use crate::state::AppState;

pub(crate) async fn chart(
    State(state): State<AppState>,
    args: ViewArgs,
) -> Result<Response, AppError> {
    let request = match begin(&state, &args, &[".svg", ".png"], "chart", Parts::CHART)? {
        Begin::NotModified(response) => return Ok(response),
        Begin::Fresh(request) => request,
    };
    let tag = request.etag.clone();
    let png = request.ext == ".png";
    let content_type = if png { "image/png" } else { "image/svg+xml" };
    respond(&state, &tag, content_type, request.gzip, move || {
        let (series, spec) = super::chart(&request.loaded, &request.params, &request.id)?;
        Ok(if png {
            render_png(&series, &spec)?
        } else {
            render_svg(&series, &spec)?.into_bytes()
        })
    })
    .await
}
