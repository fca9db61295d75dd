//! CSV export of a selection: one row per observation, with unit, flag and source, so the file
//! stands on its own.

use std::io::Write;

use indikator_ingest::{Lang, country_name};

use crate::{Applied, QueryError, Selection};

/// The export's columns, in order. `period` is the label (`2016`, `2016/2017`);
/// `period_start` and `period_end` are its years as whole numbers, so every tool reads them
/// alike. `index_base` and `value_as_published` are filled in index mode only.
pub const EXPORT_COLUMNS: [&str; 17] = [
    "indicator",
    "country",
    "country_name",
    "period",
    "period_start",
    "period_end",
    "value",
    "unit",
    "flag",
    "note",
    "index_base",
    "value_as_published",
    "source_producer",
    "source_title",
    "source_url",
    "source_published",
    "source_accessed",
];

/// How the CSV is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Dialect {
    /// RFC 4180: `,`, decimal point, LF line ends, no byte-order mark.
    #[default]
    Standard,
    /// What Excel expects in Swedish and Norwegian locales: a UTF-8 byte-order mark, `;`,
    /// decimal comma and CRLF line ends.
    ExcelNordic,
}

impl std::str::FromStr for Dialect {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "standard" => Ok(Dialect::Standard),
            "excel-nordic" => Ok(Dialect::ExcelNordic),
            _ => Err(format!(
                "unknown CSV dialect `{text}`; use standard or excel-nordic"
            )),
        }
    }
}

/// A value as exported: every digit it was given and no more (Rust's shortest round-trip
/// form, so 0.43 stays `0.43`, never `0.43000000000000005`), with the dialect's decimal mark.
/// A missing value is empty.
pub fn value_cell(value: Option<f64>, dialect: Dialect) -> String {
    let Some(value) = value else {
        return String::new();
    };
    let text = value.to_string();
    match dialect {
        Dialect::Standard => text,
        Dialect::ExcelNordic => text.replace('.', ","),
    }
}

/// A text cell as a spreadsheet will not run it: text that begins with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'`, as OWASP advises against CSV (formula)
/// injection. Only text columns pass through here, so numbers stay numbers.
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// Writes `selection` as CSV with the columns [`EXPORT_COLUMNS`], country names in `lang`.
pub fn write_csv(
    selection: &Selection<'_>,
    mut out: impl Write,
    dialect: Dialect,
    lang: Lang,
) -> Result<(), QueryError> {
    let mut builder = csv::WriterBuilder::new();
    if dialect == Dialect::ExcelNordic {
        out.write_all(b"\xEF\xBB\xBF").map_err(csv::Error::from)?;
        builder.delimiter(b';').terminator(csv::Terminator::CRLF);
    }
    let mut writer = builder.from_writer(out);
    writer.write_record(EXPORT_COLUMNS)?;
    let meta = &selection.indicator.meta;
    let unit = neutralise(&selection.unit_name()).into_owned();
    let (bases, published) = match &selection.applied {
        Applied::Index { bases, published } => (bases.as_slice(), Some(published)),
        _ => (&[][..], None),
    };
    for (i, obs) in selection.observations.iter().enumerate() {
        let source = meta.source(&obs.source);
        let cited = |field: fn(&indikator_ingest::Source) -> &str| {
            neutralise(source.map_or("", field)).into_owned()
        };
        let base = bases
            .iter()
            .find(|(c, _)| *c == obs.country)
            .map_or(String::new(), |(_, p)| p.to_string());
        let as_published = published
            .and_then(|p| p.get(i).copied().flatten())
            .map_or(String::new(), |v| value_cell(Some(v), dialect));
        writer.write_record([
            meta.id.as_str(),
            obs.country.as_str(),
            &neutralise(&country_name(&obs.country, lang)),
            &obs.period.to_string(),
            &obs.period.start.to_string(),
            &obs.period.end.to_string(),
            &value_cell(obs.value, dialect),
            &unit,
            &obs.flags.to_string(),
            &neutralise(obs.note_in(lang)),
            &base,
            &as_published,
            &cited(|s| &s.producer),
            &cited(|s| &s.title),
            &cited(|s| &s.url),
            &cited(|s| &s.published),
            &cited(|s| &s.accessed),
        ])?;
    }
    writer.flush().map_err(csv::Error::from)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formula_starts_are_neutralised() {
        for (text, out) in [
            ("=1+1", "'=1+1"),
            ("+46 8 123", "'+46 8 123"),
            ("-x", "'-x"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("a=b", "a=b"),
            ("", ""),
            ("Upphandlingsmyndigheten", "Upphandlingsmyndigheten"),
        ] {
            assert_eq!(neutralise(text), out, "{text:?}");
        }
    }
}
