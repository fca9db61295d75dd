//! JSON-stat 2.0: a view as a dataset (dimensions indicator, country and time; flags as
//! `status`; notes in `note`; sources in `extension`), and a dataset (as PxWeb, the statbank
//! software of Statistics Norway and Statistics Sweden, returns it) as a dataset in the
//! project's format.

use std::collections::BTreeMap;

use indikator_ingest::{
    Flag, IndicatorFiles, Lang, MAX_DECIMALS, Metadata, Observation, Period, Source, SourceKind,
    Text, Unit, country_name, is_iso_alpha2, limits,
};
use indikator_query::Selection;
use serde_json::{Map, Value, json};

use crate::cited;

/// The view as a JSON-stat 2.0 dataset. `notes` are the notes the view shows.
pub fn to_jsonstat(selection: &Selection<'_>, lang: Lang, notes: &[String]) -> Value {
    let meta = &selection.indicator.meta;
    let countries = &selection.countries;
    let mut periods: Vec<Period> = selection.observations.iter().map(|o| o.period).collect();
    periods.sort();
    periods.dedup();
    let times: Vec<String> = periods.iter().map(Period::to_string).collect();
    let mut values = vec![Value::Null; countries.len() * periods.len()];
    let mut status = Map::new();
    let mut observation_notes = Map::new();
    for obs in &selection.observations {
        let (Some(c), Some(t)) = (
            countries.iter().position(|c| *c == obs.country),
            periods.iter().position(|p| *p == obs.period),
        ) else {
            continue;
        };
        let index = c * periods.len() + t;
        values[index] = obs.value.map_or(Value::Null, |v| json!(v));
        if !obs.flags.is_empty() {
            status.insert(index.to_string(), json!(obs.flags.to_string()));
        }
        let note = obs.note_in(lang);
        if !note.is_empty() {
            observation_notes.insert(index.to_string(), json!(note));
        }
    }
    let title = meta.title.get(lang);
    let sources = cited(selection);
    // The view's own date, as its chart gives it.
    let as_of = selection.data_as_of();
    let mut producers: Vec<&str> = Vec::new();
    for source in &sources {
        if !producers.contains(&source.producer.as_str()) {
            producers.push(&source.producer);
        }
    }
    let flags: Map<String, Value> = Flag::ALL
        .iter()
        .map(|f| (f.letter().to_string(), json!(f.meaning())))
        .collect();
    let mut dataset = json!({
        "version": "2.0",
        "class": "dataset",
        "label": title,
        "source": producers.join("; "),
        "id": ["indicator", "country", "time"],
        "size": [1, countries.len(), periods.len()],
        "role": { "time": ["time"], "geo": ["country"], "metric": ["indicator"] },
        "dimension": {
            "indicator": {
                "label": "indicator",
                "category": {
                    "index": [meta.id],
                    "label": { &meta.id: title },
                    "unit": { &meta.id: { "label": selection.unit_name(), "decimals": meta.decimals } },
                },
            },
            "country": {
                "label": "country",
                "category": {
                    "index": countries,
                    "label": countries.iter().map(|c| (c.clone(), json!(country_name(c, lang)))).collect::<Map<_, _>>(),
                },
            },
            "time": {
                "label": "time",
                "category": {
                    "index": times,
                    "label": times.iter().map(|t| (t.clone(), json!(t))).collect::<Map<_, _>>(),
                },
            },
        },
        "value": values,
        "extension": {
            "indikator": {
                "data_as_of": as_of,
                "mode": selection.view.mode.to_string(),
                "sources": sources,
                "observation_notes": observation_notes,
                "flags": flags,
            },
        },
    });
    if let Some(object) = dataset.as_object_mut() {
        // JSON-stat's `updated` is a date; a source read in a month only (YYYY-MM) is left to
        // the extension's data_as_of.
        if as_of.len() == 10 {
            object.insert("updated".into(), json!(as_of));
        }
        if !status.is_empty() {
            object.insert("status".into(), Value::Object(status));
        }
        if !notes.is_empty() {
            object.insert("note".into(), json!(notes));
        }
    }
    dataset
}

/// How to read a JSON-stat dataset into one indicator.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The indicator id to write.
    pub indicator: String,
    /// Dimensions fixed to one category: (dimension, category id).
    pub fixed: Vec<(String, String)>,
    /// The country, where the dataset has no country dimension (or it is fixed).
    pub country: Option<String>,
    /// Category ids of the country dimension mapped to ISO codes: (category, code).
    pub country_map: Vec<(String, String)>,
    /// The unit, where the dataset does not say.
    pub unit: Option<Unit>,
    /// Where the dataset was fetched from: the source's URL.
    pub source_url: String,
    /// When it was fetched (`YYYY-MM-DD`).
    pub accessed: String,
}

/// An imported indicator: the two files of the project's format.
#[derive(Debug, Clone)]
pub struct Import {
    /// `<id>.csv`.
    pub csv: String,
    /// `<id>.toml`.
    pub toml: String,
    /// Observations written.
    pub rows: usize,
    /// Cells left out because the dataset has no value there.
    pub missing: usize,
}

/// Why a JSON-stat dataset could not be imported.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Not JSON.
    #[error("not JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// JSON, but not a JSON-stat 2.0 dataset, or not one this import understands.
    #[error("{0}")]
    Shape(String),
    /// The options do not fit the dataset.
    #[error("{0}")]
    Options(String),
    /// The result does not pass the check (a bug, not bad input).
    #[error("the imported files do not pass the check:\n{0}")]
    Output(#[from] indikator_ingest::Error),
}

fn shape(message: impl Into<String>) -> ImportError {
    ImportError::Shape(message.into())
}

/// A dimension's category ids, in order.
fn categories(name: &str, dimension: &Value) -> Result<Vec<String>, ImportError> {
    let index = &dimension["category"]["index"];
    if let Some(list) = index.as_array() {
        return Ok(list
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect());
    }
    if let Some(map) = index.as_object() {
        let mut pairs: Vec<(u64, String)> = map
            .iter()
            .map(|(k, v)| (v.as_u64().unwrap_or(u64::MAX), k.clone()))
            .collect();
        pairs.sort();
        return Ok(pairs.into_iter().map(|(_, k)| k).collect());
    }
    // A dimension with a single category may give only its label.
    if let Some(labels) = dimension["category"]["label"].as_object()
        && labels.len() == 1
    {
        return Ok(labels.keys().cloned().collect());
    }
    Err(shape(format!("dimension `{name}` has no category index")))
}

/// The first few of `items`, for a message: a dimension may have thousands.
fn listed(items: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut text = items
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(", … and {} more", items.len() - SHOWN));
    }
    text
}

/// The most cells a dataset to import may declare (the product of its `size`).
pub const MAX_CELLS: u64 = 10_000_000;

/// What a category of a free dimension stands for.
#[derive(Debug, Clone)]
enum Label {
    Country(String),
    Period(Period),
}

/// Reads a JSON-stat 2.0 dataset as one indicator in the project's format. Every dimension
/// other than country and time must be fixed to one category (or have just one); the time
/// categories must be years or spans of years; a missing value leaves its period missing.
pub fn import_jsonstat(text: &str, options: &ImportOptions) -> Result<Import, ImportError> {
    let dataset: Value = serde_json::from_str(text)?;
    if dataset["version"] != "2.0" || dataset["class"] != "dataset" {
        return Err(shape(
            "not a JSON-stat 2.0 dataset: it needs \"version\": \"2.0\" and \"class\": \"dataset\"",
        ));
    }
    let ids: Vec<String> = dataset["id"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let sizes: Vec<usize> = dataset["size"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_u64().map(|n| n as usize))
        .collect();
    if ids.is_empty() || ids.len() != sizes.len() {
        return Err(shape("`id` and `size` must list the same dimensions"));
    }
    // The declared cell count, checked before any work: the product of the sizes must not
    // overflow, and stays under a cap far above any statbank table.
    let cells = sizes
        .iter()
        .try_fold(1u64, |total, size| total.checked_mul(*size as u64))
        .filter(|total| *total <= MAX_CELLS)
        .ok_or_else(|| {
            shape(format!(
                "`size` {sizes:?} declares more than {MAX_CELLS} cells; select fewer categories in the statbank before downloading"
            ))
        })?;
    let role = |name: &str| {
        dataset["role"][name]
            .as_array()
            .and_then(|a| a.first())
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let time = role("time")
        .or_else(|| {
            ids.iter()
                .find(|d| ["tid", "time", "year", "år", "aar"].contains(&d.to_lowercase().as_str()))
                .cloned()
        })
        .ok_or_else(|| shape("no time dimension: the dataset's `role.time` names none"))?;
    let fixed: BTreeMap<&str, &str> = options
        .fixed
        .iter()
        .map(|(d, c)| (d.as_str(), c.as_str()))
        .collect();
    for name in fixed.keys() {
        if !ids.iter().any(|d| d == name) {
            return Err(ImportError::Options(format!(
                "--dimension {name}: the dataset has no such dimension; it has {}",
                ids.join(", ")
            )));
        }
    }
    let geo = role("geo").filter(|g| !fixed.contains_key(g.as_str()));

    // Per dimension: its categories, and which one is fixed (None for country and time).
    let mut axes: Vec<(Vec<String>, Option<usize>)> = Vec::new();
    for (name, size) in ids.iter().zip(&sizes) {
        let cats = categories(name, &dataset["dimension"][name])?;
        if cats.len() != *size {
            return Err(shape(format!(
                "dimension `{name}` has {} categories but `size` says {size}",
                cats.len()
            )));
        }
        let chosen = if *name == time || Some(name) == geo.as_ref() {
            None
        } else if let Some(code) = fixed.get(name.as_str()) {
            let at = cats.iter().position(|c| c == code).ok_or_else(|| {
                ImportError::Options(format!(
                    "--dimension {name}={code}: no such category; it has {}",
                    listed(&cats)
                ))
            })?;
            Some(at)
        } else if cats.len() == 1 {
            Some(0)
        } else {
            return Err(ImportError::Options(format!(
                "dimension `{name}` has {} categories ({}); choose one with --dimension {name}=CODE",
                cats.len(),
                listed(&cats)
            )));
        };
        axes.push((cats, chosen));
    }

    let country_of = |category: &str| -> Result<String, ImportError> {
        if let Some((_, code)) = options.country_map.iter().find(|(c, _)| c == category) {
            return Ok(code.clone());
        }
        let upper = category.to_uppercase();
        if is_iso_alpha2(&upper) {
            Ok(upper)
        } else {
            Err(ImportError::Options(format!(
                "country category `{category}` is not an ISO 3166-1 code; map it with --country-map {category}=XX"
            )))
        }
    };
    let single_country = match (&geo, &options.country) {
        (None, Some(code)) if is_iso_alpha2(code) => Some(code.clone()),
        (None, Some(code)) => return Err(ImportError::Options(format!("--country {code}: not an ISO 3166-1 alpha-2 code, such as NO or SE"))),
        (None, None) => return Err(ImportError::Options("the dataset has no country dimension (or it is fixed): give the country with --country NO".into())),
        (Some(_), _) => None,
    };

    // Every category of the free dimensions is read once, so a bad one is an error whether
    // or not it has values.
    let free: Vec<usize> = axes
        .iter()
        .enumerate()
        .filter(|(_, (_, chosen))| chosen.is_none())
        .map(|(i, _)| i)
        .collect();
    let mut labels: Vec<Vec<Label>> = vec![Vec::new(); axes.len()];
    for &axis in &free {
        labels[axis] = axes[axis]
            .0
            .iter()
            .map(|category| {
                if ids[axis] == time {
                    category.parse::<Period>().map(Label::Period).map_err(|_| {
                        ImportError::Options(format!(
                            "time category `{category}` is not a year or a span of years (2018/2022); only yearly data can be imported"
                        ))
                    })
                } else {
                    country_of(category).map(Label::Country)
                }
            })
            .collect::<Result<_, _>>()?;
    }

    // The values present, in cell order: the work is linear in them, not in the grid.
    let present: Vec<(usize, f64)> =
        match &dataset["value"] {
            Value::Array(values) => {
                if values.len() as u64 != cells {
                    return Err(shape(format!(
                        "`value` has {} entries but `size` declares {cells} cells",
                        values.len()
                    )));
                }
                values
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| Some((i, v.as_f64()?)))
                    .collect()
            }
            Value::Object(values) => {
                let mut present = Vec::with_capacity(values.len());
                for (key, value) in values {
                    let index = key.parse::<u64>().ok().filter(|i| *i < cells).ok_or_else(
                        || {
                            shape(format!(
                                "`value` has key `{key}`, which is not a cell index below {cells}"
                            ))
                        },
                    )?;
                    if let Some(value) = value.as_f64() {
                        present.push((index as usize, value));
                    }
                }
                present.sort_unstable_by_key(|(index, _)| *index);
                present
            }
            _ => {
                return Err(shape(
                    "`value` must be an array or an object of cell values",
                ));
            }
        };
    let status_at = |index: usize| -> Option<String> {
        match &dataset["status"] {
            Value::String(s) => Some(s.clone()),
            Value::Array(list) => list.get(index).and_then(|s| s.as_str()).map(str::to_owned),
            Value::Object(map) => map
                .get(&index.to_string())
                .and_then(|s| s.as_str())
                .map(str::to_owned),
            _ => None,
        }
    };

    // Each present cell's coordinate along each dimension (last fastest); a cell counts where
    // every fixed dimension is at its chosen category.
    let mut strides = vec![1usize; sizes.len()];
    for i in (0..sizes.len().saturating_sub(1)).rev() {
        strides[i] = strides[i + 1] * sizes[i + 1];
    }
    let mut rows: Vec<Observation> = Vec::new();
    'cells: for (index, value) in present {
        let mut country = single_country.clone().unwrap_or_default();
        let mut period = Period::year(0);
        for (axis, (_, chosen)) in axes.iter().enumerate() {
            let at = index / strides[axis] % sizes[axis];
            match (chosen, labels[axis].get(at)) {
                (Some(chosen), _) if *chosen != at => continue 'cells,
                (None, Some(Label::Period(p))) => period = *p,
                (None, Some(Label::Country(c))) => country.clone_from(c),
                _ => {}
            }
        }
        // A status made of Eurostat's flag letters is a flag; any other (PxWeb's `..`, `:`)
        // is kept as a note.
        let status = status_at(index).unwrap_or_default();
        let (flags, note) = match status.parse::<indikator_ingest::Flags>() {
            Ok(flags) => (flags, String::new()),
            Err(_) => (
                Default::default(),
                format!("status `{status}` in the source"),
            ),
        };
        rows.push(Observation {
            country,
            period,
            value: Some(value),
            flags,
            source: "jsonstat".into(),
            note,
            note_sv: String::new(),
            note_nb: String::new(),
        });
    }
    let free_cells: usize = free.iter().map(|&axis| sizes[axis]).product();
    let missing = free_cells.saturating_sub(rows.len());

    // The unit: as asked, or from the metric's unit where it says percent.
    let metric_unit = ids.iter().zip(&axes).find_map(|(name, (cats, chosen))| {
        let cat = cats.get((*chosen)?)?;
        let unit = &dataset["dimension"][name]["category"]["unit"][cat];
        unit.is_object().then(|| unit.clone())
    });
    let percent_words = ["percent", "prosent", "procent", "%"];
    let unit = options.unit.unwrap_or_else(|| {
        let words = metric_unit
            .as_ref()
            .map(|u| format!("{} {}", u["base"], u["label"]).to_lowercase())
            .unwrap_or_default();
        if percent_words.iter().any(|w| words.contains(w)) {
            Unit::Percent
        } else {
            Unit::Count
        }
    });
    let decimals = metric_unit
        .as_ref()
        .and_then(|u| u["decimals"].as_u64())
        .unwrap_or(0)
        .min(u64::from(MAX_DECIMALS)) as u8;

    let label = dataset["label"]
        .as_str()
        .unwrap_or(&options.indicator)
        .to_owned();
    let fixed_text: Vec<String> = ids
        .iter()
        .zip(&axes)
        .filter_map(|(name, (cats, chosen))| {
            let cat = cats.get((*chosen)?)?;
            let cat_label = dataset["dimension"][name]["category"]["label"][cat]
                .as_str()
                .unwrap_or(cat);
            Some(format!("{name} = {cat_label}"))
        })
        .collect();
    let updated = dataset["updated"]
        .as_str()
        .map(|u| u.get(..10).unwrap_or(u).to_owned());
    let english = |en: String| Text {
        en,
        sv: None,
        nb: None,
    };
    let description = if fixed_text.is_empty() {
        format!("Imported from the JSON-stat dataset \"{label}\".")
    } else {
        format!(
            "Imported from the JSON-stat dataset \"{label}\" ({}).",
            fixed_text.join("; ")
        )
    };
    // The dataset's texts may be longer than a sidecar allows: shorten them rather than write
    // files that fail the check.
    let meta = Metadata {
        id: options.indicator.clone(),
        title: english(shorten(&label, limits::TITLE)),
        description: english(shorten(&description, limits::DESCRIPTION)),
        unit,
        decimals,
        sources: vec![Source {
            id: "jsonstat".into(),
            producer: shorten(
                dataset["source"]
                    .as_str()
                    .unwrap_or("the dataset does not say"),
                limits::PRODUCER,
            ),
            title: shorten(&label, limits::SOURCE_TITLE),
            url: options.source_url.clone(),
            published: updated.unwrap_or_else(|| "n.d.".into()),
            accessed: options.accessed.clone(),
            kind: SourceKind::Primary,
            licence: None,
        }],
        notes: Vec::new(),
        annotations: Vec::new(),
        denominators: Vec::new(),
        default_countries: Vec::new(),
        like_for_like: None,
    };
    let files = IndicatorFiles::new(&meta, &rows)?;
    files.check()?;
    Ok(Import {
        csv: files.csv,
        toml: files.toml,
        rows: rows.len(),
        missing,
    })
}

/// `text` cut to at most `max` characters, ending in "…" where it was cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
    short.push('…');
    short
}
