//! Numbers as each language writes them: `18,330` and `40%` in English; `18 330`, `40 %` and
//! a decimal comma in Swedish and Norwegian.

use indikator_ingest::Lang;

use crate::ValueUnit;

/// `value` with at most `decimals` decimals (trailing zeros dropped), grouped in thousands.
pub fn format_number(value: f64, decimals: u8, lang: Lang) -> String {
    let text = format!("{:.*}", usize::from(decimals), value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let fraction = fraction.trim_end_matches('0');
    let (group, point) = match lang {
        Lang::En => (',', '.'),
        Lang::Sv | Lang::Nb => (' ', ','),
    };
    let mut out = String::new();
    if value < 0.0 && (whole.bytes().any(|b| b != b'0') || !fraction.is_empty()) {
        out.push('-');
    }
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push(point);
        out.push_str(fraction);
    }
    out
}

/// A value with its unit sign, as the chart shows it.
pub fn value_label(value: f64, unit: ValueUnit, decimals: u8, lang: Lang) -> String {
    let number = format_number(value, decimals, lang);
    match (unit, lang) {
        (ValueUnit::Number, _) => number,
        (ValueUnit::Percent, Lang::En) => format!("{number}%"),
        (ValueUnit::Percent, Lang::Sv | Lang::Nb) => format!("{number} %"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_language() {
        assert_eq!(format_number(18330.0, 0, Lang::En), "18,330");
        assert_eq!(format_number(18330.0, 0, Lang::Sv), "18 330");
        assert_eq!(format_number(1234567.5, 1, Lang::Nb), "1 234 567,5");
        assert_eq!(format_number(0.43, 2, Lang::Sv), "0,43");
        assert_eq!(format_number(0.2, 2, Lang::En), "0.2");
        assert_eq!(format_number(46.1099, 1, Lang::En), "46.1");
        assert_eq!(format_number(-2.5, 1, Lang::En), "-2.5");
        assert_eq!(format_number(-0.001, 1, Lang::En), "0");
        assert_eq!(format_number(999.0, 0, Lang::En), "999");
        assert_eq!(value_label(40.0, ValueUnit::Percent, 0, Lang::En), "40%");
        assert_eq!(value_label(40.0, ValueUnit::Percent, 0, Lang::Sv), "40 %");
        assert_eq!(value_label(0.43, ValueUnit::Percent, 2, Lang::Nb), "0,43 %");
    }
}
