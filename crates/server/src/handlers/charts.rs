//! `/charts/{id}.svg` and `.png`: the chart for the view. PNGs are cached by ETag, since they
//! take ten times longer to make than SVGs.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use indikator_charts::{render_png, render_svg};

use super::{Begin, ViewArgs, begin, blocking, cached};
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
    if request.ext == ".png" {
        if let Some(png) = state.cached_png(&tag) {
            return Ok(cached(&tag, "image/png", png));
        }
        let png = blocking(move || {
            let (series, spec) = super::chart(&request.loaded, &request.params, &request.id)?;
            Ok(Bytes::from(render_png(&series, &spec)?))
        })
        .await?;
        state.keep_png(tag.clone(), png.clone());
        return Ok(cached(&tag, "image/png", png));
    }
    let svg = blocking(move || {
        let (series, spec) = super::chart(&request.loaded, &request.params, &request.id)?;
        Ok(render_svg(&series, &spec)?)
    })
    .await?;
    Ok(cached(&tag, "image/svg+xml", svg))
}
