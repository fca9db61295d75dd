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

/// The layouts the generator writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// TED CSV, award notices ([`generate`]).
    Ted,
    /// Upphandlingsmyndigheten's CSV export: `;`, a byte-order mark, the agency's labels.
    UhmCsv,
    /// Upphandlingsmyndigheten's xlsx, in the cleaned form of the published sample.
    UhmXlsx,
    /// DFØ's Doffin CSV, in Windows-1252.
    Doffin,
    /// eForms XML: a folder of notices, or a `.tar.gz` package.
    Eforms,
}

impl Generated {
    /// What it writes, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Generated::Ted => "TED award-notice rows",
            Generated::UhmCsv => "Upphandlingsmyndigheten CSV rows",
            Generated::UhmXlsx => "Upphandlingsmyndigheten xlsx rows",
            Generated::Doffin => "DFØ Doffin rows",
            Generated::Eforms => "eForms notices",
        }
    }
}

/// Writes `count` rows (notices, for eForms) of `layout` to `path`.
pub fn generate_into(
    layout: Generated,
    count: u64,
    seed: u64,
    path: &std::path::Path,
) -> std::io::Result<()> {
    let create = || std::fs::File::create(path);
    match layout {
        Generated::Ted => generate(count, seed, create()?),
        Generated::UhmCsv => uhm_csv(count, seed, create()?),
        Generated::UhmXlsx => uhm_xlsx(count, seed, path),
        Generated::Doffin => doffin(count, seed, create()?),
        Generated::Eforms => eforms(count, seed, path),
    }
}

/// Upphandlingsmyndigheten's procedures, as labelled, with weights like 2021's.
const UHM_PROCEDURES: [(&str, u32); 9] = [
    ("Förenklat förfarande", 8457),
    ("Öppet förfarande", 8426),
    ("", 641),
    ("Förhandlat förfarande med föregående annonsering", 433),
    ("Selektivt förfarande", 226),
    ("Urvalsförfarande", 213),
    ("Annat förfarande", 14),
    ("Konkurrenspräglad dialog", 11),
    ("Innovationspartnerskap", 3),
];

/// The header of the UHM export as the sample has it (the columns read, among others).
const UHM_HEADER: [&str; 10] = [
    "Upphandlings-ID",
    "År",
    "Publiceringsdatum",
    "Rubrik",
    "Upphandlande myndighet",
    "Förfarande",
    "Huvudsaklig CPV-kod",
    "Innovationsupphandling",
    "Antal anbud",
    "Annonstyp",
];

const UHM_CPVS: [(&str, u32); 6] = [
    ("79212000 Revision", 10),
    ("45000000 Byggarbete", 20),
    (
        "73000000 Forsknings- och utvecklingstjänster samt tillhörande konsulttjänster",
        2,
    ),
    ("73110000 Forskningstjänster", 1),
    ("72000000 IT-tjänster", 12),
    ("33100000 Medicinsk utrustning", 8),
];

/// One UHM row's fields: in the agency's labels (`raw`) or the sample's cleaned form.
fn uhm_fields(rng: &mut fastrand::Rng, serial: u64, raw: bool) -> [String; 10] {
    let year = rng.i32(2019..=2022);
    let flag = match rng.u32(0..100) {
        0..=2 if raw => "Innovationsupphandling – nya lösningar",
        0..=2 => "True",
        3..=40 if raw => "Inte innovationsupphandling",
        3..=40 => "False",
        _ if raw => "Uppgift saknas",
        _ => "",
    };
    // Some procurements appear twice (a corrected row): counted once.
    let id = if serial % 97 == 5 { serial - 1 } else { serial };
    [
        format!("UH-{year}-{id:06}"),
        year.to_string(),
        format!("{year}-{:02}-{:02}", rng.u32(1..=12), rng.u32(1..=28)),
        format!("Upphandling av \"tjänster\"; del {}", rng.u32(1..9)),
        ["Region Norrbotten", "Göteborgs kommun", "Trafikverket"][rng.usize(0..3)].to_owned(),
        pick(rng, &UHM_PROCEDURES).to_owned(),
        pick(rng, &UHM_CPVS).to_owned(),
        flag.to_owned(),
        rng.u32(0..12).to_string(),
        "Annons".to_owned(),
    ]
}

fn uhm_csv(rows: u64, seed: u64, out: impl Write) -> std::io::Result<()> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut out = std::io::BufWriter::new(out);
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut csv = csv::WriterBuilder::new().delimiter(b';').from_writer(out);
    csv.write_record(UHM_HEADER)?;
    for serial in 1..=rows {
        csv.write_record(uhm_fields(&mut rng, serial, true))?;
    }
    csv.flush()
}

fn uhm_xlsx(rows: u64, seed: u64, path: &std::path::Path) -> std::io::Result<()> {
    let to_io = |e: rust_xlsxwriter::XlsxError| std::io::Error::other(e.to_string());
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, name) in UHM_HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *name).map_err(to_io)?;
    }
    for serial in 1..=rows.min(1_000_000) {
        let fields = uhm_fields(&mut rng, serial, false);
        let row = serial as u32;
        for (c, field) in fields.iter().enumerate() {
            let c = c as u16;
            match c {
                // The year as a number, as a spreadsheet holds it; the flag as a boolean.
                1 => sheet
                    .write_number(row, c, field.parse::<f64>().unwrap_or(0.0))
                    .map_err(to_io)?,
                7 if !field.is_empty() => sheet
                    .write_boolean(row, c, field == "True")
                    .map_err(to_io)?,
                7 => sheet,
                _ => sheet.write_string(row, c, field).map_err(to_io)?,
            };
        }
    }
    workbook.save(path).map_err(to_io)
}

const DOFFIN_HEADER: [&str; 12] = [
    "doffin_id",
    "eier_orgnr",
    "eier_navn",
    "tittel",
    "publisering_dato",
    "skjema_nr",
    "skjema_type",
    "cpv_hoved_kode",
    "prosedyre_type",
    "nuts_kode",
    "verdi_estimert",
    "cpv_tillegg_kode",
];

/// Doffin's forms: (number, type, weight).
const DOFFIN_FORMS: [(u32, &str, u32); 9] = [
    (2, "Notice", 30),
    (5, "Notice", 10),
    (21, "Notice", 15),
    (52, "Notice", 5),
    (3, "Award", 15),
    (6, "Award", 5),
    (21, "Award", 5),
    (15, "Intention", 5),
    (1, "Notice", 10),
];

const DOFFIN_PROCEDURES: [(&str, u32); 6] = [
    ("Åpen anbudskonkurranse", 50),
    ("Konkurranse med forhandling", 20),
    ("", 25),
    ("Konkurransepreget dialog", 3),
    ("Innovasjonspartnerskap", 1),
    ("Begrenset anbudskonkurranse", 5),
];

fn doffin(rows: u64, seed: u64, out: impl Write) -> std::io::Result<()> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut text = Vec::with_capacity(1 << 20);
    {
        let mut csv = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut text);
        csv.write_record(DOFFIN_HEADER)?;
        csv.flush()?;
    }
    let mut out = std::io::BufWriter::new(out);
    out.write_all(&text)?;
    for serial in 1..=rows {
        let year = rng.i32(2018..=2022);
        let form_total: u32 = DOFFIN_FORMS.iter().map(|f| f.2).sum();
        let mut at = rng.u32(0..form_total);
        let (number, kind, _) = DOFFIN_FORMS
            .iter()
            .find(|f| {
                if at < f.2 {
                    true
                } else {
                    at -= f.2;
                    false
                }
            })
            .copied()
            .unwrap_or(DOFFIN_FORMS[0]);
        let cpv = pick(&mut rng, &CPVS);
        // A spreadsheet's float, now and then.
        let cpv = if rng.bool() {
            format!("{cpv}.0")
        } else {
            cpv.to_owned()
        };
        let extra = (0..rng.usize(0..3))
            .map(|_| pick(&mut rng, &CPVS))
            .collect::<Vec<_>>()
            .join("\n");
        let fields = [
            format!("{year}-{serial:06}"),
            format!("{}", 900_000_000 + rng.u32(0..99_999)),
            ["Tromsø kommune", "Bærum kommune", "Helse Sør-Øst RHF"][rng.usize(0..3)].to_owned(),
            format!("Kjøp av tjenester; «del {}»", rng.u32(1..9)),
            format!("{year}-{:02}-{:02}", rng.u32(1..=12), rng.u32(1..=28)),
            number.to_string(),
            kind.to_owned(),
            cpv,
            pick(&mut rng, &DOFFIN_PROCEDURES).to_owned(),
            "NO081".to_owned(),
            rng.u32(10_000..9_000_000).to_string(),
            extra,
        ];
        text.clear();
        {
            let mut csv = csv::WriterBuilder::new()
                .delimiter(b';')
                .from_writer(&mut text);
            csv.write_record(&fields)?;
            csv.flush()?;
        }
        // DFØ's files are Windows-1252: æ, ø, å as one byte each.
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1252.encode(std::str::from_utf8(&text).unwrap_or(""));
        out.write_all(&bytes)?;
    }
    out.flush()
}

/// Countries of eForms buyers, alpha-3, weighted.
const EFORMS_COUNTRIES: [(&str, u32); 8] = [
    ("DEU", 24),
    ("FRA", 20),
    ("POL", 12),
    ("SWE", 8),
    ("NOR", 6),
    ("DNK", 5),
    ("FIN", 5),
    ("ISL", 1),
];
const EFORMS_FORMS: [(&str, u32); 6] = [
    ("competition", 40),
    ("result", 35),
    ("planning", 10),
    ("cont-modif", 8),
    ("dir-awa-pre", 4),
    ("completion", 3),
];
const EFORMS_PROCEDURES: [(&str, u32); 7] = [
    ("open", 60),
    ("restricted", 10),
    ("neg-w-call", 10),
    ("neg-wo-call", 5),
    ("comp-dial", 3),
    ("innovation", 1),
    ("oth-single", 3),
];
const EFORMS_FLAGS: [(&str, u32); 5] = [
    ("none", 80),
    ("mar-nov", 3),
    ("proc-innov", 2),
    ("prod-innov", 2),
    ("rd-act", 1),
];

/// One eForms notice, in the SDK examples' shape: organisations in the extension, several
/// buyers now and then (the first counts), lots with BT-776 codes, prose to make it the size
/// of a real notice (10–40 KB).
fn eforms_notice(rng: &mut fastrand::Rng, serial: u64) -> String {
    use std::fmt::Write as _;
    let form = pick(rng, &EFORMS_FORMS);
    let root = match form {
        "result" | "cont-modif" | "dir-awa-pre" | "completion" => "ContractAwardNotice",
        "planning" => "PriorInformationNotice",
        _ => "ContractNotice",
    };
    let year = rng.i32(2023..=2025);
    let buyers = if rng.u32(0..10) == 0 { 3 } else { 1 };
    let organizations = buyers + rng.usize(1..3);
    let lots = match rng.u32(0..20) {
        0 => 12,
        1..=5 => 3,
        _ => 1,
    };
    let prose = "Provision of services in accordance with the technical specification, including \
                 delivery, installation, training of staff &amp; maintenance over the term of the \
                 framework agreement. ";
    let mut x = String::with_capacity(16 * 1024);
    let _ = write!(
        x,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2" xmlns:efac="http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1" xmlns:efext="http://data.europa.eu/p27/eforms-ubl-extensions/1" xmlns:efbc="http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1">
	<ext:UBLExtensions>
		<ext:UBLExtension>
			<ext:ExtensionContent>
				<efext:EformsExtension>
"#
    );
    // Results carry their results first, as the SDK's award-notice examples do (30 KB on
    // average): lots' results with statistics, tenders, contracts with their own IssueDate.
    if root == "ContractAwardNotice" {
        notice_result(&mut x, rng, lots);
    }
    x.push_str(
        r#"					<efac:NoticeSubType>
						<cbc:SubTypeCode listName="notice-subtype">16</cbc:SubTypeCode>
					</efac:NoticeSubType>
					<efac:Organizations>
"#,
    );
    // The buyers' organisations are listed in another order than the buyers.
    for o in (1..=organizations).rev() {
        let country = pick(rng, &EFORMS_COUNTRIES);
        let _ = write!(
            x,
            r#"						<efac:Organization>
							<efac:Company>
								<cac:PartyIdentification>
									<cbc:ID schemeName="organization">ORG-{o:04}</cbc:ID>
								</cac:PartyIdentification>
								<cac:PartyName>
									<cbc:Name languageID="ENG">Buyer {o} of notice {serial}</cbc:Name>
								</cac:PartyName>
								<cac:PostalAddress>
									<cbc:StreetName>Main Street {o}</cbc:StreetName>
									<cbc:CityName>Town</cbc:CityName>
									<cbc:PostalZone>{zip}</cbc:PostalZone>
									<cac:Country>
										<cbc:IdentificationCode listName="country">{country}</cbc:IdentificationCode>
									</cac:Country>
								</cac:PostalAddress>
								<cac:Contact>
									<cbc:Telephone>+47 {zip}</cbc:Telephone>
									<cbc:ElectronicMail>buyer{o}@example.org</cbc:ElectronicMail>
								</cac:Contact>
							</efac:Company>
						</efac:Organization>
"#,
            zip = rng.u32(1000..9999)
        );
    }
    let _ = write!(
        x,
        r#"					</efac:Organizations>
				</efext:EformsExtension>
			</ext:ExtensionContent>
		</ext:UBLExtension>
	</ext:UBLExtensions>
	<cbc:UBLVersionID>2.3</cbc:UBLVersionID>
	<cbc:CustomizationID>eforms-sdk-1.10</cbc:CustomizationID>
	<cbc:ID schemeName="notice-id">{id:08x}-{a:04x}-4{b:03x}-a{c:03x}-{d:012x}</cbc:ID>
	<cbc:ContractFolderID>{folder:08x}-0000-4000-8000-000000000000</cbc:ContractFolderID>
	<cbc:IssueDate>{year}-{month:02}-{day:02}+01:00</cbc:IssueDate>
	<cbc:IssueTime>12:00:00+01:00</cbc:IssueTime>
	<cbc:VersionID>01</cbc:VersionID>
	<cbc:RegulatoryDomain>32014L0024</cbc:RegulatoryDomain>
	<cbc:NoticeTypeCode listName="{form}">{form}-standard</cbc:NoticeTypeCode>
	<cbc:NoticeLanguageCode>ENG</cbc:NoticeLanguageCode>
"#,
        id = serial,
        a = rng.u32(0..0xffff),
        b = rng.u32(0..0xfff),
        c = rng.u32(0..0xfff),
        d = rng.u64(0..0xffff_ffff_ffff),
        folder = rng.u32(..),
        month = rng.u32(1..=12),
        day = rng.u32(1..=28),
    );
    for b in 1..=buyers {
        let _ = write!(
            x,
            r#"	<cac:ContractingParty>
		<cac:ContractingPartyType>
			<cbc:PartyTypeCode listName="buyer-legal-type">body-pl</cbc:PartyTypeCode>
		</cac:ContractingPartyType>
		<cac:Party>
			<cac:PartyIdentification>
				<cbc:ID schemeName="organization">ORG-{b:04}</cbc:ID>
			</cac:PartyIdentification>
		</cac:Party>
	</cac:ContractingParty>
"#
        );
    }
    let procedure = pick(rng, &EFORMS_PROCEDURES);
    let cpv = pick(rng, &CPVS);
    let _ = write!(
        x,
        r#"	<cac:TenderingProcess>
		<cbc:ProcedureCode listName="procurement-procedure-type">{procedure}</cbc:ProcedureCode>
	</cac:TenderingProcess>
	<cac:ProcurementProject>
		<cbc:Name languageID="ENG">Notice {serial}</cbc:Name>
		<cbc:Description languageID="ENG">{prose}{prose}</cbc:Description>
		<cbc:ProcurementTypeCode listName="contract-nature">services</cbc:ProcurementTypeCode>
		<cac:MainCommodityClassification>
			<cbc:ItemClassificationCode listName="cpv">{cpv}</cbc:ItemClassificationCode>
		</cac:MainCommodityClassification>
	</cac:ProcurementProject>
"#
    );
    for lot in 1..=lots {
        let flag = pick(rng, &EFORMS_FLAGS);
        let _ = write!(
            x,
            r#"	<cac:ProcurementProjectLot>
		<cbc:ID schemeName="Lot">LOT-{lot:04}</cbc:ID>
		<cac:TenderingTerms>
			<cbc:VariantConstraintCode listName="permission">not-allowed</cbc:VariantConstraintCode>
			<cac:AwardingTerms>
				<cac:AwardingCriterion>
					<cac:SubordinateAwardingCriterion>
						<cbc:AwardingCriterionTypeCode listName="award-criterion-type">price</cbc:AwardingCriterionTypeCode>
						<cbc:Description languageID="ENG">{prose}</cbc:Description>
					</cac:SubordinateAwardingCriterion>
				</cac:AwardingCriterion>
			</cac:AwardingTerms>
		</cac:TenderingTerms>
		<cac:ProcurementProject>
			<cbc:ID schemeName="InternalID">{serial}-{lot}</cbc:ID>
			<cbc:Name languageID="ENG">Lot {lot}</cbc:Name>
			<cbc:Description languageID="ENG">{prose}{prose}{prose}</cbc:Description>
			<cbc:ProcurementTypeCode listName="contract-nature">services</cbc:ProcurementTypeCode>
			<cac:ProcurementAdditionalType>
				<cbc:ProcurementTypeCode listName="strategic-procurement">none</cbc:ProcurementTypeCode>
			</cac:ProcurementAdditionalType>
			<cac:ProcurementAdditionalType>
				<cbc:ProcurementTypeCode listName="innovative-acquisition">{flag}</cbc:ProcurementTypeCode>
			</cac:ProcurementAdditionalType>
			<cac:MainCommodityClassification>
				<cbc:ItemClassificationCode listName="cpv">{cpv}</cbc:ItemClassificationCode>
			</cac:MainCommodityClassification>
			<cac:RealizedLocation>
				<cac:Address>
					<cbc:CountrySubentityCode listName="nuts">NO081</cbc:CountrySubentityCode>
					<cac:Country>
						<cbc:IdentificationCode listName="country">NOR</cbc:IdentificationCode>
					</cac:Country>
				</cac:Address>
			</cac:RealizedLocation>
			<cac:PlannedPeriod>
				<cbc:DurationMeasure unitCode="MONTH">{months}</cbc:DurationMeasure>
			</cac:PlannedPeriod>
		</cac:ProcurementProject>
	</cac:ProcurementProjectLot>
"#,
            months = rng.u32(6..48)
        );
    }
    let _ = writeln!(x, "</{root}>");
    x
}

/// A result notice's `efac:NoticeResult`: per lot a result with its statistics, a tender and a
/// contract (whose `cbc:IssueDate` is not the notice's).
fn notice_result(x: &mut String, rng: &mut fastrand::Rng, lots: usize) {
    use std::fmt::Write as _;
    let _ = writeln!(
        x,
        "\t\t\t\t\t<efac:NoticeResult>\n\t\t\t\t\t\t<cbc:TotalAmount currencyID=\"EUR\">{}.{:02}</cbc:TotalAmount>",
        rng.u32(10_000..9_000_000),
        rng.u32(0..100)
    );
    for lot in 1..=lots {
        let _ = write!(
            x,
            "\t\t\t\t\t\t<efac:LotResult>\n\t\t\t\t\t\t\t<cbc:ID schemeName=\"result\">RES-{lot:04}</cbc:ID>\n\t\t\t\t\t\t\t<cbc:TenderResultCode listName=\"winner-selection-status\">selec-w</cbc:TenderResultCode>\n"
        );
        for statistic in [
            "tenders",
            "t-sme",
            "t-no-eea",
            "t-oth-eea",
            "t-esubm",
            "t-small-med",
        ] {
            let _ = write!(
                x,
                "\t\t\t\t\t\t\t<efac:ReceivedSubmissionsStatistics>\n\t\t\t\t\t\t\t\t<efbc:StatisticsCode listName=\"received-submission-type\">{statistic}</efbc:StatisticsCode>\n\t\t\t\t\t\t\t\t<efbc:StatisticsNumeric>{}</efbc:StatisticsNumeric>\n\t\t\t\t\t\t\t</efac:ReceivedSubmissionsStatistics>\n",
                rng.u32(0..9)
            );
        }
        let _ = write!(
            x,
            "\t\t\t\t\t\t\t<efac:SettledContract>\n\t\t\t\t\t\t\t\t<cbc:ID schemeName=\"contract\">CON-{lot:04}</cbc:ID>\n\t\t\t\t\t\t\t</efac:SettledContract>\n\t\t\t\t\t\t\t<efac:TenderLot>\n\t\t\t\t\t\t\t\t<cbc:ID schemeName=\"Lot\">LOT-{lot:04}</cbc:ID>\n\t\t\t\t\t\t\t</efac:TenderLot>\n\t\t\t\t\t\t</efac:LotResult>\n\t\t\t\t\t\t<efac:LotTender>\n\t\t\t\t\t\t\t<cbc:ID schemeName=\"tender\">TEN-{lot:04}</cbc:ID>\n\t\t\t\t\t\t\t<cbc:RankCode>1</cbc:RankCode>\n\t\t\t\t\t\t\t<cac:LegalMonetaryTotal>\n\t\t\t\t\t\t\t\t<cbc:PayableAmount currencyID=\"EUR\">{}</cbc:PayableAmount>\n\t\t\t\t\t\t\t</cac:LegalMonetaryTotal>\n\t\t\t\t\t\t\t<efac:TenderingParty>\n\t\t\t\t\t\t\t\t<cbc:ID schemeName=\"tendering-party\">TPA-{lot:04}</cbc:ID>\n\t\t\t\t\t\t\t</efac:TenderingParty>\n\t\t\t\t\t\t</efac:LotTender>\n\t\t\t\t\t\t<efac:SettledContract>\n\t\t\t\t\t\t\t<cbc:ID schemeName=\"contract\">CON-{lot:04}</cbc:ID>\n\t\t\t\t\t\t\t<cbc:IssueDate>2019-09-03+02:00</cbc:IssueDate>\n\t\t\t\t\t\t\t<cbc:Title languageID=\"ENG\">Contract for lot {lot}: provision of services in accordance with the technical specification, including delivery, installation and training of staff</cbc:Title>\n\t\t\t\t\t\t</efac:SettledContract>\n",
            rng.u32(1_000..900_000)
        );
    }
    x.push_str("\t\t\t\t\t</efac:NoticeResult>\n");
}

fn eforms(count: u64, seed: u64, path: &std::path::Path) -> std::io::Result<()> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let name = path.to_string_lossy().to_lowercase();
    if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        let file = std::io::BufWriter::new(std::fs::File::create(path)?);
        let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        let mut tar = tar::Builder::new(gz);
        for serial in 1..=count {
            let notice = eforms_notice(&mut rng, serial);
            let mut header = tar::Header::new_gnu();
            header.set_size(notice.len() as u64);
            header.set_mode(0o644);
            header.set_mtime(1_700_000_000);
            header.set_cksum();
            tar.append_data(&mut header, format!("{serial:08}.xml"), notice.as_bytes())?;
        }
        tar.into_inner()?.finish()?.flush()?;
        return Ok(());
    }
    for serial in 1..=count {
        let folder = path.join(format!("{:04}", serial / 1000));
        if serial == 1 || serial % 1000 == 0 {
            std::fs::create_dir_all(&folder)?;
        }
        let notice = eforms_notice(&mut rng, serial);
        std::fs::write(folder.join(format!("{serial:08}.xml")), notice)?;
    }
    Ok(())
}
