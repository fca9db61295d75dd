//! TED's CSV exports (contract notices and award notices): a row is a lot or an award, so a
//! notice has one or more rows, which come together.

use crate::csvscan::{Record, Row, RowReader};
use crate::definitions::{Rules, bytes_one_of, cpv_code};
use crate::distinct::{Notice, Runs};
use crate::layout::Layout;
use crate::recount::parse_year;

/// Reads TED rows: the columns are the id, then `layout::NEEDED` in order.
pub struct TedRows<'a> {
    /// Where the columns are.
    pub columns: [usize; 6],
    /// The table of what counts.
    pub rules: &'a Rules,
    /// The input's index.
    pub input: u16,
    /// CN or CAN.
    pub layout: Layout,
}

impl RowReader for TedRows<'_> {
    fn row(&mut self, record: &Record<'_>, notices: &mut Runs) -> Row {
        let [id, year, cancelled, country, procedure, cpv] = self.columns;
        let field = |i| record.unescape(i).unwrap_or_default();
        let year_field = field(year);
        let Some(year) = parse_year(&year_field) else {
            return Row::Bad(format!(
                "year `{}` is not a year",
                String::from_utf8_lossy(&year_field)
            ));
        };
        if *field(cancelled) == *b"1" {
            return Row::Skipped;
        }
        let (id, country) = (field(id), field(country));
        if id.trim_ascii().is_empty() {
            return Row::Bad(format!("no notice id ({})", self.layout.id_column()));
        }
        if country.trim_ascii().is_empty() {
            return Row::Bad("no country (ISO_COUNTRY_CODE)".into());
        }
        let (procedure, cpv) = (field(procedure), field(cpv));
        let cpv = cpv_code(&cpv);
        let innovation = bytes_one_of(&procedure, &self.rules.ted.innovation_procedures);
        let meets = self.rules.meets(innovation, cpv, None);
        notices.add(&Notice {
            country: &country,
            year,
            id: &id,
            meets,
            input: self.input,
            kind: if self.layout == Layout::AwardNotice {
                "result"
            } else {
                "competition"
            },
            procedure: &procedure,
            cpv,
            flag: None,
        });
        Row::Counted
    }
}
