//! The writing side of the data format: an indicator's metadata and rows as `<id>.csv` and
//! `<id>.toml`, checked by loading them back before anything is written. Every tool that makes
//! datasets (`notices`, `import-jsonstat`) writes through here, as OWID's etl writes through
//! one `create_dataset(...).save()`.

use std::path::{Path, PathBuf};

use crate::dataset::{Dataset, SourceFile};
use crate::error::{COLUMNS, Error, NOTE_COLUMNS};
use crate::meta::Metadata;
use crate::table::Observation;

/// One indicator in the data format: its two files' contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorFiles {
    /// The indicator id: the files are `<id>.csv` and `<id>.toml`.
    pub id: String,
    /// `<id>.csv`: the header [`COLUMNS`], then one row per observation.
    pub csv: String,
    /// `<id>.toml`: the sidecar.
    pub toml: String,
}

impl IndicatorFiles {
    /// The files of `meta` and `rows`, in the order given. Values are written with every digit
    /// they have (the shortest text that reads back as the same number); an empty value needs
    /// a flag, as when reading.
    pub fn new(meta: &Metadata, rows: &[Observation]) -> Result<Self, Error> {
        let mut csv = csv::Writer::from_writer(Vec::new());
        // The translated notes' columns only where a row has one.
        let translated = rows
            .iter()
            .any(|r| !r.note_sv.is_empty() || !r.note_nb.is_empty());
        let mut header: Vec<&str> = COLUMNS.to_vec();
        if translated {
            header.extend(NOTE_COLUMNS);
        }
        let written = csv.write_record(&header).and_then(|()| {
            rows.iter().try_for_each(|row| {
                let mut record = vec![
                    row.country.clone(),
                    row.period.to_string(),
                    row.value.map(|v| v.to_string()).unwrap_or_default(),
                    row.flags.to_string(),
                    row.source.clone(),
                    row.note.clone(),
                ];
                if translated {
                    record.extend([row.note_sv.clone(), row.note_nb.clone()]);
                }
                csv.write_record(&record)
            })
        });
        let unwritable = |message: String| Error::Write {
            id: meta.id.clone(),
            message,
        };
        written.map_err(|e| unwritable(e.to_string()))?;
        let csv = csv.into_inner().map_err(|e| unwritable(e.to_string()))?;
        let csv = String::from_utf8(csv).map_err(|e| unwritable(e.to_string()))?;
        let toml = meta.to_toml().map_err(|e| unwritable(e.to_string()))?;
        Ok(Self {
            id: meta.id.clone(),
            csv,
            toml,
        })
    }

    /// The two files as a loader reads them, named inside `folder`.
    fn source_files(&self, folder: &Path) -> [SourceFile; 2] {
        [("csv", &self.csv), ("toml", &self.toml)].map(|(ext, text)| SourceFile {
            path: folder
                .join(format!("{}.{ext}", self.id))
                .display()
                .to_string(),
            bytes: text.clone().into_bytes(),
        })
    }

    /// Checks that these files load as a dataset of their own, as `indikator check` would.
    pub fn check(&self) -> Result<(), Error> {
        Dataset::from_files(&self.id, self.source_files(Path::new("")).to_vec()).map(|_| ())
    }
}

/// Writes `indicators` into `folder` (created if need be) and returns the paths written. They
/// are checked together first, as one dataset, so a problem leaves nothing half-written.
pub fn write_dataset(folder: &Path, indicators: &[IndicatorFiles]) -> Result<Vec<PathBuf>, Error> {
    let files: Vec<SourceFile> = indicators
        .iter()
        .flat_map(|indicator| indicator.source_files(folder))
        .collect();
    Dataset::from_files(&folder.display().to_string(), files.clone())?;
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::WriteFile { path, source }
    };
    std::fs::create_dir_all(folder).map_err(io(folder))?;
    let mut paths = Vec::new();
    for file in files {
        let path = PathBuf::from(&file.path);
        std::fs::write(&path, file.bytes).map_err(io(&path))?;
        paths.push(path);
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_data_file;

    /// The rows of a shipped data file.
    fn shipped(id: &str) -> Vec<Observation> {
        let path = format!("{}/../../data/{id}.csv", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap_or_default();
        let (rows, problems) = read_data_file(&path, &bytes);
        assert!(problems.is_empty() && !rows.is_empty(), "{path}");
        rows
    }

    #[test]
    fn every_shipped_indicator_writes_back_to_itself() -> Result<(), Box<dyn std::error::Error>> {
        let data = Dataset::embedded()?;
        let mut written = Vec::new();
        for indicator in data.indicators() {
            let files = IndicatorFiles::new(&indicator.meta, &shipped(&indicator.meta.id))?;
            written.push(files);
        }
        let dir = tempfile::tempdir()?;
        let paths = write_dataset(dir.path(), &written)?;
        assert_eq!(paths.len(), 2 * written.len());
        let back = Dataset::load(dir.path())?;
        for indicator in data.indicators() {
            let id = &indicator.meta.id;
            assert_eq!(back.indicator(id).map(|i| &i.meta), Some(&indicator.meta));
            let path = dir.path().join(format!("{id}.csv"));
            let (rows, problems) = read_data_file("back", &std::fs::read(path)?);
            assert!(problems.is_empty());
            assert_eq!(rows, shipped(id), "{id}");
        }
        assert_eq!(back.frame(), data.frame());
        Ok(())
    }

    #[test]
    fn files_that_would_not_load_are_refused_before_writing()
    -> Result<(), Box<dyn std::error::Error>> {
        let data = Dataset::embedded()?;
        let indicator = data.indicator("innovation-procurements").ok_or("shipped")?;
        let mut rows = shipped("innovation-procurements");
        rows[0].source = "nowhere".into();
        let files = IndicatorFiles::new(&indicator.meta, &rows)?;
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("out");
        let err = write_dataset(&out, &[files]).err().ok_or("refused")?;
        assert!(
            err.to_string().contains("source `nowhere` is not declared"),
            "{err}"
        );
        assert!(!out.exists(), "nothing written");
        Ok(())
    }
}
