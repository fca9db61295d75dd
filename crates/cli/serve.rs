//! `indikator serve`.

use crate::args::ServeArgs;
use crate::data_error;

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .init();
    indikator_server::run(indikator_server::Config {
        addr: args.addr,
        data: args.data,
        public_url: args.public_url,
        cache_mb: args.cache_mb,
    })
    .map_err(|err| match err {
        indikator_server::ServeError::Load(err) => data_error(err),
        other => anyhow::Error::new(other),
    })
}
