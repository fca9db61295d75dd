//! `indikator`: the command line. Thin glue: `args.rs` turns the arguments into the libraries'
//! types, one module per command calls the ingest, query, charts, formats, notices and server
//! crates, and this file dispatches and prints. Data problems print one per line as
//! `FILE:LINE:COL: message`. Exit status: 0 on success, 1 on any error, 2 on bad usage (clap).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use indikator_ingest::{Dataset, Error};
use indikator_query::View;

/// `println!`, except that a closed standard output (`indikator check data | head -1`) ends
/// the program quietly with status 0, as ripgrep does, instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(err) = writeln!(std::io::stdout().lock(), $($arg)*) {
            $crate::stdout_failed(&err);
        }
    }};
}

mod args;
mod check;
mod export;
mod import;
mod notices;
mod render;
mod serve;

use args::{Cli, Command};

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Serve(args) => serve::run(args),
        Command::ImportJsonstat(args) => import::run(args),
        Command::Notices(args) => notices::run(args),
        Command::Check { dir } => check::run(&dir),
        Command::Export(args) => export::run(args),
        Command::Render(args) => render::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", report(&err));
            ExitCode::FAILURE
        }
    }
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

/// One warning per country asked for that has no data in the view.
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
