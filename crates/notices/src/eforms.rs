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

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use quick_xml::events::{BytesStart, Event};
use sha2::{Digest, Sha256};

use crate::NoticesError;
use crate::ahead::Hashing;
use crate::csvscan::Row;
use crate::definitions::{EformsRules, Kind, Rules, bytes_one_of, cpv_code};
use crate::distinct::{Notice, Runs};
use crate::layout::{is_eforms_file, is_package};
use crate::recount::{Place, Progress, Scanned, file_name, parse_year};

/// The largest document read; a notice with 100 lots is about 1 MB.
pub const MAX_NOTICE_BYTES: u64 = 32 << 20;

/// Files a worker reads per hand-over.
const CHUNK: usize = 64;

/// The deepest folder walked.
const MAX_DEPTH: usize = 32;

/// The root elements of procurement notices.
pub const ROOTS: [&str; 3] = [
    "ContractNotice",
    "ContractAwardNotice",
    "PriorInformationNotice",
];

/// What an element on the way to a field does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// It holds fields: go in.
    Holds,
    /// Its text is a field.
    Text(Capture),
    /// Its `listName` is the form type (BT-03).
    FormType,
    /// It begins an organisation.
    Organization,
}

/// The elements read, as a tree by their local names: (name, parent, role). Parent 0 is the
/// root element; the rest of a document is skipped. The paths are the SDK's XPaths for
/// BT-701, BT-03, BT-05, the buyer, the organisations' ids and countries, BT-105, BT-262 and
/// BT-776.
const TREE: [(&[u8], u8, Role); 28] = [
    (b"ID", 0, Role::Text(Capture::Id)),
    (b"NoticeTypeCode", 0, Role::FormType),
    (b"IssueDate", 0, Role::Text(Capture::Date)),
    (b"ContractingParty", 0, Role::Holds),
    (b"Party", 4, Role::Holds),
    (b"PartyIdentification", 5, Role::Holds),
    (b"ID", 6, Role::Text(Capture::Buyer)),
    (b"TenderingProcess", 0, Role::Holds),
    (b"ProcedureCode", 8, Role::Text(Capture::Procedure)),
    (b"ProcurementProject", 0, Role::Holds),
    (b"MainCommodityClassification", 10, Role::Holds),
    (b"ItemClassificationCode", 11, Role::Text(Capture::Cpv)),
    (b"ProcurementProjectLot", 0, Role::Holds),
    (b"ProcurementProject", 13, Role::Holds),
    (b"ProcurementAdditionalType", 14, Role::Holds),
    (
        b"ProcurementTypeCode",
        15,
        Role::Text(Capture::InnovationCode),
    ),
    (b"UBLExtensions", 0, Role::Holds),
    (b"UBLExtension", 17, Role::Holds),
    (b"ExtensionContent", 18, Role::Holds),
    (b"EformsExtension", 19, Role::Holds),
    (b"Organizations", 20, Role::Holds),
    (b"Organization", 21, Role::Organization),
    (b"Company", 22, Role::Holds),
    (b"PartyIdentification", 23, Role::Holds),
    (b"ID", 24, Role::Text(Capture::OrganizationId)),
    (b"PostalAddress", 23, Role::Holds),
    (b"Country", 26, Role::Holds),
    (
        b"IdentificationCode",
        27,
        Role::Text(Capture::OrganizationCountry),
    ),
];

/// Skips the content of an element just opened, whose name is `name` (with its prefix), up
/// to and with its end tag. Most of a notice's bytes are in elements no
/// field is in (results, terms, descriptions), so they are passed over with one search for
/// the end tag rather than read as events, when that is sure to find the right end: the
/// content has no element of the same name, no comment and no CDATA (in XML, `<` appears
/// nowhere else). Otherwise the reader reads the content as events to the end tag. Skipped
/// content is not checked for well-formedness beyond that.
fn skip(
    reader: &mut quick_xml::Reader<&[u8]>,
    name: &[u8],
    skipped: &mut u64,
) -> quick_xml::Result<()> {
    let rest: &[u8] = reader.get_ref();
    if let Some(content) = plain_content(rest, name) {
        *reader.get_mut() = &rest[content..];
        *skipped += content as u64;
        // The end tag, read (and checked against the start) as the slow way would.
        return reader.read_event().map(|_| ());
    }
    reader.read_to_end(quick_xml::name::QName(name)).map(|_| ())
}

/// The length of an element's content (`rest` is what follows its start tag, `name` its
/// name), when the first end tag `</name>` is surely its own: one pass over the `<`s finds
/// it, unless a comment, CDATA or a start tag of the same name comes first. Past the
/// element's true end (an end tag written `</name >`), a later end tag of this name would
/// need its own start tag first, which stops the search.
fn plain_content(rest: &[u8], name: &[u8]) -> Option<usize> {
    // The byte after the name is tested before the name itself: most tags passed over have
    // names of another length, and are told apart without comparing their names.
    for at in memchr::memchr_iter(b'<', rest) {
        let after = &rest[at + 1..];
        match after.first() {
            Some(b'!') => return None,
            Some(b'/') => {
                let tail = &after[1..];
                if tail.get(name.len()) == Some(&b'>') && tail.starts_with(name) {
                    return Some(at);
                }
            }
            _ => {
                if matches!(
                    after.get(name.len()),
                    Some(b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>') | None
                ) && after.starts_with(name)
                {
                    return None;
                }
            }
        }
    }
    None
}

/// The most children a node of [`TREE`] has (the root's eight).
const MOST_CHILDREN: usize = 8;

/// [`TREE`] by parent: each node's children (1-based indices into [`TREE`]; 0 ends the list).
/// An element's children are looked up among its own node's, not the whole tree: on every
/// element entered, the scan of all of [`TREE`] was a fifth of the reading.
const CHILDREN: [[u8; MOST_CHILDREN]; TREE.len() + 1] = {
    let mut children = [[0u8; MOST_CHILDREN]; TREE.len() + 1];
    let mut i = 0;
    while i < TREE.len() {
        let parent = TREE[i].1 as usize;
        let mut slot = 0;
        while children[parent][slot] != 0 {
            // Past the last slot: a compile-time error (a node with too many children).
            slot += 1;
        }
        children[parent][slot] = (i + 1) as u8;
        i += 1;
    }
    children
};

/// The node (1-based index into [`TREE`]) of a child named `name` of node `parent`.
fn child(parent: u8, name: &[u8]) -> Option<u8> {
    CHILDREN
        .get(usize::from(parent))?
        .iter()
        .take_while(|node| **node != 0)
        .find(|node| {
            // Length and last byte first: with a call to `memcmp` for every pair of names of
            // one length, `memcmp` was 3.6 % of a folder recount's CPU; with this and the same
            // test in `plain_content`, 2.0 %.
            let known = TREE[usize::from(**node) - 1].0;
            known.len() == name.len() && known.last() == name.last() && known == name
        })
        .copied()
}

/// A text field of a document, if it has one.
type Field<'a> = Option<Cow<'a, str>>;

/// What is read from one document. A text field borrows the document's bytes, unless it had
/// to be decoded (an entity in it, or bytes that are not UTF-8): a notice's fields were
/// about 15 of its allocations, and `malloc` and `free` about 4 % of a folder recount's CPU.
#[derive(Default)]
struct Fields<'a> {
    id: Field<'a>,
    form: Option<String>,
    date: Field<'a>,
    buyer: Field<'a>,
    /// Organisations: id and country, in document order.
    organizations: Vec<(Field<'a>, Field<'a>)>,
    procedure: Field<'a>,
    cpv: Field<'a>,
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

/// What opening `element` (node `node`) does to the fields (an organisation begins) and which
/// field its text goes to. Attributes are compared by full name, on their raw values.
fn opened(node: u8, element: &BytesStart<'_>, fields: &mut Fields<'_>) -> Option<Capture> {
    let attribute = |name: &[u8]| {
        element
            .try_get_attribute(name)
            .ok()
            .flatten()
            .map(|a| a.value)
    };
    let is = |name: &[u8], value: &[u8]| attribute(name).is_some_and(|a| a.trim_ascii() == value);
    match TREE[usize::from(node) - 1].2 {
        Role::Holds => None,
        Role::FormType => {
            fields.form =
                attribute(b"listName").map(|a| String::from_utf8_lossy(&a).trim().to_owned());
            None
        }
        Role::Organization => {
            fields.organizations.push((None, None));
            None
        }
        Role::Text(Capture::Id) if !is(b"schemeName", b"notice-id") => None,
        Role::Text(Capture::Buyer) if fields.buyer.is_some() => None,
        Role::Text(Capture::InnovationCode) if !is(b"listName", b"innovative-acquisition") => None,
        Role::Text(what) => Some(what),
    }
}

/// Puts the text of a captured element (trimmed) in its field.
fn closed<'a>(what: Capture, text: Cow<'a, [u8]>, fields: &mut Fields<'a>, rules: &Rules) {
    let value = match text {
        Cow::Borrowed(text) => String::from_utf8_lossy(text.trim_ascii()),
        Cow::Owned(text) => Cow::Owned(String::from_utf8_lossy(text.trim_ascii()).into_owned()),
    };
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
            fields.flagged |= bytes_one_of(value.as_bytes(), &rules.eforms.innovation_flags);
        }
    }
}

/// The kind of notice (`competition`, `result`, `planning` or `other`) a form type is.
fn kind_of(form: &str, eforms: &EformsRules) -> &'static str {
    if bytes_one_of(form.as_bytes(), &eforms.competition_forms) {
        "competition"
    } else if bytes_one_of(form.as_bytes(), &eforms.result_forms) {
        "result"
    } else if form == "planning" {
        "planning"
    } else {
        "other"
    }
}

/// A whole document's fields, or where and why it cannot be read.
#[cfg(test)]
fn read_document<'a>(
    bytes: &'a [u8],
    rules: &Rules,
) -> Result<(String, Fields<'a>), (String, String)> {
    read_fields(bytes, rules, Kind::All)
}

/// A document's fields, or where and why it cannot be read. A notice whose form type is of
/// a kind that `kind` does not count is read no further than its form type: nothing after it
/// is needed (in the generated benchmark, three notices in five, whose results and lots were
/// half of the reading).
fn read_fields<'a>(
    bytes: &'a [u8],
    rules: &Rules,
    kind: Kind,
) -> Result<(String, Fields<'a>), (String, String)> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut fields = Fields::default();
    let mut root: Option<String> = None;
    // The nodes of [`TREE`] open below the root.
    let mut open: Vec<u8> = Vec::with_capacity(16);
    // Bytes passed over by [`skip`], which the reader's positions do not count.
    let mut skipped = 0u64;
    let mut capture: Option<Capture> = None;
    let mut text: Cow<'a, [u8]> = Cow::Borrowed(b"");
    // A text in one piece stays borrowed; one in pieces (around an entity) is joined.
    let add = |text: &mut Cow<'a, [u8]>, more: Cow<'a, [u8]>| {
        if text.is_empty() {
            *text = more;
        } else {
            text.to_mut().extend_from_slice(&more);
        }
    };
    let shown = |root: &Option<String>, open: &[u8], below: Option<&[u8]>| {
        let mut shown = format!("/{}", root.as_deref().unwrap_or(""));
        let names = open.iter().map(|node| TREE[usize::from(*node) - 1].0);
        for name in names.chain(below) {
            shown.push('/');
            shown.push_str(&String::from_utf8_lossy(name));
        }
        shown
    };
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                return Err((
                    shown(&root, &open, None),
                    format!(
                        "not well-formed XML at byte {}: {e}",
                        reader.error_position() + skipped
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
                let parent = open.last().copied().unwrap_or(0);
                let Some(node) = child(parent, name.as_ref()) else {
                    // Nothing read lies below: skip to its end (results, terms,
                    // descriptions: most of a notice).
                    if let Err(e) = skip(&mut reader, element.name().as_ref(), &mut skipped) {
                        return Err((
                            shown(&root, &open, Some(element.local_name().as_ref())),
                            format!(
                                "not well-formed XML at byte {}: {e}",
                                reader.error_position() + skipped
                            ),
                        ));
                    }
                    continue;
                };
                open.push(node);
                let had_form = fields.form.is_some();
                capture = opened(node, &element, &mut fields);
                if let (false, Some(form)) = (had_form, &fields.form)
                    && !kind.counts(kind_of(form, &rules.eforms))
                {
                    break;
                }
                text = Cow::Borrowed(b"");
            }
            Event::Text(t) if capture.is_some() => add(&mut text, t.into_inner()),
            Event::GeneralRef(r) if capture.is_some() => {
                let entity: &'static [u8] = match &*r {
                    b"amp" => b"&",
                    b"lt" => b"<",
                    b"gt" => b">",
                    b"quot" => b"\"",
                    b"apos" => b"'",
                    _ => b"",
                };
                add(&mut text, Cow::Borrowed(entity));
            }
            Event::End(_) => {
                if let Some(what) = capture.take() {
                    closed(what, std::mem::take(&mut text), &mut fields, rules);
                }
                if open.pop().is_none() {
                    // The root's end: the rest of the document is not read.
                    break;
                }
            }
            Event::Eof => {
                // The root's end stops the loop before the end of the input.
                return Err(match root {
                    None => ("/".into(), "no root element: not an XML document".into()),
                    Some(_) => (
                        shown(&root, &open, None),
                        "the document ends before this element is closed: it is cut short".into(),
                    ),
                });
            }
            _ => {}
        }
    }
    Ok((root.unwrap_or_default(), fields))
}

/// A notice as read by a worker, owned, to be added to the sets in input order.
struct Found {
    country: String,
    year: i32,
    id: String,
    meets: u8,
    kind: &'static str,
    procedure: String,
    cpv: Option<u32>,
    flag: Option<bool>,
}

/// What became of one document.
enum Outcome {
    Counted(Found),
    Skipped,
    /// Where (document and element path) and what is wrong.
    Bad(String, String),
}

/// Files as the walk hands them to the workers: each one's path, and its path inside the
/// folder.
type Chunk = Vec<(PathBuf, String)>;

/// A file as a worker hands it back: its paths, and what reading it gave.
type Done = (PathBuf, String, std::io::Result<FileRead>);

/// One file read by a worker: its size, SHA-256, and its documents' outcomes.
struct FileRead {
    bytes: u64,
    sha256: [u8; 32],
    outcomes: Vec<Outcome>,
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
    /// Reads one document (`shown` is its file in a folder, or package and entry; empty
    /// for a file given alone).
    fn document(&self, shown: &str, bytes: &[u8]) -> Outcome {
        match self.notice(bytes) {
            Ok(Some(found)) => Outcome::Counted(found),
            Ok(None) => Outcome::Skipped,
            Err((path, problem)) if shown.is_empty() => Outcome::Bad(path, problem),
            Err((path, problem)) => Outcome::Bad(format!("{shown}: {path}"), problem),
        }
    }

    /// The document's notice if it counts, None if it is of another kind, or the path of
    /// what is wrong and what.
    fn notice(&self, bytes: &[u8]) -> Result<Option<Found>, (String, String)> {
        let (root, fields) = read_fields(bytes, self.rules, self.kind)?;
        let missing = |path: &str, what: &str| {
            (
                format!("/{root}/{path}"),
                format!("{what} is missing; the notice cannot be counted without it"),
            )
        };
        let Some(form) = fields.form.filter(|f| !f.is_empty()) else {
            return Err(missing(
                "cbc:NoticeTypeCode/@listName",
                "the form type (BT-03)",
            ));
        };
        // First the kind: a notice of a kind that does not count is left out whatever else
        // it lacks, and was read only as far as its form type.
        let kind = kind_of(&form, &self.rules.eforms);
        if !self.kind.counts(kind) {
            return Ok(None);
        }
        let Some(id) = fields.id.filter(|id| !id.is_empty()) else {
            return Err(missing(
                "cbc:ID[@schemeName='notice-id']",
                "the notice identifier (BT-701)",
            ));
        };
        let Some(date) = fields.date else {
            return Err(missing("cbc:IssueDate", "the dispatch date (BT-05)"));
        };
        let Some(year) = date.as_bytes().get(..4).and_then(parse_year) else {
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
            .into_iter()
            .find(|(org, _)| org.as_deref() == Some(&*buyer))
            .and_then(|(_, country)| country);
        let Some(country) = country.filter(|c| !c.is_empty()) else {
            return Err((
                format!(
                    "/{root}/…/efac:Organization[cac:PartyIdentification/cbc:ID='{buyer}']/efac:Company/cac:PostalAddress/cac:Country/cbc:IdentificationCode"
                ),
                format!("the country of the buyer {buyer} is missing"),
            ));
        };
        let eforms = &self.rules.eforms;
        let procedure = fields.procedure.unwrap_or_default().into_owned();
        let cpv = fields.cpv.as_deref().and_then(|c| cpv_code(c.as_bytes()));
        let innovation = bytes_one_of(procedure.as_bytes(), &eforms.innovation_procedures);
        let flag = Some(fields.flagged);
        Ok(Some(Found {
            country: country.into_owned(),
            year,
            id: id.into_owned(),
            meets: self.rules.meets(innovation, cpv, flag),
            kind,
            procedure,
            cpv,
            flag,
        }))
    }

    /// Reads an input: a `.xml` file, a package, or a folder of both. The files are read
    /// on a worker per core (each read once: hashed and parsed from the same bytes), and
    /// their notices added here in the files' order. Returns the scan, and the input's size
    /// and SHA-256 (a folder's as `InputFile::sha256` says).
    pub fn scan(
        &self,
        path: &Path,
        notices: &mut Runs,
        progress: &(dyn Fn(&Progress<'_>) + Sync),
    ) -> Result<(Scanned, (u64, String)), NoticesError> {
        let name = file_name(path);
        let folder = path.is_dir();
        // A folder's size is not asked of each file before reading (a system call per
        // file): progress counts its files instead.
        let size = if folder {
            0
        } else {
            std::fs::metadata(path).map_or(0, |m| m.len())
        };
        let mut scanned = Scanned::default();
        let listed = AtomicU64::new(0);
        let mut state = Reading {
            name: &name,
            size,
            read: 0,
            files: 0,
            files_total: 0,
            started: Instant::now(),
            last_report: Instant::now(),
            progress,
        };
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 8);
        let mut manifest = Sha256::new();
        let mut total = 0u64;
        let mut single = [0u8; 32];
        let (to_workers, chunks) = std::sync::mpsc::channel::<(usize, Chunk)>();
        let chunks = std::sync::Mutex::new(chunks);
        let failed = std::thread::scope(|scope| -> Result<(), (PathBuf, std::io::Error)> {
            // The walk hands the files on in order as it finds them, so that the workers
            // start at the first folder's files, not after the whole walk (0.05 s for 94 000
            // files, with the second core idle). Files go in chunks, so that a thread hands
            // over work (and wakes another) once per chunk, not per file: per file, the
            // switches between threads cost a fifth of the time.
            let listed = &listed;
            let walker = scope.spawn(move || {
                let mut chunk = Vec::with_capacity(CHUNK);
                let mut sent = 0;
                let mut send = |chunk: &mut Chunk| {
                    listed.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                    // The receiver outlives the scope, so the send does not fail; after a
                    // failed read, the workers stop taking chunks and the rest wait unread.
                    let _ = to_workers.send((sent, std::mem::take(chunk)));
                    sent += 1;
                };
                let walked = if folder {
                    visit(path, 0, &mut |file| {
                        // Within a folder, a file's path in it; a file given alone is the
                        // input.
                        let shown = inside(path, &file);
                        chunk.push((file, shown));
                        if chunk.len() == CHUNK {
                            send(&mut chunk);
                        }
                        true
                    })
                    .map(|_| ())
                } else {
                    chunk.push((path.to_owned(), String::new()));
                    Ok(())
                };
                if !chunk.is_empty() {
                    send(&mut chunk);
                }
                walked
            });
            let (to, from) = sync_channel::<(usize, Vec<Done>)>(2 * workers);
            for _ in 0..workers {
                let (to, chunks) = (to.clone(), &chunks);
                scope.spawn(move || {
                    let (mut opener, mut buffer) = (Opener::default(), Vec::new());
                    loop {
                        let next = chunks.lock().map(|chunks| chunks.recv());
                        let Ok(Ok((index, chunk))) = next else {
                            break;
                        };
                        let reads = chunk
                            .into_iter()
                            .map(|(file, shown)| {
                                let worker = (&mut opener, &mut buffer);
                                let read = self.read_file(&file, &shown, worker);
                                (file, shown, read)
                            })
                            .collect();
                        if to.send((index, reads)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(to);
            // Chunks come back in any order; they are added in the files' order, so that
            // the bad rows listed and the manifest do not depend on the threads.
            in_order(from, |_, reads: Vec<Done>| {
                for (file, shown, read) in reads {
                    let read = read.map_err(|e| (file, e))?;
                    total += read.bytes;
                    single = read.sha256;
                    manifest.update(format!(
                        "{}  {shown}\n",
                        indikator_ingest::hex(&read.sha256)
                    ));
                    for outcome in read.outcomes {
                        self.add(outcome, &mut scanned, notices);
                    }
                    state.files += 1;
                }
                state.read = total;
                state.files_total = listed.load(Ordering::Relaxed);
                state.report(&scanned, false);
                Ok(())
            })?;
            match walker.join() {
                Ok(walked) => walked.map_err(|e| (path.to_owned(), e)),
                Err(_) => Err((path.to_owned(), std::io::Error::other("the walk stopped"))),
            }
        });
        if let Err((path, source)) = failed {
            return Err(NoticesError::Io { path, source });
        }
        state.files_total = state.files;
        state.report(&scanned, true);
        let sha256 = if folder {
            indikator_ingest::hex(&manifest.finalize())
        } else {
            indikator_ingest::hex(&single)
        };
        Ok((scanned, (total, sha256)))
    }

    /// Adds a document's notice, and notes it.
    fn add(&self, outcome: Outcome, scanned: &mut Scanned, notices: &mut Runs) {
        let (row, place) = match outcome {
            Outcome::Counted(found) => {
                notices.add(&Notice {
                    country: found.country.as_bytes(),
                    year: found.year,
                    id: found.id.as_bytes(),
                    meets: found.meets,
                    input: self.input,
                    kind: found.kind,
                    procedure: found.procedure.as_bytes(),
                    cpv: found.cpv,
                    flag: found.flag,
                });
                (Row::Counted, String::new())
            }
            Outcome::Skipped => (Row::Skipped, String::new()),
            Outcome::Bad(place, problem) => (Row::Bad(problem), place),
        };
        scanned.note(row, || Place::Element(place));
    }

    /// Reads one file (a notice or a package) on a worker: its bytes are hashed and parsed
    /// as they are read, once.
    fn read_file(
        &self,
        file: &Path,
        shown: &str,
        (opener, buffer): (&mut Opener, &mut Vec<u8>),
    ) -> std::io::Result<FileRead> {
        let mut reader = Hashing::new(opener.open(file)?);
        let mut outcomes = Vec::new();
        if is_package(file) {
            self.package(&mut reader, shown, &mut outcomes, MAX_PACKAGE_INFLATED);
            // What the package reader left unread (after a broken entry) still counts in
            // the file's hash.
            std::io::copy(&mut reader, &mut std::io::sink())?;
        } else {
            let read = read_whole(&mut reader, buffer)?;
            if read > MAX_NOTICE {
                std::io::copy(&mut reader, &mut std::io::sink())?;
                outcomes.push(too_large(shown, reader.bytes));
            } else {
                outcomes.push(self.document(shown, &buffer[..read]));
            }
        }
        Ok(FileRead {
            bytes: reader.bytes,
            sha256: reader.hasher.finalize().into(),
            outcomes,
        })
    }

    /// Reads a `.tar.gz` package entry by entry, as a stream, until it has inflated to
    /// `most` bytes. A package that ends early, is not a package or inflates past that is a
    /// bad row; the notices before are kept. This thread inflates and unpacks, and hands the
    /// documents in batches to a thread per other core, which read them: one thread doing
    /// both left the second core idle, and inflating is about half of the work.
    fn package(&self, reader: &mut impl Read, shown: &str, outcomes: &mut Vec<Outcome>, most: u64) {
        let helpers = std::thread::available_parallelism()
            .map_or(1, |n| n.get().saturating_sub(1))
            .clamp(1, 7);
        let (to, from) = sync_channel::<(usize, Vec<Entry>)>(helpers);
        let from = std::sync::Mutex::new(from);
        let (back, results) = std::sync::mpsc::channel::<(usize, Vec<Outcome>)>();
        std::thread::scope(|scope| {
            for _ in 0..helpers {
                let (from, back) = (&from, back.clone());
                scope.spawn(move || {
                    while let Some((index, batch)) =
                        from.lock().ok().and_then(|from| from.recv().ok())
                    {
                        let done = batch
                            .into_iter()
                            .map(|entry| match entry {
                                Entry::Document(shown, bytes) => self.document(&shown, &bytes),
                                Entry::Done(outcome) => outcome,
                            })
                            .collect();
                        if back.send((index, done)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(back);
            let mut batches = Batches {
                to,
                batch: Vec::new(),
                held: 0,
                sent: 0,
            };
            unpack(reader, shown, most, &mut |entry| batches.push(entry));
            batches.flush();
            drop(batches);
            // Batches come back in any order; their outcomes are kept in the package's.
            let Ok(()) = in_order(results, |_, done| {
                outcomes.extend(done);
                Ok::<(), std::convert::Infallible>(())
            });
        });
    }
}

/// Hands on work that comes back from threads numbered 0, 1, 2, … in any order, in the
/// order of its numbers, as soon as each next one is there; stops at the first error.
fn in_order<T, E>(
    numbered: impl IntoIterator<Item = (usize, T)>,
    mut each: impl FnMut(usize, T) -> Result<(), E>,
) -> Result<(), E> {
    let mut waiting = BTreeMap::new();
    let mut want = 0;
    for (index, work) in numbered {
        waiting.insert(index, work);
        while let Some(work) = waiting.remove(&want) {
            each(want, work)?;
            want += 1;
        }
    }
    Ok(())
}

/// A package's entry as the unpacking thread hands it on: a document to read, or what became
/// of an entry that is not read.
enum Entry {
    Document(String, Vec<u8>),
    Done(Outcome),
}

/// Entries gathered into batches of [`CHUNK`] documents or 1 MiB, whichever comes first, so
/// that threads hand over work once per batch and the documents in flight stay few.
struct Batches {
    to: std::sync::mpsc::SyncSender<(usize, Vec<Entry>)>,
    batch: Vec<Entry>,
    held: usize,
    sent: usize,
}

impl Batches {
    fn push(&mut self, entry: Entry) {
        if let Entry::Document(_, bytes) = &entry {
            self.held += bytes.len();
        }
        self.batch.push(entry);
        if self.batch.len() >= CHUNK || self.held >= 1 << 20 {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        // The readers stop only when this side has hung up, so a send does not fail.
        let _ = self.to.send((self.sent, std::mem::take(&mut self.batch)));
        self.sent += 1;
        self.held = 0;
    }
}

/// Inflates and unpacks a `.tar.gz` package as a stream, up to `most` inflated bytes, and
/// hands on each `.xml` entry's bytes, or what became of it (too large, or the package broken
/// from there on: then the rest is not read).
fn unpack(reader: &mut impl Read, shown: &str, most: u64, emit: &mut dyn FnMut(Entry)) {
    let gz = flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 16, reader));
    let mut archive = tar::Archive::new(Capped {
        inner: gz,
        left: most,
        most,
    });
    let broken = |e: std::io::Error| {
        Entry::Done(Outcome::Bad(
            shown.to_owned(),
            format!("not a readable .tar.gz package past this point: {e}"),
        ))
    };
    let entries = match archive.entries() {
        Ok(entries) => entries,
        Err(e) => return emit(broken(e)),
    };
    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(e) => return emit(broken(e)),
        };
        let entry_name = entry.path().map_or_else(
            |_| "(unreadable name)".to_owned(),
            |p| p.display().to_string(),
        );
        if !entry.header().entry_type().is_file() || !entry_name.to_lowercase().ends_with(".xml") {
            continue;
        }
        let shown = if shown.is_empty() {
            entry_name
        } else {
            format!("{shown}/{entry_name}")
        };
        let size = entry.size();
        if size > MAX_NOTICE_BYTES {
            emit(Entry::Done(too_large(&shown, size)));
            continue;
        }
        // The size is the entry's header's, at most MAX_NOTICE_BYTES, and the entry gives no
        // more than it.
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        match entry.read_to_end(&mut bytes) {
            Ok(_) => emit(Entry::Document(shown, bytes)),
            Err(e) => return emit(broken(e)),
        }
    }
}

/// Reads one eForms document by the default table, as a recount would, and says whether its
/// notice counts as a competition. For the fuzz target: any bytes must give an answer or a
/// bad row, never a panic.
#[doc(hidden)]
pub fn fuzz_document(bytes: &[u8]) -> bool {
    let rules = Rules::default();
    let reader = EformsReader {
        rules: &rules,
        kind: Kind::Competition,
        input: 0,
    };
    matches!(reader.document("", bytes), Outcome::Counted(_))
}

/// [`MAX_NOTICE_BYTES`] as a length in memory.
const MAX_NOTICE: usize = MAX_NOTICE_BYTES as usize;

/// Reads `reader` to its end into `buffer`, but no more than `MAX_NOTICE + 1` bytes, and
/// returns the length read (more than `MAX_NOTICE`: too large). The buffer is a worker's, and
/// is only ever grown: its bytes stay initialised from one document to the next, so a notice
/// is read in one call. (`Read::read_to_end` reads 8 KiB at first and zeroes its spare room
/// on each call: three reads and a memset for a notice of 12 KiB.)
fn read_whole(reader: &mut impl Read, buffer: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut read = 0;
    loop {
        if read == buffer.len() {
            if read > MAX_NOTICE {
                return Ok(read);
            }
            buffer.resize((2 * read).clamp(1 << 16, MAX_NOTICE + 1), 0);
        }
        match reader.read(&mut buffer[read..]) {
            Ok(0) => return Ok(read),
            Ok(n) => read += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Opens a worker's files. On Unix, a file in a folder is opened relative to its folder,
/// which stays open while the folder's files are read (they come in path order, a folder's
/// together): the kernel then looks up one name for each file, not every folder on its path.
/// Reading a folder of 93 806 files on two threads (`read_floor`'s way) took 0.27–0.30 s
/// with whole paths and 0.26 s so. (`rustix` makes `openat` safe; std has no call for it.)
#[derive(Default)]
struct Opener {
    #[cfg(unix)]
    folder: Option<(PathBuf, rustix::fd::OwnedFd)>,
}

impl Opener {
    fn open(&mut self, file: &Path) -> std::io::Result<File> {
        #[cfg(unix)]
        if let (Some(folder), Some(name)) = (file.parent(), file.file_name())
            && !folder.as_os_str().is_empty()
        {
            use rustix::fs::{Mode, OFlags};
            let open = self.folder.as_ref().filter(|(open, _)| {
                open.as_os_str().as_encoded_bytes() == folder.as_os_str().as_encoded_bytes()
            });
            let dir = match open {
                Some((_, dir)) => dir,
                None => {
                    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                    let dir = rustix::fs::open(folder, flags, Mode::empty())?;
                    &self.folder.insert((folder.to_owned(), dir)).1
                }
            };
            let flags = OFlags::RDONLY | OFlags::CLOEXEC;
            return Ok(File::from(rustix::fs::openat(
                dir,
                name,
                flags,
                Mode::empty(),
            )?));
        }
        File::open(file)
    }
}

/// A document too large to read.
fn too_large(shown: &str, bytes: u64) -> Outcome {
    Outcome::Bad(
        shown.to_owned(),
        format!("{bytes} bytes, more than the {MAX_NOTICE_BYTES} a notice may have; not read"),
    )
}

/// Progress through one input.
struct Reading<'a> {
    name: &'a str,
    size: u64,
    read: u64,
    files: u64,
    files_total: u64,
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
            files_total: self.files_total,
            records: scanned.records,
            noun: "notices",
            seconds: self.started.elapsed().as_secs_f64(),
        });
    }
}

/// The most bytes one package is inflated to. A day's package from TED is about 100 MB
/// inflated; a `.tar.gz` can inflate a thousandfold, so without a bound a small file could
/// keep the recount busy for hours (memory stays bounded: one document at a time).
pub const MAX_PACKAGE_INFLATED: u64 = 16 << 30;

/// A reader that ends in an error once more than `most` bytes have come through it.
struct Capped<R> {
    inner: R,
    left: u64,
    most: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // At the bound: the end of the stream, or one byte too many.
            return match self.inner.read(&mut [0u8])? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(format!(
                    "it inflates to more than {} bytes, the most read from one package",
                    self.most
                ))),
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// The `.xml` files and packages in a folder and its subfolders, sorted by path.
pub fn walk(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    visit(dir, 0, &mut |file| {
        files.push(file);
        true
    })?;
    Ok(files)
}

/// Whether a folder or a subfolder holds an `.xml` file or a package: the walk stops at the
/// first, so that a large folder is walked once, by the recount, and not also to detect it.
pub fn holds_notices(dir: &Path) -> std::io::Result<bool> {
    let mut any = false;
    visit(dir, 0, &mut |_| {
        any = true;
        false
    })?;
    Ok(any)
}

/// Hands each `.xml` file and package below `dir` to `found`, in the byte order of their
/// paths (as `LC_ALL=C sort` lists them; the folder's hash lists its files so), until it
/// returns false; returns whether it went to the end. Each folder's entries are sorted by
/// name, a subfolder's with a `/` after it: all of a subfolder's paths then fall where that
/// name falls among its siblings, as in a sort of the whole paths, and the files come out in
/// order as the walk goes (the recount reads them meanwhile). Links are not followed (a link
/// back up would never end).
fn visit(
    dir: &Path,
    depth: usize,
    found: &mut dyn FnMut(PathBuf) -> bool,
) -> std::io::Result<bool> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let path = entry.path();
        let folder = kind.is_dir() && depth < MAX_DEPTH;
        if folder || (kind.is_file() && is_eforms_file(&path)) {
            let mut key = entry.file_name().into_encoded_bytes();
            if folder {
                key.push(b'/');
            }
            entries.push((key, folder, path));
        }
    }
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (_, folder, path) in entries {
        let going = if folder {
            visit(&path, depth + 1, found)?
        } else {
            found(path)
        };
        if !going {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A file's path in the folder `dir` it was found in, as messages and the folder's hash
/// name it. The walk joins names onto `dir`, so its bytes lead; cut them off rather than
/// compare the paths component by component, once for each of a folder's files.
fn inside(dir: &Path, file: &Path) -> String {
    let lead = dir.as_os_str().as_encoded_bytes();
    match file.as_os_str().as_encoded_bytes().strip_prefix(lead) {
        Some(rest) => {
            let rest = rest.strip_prefix(b"/").unwrap_or(rest);
            String::from_utf8_lossy(rest).into_owned()
        }
        None => file.strip_prefix(dir).unwrap_or(file).display().to_string(),
    }
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
    fn a_notice_of_a_kind_not_counted_is_read_no_further_than_its_form_type() {
        let rules = Rules::default();
        let read = |kind, document: &str| {
            let reader = EformsReader {
                rules: &rules,
                kind,
                input: 0,
            };
            reader.document("x.xml", document.as_bytes())
        };
        let result = NOTICE.replace(
            r#"listName="competition">cn-standard"#,
            r#"listName="result">can-standard"#,
        );
        assert!(matches!(read(Kind::Result, &result), Outcome::Counted(_)));
        // Broken after the form type: left out where results do not count, a bad row where
        // they do, and so is a competition broken the same way.
        let broken = |notice: &str| notice.replace("</cac:TenderingProcess>", "</cac:Oops>");
        assert!(matches!(
            read(Kind::Competition, &broken(&result)),
            Outcome::Skipped
        ));
        for (kind, notice) in [(Kind::All, &result), (Kind::Competition, &NOTICE.into())] {
            let Outcome::Bad(place, problem) = read(kind, &broken(notice)) else {
                panic!("not a bad row");
            };
            assert!(place.starts_with("x.xml: /ContractNotice/"), "{place}");
            assert!(
                problem.starts_with("not well-formed XML at byte"),
                "{problem}"
            );
        }
        // Without a buyer: left out, or a bad row that says so.
        let buyerless = |notice: &str| notice.replace("<cac:ContractingParty>", "<cac:Other>");
        let buyerless =
            |notice: &str| buyerless(notice).replace("</cac:ContractingParty>", "</cac:Other>");
        assert!(matches!(
            read(Kind::Competition, &buyerless(&result)),
            Outcome::Skipped
        ));
        let Outcome::Bad(_, problem) = read(Kind::All, &buyerless(&result)) else {
            panic!("not a bad row");
        };
        assert!(problem.starts_with("the buyer is missing"), "{problem}");
    }

    #[test]
    fn skipped_elements_end_at_their_own_end_tag() {
        // Nested elements of the same name, a comment holding an end tag, and an end tag
        // with a space: each is skipped to its true end, and the fields after are read.
        for skipped in [
            "<cac:Note><cac:Note>a</cac:Note></cac:Note>",
            "<cac:Note><!-- </cac:Note> --><cbc:ID schemeName=\"notice-id\">wrong</cbc:ID></cac:Note>",
            "<cac:Note><![CDATA[</cac:Note>]]></cac:Note >",
            "<cac:Note/>",
        ] {
            let notice = NOTICE.replace("<cbc:IssueDate>", &format!("{skipped}<cbc:IssueDate>"));
            let read = read_document(notice.as_bytes(), &Rules::default());
            let Ok((_, fields)) = read else {
                panic!("{skipped}: {:?}", read.err());
            };
            assert_eq!(
                fields.id.as_deref(),
                Some("f42be27e-09cf-4f0e-a745-63ec689631e6"),
                "{skipped}"
            );
            assert_eq!(
                fields.date.as_deref(),
                Some("2024-11-21+01:00"),
                "{skipped}"
            );
            assert_eq!(fields.procedure.as_deref(), Some("comp-dial"), "{skipped}");
        }
        // A skipped element that never ends is not well-formed.
        let cut = &NOTICE[..NOTICE.find("<cbc:IssueDate>").unwrap_or(0)];
        let err = read_document(format!("{cut}<cac:Note>a").as_bytes(), &Rules::default())
            .err()
            .unwrap_or_default();
        assert_eq!(err.0, "/ContractNotice/Note");
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

    #[test]
    fn a_folder_lists_its_notices_in_byte_order_by_their_paths_inside_it() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path().join("notices");
        // Names around `/` in byte order (`-` and `.` before it, `0` and letters after),
        // so that sorting each folder's names alone would give another order.
        let notices = [
            "b/2.xml",
            "a-z.xml",
            "a/1.XML",
            "a/deep/day.tar.gz",
            "a.xml",
            "a0.xml",
            "ab/c.xml",
            "a/b-c.xml",
            "a/b/c.xml",
            "a/b.xml",
        ];
        for file in notices.iter().chain(&["a/readme.txt", "c/empty/.keep"]) {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("made");
            std::fs::write(path, "x").expect("written");
        }
        let mut sorted = notices.to_vec();
        sorted.sort_unstable_by_key(|file| file.as_bytes());
        assert_eq!(sorted[..4], ["a-z.xml", "a.xml", "a/1.XML", "a/b-c.xml"]);
        // Given with a trailing `/` too: the paths inside it are the same.
        for given in [root.clone(), PathBuf::from(format!("{}/", root.display()))] {
            let files = walk(&given).expect("walked");
            let inside: Vec<String> = files.iter().map(|f| inside(&given, f)).collect();
            assert_eq!(inside, sorted, "the order of `LC_ALL=C sort`");
        }
        assert!(holds_notices(&root).expect("walked"));
        assert!(!holds_notices(&root.join("c")).expect("walked"));
    }

    #[test]
    fn each_node_finds_its_children_as_a_scan_of_the_tree_would() {
        for parent in 0..=TREE.len() as u8 {
            for (name, _, _) in TREE {
                let scanned = TREE
                    .iter()
                    .position(|(n, p, _)| *p == parent && *n == name)
                    .map(|i| i as u8 + 1);
                assert_eq!(child(parent, name), scanned, "{parent} {name:?}");
            }
            assert_eq!(child(parent, b"Note"), None);
        }
    }

    #[test]
    fn a_package_that_inflates_past_its_bound_keeps_the_notices_before_and_says_why() {
        // Three notices, each in its own entry of about 5 KB (tar's headers and padding).
        let mut tar = tar::Builder::new(Vec::new());
        for i in 0..3 {
            let notice = NOTICE.replace("f42be27e", &format!("0000000{i}"));
            let mut header = tar::Header::new_gnu();
            header.set_size(notice.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, format!("n{i}.xml"), notice.as_bytes())
                .ok();
        }
        let tar = tar.into_inner().unwrap_or_default();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &tar).ok();
        let package = gz.finish().unwrap_or_default();
        let rules = Rules::default();
        let reader = EformsReader {
            rules: &rules,
            kind: Kind::Competition,
            input: 0,
        };
        let read = |most: u64| {
            let mut outcomes = Vec::new();
            reader.package(&mut &package[..], "p.tar.gz", &mut outcomes, most);
            outcomes
                .iter()
                .map(|o| match o {
                    Outcome::Counted(found) => found.id.clone(),
                    Outcome::Skipped => "skipped".to_owned(),
                    Outcome::Bad(place, problem) => format!("{place}: {problem}"),
                })
                .collect::<Vec<_>>()
        };
        // A bound of the package's inflated size reads it whole.
        let whole = read(tar.len() as u64);
        assert_eq!(whole.len(), 3, "{whole:?}");
        assert!(whole[2].starts_with("00000002"), "{whole:?}");
        // A bound that falls in the third entry: two notices, then why the rest is not read.
        let bound = tar.len() as u64 / 3 * 2;
        let two = read(bound);
        assert_eq!(two.len(), 3, "{two:?}");
        assert!(two[0].starts_with("00000000"), "{two:?}");
        assert!(two[1].starts_with("00000001"), "{two:?}");
        assert_eq!(
            two[2],
            format!(
                "p.tar.gz: not a readable .tar.gz package past this point: it inflates to more than {bound} bytes, the most read from one package"
            )
        );
    }

    /// Gives its bytes a few at a time, as a pipe or a package entry may.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(self.0.len()).min(7);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_document_is_read_whole_and_one_too_large_is_a_bad_row_that_is_still_hashed() {
        let mut buffer = Vec::new();
        // Short reads add up, past the buffer's first size, and a shorter document read
        // next is not mixed with the longer one before it.
        let long: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let read = read_whole(&mut Trickle(&long), &mut buffer).ok();
        assert_eq!(read.map(|n| &buffer[..n]), Some(&long[..]));
        let read = read_whole(&mut NOTICE.as_bytes(), &mut buffer).ok();
        assert_eq!(read.map(|n| &buffer[..n]), Some(NOTICE.as_bytes()));

        let dir = tempfile::tempdir().ok();
        let dir = dir.as_ref().map_or(Path::new("."), |d| d.path());
        let file = dir.join("big.xml");
        let mut big = NOTICE.as_bytes().to_vec();
        big.resize(MAX_NOTICE + 5, b' ');
        std::fs::write(&file, &big).ok();
        let rules = Rules::default();
        let reader = EformsReader {
            rules: &rules,
            kind: Kind::Competition,
            input: 0,
        };
        let read = reader.read_file(&file, "big.xml", (&mut Opener::default(), &mut buffer));
        let Ok(read) = read else {
            panic!("{:?}", read.err());
        };
        assert_eq!(read.bytes, big.len() as u64);
        assert_eq!(read.sha256, <[u8; 32]>::from(Sha256::digest(&big)));
        let [Outcome::Bad(place, problem)] = &read.outcomes[..] else {
            panic!("one bad row");
        };
        assert_eq!(place, "big.xml");
        assert_eq!(
            problem,
            "33554437 bytes, more than the 33554432 a notice may have; not read"
        );
        assert!(buffer.len() <= MAX_NOTICE + 1, "{}", buffer.len());
    }
}
