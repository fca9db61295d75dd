//! Upphandlingsmyndigheten's statistics database (Statistikdatabasen): one row per advertised
//! procurement in Sweden, above and below the EU thresholds, exported as xlsx or as CSV
//! (`;`, UTF-8 with a byte-order mark). Both the agency's labels ("Inte
//! innovationsupphandling", "Uppgift saknas") and the cleaned form of the published sample
//! (`True`, `False`, empty) are read, through the table in `definitions.rs`.

use std::path::Path;
use std::time::Instant;

use calamine::{DataRef, Reader, Xlsx};

use crate::NoticesError;
use crate::csvscan::{Record, Row, RowReader};
use crate::definitions::{Kind, Rules, cpv_code, is_one_of};
use crate::distinct::{Notice, Runs};
use crate::recount::{MAX_BAD_ROWS, Place, Progress, Scanned, file_name, parse_year};

/// The columns read, in order: the id (counted distinct), the year, the procedure, the main
/// CPV code (`79212000 Revision`) and the innovation-procurement answer.
pub const UHM_COLUMNS: [&str; 5] = [
    "Upphandlings-ID",
    "År",
    "Förfarande",
    "Huvudsaklig CPV-kod",
    "Innovationsupphandling",
];

/// The largest xlsx read: the workbook's shared strings are held whole, so its size is
/// bounded (the 2021 sample is 1.6 MB).
pub const MAX_XLSX_BYTES: u64 = 256 << 20;

/// Reads one procurement from its fields ([`UHM_COLUMNS`] in order) and adds it.
fn procurement(
    [id, year, procedure, cpv, flag]: [&str; 5],
    rules: &Rules,
    kind: Kind,
    input: u16,
    notices: &mut Runs,
) -> Row {
    let id = id.trim();
    if id.is_empty() {
        return Row::Bad("no Upphandlings-ID".into());
    }
    let year_text = year.trim();
    let Some(year) = parse_year(year_text.strip_suffix(".0").unwrap_or(year_text).as_bytes())
    else {
        return Row::Bad(format!("År `{year_text}` is not a year"));
    };
    // Every row is an advertised procurement: a call for competition.
    if kind == Kind::Result {
        return Row::Skipped;
    }
    let flag = if is_one_of(flag, &rules.uhm.flag_no) {
        Some(false)
    } else if is_one_of(flag, &rules.uhm.flag_missing) {
        None
    } else {
        Some(true)
    };
    let cpv = cpv_code(cpv.as_bytes());
    let innovation = is_one_of(procedure, &rules.uhm.innovation_procedures);
    notices.add(&Notice {
        country: b"SE",
        year,
        id: id.as_bytes(),
        meets: rules.meets(innovation, cpv, flag),
        input,
        kind: "competition",
        procedure: procedure.trim().as_bytes(),
        cpv,
        flag,
    });
    Row::Counted
}

/// Reads the CSV export's rows.
pub struct UhmRows<'a> {
    /// Where [`UHM_COLUMNS`] are.
    pub columns: [usize; 5],
    /// The table of what counts.
    pub rules: &'a Rules,
    /// Which notices count.
    pub kind: Kind,
    /// The input's index.
    pub input: u16,
}

impl RowReader for UhmRows<'_> {
    fn row(&mut self, record: &Record<'_>, notices: &mut Runs) -> Row {
        let fields = self.columns.map(|i| record.unescape(i).unwrap_or_default());
        let Ok(texts) = fields
            .iter()
            .map(|f| std::str::from_utf8(f))
            .collect::<Result<Vec<_>, _>>()
        else {
            return Row::Bad("a field is not UTF-8; export the CSV as UTF-8".into());
        };
        let [id, year, procedure, cpv, flag] = [0, 1, 2, 3, 4].map(|i| texts[i]);
        procurement(
            [id, year, procedure, cpv, flag],
            self.rules,
            self.kind,
            self.input,
            notices,
        )
    }
}

/// A cell as text, as the CSV export would write it: whole numbers without `.0`.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Bool(true) => "True".into(),
        DataRef::Bool(false) => "False".into(),
        DataRef::DateTime(d) => d.to_string(),
        DataRef::Error(e) => format!("#{e}"),
        DataRef::Empty => String::new(),
    }
}

fn xlsx_error(path: &Path, error: impl std::fmt::Display) -> NoticesError {
    NoticesError::Read {
        path: path.to_owned(),
        message: format!("not a readable xlsx workbook: {error}"),
    }
}

/// The first sheet's header (its first row) and a cell reader after it. Checks the size and
/// the columns.
pub fn open_xlsx(
    path: &Path,
) -> Result<(Xlsx<std::io::BufReader<std::fs::File>>, String), NoticesError> {
    let size = std::fs::metadata(path)
        .map_err(|source| NoticesError::Io {
            path: path.to_owned(),
            source,
        })?
        .len();
    if size > MAX_XLSX_BYTES {
        return Err(NoticesError::Read {
            path: path.to_owned(),
            message: format!(
                "the workbook is {size} bytes; the most read is {MAX_XLSX_BYTES}: export one year at a time, or as CSV"
            ),
        });
    }
    let workbook: Xlsx<_> = calamine::open_workbook(path).map_err(|e| xlsx_error(path, e))?;
    let Some(sheet) = workbook.sheet_names().first().cloned() else {
        return Err(xlsx_error(path, "it has no sheet"));
    };
    Ok((workbook, sheet))
}

/// Reads the first sheet of an xlsx export: its first row is the header.
pub fn scan_xlsx(
    path: &Path,
    rules: &Rules,
    kind: Kind,
    input: u16,
    notices: &mut Runs,
    progress: &(dyn Fn(&Progress<'_>) + Sync),
) -> Result<Scanned, NoticesError> {
    let name = file_name(path);
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let (mut workbook, sheet) = open_xlsx(path)?;
    let mut cells = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(|e| xlsx_error(path, e))?;
    let started = Instant::now();
    let mut scanned = Scanned::default();
    let mut columns: Option<[usize; 5]> = None;
    let mut row: Vec<String> = Vec::new();
    let mut at: Option<u32> = None;
    // Whether the header row has been read, and the row being filled: each row is read when
    // the first cell of a later row (or the end) comes.
    let mut finish =
        |row: &mut Vec<String>,
         number: u32,
         columns: &mut Option<[usize; 5]>,
         scanned: &mut Scanned|
         -> Result<(), NoticesError> {
            let Some(columns) = columns else {
                let header: Vec<String> = row.iter().map(|h| h.trim().to_owned()).collect();
                *columns = Some(crate::csvscan::columns(&header, UHM_COLUMNS).map_err(
                    |missing| NoticesError::Header {
                        file: name.clone(),
                        layout: "an Upphandlingsmyndigheten xlsx",
                        missing,
                    },
                )?);
                row.clear();
                return Ok(());
            };
            scanned.records += 1;
            let field = |i: usize| row.get(i).map_or("", String::as_str);
            let outcome = procurement(columns.map(field), rules, kind, input, notices);
            match outcome {
                Row::Counted => scanned.counted += 1,
                Row::Skipped => {}
                Row::Bad(problem) => {
                    scanned.bad_total += 1;
                    if scanned.bad.len() < MAX_BAD_ROWS {
                        let place = Place::Cell(format!("sheet {sheet}, row {}", number + 1));
                        scanned.bad.push((place, problem));
                    }
                }
            }
            row.clear();
            Ok(())
        };
    while let Some(cell) = cells.next_cell().map_err(|e| xlsx_error(path, e))? {
        let (r, c) = cell.get_position();
        if at != Some(r) {
            if let Some(previous) = at {
                finish(&mut row, previous, &mut columns, &mut scanned)?;
            }
            at = Some(r);
        }
        // Columns past the last one read are not kept (a sheet may have 16 384).
        let c = c as usize;
        if c < 64 {
            if row.len() <= c {
                row.resize(c + 1, String::new());
            }
            row[c] = cell_text(cell.get_value());
        }
        if scanned.records % 65_536 == 0 && scanned.records > 0 {
            progress(&Progress {
                file: &name,
                read: 0,
                size,
                files: 0,
                records: scanned.records,
                noun: "rows",
                seconds: started.elapsed().as_secs_f64(),
            });
        }
    }
    if let Some(previous) = at {
        finish(&mut row, previous, &mut columns, &mut scanned)?;
    }
    if columns.is_none() {
        return Err(NoticesError::Empty { file: name });
    }
    progress(&Progress {
        file: &name,
        read: size,
        size,
        files: 0,
        records: scanned.records,
        noun: "rows",
        seconds: started.elapsed().as_secs_f64(),
    });
    Ok(scanned)
}
