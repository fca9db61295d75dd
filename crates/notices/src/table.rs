//! The notice table (`--notice-table FILE.parquet`): one row per counted notice, with the
//! fields the definitions read, so that analysts can apply their own definitions in DuckDB,
//! Polars or Spark. Written in row groups of [`ROWS_PER_GROUP`] as the recount goes, so its
//! memory is one row group, not the table.

use std::fs::File;
use std::path::Path;

use polars::io::parquet::write::BatchedWriter;
use polars::prelude::*;

use crate::distinct::Notice;

/// Rows held before they are written as one Parquet row group.
pub const ROWS_PER_GROUP: usize = 1 << 16;

/// The table's columns, in order.
pub const TABLE_COLUMNS: [&str; 8] = [
    "id",
    "country",
    "year",
    "kind",
    "procedure",
    "main_cpv",
    "innovation_flag",
    "source_file",
];

/// One notice's row.
#[derive(Debug, Clone)]
pub struct TableRow {
    /// The notice id.
    pub id: String,
    country: String,
    year: i32,
    kind: &'static str,
    procedure: String,
    cpv: Option<u32>,
    flag: Option<bool>,
    input: u16,
}

impl TableRow {
    /// The row of a notice, with its country made ISO.
    pub fn of(notice: &Notice<'_>, country: &[u8]) -> TableRow {
        TableRow {
            id: String::from_utf8_lossy(notice.id).into_owned(),
            country: String::from_utf8_lossy(country).into_owned(),
            year: notice.year,
            kind: notice.kind,
            procedure: String::from_utf8_lossy(notice.procedure).trim().to_owned(),
            cpv: notice.cpv,
            flag: notice.flag,
            input: notice.input,
        }
    }
}

/// Writes rows as they come, a row group at a time.
pub struct TableWriter {
    writer: BatchedWriter<File>,
    /// The input files' names, by index.
    inputs: Vec<String>,
    rows: Vec<TableRow>,
}

impl TableWriter {
    /// Creates the file at `path`; `inputs` names the source file of each input index.
    pub fn create(path: &Path, inputs: Vec<String>) -> PolarsResult<TableWriter> {
        let file = File::create(path)?;
        let schema = Schema::from_iter([
            Field::new("id".into(), DataType::String),
            Field::new("country".into(), DataType::String),
            Field::new("year".into(), DataType::Int32),
            Field::new("kind".into(), DataType::String),
            Field::new("procedure".into(), DataType::String),
            Field::new("main_cpv".into(), DataType::UInt32),
            Field::new("innovation_flag".into(), DataType::Boolean),
            Field::new("source_file".into(), DataType::String),
        ]);
        let writer = ParquetWriter::new(file)
            .with_compression(ParquetCompression::Snappy)
            .batched(&schema)?;
        Ok(TableWriter {
            writer,
            inputs,
            rows: Vec::with_capacity(ROWS_PER_GROUP),
        })
    }

    /// Adds a row; writes a row group when enough are held.
    pub fn push(&mut self, row: TableRow) -> PolarsResult<()> {
        self.rows.push(row);
        if self.rows.len() >= ROWS_PER_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> PolarsResult<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.rows);
        let column = |name: &str, values: Series| values.with_name(name.into()).into_column();
        let frame = DataFrame::new_infer_height(vec![
            column("id", Series::from_iter(rows.iter().map(|r| r.id.as_str()))),
            column(
                "country",
                Series::from_iter(rows.iter().map(|r| r.country.as_str())),
            ),
            column("year", Series::from_iter(rows.iter().map(|r| r.year))),
            column("kind", Series::from_iter(rows.iter().map(|r| r.kind))),
            column(
                "procedure",
                Series::from_iter(rows.iter().map(|r| r.procedure.as_str())),
            ),
            column(
                "main_cpv",
                UInt32Chunked::from_iter(rows.iter().map(|r| r.cpv)).into_series(),
            ),
            column(
                "innovation_flag",
                BooleanChunked::from_iter(rows.iter().map(|r| r.flag)).into_series(),
            ),
            column(
                "source_file",
                Series::from_iter(rows.iter().map(|r| {
                    self.inputs
                        .get(usize::from(r.input))
                        .map_or("", String::as_str)
                })),
            ),
        ])?;
        self.writer.write_batch(&frame)?;
        self.rows = Vec::with_capacity(ROWS_PER_GROUP);
        Ok(())
    }

    /// Writes what is held and closes the file.
    pub fn finish(mut self) -> PolarsResult<()> {
        self.flush()?;
        self.writer.finish()?;
        Ok(())
    }
}
