//! A synthetic TED award-notice export for tests and benchmarks: the CAN layout, with a
//! realistic mix of countries, years, procedure types and CPV codes, several rows (lots) per
//! notice, quoted fields holding commas, quotes and newlines, `---` multi-values, both date
//! forms, and some cancelled notices. The same seed gives the same bytes.

use std::io::Write;

use crate::layout::CAN_HEADER;

/// Weighted choices: (value, weight).
fn pick<'a>(rng: &mut fastrand::Rng, choices: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = choices.iter().map(|(_, w)| w).sum();
    let mut at = rng.u32(0..total);
    for (value, weight) in choices {
        if at < *weight {
            return value;
        }
        at -= weight;
    }
    choices.last().map_or("", |(v, _)| v)
}

const COUNTRIES: [(&str, u32); 12] = [
    ("DE", 24),
    ("FR", 20),
    ("PL", 12),
    ("IT", 9),
    ("SE", 8),
    ("NO", 6),
    ("DK", 5),
    ("FI", 5),
    ("ES", 5),
    ("UK", 3),
    ("EL", 2),
    ("IS", 1),
];
const PROCEDURES: [(&str, u32); 9] = [
    ("OPE", 600),
    ("RES", 80),
    ("NIC", 50),
    ("NOC", 30),
    ("NIP", 20),
    ("NOP", 70),
    ("AWP", 110),
    ("COD", 25),
    ("INP", 5),
];
const CPVS: [(&str, u32); 10] = [
    ("45000000", 20),
    ("33100000", 15),
    ("72000000", 12),
    ("79400000", 10),
    ("90910000", 8),
    ("34100000", 8),
    ("73000000", 2),
    ("73110000", 1),
    ("71300000", 12),
    ("50000000", 12),
];
const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// Writes a header and `rows` data rows to `out`.
pub fn generate(rows: u64, seed: u64, out: impl Write) -> std::io::Result<()> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut csv = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 20, out));
    csv.write_record(CAN_HEADER)?;
    let column = |name: &str| CAN_HEADER.iter().position(|c| *c == name).unwrap_or(0);
    let (
        id,
        url,
        year_col,
        dispatch,
        cancelled,
        cae_name,
        country,
        cpv,
        additional,
        top,
        title,
        value,
        lot,
        offers,
    ) = (
        column("ID_NOTICE_CAN"),
        column("TED_NOTICE_URL"),
        column("YEAR"),
        column("DT_DISPATCH"),
        column("CANCELLED"),
        column("CAE_NAME"),
        column("ISO_COUNTRY_CODE"),
        column("CPV"),
        column("ADDITIONAL_CPVS"),
        column("TOP_TYPE"),
        column("TITLE"),
        column("VALUE_EURO"),
        column("ID_LOT"),
        column("NUMBER_OFFERS"),
    );
    let mut fields: Vec<String> = vec![String::new(); CAN_HEADER.len()];
    let mut written = 0u64;
    let mut serial = 0u64;
    while written < rows {
        serial += 1;
        let year = rng.i32(2006..=2023);
        let notice = format!("{year}{serial:06}");
        let lots = match rng.u32(0..10) {
            0..=5 => 1,
            6..=8 => 2,
            _ => 4,
        };
        let (day, month) = (rng.u32(1..=28), rng.usize(0..12));
        let date = if rng.bool() {
            format!("{day:02}-{}-{:02}", MONTHS[month], year % 100)
        } else {
            format!("{day:02}/{:02}/{:02}", month + 1, year % 100)
        };
        let buyer = match rng.u32(0..20) {
            0 => "Kommune, \"Innkjøp\" og drift".to_owned(),
            1 => "Region Nord\nInköpsavdelningen".to_owned(),
            n => format!("Buyer {n}"),
        };
        let main_cpv = pick(&mut rng, &CPVS);
        let extra = (0..rng.usize(0..3))
            .map(|_| pick(&mut rng, &CPVS))
            .collect::<Vec<_>>()
            .join("---");
        let procedure = pick(&mut rng, &PROCEDURES);
        let country_code = pick(&mut rng, &COUNTRIES);
        let is_cancelled = rng.u32(0..100) == 0;
        for lot_number in 1..=lots {
            if written >= rows {
                break;
            }
            fields.iter_mut().for_each(String::clear);
            fields[id] = notice.clone();
            fields[url] = format!("ted.europa.eu/udl?uri=TED:NOTICE:{serial}-{year}:TEXT:EN:HTML");
            fields[year_col] = year.to_string();
            fields[dispatch] = date.clone();
            fields[cancelled] = if is_cancelled { "1" } else { "0" }.into();
            fields[cae_name] = buyer.clone();
            fields[country] = country_code.into();
            fields[cpv] = main_cpv.into();
            fields[additional] = extra.clone();
            fields[top] = procedure.into();
            fields[title] = if rng.u32(0..50) == 0 {
                format!("Lot {lot_number}: \"services\",\nphase two")
            } else {
                format!("Lot {lot_number}")
            };
            fields[value] = format!("{}.{:02}", rng.u32(1_000..5_000_000), rng.u32(0..100));
            fields[lot] = lot_number.to_string();
            fields[offers] = rng.u32(1..12).to_string();
            csv.write_record(&fields)?;
            written += 1;
        }
    }
    csv.flush()
}
