//! eForms notices (UBL XML, one notice per document): TED's since October 2023, and Doffin's
//! new notices. An input is one `.xml` file, a folder of them (and of packages), or one of
//! TED's daily packages (`.tar.gz`), which is read as a stream: no file is unpacked to disk,
//! and one document at a time is held in memory (at most [`MAX_NOTICE_BYTES`]).
//!
//! Each document is read as a stream of events (`quick-xml`), not as a tree. Elements are
//! matched on their local names along the path from the root, as the SDK's XPaths give them
//! (`research/national-notices.md` §3): the prefixes (`cbc`, `cac`, `efac`) are conventions of
//! the schema, not part of the names, and in UBL no two of the paths read differ only by
//! namespace.

use std::cell::Cell;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Instant;

use quick_xml::events::{BytesStart, Event};

use crate::NoticesError;
use crate::csvscan::Row;
use crate::definitions::{Kind, Rules, bytes_one_of, cpv_code};
use crate::distinct::{Notice, Runs};
use crate::recount::{Place, Progress, Scanned, file_name, parse_year};

/// The largest document read; a notice with 100 lots is about 1 MB.
pub const MAX_NOTICE_BYTES: u64 = 32 << 20;

/// The deepest folder walked.
const MAX_DEPTH: usize = 32;

/// The root elements of procurement notices.
pub const ROOTS: [&str; 3] = [
    "ContractNotice",
    "ContractAwardNotice",
    "PriorInformationNotice",
];

/// Where the organisations are, below the root.
const ORGANIZATION: &[u8] =
    b"UBLExtensions/UBLExtension/ExtensionContent/EformsExtension/Organizations/Organization";

/// What is read from one document.
#[derive(Default)]
struct Fields {
    id: Option<String>,
    form: Option<String>,
    date: Option<String>,
    buyer: Option<String>,
    /// Organisations: id and country, in document order.
    organizations: Vec<(Option<String>, Option<String>)>,
    procedure: Option<String>,
    cpv: Option<String>,
    /// Whether any lot has a BT-776 code in the table's list.
    flagged: bool,
}

/// Which field the text of the element just opened goes to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Capture {
    Id,
    Date,
    Buyer,
    OrganizationId,
    OrganizationCountry,
    Procedure,
    Cpv,
    InnovationCode,
}

fn attribute(element: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    element
        .try_get_attribute(name)
        .ok()
        .flatten()
        .map(|a| String::from_utf8_lossy(&a.value).trim().to_owned())
}

/// A document's fields, or where and why it cannot be read.
fn read_document(bytes: &[u8], rules: &Rules) -> Result<(String, Fields), (String, String)> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut fields = Fields::default();
    let mut root: Option<String> = None;
    // The path below the root, as local names joined by `/`, and where each level starts.
    let mut path: Vec<u8> = Vec::with_capacity(256);
    let mut starts: Vec<usize> = Vec::with_capacity(32);
    let mut capture: Option<Capture> = None;
    let mut text: Vec<u8> = Vec::new();
    let shown = |root: &Option<String>, path: &[u8]| {
        let root = root.as_deref().unwrap_or("");
        if path.is_empty() {
            format!("/{root}")
        } else {
            format!("/{root}/{}", String::from_utf8_lossy(path))
        }
    };
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                return Err((
                    shown(&root, &path),
                    format!(
                        "not well-formed XML at byte {}: {e}",
                        reader.error_position()
                    ),
                ));
            }
        };
        match event {
            Event::Start(element) => {
                let name = element.local_name();
                if root.is_none() {
                    let name = String::from_utf8_lossy(name.as_ref()).into_owned();
                    if !ROOTS.contains(&name.as_str()) {
                        return Err((
                            format!("/{name}"),
                            format!(
                                "not a procurement notice: the root element is {name}, where eForms notices have {}",
                                ROOTS.join(", ")
                            ),
                        ));
                    }
                    root = Some(name);
                    continue;
                }
                starts.push(path.len());
                if !path.is_empty() {
                    path.push(b'/');
                }
                path.extend_from_slice(name.as_ref());
                capture = match path.as_slice() {
                    b"ID" if attribute(&element, b"schemeName").as_deref() == Some("notice-id") => {
                        Some(Capture::Id)
                    }
                    b"NoticeTypeCode" => {
                        fields.form = attribute(&element, b"listName");
                        None
                    }
                    b"IssueDate" => Some(Capture::Date),
                    b"ContractingParty/Party/PartyIdentification/ID" if fields.buyer.is_none() => {
                        Some(Capture::Buyer)
                    }
                    b"TenderingProcess/ProcedureCode" => Some(Capture::Procedure),
                    b"ProcurementProject/MainCommodityClassification/ItemClassificationCode" => {
                        Some(Capture::Cpv)
                    }
                    b"ProcurementProjectLot/ProcurementProject/ProcurementAdditionalType/ProcurementTypeCode"
                        if attribute(&element, b"listName").as_deref()
                            == Some("innovative-acquisition") =>
                    {
                        Some(Capture::InnovationCode)
                    }
                    p if p == ORGANIZATION => {
                        fields.organizations.push((None, None));
                        None
                    }
                    p if p.starts_with(ORGANIZATION) => match &p[ORGANIZATION.len()..] {
                        b"/Company/PartyIdentification/ID" => Some(Capture::OrganizationId),
                        b"/Company/PostalAddress/Country/IdentificationCode" => {
                            Some(Capture::OrganizationCountry)
                        }
                        _ => None,
                    },
                    _ => None,
                };
                text.clear();
            }
            Event::Text(t) if capture.is_some() => text.extend_from_slice(&t),
            Event::GeneralRef(r) if capture.is_some() => {
                let entity: &[u8] = match &*r {
                    b"amp" => b"&",
                    b"lt" => b"<",
                    b"gt" => b">",
                    b"quot" => b"\"",
                    b"apos" => b"'",
                    _ => b"",
                };
                text.extend_from_slice(entity);
            }
            Event::End(_) => {
                if let Some(what) = capture.take() {
                    let value = String::from_utf8_lossy(text.trim_ascii()).into_owned();
                    let organization = fields.organizations.last_mut();
                    match what {
                        Capture::Id => fields.id = Some(value),
                        Capture::Date => fields.date = Some(value),
                        Capture::Buyer => fields.buyer = Some(value),
                        Capture::Procedure => fields.procedure = Some(value),
                        Capture::Cpv => fields.cpv = Some(value),
                        Capture::OrganizationId => {
                            if let Some(org) = organization {
                                org.0.get_or_insert(value);
                            }
                        }
                        Capture::OrganizationCountry => {
                            if let Some(org) = organization {
                                org.1.get_or_insert(value);
                            }
                        }
                        Capture::InnovationCode => {
                            fields.flagged |=
                                bytes_one_of(value.as_bytes(), &rules.eforms.innovation_flags);
                        }
                    }
                }
                match starts.pop() {
                    Some(start) => path.truncate(start),
                    // The root's end: the rest of the document is not read.
                    None => break,
                }
            }
            Event::Eof => {
                // The root's end stops the loop before the end of the input.
                return Err(match root {
                    None => ("/".into(), "no root element: not an XML document".into()),
                    Some(_) => (
                        shown(&root, &path),
                        "the document ends before this element is closed: it is cut short".into(),
                    ),
                });
            }
            _ => {}
        }
    }
    Ok((root.unwrap_or_default(), fields))
}

/// Reads eForms inputs and adds their notices.
pub struct EformsReader<'a> {
    /// The table of what counts.
    pub rules: &'a Rules,
    /// Which notices count.
    pub kind: Kind,
    /// The input's index.
    pub input: u16,
}

impl EformsReader<'_> {
    /// Reads one document (`name` is its file, or package and entry) and adds its notice.
    fn document(&self, name: &str, bytes: &[u8], scanned: &mut Scanned, notices: &mut Runs) {
        let (row, path) = match self.notice(bytes, notices) {
            Ok(true) => (Row::Counted, String::new()),
            Ok(false) => (Row::Skipped, String::new()),
            Err((path, problem)) => (Row::Bad(problem), path),
        };
        scanned.note(row, || Place::Element(format!("{name}: {path}")));
    }

    /// Whether the document's notice was counted, or the path of what is wrong and what.
    fn notice(&self, bytes: &[u8], notices: &mut Runs) -> Result<bool, (String, String)> {
        let (root, fields) = read_document(bytes, self.rules)?;
        let missing = |path: &str, what: &str| {
            (
                format!("/{root}/{path}"),
                format!("{what} is missing; the notice cannot be counted without it"),
            )
        };
        let Some(id) = fields.id.filter(|id| !id.is_empty()) else {
            return Err(missing(
                "cbc:ID[@schemeName='notice-id']",
                "the notice identifier (BT-701)",
            ));
        };
        let Some(form) = fields.form.filter(|f| !f.is_empty()) else {
            return Err(missing(
                "cbc:NoticeTypeCode/@listName",
                "the form type (BT-03)",
            ));
        };
        let Some(date) = fields.date else {
            return Err(missing("cbc:IssueDate", "the dispatch date (BT-05)"));
        };
        let Some(year) = date.get(..4).and_then(|y| parse_year(y.as_bytes())) else {
            return Err((
                format!("/{root}/cbc:IssueDate"),
                format!("`{date}` is not a date (YYYY-MM-DD)"),
            ));
        };
        let Some(buyer) = fields.buyer else {
            return Err(missing(
                "cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID",
                "the buyer",
            ));
        };
        let country = fields
            .organizations
            .iter()
            .find(|(org, _)| org.as_deref() == Some(buyer.as_str()))
            .and_then(|(_, country)| country.clone());
        let Some(country) = country.filter(|c| !c.is_empty()) else {
            return Err((
                format!(
                    "/{root}/…/efac:Organization[cac:PartyIdentification/cbc:ID='{buyer}']/efac:Company/cac:PostalAddress/cac:Country/cbc:IdentificationCode"
                ),
                format!("the country of the buyer {buyer} is missing"),
            ));
        };
        let eforms = &self.rules.eforms;
        let kind = if bytes_one_of(form.as_bytes(), &eforms.competition_forms) {
            "competition"
        } else if bytes_one_of(form.as_bytes(), &eforms.result_forms) {
            "result"
        } else if form == "planning" {
            "planning"
        } else {
            "other"
        };
        let counted = match self.kind {
            Kind::All => true,
            Kind::Competition => kind == "competition",
            Kind::Result => kind == "result",
        };
        if !counted {
            return Ok(false);
        }
        let procedure = fields.procedure.unwrap_or_default();
        let cpv = fields.cpv.as_deref().and_then(|c| cpv_code(c.as_bytes()));
        let innovation = bytes_one_of(procedure.as_bytes(), &eforms.innovation_procedures);
        let flag = Some(fields.flagged);
        notices.add(&Notice {
            country: country.as_bytes(),
            year,
            id: id.as_bytes(),
            meets: self.rules.meets(innovation, cpv, flag),
            input: self.input,
            kind,
            procedure: procedure.as_bytes(),
            cpv,
            flag,
        });
        Ok(true)
    }

    /// Reads an input: a `.xml` file, a package, or a folder of both.
    pub fn scan(
        &self,
        path: &Path,
        notices: &mut Runs,
        progress: &(dyn Fn(&Progress<'_>) + Sync),
    ) -> Result<Scanned, NoticesError> {
        let name = file_name(path);
        let io = |source| NoticesError::Io {
            path: path.to_owned(),
            source,
        };
        let files = if path.is_dir() {
            walk(path).map_err(io)?
        } else {
            vec![path.to_owned()]
        };
        let size: u64 = files
            .iter()
            .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
            .sum();
        let mut scanned = Scanned::default();
        let mut state = Reading {
            name: &name,
            size,
            read: 0,
            files: 0,
            started: Instant::now(),
            last_report: Instant::now(),
            progress,
        };
        let mut buffer = Vec::new();
        for file in &files {
            let shown = if path.is_dir() {
                file.strip_prefix(path)
                    .unwrap_or(file)
                    .display()
                    .to_string()
            } else {
                name.clone()
            };
            state.files += 1;
            if is_package(file) {
                self.package(file, &shown, &mut buffer, &mut scanned, notices, &mut state)
                    .map_err(io)?;
            } else {
                let bytes = std::fs::metadata(file).map_err(io)?.len();
                if bytes > MAX_NOTICE_BYTES {
                    scanned.too_large(&shown, bytes);
                } else {
                    buffer.clear();
                    File::open(file)
                        .and_then(|mut f| f.read_to_end(&mut buffer))
                        .map_err(io)?;
                    self.document(&shown, &buffer, &mut scanned, notices);
                }
                state.read += bytes;
            }
            state.report(&scanned, false);
        }
        state.report(&scanned, true);
        Ok(scanned)
    }

    /// Reads a `.tar.gz` package entry by entry. A package that ends early or is not a
    /// package is a bad row; the notices before are kept.
    fn package(
        &self,
        file: &Path,
        shown: &str,
        buffer: &mut Vec<u8>,
        scanned: &mut Scanned,
        notices: &mut Runs,
        state: &mut Reading<'_>,
    ) -> std::io::Result<()> {
        let read = Rc::new(Cell::new(0));
        let counting = Counting {
            inner: BufReader::with_capacity(1 << 16, File::open(file)?),
            read: Rc::clone(&read),
        };
        let mut archive = tar::Archive::new(flate2::read::MultiGzDecoder::new(counting));
        let before = state.read;
        let broken = |scanned: &mut Scanned, e: std::io::Error| {
            let problem = format!("not a readable .tar.gz package past this point: {e}");
            scanned.note(Row::Bad(problem), || Place::Element(shown.to_owned()));
        };
        let entries = match archive.entries() {
            Ok(entries) => entries,
            Err(e) => {
                broken(scanned, e);
                return Ok(());
            }
        };
        for entry in entries {
            let mut entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    broken(scanned, e);
                    break;
                }
            };
            let entry_name = entry.path().map_or_else(
                |_| "(unreadable name)".to_owned(),
                |p| p.display().to_string(),
            );
            if !entry.header().entry_type().is_file()
                || !entry_name.to_lowercase().ends_with(".xml")
            {
                continue;
            }
            let shown = format!("{shown}/{entry_name}");
            let bytes = entry.size();
            if bytes > MAX_NOTICE_BYTES {
                scanned.too_large(&shown, bytes);
                continue;
            }
            buffer.clear();
            if let Err(e) = entry.read_to_end(buffer) {
                broken(scanned, e);
                break;
            }
            self.document(&shown, buffer, scanned, notices);
            state.read = before + read.get();
            state.report(scanned, false);
        }
        state.read = before + std::fs::metadata(file).map_or(0, |m| m.len());
        Ok(())
    }
}

impl Scanned {
    /// Notes a document too large to read.
    fn too_large(&mut self, shown: &str, bytes: u64) {
        let problem =
            format!("{bytes} bytes, more than the {MAX_NOTICE_BYTES} a notice may have; not read");
        self.note(Row::Bad(problem), || Place::Element(shown.to_owned()));
    }
}

/// Progress through one input.
struct Reading<'a> {
    name: &'a str,
    size: u64,
    read: u64,
    files: u64,
    started: Instant,
    last_report: Instant,
    progress: &'a (dyn Fn(&Progress<'_>) + Sync),
}

impl Reading<'_> {
    fn report(&mut self, scanned: &Scanned, last: bool) {
        if !last && self.last_report.elapsed().as_secs_f64() < 1.0 {
            return;
        }
        self.last_report = Instant::now();
        (self.progress)(&Progress {
            file: self.name,
            read: self.read,
            size: self.size,
            files: self.files,
            records: scanned.records,
            noun: "notices",
            seconds: self.started.elapsed().as_secs_f64(),
        });
    }
}

/// A reader that counts the bytes read through it (the package's compressed bytes).
struct Counting<R> {
    inner: R,
    read: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

/// Whether a file is a package (`.tar.gz`, `.tgz`).
pub fn is_package(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    name.ends_with(".tar.gz") || name.ends_with(".tgz")
}

/// The `.xml` files and packages in a folder and its subfolders, sorted by path. Links are
/// not followed (a link back up would never end).
pub fn walk(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut folders = vec![(dir.to_owned(), 0usize)];
    while let Some((folder, depth)) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() && depth < MAX_DEPTH {
                folders.push((path, depth + 1));
            } else if kind.is_file()
                && (is_package(&path)
                    || path
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("xml")))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTICE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2" xmlns:efac="http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1" xmlns:efext="http://data.europa.eu/p27/eforms-ubl-extensions/1">
  <ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent><efext:EformsExtension><efac:Organizations>
    <efac:Organization><efac:Company><cac:PartyIdentification><cbc:ID schemeName="organization">ORG-0002</cbc:ID></cac:PartyIdentification><cac:PostalAddress><cac:Country><cbc:IdentificationCode listName="country">SWE</cbc:IdentificationCode></cac:Country></cac:PostalAddress></efac:Company></efac:Organization>
    <efac:Organization><efac:Company><cac:PartyIdentification><cbc:ID schemeName="organization">ORG-0001</cbc:ID></cac:PartyIdentification><cac:PostalAddress><cac:Country><cbc:IdentificationCode listName="country">NOR</cbc:IdentificationCode></cac:Country></cac:PostalAddress></efac:Company></efac:Organization>
  </efac:Organizations></efext:EformsExtension></ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>
  <cbc:ID schemeName="notice-id">f42be27e-09cf-4f0e-a745-63ec689631e6</cbc:ID>
  <cbc:IssueDate>2024-11-21+01:00</cbc:IssueDate>
  <cbc:NoticeTypeCode listName="competition">cn-standard</cbc:NoticeTypeCode>
  <cac:ContractingParty><cac:Party><cac:PartyIdentification><cbc:ID schemeName="organization">ORG-0001</cbc:ID></cac:PartyIdentification></cac:Party></cac:ContractingParty>
  <cac:ContractingParty><cac:Party><cac:PartyIdentification><cbc:ID schemeName="organization">ORG-0002</cbc:ID></cac:PartyIdentification></cac:Party></cac:ContractingParty>
  <cac:TenderingProcess><cbc:ProcedureCode listName="procurement-procedure-type">comp-dial</cbc:ProcedureCode></cac:TenderingProcess>
  <cac:ProcurementProject><cac:MainCommodityClassification><cbc:ItemClassificationCode listName="cpv">73110000</cbc:ItemClassificationCode></cac:MainCommodityClassification></cac:ProcurementProject>
  <cac:ProcurementProjectLot><cbc:ID schemeName="Lot">LOT-0001</cbc:ID><cac:ProcurementProject><cac:ProcurementAdditionalType><cbc:ProcurementTypeCode listName="innovative-acquisition">none</cbc:ProcurementTypeCode></cac:ProcurementAdditionalType></cac:ProcurementProject></cac:ProcurementProjectLot>
  <cac:ProcurementProjectLot><cbc:ID schemeName="Lot">LOT-0002</cbc:ID><cac:ProcurementProject><cac:ProcurementAdditionalType><cbc:ProcurementTypeCode listName="innovative-acquisition">mar-nov</cbc:ProcurementTypeCode></cac:ProcurementAdditionalType></cac:ProcurementProject></cac:ProcurementProjectLot>
</ContractNotice>"#;

    #[test]
    fn a_notice_gives_its_fields_and_its_first_buyer() {
        let read = read_document(NOTICE.as_bytes(), &Rules::default());
        let Ok((root, fields)) = read else {
            panic!("read: {:?}", read.err());
        };
        assert_eq!(root, "ContractNotice");
        assert_eq!(
            fields.id.as_deref(),
            Some("f42be27e-09cf-4f0e-a745-63ec689631e6")
        );
        assert_eq!(fields.form.as_deref(), Some("competition"));
        assert_eq!(fields.date.as_deref(), Some("2024-11-21+01:00"));
        assert_eq!(fields.buyer.as_deref(), Some("ORG-0001"));
        assert_eq!(fields.organizations.len(), 2);
        assert_eq!(fields.procedure.as_deref(), Some("comp-dial"));
        assert_eq!(fields.cpv.as_deref(), Some("73110000"));
        assert!(fields.flagged, "the second lot's mar-nov flags it");
    }

    #[test]
    fn broken_and_foreign_documents_say_where() {
        let cut = &NOTICE[..NOTICE.find(">comp-dial").unwrap_or(0) + 10];
        let err = read_document(format!("{cut}</cbc:Oops>").as_bytes(), &Rules::default())
            .err()
            .unwrap_or_default();
        assert_eq!(err.0, "/ContractNotice/TenderingProcess/ProcedureCode");
        assert!(
            err.1.starts_with("not well-formed XML at byte "),
            "{}",
            err.1
        );
        let err = read_document(cut.as_bytes(), &Rules::default())
            .err()
            .unwrap_or_default();
        assert_eq!(err.0, "/ContractNotice/TenderingProcess/ProcedureCode");
        assert!(err.1.contains("cut short"), "{}", err.1);
        let err = read_document(b"<TED_EXPORT><X/></TED_EXPORT>", &Rules::default())
            .err()
            .unwrap_or_default();
        assert_eq!(err.0, "/TED_EXPORT");
        assert!(
            err.1.contains("ContractNotice, ContractAwardNotice"),
            "{}",
            err.1
        );
    }
}
