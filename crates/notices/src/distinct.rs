//! The distinct notices per country and year, for each definition.
//!
//! The thread that splits records hands each run of rows of one notice to [`Runs::add`]; a
//! second thread ([`Sets::fill`]) puts the notices into their sets, so that the memory-bound
//! work of the sets runs beside the splitting. Batches go through a bounded channel, so the
//! memory stays bounded by the distinct notices.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use crate::definitions::DEFINED;
use crate::layout::iso_country;
use crate::table::{TableRow, TableWriter};

/// Counts for one country and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// One count per definition, in the order of [`crate::DEFINITIONS`].
    pub by_definition: [u64; DEFINED],
}

type Hasher = foldhash::fast::RandomState;

/// Notices per batch sent.
const BATCH: usize = 1 << 15;

/// A field of ASCII digits only (at most 18) as a number.
pub fn digits(field: &[u8]) -> Option<u64> {
    if field.is_empty() || field.len() > 18 {
        return None;
    }
    field.iter().try_fold(0u64, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0'))
    })
}

/// An id as a number, if it is one written without leading zeros (so the number stands for
/// exactly one id).
fn number(id: &[u8]) -> Option<u64> {
    match id {
        [b'0', _, ..] => None,
        _ => digits(id),
    }
}

/// One notice as a reader found it, with its country as written (made ISO here, before it is
/// grouped, so that `UK` and `GB` are one country).
#[derive(Debug, Clone, Copy)]
pub struct Notice<'a> {
    /// The buyer's country as the source writes it.
    pub country: &'a [u8],
    /// The year it counts in.
    pub year: i32,
    /// Its id.
    pub id: &'a [u8],
    /// The definitions it meets, a bit each.
    pub meets: u8,
    /// The input it came from (its index in the run's inputs).
    pub input: u16,
    /// For the notice table: the form kind, the procedure, the main CPV code and the
    /// innovation flag (None where the layout has none).
    pub kind: &'static str,
    /// The procedure as written.
    pub procedure: &'a [u8],
    /// The main CPV code.
    pub cpv: Option<u32>,
    /// The innovation flag.
    pub flag: Option<bool>,
}

/// Notices for the sets: (group, id, the definitions met). TED's ids are digits, kept as
/// numbers; any other id as bytes. With a notice table, each notice's row too.
#[derive(Default)]
struct Batch {
    numbers: Vec<(u32, u64, u8)>,
    others: Vec<(u32, Box<[u8]>, u8)>,
    rows: Vec<(u32, TableRow)>,
}

impl Batch {
    fn len(&self) -> usize {
        self.numbers.len() + self.others.len()
    }
}

/// The splitting side: finds each row's group (country as written, and year) and joins the
/// rows of a notice, which come together, before they go to the sets.
pub struct Runs {
    /// Year (little-endian) and country, to a group.
    keys: HashMap<Box<[u8]>, u32, Hasher>,
    /// The key of the row before: its year (little-endian) and country.
    key: Vec<u8>,
    /// The notice of the row before.
    last: Last,
    /// Each group's inputs (as pairs), and the input last noted for each group (plus one),
    /// so that a pair is noted once.
    inputs: Vec<(u32, u16)>,
    noted: Vec<u32>,
    /// Whether notices' rows go to a notice table.
    table: bool,
    batch: Batch,
    to: SyncSender<Batch>,
}

/// The notice of the row before, not yet sent.
#[derive(Default)]
struct Last {
    /// The group of [`Runs::key`], once there is a row before.
    group: Option<u32>,
    id: Vec<u8>,
    meets: u8,
    pending: bool,
}

/// The notices already in the notice table: group and id.
type Tabled = HashSet<(u32, Box<[u8]>), Hasher>;

/// The sets' side.
pub struct Sets {
    from: Receiver<Batch>,
    groups: Vec<Notices>,
    /// The notice table, and the notices already in it.
    table: Option<(TableWriter, Tabled)>,
}

impl Runs {
    /// Both sides, joined by a channel of at most a few batches; with `table`, the sets' side
    /// writes one row per distinct notice to it.
    pub fn new(table: Option<TableWriter>) -> (Runs, Sets) {
        let (to, from) = sync_channel(4);
        let runs = Runs {
            keys: HashMap::default(),
            key: Vec::new(),
            last: Last::default(),
            inputs: Vec::new(),
            noted: Vec::new(),
            table: table.is_some(),
            batch: Batch::default(),
            to,
        };
        let sets = Sets {
            from,
            groups: Vec::new(),
            table: table.map(|t| (t, HashSet::default())),
        };
        (runs, sets)
    }

    /// Adds a row of a notice (the rows of one notice, such as TED's lots, come one after
    /// another and are joined: the notice meets what any of them meets).
    pub fn add(&mut self, notice: &Notice<'_>) {
        let Notice {
            year, id, meets, ..
        } = *notice;
        let country = iso_country(notice.country);
        let country = &*country;
        let same_group = self.last.group.is_some()
            && self.key.get(..4) == Some(&year.to_le_bytes()[..])
            && self.key.get(4..) == Some(country);
        let last = &mut self.last;
        if same_group && last.pending && last.id == id {
            last.meets |= meets;
            return;
        }
        self.push();
        if !same_group || !self.noted(notice.input) {
            self.group_of(country, year, notice.input, same_group);
        }
        if let (true, Some(group)) = (self.table, self.last.group) {
            self.batch.rows.push((group, TableRow::of(notice, country)));
        }
        let last = &mut self.last;
        last.id.clear();
        last.id.extend_from_slice(id);
        last.meets = meets;
        last.pending = true;
    }

    /// Finds (or makes) the group of a country and year, and notes that the input has notices
    /// in it.
    fn group_of(&mut self, country: &[u8], year: i32, input: u16, same_group: bool) {
        if !same_group {
            self.key.clear();
            self.key.extend_from_slice(&year.to_le_bytes());
            self.key.extend_from_slice(country);
            let next = u32::try_from(self.keys.len()).unwrap_or(u32::MAX);
            let group = match self.keys.get(self.key.as_slice()) {
                Some(group) => *group,
                None => {
                    self.keys.insert(self.key.as_slice().into(), next);
                    next
                }
            };
            self.last.group = Some(group);
        }
        if let Some(group) = self.last.group
            && !self.noted(input)
        {
            let index = group as usize;
            if self.noted.len() <= index {
                self.noted.resize(index + 1, 0);
            }
            self.noted[index] = u32::from(input) + 1;
            self.inputs.push((group, input));
        }
    }

    /// Whether `input` was the last input noted for the group of the row before.
    fn noted(&self, input: u16) -> bool {
        self.last
            .group
            .is_some_and(|group| self.noted.get(group as usize) == Some(&(u32::from(input) + 1)))
    }

    /// Puts the notice of the row before in the batch, and sends a full batch.
    fn push(&mut self) {
        let last = &mut self.last;
        let (true, Some(group)) = (last.pending, last.group) else {
            return;
        };
        last.pending = false;
        match number(&last.id) {
            Some(id) => self.batch.numbers.push((group, id, last.meets)),
            None => self
                .batch
                .others
                .push((group, last.id.as_slice().into(), last.meets)),
        }
        if self.batch.len() >= BATCH {
            self.send();
        }
    }

    fn send(&mut self) {
        let batch = std::mem::take(&mut self.batch);
        // The sets' thread only stops early by a panic, which its join reports.
        let _ = self.to.send(batch);
    }

    /// Sends what is left and closes the channel; returns the groups' keys and inputs.
    pub fn finish(mut self) -> Groups {
        self.push();
        self.send();
        Groups {
            keys: self.keys,
            inputs: self.inputs.into_iter().collect(),
        }
    }
}

/// Year (little-endian) and country, to a group; and the inputs with notices in each group.
pub struct Groups {
    keys: HashMap<Box<[u8]>, u32, Hasher>,
    inputs: BTreeSet<(u32, u16)>,
}

/// What the sets counted: per ISO country and year, the counts and the inputs they came
/// from; and the country codes left out, with their country-years.
pub type Counted = (
    BTreeMap<(String, i32), (Counts, BTreeSet<u16>)>,
    BTreeMap<String, u64>,
);

impl Sets {
    /// Puts every notice sent into its sets, until the sender finishes; then closes the
    /// notice table, if there is one.
    pub fn fill(mut self) -> Result<Sets, polars::error::PolarsError> {
        while let Ok(batch) = self.from.recv() {
            for (group, id, meets) in batch.numbers {
                self.group(group).add_number(id, meets);
            }
            for (group, id, meets) in batch.others {
                self.group(group).add_other(id, meets);
            }
            if let Some((writer, seen)) = &mut self.table {
                for (group, row) in batch.rows {
                    if seen.insert((group, row.id.as_bytes().into())) {
                        writer.push(row)?;
                    }
                }
            }
        }
        if let Some((writer, _)) = self.table.take() {
            writer.finish()?;
        }
        Ok(self)
    }

    fn group(&mut self, group: u32) -> &mut Notices {
        let group = group as usize;
        if group >= self.groups.len() {
            self.groups.resize_with(group + 1, Notices::default);
        }
        &mut self.groups[group]
    }

    /// Counts per ISO country and year, and the country codes left out with their
    /// country-years.
    pub fn counts(&self, groups: &Groups) -> Counted {
        let mut counts = BTreeMap::new();
        let mut unknown = BTreeMap::new();
        for (key, group) in &groups.keys {
            let (year, country) = key.split_at(4);
            let year = i32::from_le_bytes([year[0], year[1], year[2], year[3]]);
            let code = String::from_utf8_lossy(country).into_owned();
            if !indikator_ingest::is_iso_alpha2(&code) {
                *unknown.entry(code).or_insert(0) += 1;
                continue;
            }
            let Some(notices) = self.groups.get(*group as usize) else {
                continue;
            };
            let inputs = groups
                .inputs
                .range((*group, 0)..=(*group, u16::MAX))
                .map(|(_, input)| *input)
                .collect();
            let by_definition = std::array::from_fn(|i| notices.count(i));
            counts.insert((code, year), (Counts { by_definition }, inputs));
        }
        (counts, unknown)
    }
}

/// The distinct notices of one group: a set of ids per definition, which holds a notice if
/// any of its rows meets the definition. Numeric ids take 4 bytes a notice when they fit in
/// 32 bits (TED's, `2018123456`, do), else 8: the sets are then half the size, and the sets
/// thread of a 1 GiB TED recount, whose inserts miss the cache, went from about 700 to 490
/// samples (`perf`, 2 kHz).
#[derive(Default)]
struct Notices {
    small: [HashSet<u32, Hasher>; DEFINED],
    numbers: [HashSet<u64, Hasher>; DEFINED],
    others: [HashSet<Box<[u8]>, Hasher>; DEFINED],
}

impl Notices {
    fn add_number(&mut self, id: u64, meets: u8) {
        for i in 0..DEFINED {
            if meets & (1 << i) != 0 {
                // A number goes to one set by its size only, so no id is in both.
                match u32::try_from(id) {
                    Ok(id) => self.small[i].insert(id),
                    Err(_) => self.numbers[i].insert(id),
                };
            }
        }
    }

    fn add_other(&mut self, id: Box<[u8]>, meets: u8) {
        for (i, set) in self.others.iter_mut().enumerate() {
            if meets & (1 << i) != 0 && !set.contains(&id) {
                set.insert(id.clone());
            }
        }
    }

    fn count(&self, definition: usize) -> u64 {
        (self.small[definition].len()
            + self.numbers[definition].len()
            + self.others[definition].len()) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_either_side_of_32_bits_count_once_each() {
        let (mut runs, sets) = Runs::new(None);
        let ids: [&[u8]; 7] = [
            b"4294967295",
            b"4294967296",
            b"2018000001",
            b"4294967296",
            b"4294967295",
            b"99999999999999",
            b"ABC-1",
        ];
        for id in ids {
            runs.add(&Notice {
                country: b"NO",
                year: 2024,
                id,
                meets: 0b1,
                input: 0,
                kind: "competition",
                procedure: b"",
                cpv: None,
                flag: None,
            });
        }
        let groups = runs.finish();
        let sets = sets.fill().expect("no notice table");
        let (counts, _) = sets.counts(&groups);
        let (counts, _) = &counts[&("NO".to_owned(), 2024)];
        assert_eq!(counts.by_definition[0], 5);
        assert_eq!(counts.by_definition[1], 0);
    }
}
