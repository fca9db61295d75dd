//! Upphandlingsmyndigheten's statistics database (Statistikdatabasen): one row per advertised
//! procurement in Sweden, above and below the EU thresholds, exported as xlsx or as CSV
//! (`;`, UTF-8 with a byte-order mark). Both the agency's labels ("Inte
//! innovationsupphandling", "Uppgift saknas") and the cleaned form of the published sample
//! (`True`, `False`, empty) are read, through the table in `definitions.rs`.

use std::io::Read as _;
use std::path::Path;
use std::time::Instant;

use calamine::{DataRef, Reader, Xlsx};

use crate::NoticesError;
use crate::csvscan::{Record, Row, RowReader};
use crate::definitions::{Kind, Rules, cpv_code, is_one_of};
use crate::distinct::{Notice, Runs};
use crate::layout::{Layout, columns};
use crate::recount::{Place, Progress, Scanned, file_name, parse_year};

/// The columns read, in order: the id (counted distinct), the year, the procedure, the main
/// CPV code (`79212000 Revision`) and the innovation-procurement answer.
pub const UHM_COLUMNS: [&str; 5] = [
    "Upphandlings-ID",
    "År",
    "Förfarande",
    "Huvudsaklig CPV-kod",
    "Innovationsupphandling",
];

/// The largest xlsx read (the 2021 sample is 2.4 MB).
pub const MAX_XLSX_BYTES: u64 = 256 << 20;

/// The most bytes the parts of a workbook other than its worksheets (shared strings, styles,
/// the list of sheets) may inflate to: calamine holds them in memory. The 2021 sample's
/// shared strings are 1.6 MB for 18 421 rows.
pub const MAX_XLSX_PARTS: u64 = 64 << 20;

/// The most bytes a worksheet may inflate to (the 2021 sample's is 18 MB): it is streamed,
/// so this bounds the time a small file can ask for, not the memory.
pub const MAX_XLSX_SHEET: u64 = 4 << 30;

/// The longest stretch of a part without a `<`: one cell's text or one tag, which the XML
/// reader holds whole.
pub const MAX_XLSX_RUN: u64 = 1 << 20;

/// What [`check_parts`] allows.
struct PartLimits {
    parts: u64,
    sheet: u64,
    run: u64,
}

const PART_LIMITS: PartLimits = PartLimits {
    parts: MAX_XLSX_PARTS,
    sheet: MAX_XLSX_SHEET,
    run: MAX_XLSX_RUN,
};

/// Inflates every part of the workbook once, as a stream, and refuses it when a part would
/// take more memory or time than [`PART_LIMITS`] allow: a small xlsx can inflate a
/// thousandfold (a 4 MB file of shared strings took 1.5 GB in calamine), and the sizes a zip
/// declares need not be true, so the bytes themselves are counted.
fn check_parts(path: &Path, limits: &PartLimits) -> Result<(), NoticesError> {
    let file = std::fs::File::open(path).map_err(|source| NoticesError::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut archive =
        zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| xlsx_error(path, e))?;
    let mut whole = 0u64;
    let mut buffer = vec![0u8; 1 << 16];
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(|e| xlsx_error(path, e))?;
        let name = part.name().map_err(|e| xlsx_error(path, e))?.into_owned();
        let sheet = name.starts_with("xl/worksheets/");
        let refused = |what: String| NoticesError::Read {
            path: path.to_owned(),
            message: format!("{name}: {what}"),
        };
        let (mut read, mut since_tag) = (0u64, 0u64);
        loop {
            let n = part.read(&mut buffer).map_err(|e| xlsx_error(path, e))?;
            if n == 0 {
                break;
            }
            read += n as u64;
            if !sheet {
                whole += n as u64;
                if whole > limits.parts {
                    return Err(refused(format!(
                        "the workbook's parts other than its sheets (shared strings, styles) inflate to more than {} bytes, the most read: export fewer rows at a time, or as CSV",
                        limits.parts
                    )));
                }
            } else if read > limits.sheet {
                return Err(refused(format!(
                    "the sheet inflates to more than {} bytes, the most read: export fewer rows at a time, or as CSV",
                    limits.sheet
                )));
            }
            let long_run = || {
                refused(format!(
                    "a text or tag of more than {} bytes, the longest read: not a spreadsheet this reads; export the table again, or as CSV",
                    limits.run
                ))
            };
            let mut from = 0;
            for at in memchr::memchr_iter(b'<', &buffer[..n]) {
                if since_tag + (at - from) as u64 > limits.run {
                    return Err(long_run());
                }
                since_tag = 0;
                from = at + 1;
            }
            since_tag += (n - from) as u64;
            if since_tag > limits.run {
                return Err(long_run());
            }
        }
    }
    Ok(())
}

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

/// The workbook, the name of its first sheet and the file's size, once the size is within
/// [`MAX_XLSX_BYTES`] and what its parts inflate to within [`PART_LIMITS`].
pub fn open_xlsx(
    path: &Path,
) -> Result<(Xlsx<std::io::BufReader<std::fs::File>>, String, u64), NoticesError> {
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
    check_parts(path, &PART_LIMITS)?;
    let workbook: Xlsx<_> = calamine::open_workbook(path).map_err(|e| xlsx_error(path, e))?;
    let Some(sheet) = workbook.sheet_names().first().cloned() else {
        return Err(xlsx_error(path, "it has no sheet"));
    };
    Ok((workbook, sheet, size))
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
    let (mut workbook, sheet, size) = open_xlsx(path)?;
    let mut cells = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(|e| xlsx_error(path, e))?;
    let mut sheet_rows = SheetRows {
        name: &name,
        sheet: &sheet,
        size,
        started: Instant::now(),
        columns: None,
        row: Vec::new(),
        scanned: Scanned::default(),
    };
    let mut at: Option<u32> = None;
    while let Some(cell) = cells.next_cell().map_err(|e| xlsx_error(path, e))? {
        let (r, c) = cell.get_position();
        if at != Some(r) {
            if let Some(previous) = at {
                sheet_rows.finish(previous, rules, kind, input, notices, progress)?;
            }
            at = Some(r);
        }
        sheet_rows.cell(c as usize, cell.get_value());
    }
    if let Some(previous) = at {
        sheet_rows.finish(previous, rules, kind, input, notices, progress)?;
    }
    if sheet_rows.columns.is_none() {
        return Err(NoticesError::Empty { file: name });
    }
    progress(&sheet_rows.progress(size));
    Ok(sheet_rows.scanned)
}

/// The rows of a sheet as its cells come: each row is read when the first cell of a later
/// row (or the end) comes; the first row is the header.
struct SheetRows<'a> {
    name: &'a str,
    sheet: &'a str,
    size: u64,
    started: Instant,
    /// Where [`UHM_COLUMNS`] are, once the header is read.
    columns: Option<[usize; 5]>,
    row: Vec<String>,
    scanned: Scanned,
}

/// The most columns of a header read; a sheet may have 16 384.
const MAX_COLUMNS: usize = 1024;

impl SheetRows<'_> {
    /// Keeps a cell of the row being read, if its column is one read.
    fn cell(&mut self, column: usize, value: &DataRef<'_>) {
        let last = self
            .columns
            .map_or(MAX_COLUMNS - 1, |c| c.into_iter().max().unwrap_or(0));
        if column <= last {
            if self.row.len() <= column {
                self.row.resize(column + 1, String::new());
            }
            self.row[column] = cell_text(value);
        }
    }

    fn progress(&self, read: u64) -> Progress<'_> {
        Progress {
            file: self.name,
            read,
            size: self.size,
            files: 0,
            files_total: 0,
            records: self.scanned.records,
            noun: "rows",
            seconds: self.started.elapsed().as_secs_f64(),
        }
    }

    /// Reads the row held, which is sheet row `number` (from 0).
    fn finish(
        &mut self,
        number: u32,
        rules: &Rules,
        kind: Kind,
        input: u16,
        notices: &mut Runs,
        progress: &(dyn Fn(&Progress<'_>) + Sync),
    ) -> Result<(), NoticesError> {
        let row = std::mem::take(&mut self.row);
        let Some(columns) = self.columns else {
            let header: Vec<String> = row.iter().map(|h| h.trim().to_owned()).collect();
            let columns =
                columns(&header, UHM_COLUMNS).map_err(|missing| NoticesError::Header {
                    file: self.name.to_owned(),
                    layout: Layout::UhmXlsx.described(),
                    missing,
                })?;
            self.columns = Some(columns);
            return Ok(());
        };
        let field = |i: usize| row.get(i).map_or("", String::as_str);
        let outcome = procurement(columns.map(field), rules, kind, input, notices);
        let sheet = self.sheet;
        self.scanned.note(outcome, || {
            Place::Cell(format!("sheet {sheet}, row {}", number + 1))
        });
        if self.scanned.records.is_multiple_of(65_536) {
            progress(&self.progress(0));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip of these parts, deflated.
    fn zip_of(path: &Path, parts: &[(&str, &[u8])]) -> zip::result::ZipResult<()> {
        use std::io::Write as _;
        let mut out = zip::ZipWriter::new(std::fs::File::create(path)?);
        for (name, bytes) in parts {
            out.start_file(*name, zip::write::SimpleFileOptions::default())?;
            out.write_all(bytes)?;
        }
        out.finish().map(|_| ())
    }

    #[test]
    fn what_parts_inflate_to_is_counted_against_the_limits() {
        let dir = tempfile::tempdir().ok();
        let dir = dir.as_ref().map_or(Path::new("."), |d| d.path());
        let path = dir.join("book.xlsx");
        let limits = PartLimits {
            parts: 1000,
            sheet: 5000,
            run: 100,
        };
        let cells = b"<c><v>1</v></c>".repeat(300);
        let strings = b"<si><t>abc</t></si>".repeat(30);
        // The problem, after the file's path.
        let check = |parts: &[(&str, &[u8])]| {
            zip_of(&path, parts).ok();
            check_parts(&path, &limits).err().map(|e| {
                let e = e.to_string();
                e.strip_prefix(&format!("{}: ", path.display()))
                    .unwrap_or(&e)
                    .to_owned()
            })
        };
        // Within the limits: 4 500 bytes of sheet, 570 + 12 bytes of the rest.
        assert_eq!(
            check(&[
                ("xl/sharedStrings.xml", &strings),
                ("xl/styles.xml", b"<styleSheet/>"),
                ("xl/worksheets/sheet1.xml", &cells),
            ]),
            None
        );
        // The parts other than sheets are counted together.
        let err = check(&[
            ("xl/sharedStrings.xml", &strings),
            ("xl/styles.xml", &strings),
        ]);
        assert_eq!(
            err.as_deref(),
            Some(
                "xl/styles.xml: the workbook's parts other than its sheets (shared strings, styles) inflate to more than 1000 bytes, the most read: export fewer rows at a time, or as CSV"
            )
        );
        let err = check(&[("xl/worksheets/sheet1.xml", &b"<c/>".repeat(1300))]);
        assert!(
            err.as_deref().is_some_and(|e| e.starts_with(
                "xl/worksheets/sheet1.xml: the sheet inflates to more than 5000 bytes"
            )),
            "{err:?}"
        );
        // A run is what follows a `<` up to the next, however the part's reads split it:
        // 100 bytes are read, 101 are not.
        let mut exact = cells[..3000].to_vec();
        exact.push(b'<');
        exact.extend_from_slice(&[b'a'; 100]);
        let mut long = exact.clone();
        long.push(b'a');
        let err = check(&[("xl/worksheets/sheet1.xml", &long[..])]);
        assert!(
            err.as_deref()
                .is_some_and(|e| e.contains("a text or tag of more than 100 bytes")),
            "{err:?}"
        );
        assert_eq!(check(&[("xl/worksheets/sheet1.xml", &exact[..])]), None);
    }
}
