//! Every option of every command, parsed by clap into the library's own types. A value that is
//! not allowed is a usage error: exit status 2, with clap's message naming the option and the
//! values it takes.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use indikator_charts::{HEIGHTS, Kind, Scale, Theme, WIDTHS};
use indikator_ingest::{Lang, Unit};
use indikator_query::{Dialect, Mode, QueryError, View, YearBound, parse_countries};

/// Innovation public procurement indicators for Norway and Sweden.
#[derive(Parser)]
#[command(name = "indikator", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the dashboard, the API, chart images and embeds. Prints the URL it listens on.
    /// With --data it watches the folder and reloads on change and on SIGHUP, keeping the last
    /// good data if the new files have problems.
    Serve(ServeArgs),
    /// Turn a JSON-stat 2.0 dataset (as the statbanks of Statistics Norway and Statistics
    /// Sweden return it) into an indicator in the project's format: `ID.csv` and `ID.toml`.
    ImportJsonstat(ImportArgs),
    /// Recount indicators from raw notice data under one definition for every country: TED
    /// CSV exports, Upphandlingsmyndigheten's statistics database (xlsx or CSV), DFØ's Doffin
    /// files and eForms XML (files, folders, .tar.gz packages), each layout found from the
    /// input. Definitions: all notices, competitive dialogue or innovation partnership, R&D (CPV
    /// 73) and the innovation flag; --definitions prints what each counts. Writes one dataset
    /// per definition into --out. Or, with --generate, write synthetic input.
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
    Export(ExportArgs),
    /// Draw one indicator as a chart, SVG or PNG.
    Render(RenderArgs),
}

#[derive(Args)]
pub struct ServeArgs {
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Serve this data folder instead of the dataset built into the program.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// The public origin for absolute links (oEmbed, embed snippets) when behind a proxy,
    /// such as `https://indikator.example`. Without it, links name the address served.
    #[arg(long)]
    pub public_url: Option<String>,
    /// The memory kept for rendered views (pages, charts, exports), in MiB; whole responses
    /// kept for repeat requests get a quarter of this more.
    #[arg(long, default_value_t = indikator_server::DEFAULT_CACHE_MB, value_parser = clap::value_parser!(u64).range(1..=65_536))]
    pub cache_mb: u64,
}

#[derive(Args)]
pub struct ImportArgs {
    /// The JSON-stat file.
    pub file: PathBuf,
    /// The indicator id to write.
    #[arg(long)]
    pub indicator: String,
    /// Fix a dimension other than country and time to one category: NAME=CODE (repeat).
    #[arg(long = "dimension", value_name = "NAME=CODE", value_parser = pair)]
    pub dimensions: Vec<(String, String)>,
    /// The country, where the dataset has no country dimension (or it is fixed).
    #[arg(long)]
    pub country: Option<String>,
    /// Map a category of the country dimension to an ISO code: CATEGORY=CODE (repeat).
    #[arg(long = "country-map", value_name = "CATEGORY=CODE", value_parser = pair)]
    pub country_map: Vec<(String, String)>,
    /// The unit, where the dataset does not say percent.
    #[arg(long, value_enum)]
    pub unit: Option<Unit>,
    /// Where the dataset came from (its API URL), for the sidecar's source.
    #[arg(long)]
    pub source_url: String,
    /// The folder to write into.
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
}

/// What `notices` does: recount, print the definitions, or write synthetic input.
#[derive(Args)]
pub struct NoticesArgs {
    /// The inputs, in any mix of layouts: TED CSV exports (contract or award notices),
    /// Upphandlingsmyndigheten exports (.xlsx or CSV), DFØ Doffin CSV files, eForms .xml
    /// files, folders of them, or TED's daily .tar.gz packages.
    #[arg(required_unless_present_any = ["generate", "definitions"])]
    pub files: Vec<PathBuf>,
    /// The folder to write the datasets into (one per definition).
    #[arg(long, required_unless_present_any = ["generate", "definitions"])]
    pub out: Option<PathBuf>,
    /// Which notices count where a source mixes kinds (Doffin, eForms): calls for
    /// competition, results (awards), or all.
    #[arg(long, value_enum, default_value_t = NoticeKind::Competition)]
    pub kind: NoticeKind,
    /// Print the table of labels, form numbers and codes each definition counts by, as TOML
    /// to save, change and give back with --definitions-file.
    #[arg(long, conflicts_with_all = ["out", "generate"])]
    pub definitions: bool,
    /// Count by this table instead (TOML, as --definitions prints; keys left out keep
    /// their defaults).
    #[arg(long, value_name = "FILE.toml")]
    pub definitions_file: Option<PathBuf>,
    /// Also write one row per counted notice (id, country, year, kind, procedure, main CPV,
    /// innovation flag, source file) to this Parquet file.
    #[arg(long, value_name = "FILE.parquet")]
    pub notice_table: Option<PathBuf>,
    /// The start of the dataset ids (default: `ted` for TED CSV only, `eforms` for eForms
    /// only, `national` otherwise).
    #[arg(long, value_parser = parse_prefix)]
    pub prefix: Option<String>,
    /// Instead of counting, write synthetic input with this many rows or notices (-o).
    #[arg(long, conflicts_with = "out", requires = "output", value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub generate: Option<u64>,
    /// The layout --generate writes.
    #[arg(long, value_enum, default_value_t = GenerateLayout::Ted)]
    pub layout: GenerateLayout,
    /// The generator's seed: the same seed gives the same file.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The file the generator writes (for eforms: a folder, or a .tar.gz package).
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
}

/// `--kind`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NoticeKind {
    /// Calls for competition.
    Competition,
    /// Results: award notices.
    Result,
    /// Every notice.
    All,
}

impl From<NoticeKind> for indikator_notices::Kind {
    fn from(kind: NoticeKind) -> Self {
        match kind {
            NoticeKind::Competition => Self::Competition,
            NoticeKind::Result => Self::Result,
            NoticeKind::All => Self::All,
        }
    }
}

/// `--layout` of the generator.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenerateLayout {
    /// TED CSV, contract award notices.
    Ted,
    /// Upphandlingsmyndigheten's export as CSV (`;`, BOM, the agency's labels).
    UhmCsv,
    /// Upphandlingsmyndigheten's export as xlsx (the cleaned True/False form).
    UhmXlsx,
    /// DFØ's Doffin CSV, in Windows-1252.
    Doffin,
    /// eForms XML: a folder of notices, or a .tar.gz package if -o ends so.
    Eforms,
}

impl From<GenerateLayout> for indikator_notices::Generated {
    fn from(layout: GenerateLayout) -> Self {
        match layout {
            GenerateLayout::Ted => Self::Ted,
            GenerateLayout::UhmCsv => Self::UhmCsv,
            GenerateLayout::UhmXlsx => Self::UhmXlsx,
            GenerateLayout::Doffin => Self::Doffin,
            GenerateLayout::Eforms => Self::Eforms,
        }
    }
}

/// A dataset id prefix: lower-case letters, digits and `-`, as ids are.
fn parse_prefix(text: &str) -> Result<String, String> {
    let ok = !text.is_empty()
        && text.len() <= 40
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-');
    if ok {
        Ok(text.to_owned())
    } else {
        Err("write the prefix in lower-case letters, digits and `-`, such as `national` (at most 40)".into())
    }
}

/// The formats `export` writes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// CSV in the chosen dialect.
    Csv,
    /// The view as JSON, as the API gives it.
    Json,
    /// JSON-stat 2.0.
    Jsonstat,
    /// SDMX-CSV 2.0.
    SdmxCsv,
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub view: ViewArgs,
    /// The format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
    /// `standard` (comma, decimal point) or `excel-nordic` (byte-order mark, semicolon,
    /// decimal comma, CRLF: opens right in Swedish and Norwegian Excel).
    #[arg(long, value_enum, default_value = "standard")]
    pub dialect: Dialect,
    /// Language of country names (CSV), labels and notes (JSON, JSON-stat).
    #[arg(long, value_enum, default_value = "en")]
    pub lang: Lang,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
}

/// The image formats `render` writes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImageFormat {
    /// SVG, with a title and a description.
    Svg,
    /// PNG.
    Png,
}

#[derive(Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub view: ViewArgs,
    /// The kind of chart: lines, or bars grouped by year.
    #[arg(long, value_enum, default_value = "line")]
    pub kind: Kind,
    /// The value axis (log for positive values).
    #[arg(long, value_enum, default_value = "linear")]
    pub scale: Scale,
    /// Language of labels and numbers.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: Lang,
    /// Colours.
    #[arg(long, value_enum, default_value = "light")]
    pub theme: Theme,
    /// Width in pixels.
    #[arg(long, default_value_t = 800, value_parser = clap::value_parser!(u32).range(i64::from(*WIDTHS.start())..=i64::from(*WIDTHS.end())))]
    pub width: u32,
    /// Height in pixels.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(i64::from(*HEIGHTS.start())..=i64::from(*HEIGHTS.end())))]
    pub height: u32,
    /// PNG pixels per pixel: 2 or 3 for high-resolution screens and print.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=3))]
    pub density: u32,
    /// The format. Default: from the -o file's extension, else svg.
    #[arg(long, value_enum)]
    pub format: Option<ImageFormat>,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
}

/// Countries, as parsed from `NO,SE`.
#[derive(Clone)]
pub struct Countries(pub Vec<String>);

/// What to show: the same for every command that shows a view.
#[derive(Args)]
pub struct ViewArgs {
    /// The indicator id, such as innovation-procurements.
    pub id: String,
    /// Countries, as ISO codes separated by commas: NO,SE. Default: every country (a chart shows
    /// the indicator's default countries where its sidecar names them).
    #[arg(long, value_parser = countries)]
    pub countries: Option<Countries>,
    /// The first year.
    #[arg(long, value_parser = year)]
    pub from: Option<i32>,
    /// The last year, or `latest`.
    #[arg(long, default_value = "latest", value_parser = year_bound)]
    pub to: YearBound,
    /// `absolute`, `index` (first year shown = 100) or `share:<denominator-id>` (per 1 000 of an
    /// indicator the sidecar declares as its denominator).
    #[arg(long, default_value = "absolute", value_parser = mode)]
    pub mode: Mode,
    /// Read this data folder instead of the dataset built into the program.
    #[arg(long)]
    pub data: Option<PathBuf>,
}

impl ViewArgs {
    /// The view these options ask for.
    pub fn view(&self) -> View {
        let mut view = View::new(&self.id).to(self.to).mode(self.mode.clone());
        if let Some(Countries(countries)) = &self.countries {
            view = view.countries(countries.clone());
        }
        if let Some(from) = self.from {
            view = view.from(from);
        }
        view
    }
}

fn pair(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .ok_or_else(|| "write NAME=CODE".to_owned())
}

fn countries(text: &str) -> Result<Countries, QueryError> {
    parse_countries(text).map(Countries)
}

fn year(text: &str) -> Result<i32, String> {
    match text.parse::<YearBound>() {
        Ok(YearBound::Year(year)) => Ok(year),
        Ok(YearBound::Latest) => Err("takes a year such as 2016, not latest".to_owned()),
        Err(err) => Err(err.to_string()),
    }
}

fn year_bound(text: &str) -> Result<YearBound, QueryError> {
    text.parse()
}

fn mode(text: &str) -> Result<Mode, QueryError> {
    text.parse()
}
