//! The download bundle, as Our World in Data offers one: a zip of the view's data (CSV),
//! `metadata.json` (unit, sources, notes, the flag key, the columns) and a README that says
//! what is in it and how to cite it. Everything an analyst needs to use the numbers without
//! the site.

use std::io::{Cursor, Write};

use indikator_ingest::{Flag, Lang, Source, country_name};
use indikator_query::{Dialect, EXPORT_COLUMNS, QueryError, Selection, write_csv};
use serde::Serialize;

/// What went wrong writing a bundle.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The data could not be written.
    #[error(transparent)]
    Data(#[from] QueryError),
    /// The zip could not be written.
    #[error("cannot write the zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// The metadata could not be written.
    #[error("cannot write metadata.json: {0}")]
    Json(#[from] serde_json::Error),
    /// Writing to memory failed.
    #[error("cannot write the bundle: {0}")]
    Io(#[from] std::io::Error),
}

/// What the CSV's columns hold, for `metadata.json` and the README.
const COLUMN_MEANINGS: [&str; 17] = [
    "the indicator's id",
    "ISO 3166-1 alpha-2 code",
    "the country's name in the bundle's language",
    "the period as published: a year, or first/last year of a span such as 2018/2022",
    "the period's first year",
    "the period's last year",
    "the value, with every digit it was published with; empty where there is none",
    "the unit of `value` (count, percent, index, or per 1000 of a denominator)",
    "flag letters (see `flags`)",
    "the row's note",
    "index mode only: the base year (= 100)",
    "index mode only: the value as published, before indexing",
    "who published the row's source",
    "the source's title",
    "the source's address",
    "when the source was published (n.d.: no date given)",
    "when the source was read",
];

#[derive(Serialize)]
struct Metadata<'a> {
    indicator: &'a str,
    title: &'a str,
    description: &'a str,
    unit: String,
    /// The view this bundle holds, as a query string of the site's API.
    view: &'a str,
    countries: Vec<Country>,
    notes: Vec<&'a str>,
    flags: Vec<FlagKey>,
    sources: Vec<&'a Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    like_for_like: Option<&'a str>,
    data_file: String,
    columns: Vec<Column>,
    data_version: &'a str,
}

#[derive(Serialize)]
struct Country {
    code: String,
    name: String,
}

#[derive(Serialize)]
struct FlagKey {
    letter: char,
    meaning: &'static str,
}

#[derive(Serialize)]
struct Column {
    name: &'static str,
    meaning: &'static str,
}

/// What goes into a bundle besides the selection.
pub struct BundleOptions<'a> {
    /// Language of names, titles and notes.
    pub lang: Lang,
    /// The view's notes, as the chart and the other formats give them.
    pub notes: &'a [String],
    /// The CSV dialect of the data file.
    pub dialect: Dialect,
    /// The view as a query string (what the site's API takes).
    pub view: &'a str,
    /// Where the view is on the site, for the README's citation.
    pub url: &'a str,
    /// The dataset's version.
    pub data_version: &'a str,
}

/// The bundle of `selection` as zip bytes: `<id>.csv`, `metadata.json`, `README.md`.
pub fn write_bundle(
    selection: &Selection<'_>,
    options: &BundleOptions<'_>,
) -> Result<Vec<u8>, BundleError> {
    let meta = &selection.indicator.meta;
    let lang = options.lang;
    let data_file = format!("{}.csv", meta.id);
    let mut csv = Vec::new();
    write_csv(selection, &mut csv, options.dialect, lang)?;
    let metadata = Metadata {
        indicator: &meta.id,
        title: meta.title.get(lang),
        description: meta.description.get(lang),
        unit: selection.unit_name(),
        view: options.view,
        countries: selection
            .countries
            .iter()
            .map(|c| Country {
                code: c.clone(),
                name: country_name(c, lang),
            })
            .collect(),
        notes: options.notes.iter().map(String::as_str).collect(),
        flags: Flag::ALL
            .iter()
            .map(|f| FlagKey {
                letter: f.letter(),
                meaning: f.meaning(),
            })
            .collect(),
        sources: crate::cited(selection),
        like_for_like: meta.like_for_like.as_deref(),
        data_file: data_file.clone(),
        columns: EXPORT_COLUMNS
            .iter()
            .zip(COLUMN_MEANINGS)
            .map(|(name, meaning)| Column { name, meaning })
            .collect(),
        data_version: options.data_version,
    };
    let readme = readme(&metadata, options.url);

    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let file = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(data_file.as_str(), file)?;
    zip.write_all(&csv)?;
    zip.start_file("metadata.json", file)?;
    zip.write_all(&serde_json::to_vec_pretty(&metadata)?)?;
    zip.start_file("README.md", file)?;
    zip.write_all(readme.as_bytes())?;
    Ok(zip.finish()?.into_inner())
}

/// The README of a bundle, from its metadata: what is in it, its notes and sources, and how
/// to cite it.
fn readme(metadata: &Metadata<'_>, url: &str) -> String {
    let names: Vec<&str> = metadata.countries.iter().map(|c| c.name.as_str()).collect();
    let mut text = format!(
        "# {}\n\n{}\n\nUnit: {}. Countries: {}. From indikator, data version {}: {url}\n\n",
        metadata.title,
        metadata.description,
        metadata.unit,
        names.join(", "),
        metadata.data_version,
    );
    text.push_str(&format!(
        "## Files\n\n- `{}`: one row per country and period; its columns are described in `metadata.json` (`columns`). A missing year has no row; an empty `value` is a value not published.\n- `metadata.json`: unit, countries, notes, the flag key, every source cited, the columns.\n- `README.md`: this file.\n\n",
        metadata.data_file
    ));
    if !metadata.notes.is_empty() {
        text.push_str("## Notes\n\n");
        for note in &metadata.notes {
            text.push_str(&format!("- {note}\n"));
        }
        text.push('\n');
    }
    text.push_str("## Sources\n\n");
    for source in &metadata.sources {
        text.push_str(&format!(
            "- {}: {}. {} (published {}, read {}).\n",
            source.producer, source.title, source.url, source.published, source.accessed
        ));
    }
    let producers: Vec<&str> = metadata
        .sources
        .iter()
        .map(|s| s.producer.as_str())
        .collect();
    text.push_str(&format!(
        "\n## Cite\n\nindikator, {}. Data from {}. {url}\n",
        metadata.title,
        producers.join("; "),
    ));
    text
}
