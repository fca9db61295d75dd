//! DFØ's Doffin dataset: every notice on Doffin (competitions, awards, intentions, changes,
//! prior information), one CSV per year, `;`-separated, in UTF-8 or Windows-1252 (read as
//! UTF-8, DFØ's files showed replacement characters for æ, ø and å, so the encoding is found
//! from the file, not assumed). Which rows are competitions and which results follows DFØ's
//! own rule, through the table in `definitions.rs`.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use crate::csvscan::{Record, Row, RowReader};
use crate::definitions::{Kind, Rules, cpv_code, is_one_of};
use crate::distinct::{Notice, Runs};
use crate::recount::parse_year;

/// The columns read, in order.
pub const DOFFIN_COLUMNS: [&str; 6] = [
    "doffin_id",
    "publisering_dato",
    "skjema_nr",
    "skjema_type",
    "cpv_hoved_kode",
    "prosedyre_type",
];

/// The file's encoding: UTF-8 if every byte of it is (a byte-order mark says so at once),
/// else Windows-1252, which decodes any byte and is what DFØ's files look like. One pass of
/// UTF-8 validation, a block at a time.
pub fn encoding_of(path: &Path) -> std::io::Result<&'static Encoding> {
    let mut file = crate::csvscan::buffered(path)?;
    let mut block = vec![0u8; 1 << 16];
    // Bytes of a character cut by the block's end, carried to the next block.
    let mut carry = 0usize;
    let mut first = true;
    loop {
        let read = file.read(&mut block[carry..])?;
        let len = carry + read;
        if first && block[..len].starts_with(b"\xEF\xBB\xBF") {
            return Ok(UTF_8);
        }
        first = false;
        match std::str::from_utf8(&block[..len]) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() && read > 0 => {
                // A character cut at the end of the block: keep its bytes for the next.
                let valid = e.valid_up_to();
                block.copy_within(valid..len, 0);
                carry = len - valid;
            }
            Err(_) => return Ok(WINDOWS_1252),
        }
        if read == 0 {
            return Ok(UTF_8);
        }
    }
}

/// Reads Doffin rows.
pub struct DoffinRows<'a> {
    /// Where [`DOFFIN_COLUMNS`] are.
    pub columns: [usize; 6],
    /// The file's encoding.
    pub encoding: &'static Encoding,
    /// The table of what counts.
    pub rules: &'a Rules,
    /// Which notices count.
    pub kind: Kind,
    /// The input's index.
    pub input: u16,
}

/// A form number as written: `2`, or `2.0` from a spreadsheet.
fn form_number(field: &str) -> Option<u32> {
    let field = field.trim();
    field.strip_suffix(".0").unwrap_or(field).parse().ok()
}

impl RowReader for DoffinRows<'_> {
    fn row(&mut self, record: &Record<'_>, notices: &mut Runs) -> Row {
        let raw = self.columns.map(|i| record.unescape(i).unwrap_or_default());
        let texts: Vec<Cow<'_, str>> = raw
            .iter()
            .map(|f| self.encoding.decode_without_bom_handling(f).0)
            .collect();
        let [id, date, form, form_type, cpv, procedure] = [0, 1, 2, 3, 4, 5].map(|i| &*texts[i]);
        let id = id.trim();
        if id.is_empty() {
            return Row::Bad("no doffin_id".into());
        }
        let date = date.trim();
        let Some(year) = date.get(..4).and_then(|y| parse_year(y.as_bytes())) else {
            return Row::Bad(format!(
                "publisering_dato `{date}` is not a date (YYYY-MM-DD)"
            ));
        };
        let rules = &self.rules.doffin;
        let number = form_number(form);
        let of_kind = |types: &[String], forms: &[u32]| {
            is_one_of(form_type, types) && number.is_some_and(|n| forms.contains(&n))
        };
        let kind = if of_kind(&rules.competition_types, &rules.competition_forms) {
            "competition"
        } else if of_kind(&rules.result_types, &rules.result_forms) {
            "result"
        } else {
            "other"
        };
        if !self.kind.counts(kind) {
            if number.is_none() && self.kind != Kind::All {
                return Row::Bad(format!(
                    "skjema_nr `{}` is not a form number, so the row cannot be told a competition or a result",
                    form.trim()
                ));
            }
            return Row::Skipped;
        }
        let cpv = cpv_code(cpv.as_bytes());
        let innovation = is_one_of(procedure, &rules.innovation_procedures);
        notices.add(&Notice {
            country: b"NO",
            year,
            id: id.as_bytes(),
            meets: self.rules.meets(innovation, cpv, None),
            input: self.input,
            kind,
            procedure: procedure.trim().as_bytes(),
            cpv,
            flag: None,
        });
        Row::Counted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_found_from_the_bytes() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let write = |name: &str, bytes: &[u8]| -> std::io::Result<std::path::PathBuf> {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes)?;
            Ok(path)
        };
        let utf8 = "doffin_id;tittel\n1;Innkjøp av tjenester\n".repeat(5000);
        assert_eq!(encoding_of(&write("a.csv", utf8.as_bytes())?)?, UTF_8);
        let (latin, _, _) = WINDOWS_1252.encode(&utf8);
        assert_eq!(encoding_of(&write("b.csv", &latin)?)?, WINDOWS_1252);
        // A 1252 byte far past the first block still decides.
        let mut late = utf8.clone().into_bytes();
        late.extend_from_slice(b"2;Sj\xF8\n");
        assert_eq!(encoding_of(&write("c.csv", &late)?)?, WINDOWS_1252);
        assert_eq!(encoding_of(&write("d.csv", b"\xEF\xBB\xBFx\xF8")?)?, UTF_8);
        assert_eq!(form_number("2.0"), Some(2));
        assert_eq!(form_number(" 52 "), Some(52));
        assert_eq!(form_number("x"), None);
        Ok(())
    }
}
