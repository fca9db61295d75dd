//! `indikator`: the command line. Thin glue: it parses arguments, calls the ingest and query
//! crates, and prints. Errors are `anyhow` with context; data problems print one per line as
//! `FILE:LINE:COL: message`. Exit status: 0 on success, 1 on any error, 2 on bad usage (clap).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use indikator_ingest::{Dataset, Error};
use indikator_query::{Dialect, View, YearBound, parse_countries, write_csv};

/// Innovation public procurement indicators for Norway and Sweden.
#[derive(Parser)]
#[command(name = "indikator", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a data folder: every CSV and sidecar, all at once. Prints a summary per
    /// indicator, or every problem as FILE:LINE:COL: message (exit 1).
    Check {
        /// The folder to check.
        #[arg(default_value = "data")]
        dir: PathBuf,
    },
    /// Export one indicator's observations as CSV (indicator, country, period, value, unit,
    /// flag, source title and URL, note).
    Export {
        /// The indicator id, such as innovation-procurements.
        id: String,
        /// Countries, as ISO codes separated by commas: NO,SE. Default: every country.
        #[arg(long)]
        countries: Option<String>,
        /// The first year.
        #[arg(long)]
        from: Option<String>,
        /// The last year, or `latest`.
        #[arg(long, default_value = "latest")]
        to: String,
        /// Read this data folder instead of the dataset built into the program.
        #[arg(long)]
        data: Option<PathBuf>,
        /// `standard` (comma, decimal point) or `excel-nordic` (byte-order mark, semicolon,
        /// decimal comma, CRLF: opens right in Swedish and Norwegian Excel).
        #[arg(long, default_value = "standard")]
        dialect: String,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Check { dir } => check(&dir),
        Command::Export {
            id,
            countries,
            from,
            to,
            data,
            dialect,
            output,
        } => {
            let mut view = View::new(id).to(to.parse::<YearBound>()?);
            if let Some(countries) = countries {
                view = view.countries(parse_countries(&countries)?);
            }
            if let Some(from) = from {
                match from.parse::<YearBound>()? {
                    YearBound::Year(year) => view = view.from(year),
                    YearBound::Latest => {
                        anyhow::bail!("--from takes a year such as 2016, not latest")
                    }
                }
            }
            let dialect: Dialect = dialect.parse().map_err(anyhow::Error::msg)?;
            let data = load(data.as_deref())?;
            export(&data, &view, dialect, output.as_deref())
        }
    }
}

/// Loads `dir`, or the embedded dataset; data problems become one error listing them all.
fn load(dir: Option<&Path>) -> anyhow::Result<Dataset> {
    let loaded = match dir {
        Some(dir) => Dataset::load(dir),
        None => Dataset::embedded(),
    };
    loaded.map_err(|err| match err {
        Error::Invalid { problems, more } => {
            let total = problems.len() + more;
            let listed = Error::Invalid { problems, more };
            anyhow::anyhow!("{listed}\n{total} problem(s); nothing was loaded")
        }
        other => anyhow::Error::new(other),
    })
}

fn check(dir: &Path) -> anyhow::Result<()> {
    let data = load(Some(dir))?;
    let indicators: Vec<_> = data.indicators().collect();
    let rows: usize = indicators.iter().map(|i| i.rows).sum();
    println!(
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
        println!(
            "  {:width$}  {:7}  {:10}  {}–{}  {} rows",
            indicator.meta.id,
            indicator.meta.unit.as_str(),
            indicator.countries.join(","),
            indicator.first_year,
            indicator.last_year,
            indicator.rows,
        );
    }
    Ok(())
}

fn export(
    data: &Dataset,
    view: &View,
    dialect: Dialect,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let selection = view.select(data)?;
    for country in &selection.without_data {
        eprintln!(
            "warning: {} has no observations for {country} in this range",
            view.indicator
        );
    }
    match output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let mut file = std::io::BufWriter::new(file);
            write_csv(&selection, &mut file, dialect)?;
            file.flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => {
            let mut csv = Vec::new();
            write_csv(&selection, &mut csv, dialect)?;
            let written = std::io::stdout().lock().write_all(&csv);
            // A reader that stops early (`| head`) is not an error worth reporting.
            if let Err(err) = written
                && err.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(err).context("cannot write to standard output");
            }
        }
    }
    Ok(())
}
