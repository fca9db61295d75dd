//! `indikator`: the command line. Thin glue: it parses arguments, calls the ingest, query and
//! charts crates, and prints. Errors are `anyhow` with context; data problems print one per line
//! as `FILE:LINE:COL: message`. Exit status: 0 on success, 1 on any error, 2 on bad usage (clap).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use indikator_charts::{Style, chart_for, render_png, render_svg};
use indikator_ingest::{Dataset, Error, Lang};
use indikator_query::{Dialect, Mode, View, YearBound, parse_countries, write_csv};

/// `println!`, except that a closed standard output (`indikator check data | head -1`) ends
/// the program quietly with status 0, as ripgrep does, instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(err) = writeln!(std::io::stdout().lock(), $($arg)*) {
            stdout_failed(&err);
        }
    }};
}

/// What a failed write to standard output does: nothing more to say if the reader left,
/// else an error.
fn stdout_failed(err: &std::io::Error) -> ! {
    if err.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("error: cannot write to standard output: {err}");
    std::process::exit(1);
}

/// Innovation public procurement indicators for Norway and Sweden.
#[derive(Parser)]
#[command(name = "indikator", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the dashboard, the API, chart images and embeds. Prints the URL it listens on.
    /// With --data it watches the folder and reloads on change and on SIGHUP, keeping the last
    /// good data if the new files have problems.
    Serve {
        /// Where to listen.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Serve this data folder instead of the dataset built into the program.
        #[arg(long)]
        data: Option<PathBuf>,
        /// The public origin for absolute links (oEmbed, embed snippets) when behind a proxy,
        /// such as `https://indikator.example`. Without it, links name the address served.
        #[arg(long)]
        public_url: Option<String>,
        /// The memory kept for rendered views (pages, charts, exports), in MiB.
        #[arg(long, default_value_t = indikator_server::DEFAULT_CACHE_MB, value_parser = clap::value_parser!(u64).range(1..=65_536))]
        cache_mb: u64,
    },
    /// Turn a JSON-stat 2.0 dataset (as the statbanks of Statistics Norway and Statistics
    /// Sweden return it) into an indicator in the project's format: `ID.csv` and `ID.toml`.
    ImportJsonstat {
        /// The JSON-stat file.
        file: PathBuf,
        /// The indicator id to write.
        #[arg(long)]
        indicator: String,
        /// Fix a dimension other than country and time to one category: NAME=CODE (repeat).
        #[arg(long = "dimension", value_name = "NAME=CODE")]
        dimensions: Vec<String>,
        /// The country, where the dataset has no country dimension (or it is fixed).
        #[arg(long)]
        country: Option<String>,
        /// Map a category of the country dimension to an ISO code: CATEGORY=CODE (repeat).
        #[arg(long = "country-map", value_name = "CATEGORY=CODE")]
        country_map: Vec<String>,
        /// `count` or `percent`, where the dataset does not say percent.
        #[arg(long)]
        unit: Option<String>,
        /// Where the dataset came from (its API URL), for the sidecar's source.
        #[arg(long)]
        source_url: String,
        /// The folder to write into.
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
    /// Recount indicators from raw TED notice exports under one definition for every country:
    /// all notices, competitive dialogue or innovation partnership, and R&D (CPV 73). Writes
    /// one dataset per definition into --out. Or, with --generate, write a synthetic export.
    Notices(NoticesArgs),
    /// Check a data folder: every CSV and sidecar, all at once. Prints a summary per
    /// indicator, or every problem as FILE:LINE:COL: message (exit 1).
    Check {
        /// The folder to check.
        #[arg(default_value = "data")]
        dir: PathBuf,
    },
    /// Export one indicator's observations: CSV (indicator, country, period, value, unit, flag,
    /// source title and URL, note), JSON, JSON-stat 2.0 or SDMX-CSV.
    Export {
        #[command(flatten)]
        view: ViewArgs,
        /// `csv`, `json`, `jsonstat` (JSON-stat 2.0) or `sdmx-csv`.
        #[arg(long, default_value = "csv")]
        format: String,
        /// `standard` (comma, decimal point) or `excel-nordic` (byte-order mark, semicolon,
        /// decimal comma, CRLF: opens right in Swedish and Norwegian Excel).
        #[arg(long, default_value = "standard")]
        dialect: String,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Draw one indicator as a chart, SVG or PNG.
    Render {
        #[command(flatten)]
        view: ViewArgs,
        /// `line` or `bar` (grouped by year).
        #[arg(long, default_value = "line")]
        kind: String,
        /// `linear` or `log` (for positive values).
        #[arg(long, default_value = "linear")]
        scale: String,
        /// Language of labels and numbers: `en`, `sv` or `nb`.
        #[arg(long, default_value = "en")]
        lang: String,
        /// `light` or `dark`.
        #[arg(long, default_value = "light")]
        theme: String,
        /// Width in pixels, 200–4000.
        #[arg(long, default_value_t = 800)]
        width: u32,
        /// Height in pixels, 150–3000.
        #[arg(long, default_value_t = 500)]
        height: u32,
        /// `svg` or `png`. Default: from the -o file's extension, else svg.
        #[arg(long)]
        format: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
}

/// What `notices` does: recount from exports, or write a synthetic one.
#[derive(Args)]
struct NoticesArgs {
    /// TED CSV exports: contract notices or contract award notices (told apart by the header).
    files: Vec<PathBuf>,
    /// The folder to write the datasets into (one per definition).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Instead of counting, write a synthetic TED award-notice CSV with this many rows (-o).
    #[arg(long, conflicts_with = "out")]
    generate: Option<u64>,
    /// The generator's seed: the same seed gives the same file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The file the generator writes.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
}

/// What to show: the same for every command that shows a view.
#[derive(Args)]
struct ViewArgs {
    /// The indicator id, such as innovation-procurements.
    id: String,
    /// Countries, as ISO codes separated by commas: NO,SE. Default: every country (a chart shows
    /// the indicator's default countries where its sidecar names them).
    #[arg(long)]
    countries: Option<String>,
    /// The first year.
    #[arg(long)]
    from: Option<String>,
    /// The last year, or `latest`.
    #[arg(long, default_value = "latest")]
    to: String,
    /// `absolute`, `index` (first year shown = 100) or `share:<denominator-id>` (per 1 000).
    #[arg(long, default_value = "absolute")]
    mode: String,
    /// Read this data folder instead of the dataset built into the program.
    #[arg(long)]
    data: Option<PathBuf>,
}

impl ViewArgs {
    fn view(&self) -> anyhow::Result<View> {
        let mut view = View::new(&self.id)
            .to(self.to.parse::<YearBound>()?)
            .mode(self.mode.parse::<Mode>()?);
        if let Some(countries) = &self.countries {
            view = view.countries(parse_countries(countries)?);
        }
        if let Some(from) = &self.from {
            match from.parse::<YearBound>()? {
                YearBound::Year(year) => view = view.from(year),
                YearBound::Latest => anyhow::bail!("--from takes a year such as 2016, not latest"),
            }
        }
        Ok(view)
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", report(&err));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes, each cause added only if the message before does not already say
/// it (the library errors name their cause in their own message).
fn report(err: &anyhow::Error) -> String {
    let mut text = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve {
            addr,
            data,
            public_url,
            cache_mb,
        } => {
            tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| "info,tower_http=info".into()),
                )
                .init();
            indikator_server::run(indikator_server::Config {
                addr,
                data,
                public_url,
                cache_mb,
            })
            .map_err(|err| match err {
                indikator_server::ServeError::Load(err) => data_error(err),
                other => anyhow::Error::new(other),
            })
        }
        Command::Check { dir } => check(&dir),
        Command::Notices(args) => notices(args),
        Command::Export {
            view,
            format,
            dialect,
            output,
        } => {
            let dialect: Dialect = dialect.parse().map_err(anyhow::Error::msg)?;
            if !["csv", "json", "jsonstat", "sdmx-csv"].contains(&format.as_str()) {
                anyhow::bail!(
                    "--format `{format}` is not allowed; use csv, json, jsonstat or sdmx-csv"
                );
            }
            let query = view.view()?;
            let data = load(view.data.as_deref())?;
            let selection = query.select(&data)?.require_some()?;
            warn_without_data(&query, &selection.without_data);
            let notes: Vec<String> = selection
                .indicator
                .meta
                .notes_for(&selection.countries)
                .map(|n| n.text.en.clone())
                .collect();
            let mut out = Vec::new();
            match format.as_str() {
                "json" => serde_json::to_writer_pretty(
                    &mut out,
                    &indikator_formats::view_json(&selection, Lang::En, &notes),
                )?,
                "jsonstat" => serde_json::to_writer_pretty(
                    &mut out,
                    &indikator_formats::to_jsonstat(&selection, Lang::En, &notes),
                )?,
                "sdmx-csv" => indikator_formats::write_sdmx_csv(&selection, &mut out)?,
                _ => write_csv(&selection, &mut out, dialect)?,
            }
            emit(&out, output.as_deref())
        }
        Command::ImportJsonstat {
            file,
            indicator,
            dimensions,
            country,
            country_map,
            unit,
            source_url,
            out,
        } => {
            let pairs = |flag: &str, items: &[String]| -> anyhow::Result<Vec<(String, String)>> {
                items
                    .iter()
                    .map(|item| {
                        item.split_once('=')
                            .map(|(a, b)| (a.to_owned(), b.to_owned()))
                            .ok_or_else(|| anyhow::anyhow!("{flag} {item}: write NAME=CODE"))
                    })
                    .collect()
            };
            let unit = match unit.as_deref() {
                None => None,
                Some("count") => Some(indikator_ingest::Unit::Count),
                Some("percent") => Some(indikator_ingest::Unit::Percent),
                Some(other) => {
                    anyhow::bail!("--unit `{other}` is not allowed; use count or percent")
                }
            };
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let options = indikator_formats::ImportOptions {
                indicator: indicator.clone(),
                fixed: pairs("--dimension", &dimensions)?,
                country,
                country_map: pairs("--country-map", &country_map)?,
                unit,
                source_url,
                accessed: indikator_notices::today(),
            };
            let import = indikator_formats::import_jsonstat(&text, &options)
                .with_context(|| file.display().to_string())?;
            std::fs::create_dir_all(&out)
                .with_context(|| format!("cannot create {}", out.display()))?;
            for (ext, body) in [("csv", &import.csv), ("toml", &import.toml)] {
                let path = out.join(format!("{indicator}.{ext}"));
                std::fs::write(&path, body)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            say!(
                "wrote {indicator}.csv and {indicator}.toml to {}: {} observations, {} cells without a value left out",
                out.display(),
                import.rows,
                import.missing
            );
            Ok(())
        }
        Command::Render {
            view,
            kind,
            scale,
            lang,
            theme,
            width,
            height,
            format,
            output,
        } => {
            let style = Style {
                kind: option("--kind", &kind)?,
                scale: option("--scale", &scale)?,
                theme: option("--theme", &theme)?,
                lang: lang
                    .parse::<Lang>()
                    .map_err(|e| anyhow::anyhow!("--lang: {e}"))?,
                width,
                height,
            };
            let format = match (
                format.as_deref(),
                output.as_deref().and_then(Path::extension),
            ) {
                (Some(format), _) => format.to_owned(),
                (None, Some(ext)) => ext.to_string_lossy().to_ascii_lowercase(),
                (None, None) => "svg".to_owned(),
            };
            if format != "svg" && format != "png" {
                anyhow::bail!("--format `{format}` is not allowed; use svg or png");
            }
            style.validate()?;
            let query = view.view()?;
            let data = load(view.data.as_deref())?;
            let query = query.or_default_countries(&data);
            let selection = query.select(&data)?.require_some()?;
            warn_without_data(&query, &selection.without_data);
            let (series, spec) = chart_for(&selection, &query, style);
            let bytes = if format == "png" {
                render_png(&series, &spec)?
            } else {
                render_svg(&series, &spec)?.into_bytes()
            };
            emit(&bytes, output.as_deref())
        }
    }
}

/// Parses a chart option, naming the flag in the error.
fn option<T: std::str::FromStr<Err = String>>(flag: &str, text: &str) -> anyhow::Result<T> {
    text.parse().map_err(|e| anyhow::anyhow!("{flag}: {e}"))
}

/// Loads `dir`, or the embedded dataset; data problems become one error listing them all.
fn load(dir: Option<&Path>) -> anyhow::Result<Dataset> {
    let loaded = match dir {
        Some(dir) => Dataset::load(dir),
        None => Dataset::embedded(),
    };
    loaded.map_err(data_error)
}

/// A load error; data problems are listed one per line, then counted.
fn data_error(err: Error) -> anyhow::Error {
    match err {
        Error::Invalid { problems, more } => {
            let total = problems.len() + more;
            let listed = Error::Invalid { problems, more };
            anyhow::anyhow!("{listed}\n{total} problem(s); nothing was loaded")
        }
        other => anyhow::Error::new(other),
    }
}

fn check(dir: &Path) -> anyhow::Result<()> {
    let data = load(Some(dir))?;
    let indicators: Vec<_> = data.indicators().collect();
    let rows: usize = indicators.iter().map(|i| i.rows).sum();
    say!(
        "{}: {} indicators, {rows} observations, no problems",
        dir.display(),
        indicators.len()
    );
    let width = indicators
        .iter()
        .map(|i| i.meta.id.len())
        .max()
        .unwrap_or(0);
    for indicator in indicators {
        // A long list of codes would push the years off the line; the count says enough.
        let countries = match indicator.countries.len() {
            0..=4 => indicator.countries.join(","),
            n => format!("{n} countries"),
        };
        say!(
            "  {:width$}  {:7}  {:12}  {}–{}  {} rows",
            indicator.meta.id,
            indicator.meta.unit.as_str(),
            countries,
            indicator.first_year,
            indicator.last_year,
            indicator.rows,
        );
    }
    Ok(())
}

fn notices(args: NoticesArgs) -> anyhow::Result<()> {
    if let Some(rows) = args.generate {
        let Some(path) = args.output else {
            anyhow::bail!("--generate writes a file: give it with -o FILE");
        };
        let file = std::fs::File::create(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        indikator_notices::generate(rows, args.seed, file)
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!(
            "wrote {rows} synthetic TED award-notice rows (seed {}) to {}",
            args.seed,
            path.display()
        );
        return Ok(());
    }
    let Some(out) = args.out else {
        anyhow::bail!("give the folder to write the datasets into with --out DIR");
    };
    let progress = |p: &indikator_notices::Progress<'_>| {
        let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
        eprintln!(
            "{}: {:.1} of {:.1} MiB read, {} rows, {:.0} rows/s",
            p.file,
            mib(p.read),
            mib(p.size),
            p.rows,
            p.rows_per_second
        );
    };
    let recount = indikator_notices::recount(&args.files, &progress)?;
    let written = indikator_notices::write_datasets(&recount, &out, &indikator_notices::today())?;
    for file in &recount.files {
        say!(
            "{}: {} layout, {} rows, {} bytes, SHA-256 {}",
            file.name,
            file.layout.short(),
            file.rows,
            file.bytes,
            file.sha256
        );
    }
    for bad in &recount.bad_rows {
        say!("{}:{}: left out: {}", bad.file, bad.line, bad.problem);
    }
    let unlisted = recount.bad_total - recount.bad_rows.len() as u64;
    if unlisted > 0 {
        say!("… and {unlisted} more bad rows left out");
    }
    for (code, years) in &recount.unknown_countries {
        say!("left out: country code `{code}` is not ISO 3166-1 ({years} country-years)");
    }
    for (index, definition) in indikator_notices::DEFINITIONS.iter().enumerate() {
        let total: u64 = recount
            .counts
            .values()
            .map(|c| c.by_definition[index])
            .sum();
        say!(
            "{}: {} notices in {} country-years",
            definition.id,
            total,
            recount.counts.len()
        );
    }
    say!("wrote {} files to {}", written.len(), out.display());
    Ok(())
}

fn warn_without_data(view: &View, countries: &[String]) {
    for country in countries {
        eprintln!(
            "warning: {} has no observations for {country} in this view",
            view.indicator
        );
    }
}

/// Writes `bytes` to `output`, or to standard output.
fn emit(bytes: &[u8], output: Option<&Path>) -> anyhow::Result<()> {
    match output {
        Some(path) => {
            std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let written = std::io::stdout().lock().write_all(bytes);
            // A reader that stops early (`| head`) is not an error worth reporting.
            match written {
                Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(err).context("cannot write to standard output")
                }
                _ => Ok(()),
            }
        }
    }
}
