//! A reader that keeps every CSV record under [`MAX_RECORD_BYTES`], so that the record
//! splitter's buffer (which holds a whole record, and 8 bytes per separator in it) stays
//! bounded whatever the input: a 200 MB single-line record once took 828 MB.
//!
//! It follows records as the splitter does: a record ends at a line end outside quotes, and
//! each `"` turns quoting on or off (`""` inside quotes turns it off and on again). It works a
//! line at a time (`memchr`), so it costs little beside the splitter. When a
//! record grows past the bound, the rest of it is skipped up to its end, a `"` closes the
//! quote if one was open at the cut, and the cut is noted: [`Cuts`] then tells the scan which
//! records were cut (to report each as a bad row) and where in the file a record starts.
//!
//! Written here rather than found in a crate: `simd-csv` has no record-length limit, and the
//! `csv` crate's is on fields, not the buffer.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// The longest record read in full. A TED row is a few KiB; a longer record is a bad row.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;

/// A record cut short: where it starts in the reader's output, and how many more bytes the
/// file has than the output from there on (the skipped bytes, less a closing quote added).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cut {
    start: u64,
    shift: i64,
}

/// The records cut so far, shared with the scan, and whether there are any (checked for
/// every record, so without a lock while there are none).
#[derive(Debug, Clone, Default)]
pub(crate) struct Cuts(Arc<Mutex<Vec<Cut>>>, Arc<AtomicBool>);

impl Cuts {
    /// Whether the record starting at `start` (in the reader's output) was cut.
    pub fn was_cut(&self, start: u64) -> bool {
        if !self.1.load(Ordering::Acquire) {
            return false;
        }
        let cuts = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        cuts.binary_search_by_key(&start, |c| c.start).is_ok()
    }

    /// The file offset of a record that starts at `start` in the reader's output.
    pub fn in_file(&self, start: u64) -> u64 {
        let cuts = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let shift: i64 = cuts
            .iter()
            .take_while(|c| c.start < start)
            .map(|c| c.shift)
            .sum();
        start.saturating_add_signed(shift)
    }

    fn push(&self, cut: Cut) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(cut);
        self.1.store(true, Ordering::Release);
    }
}

/// Whether `bytes` hold an odd number of `"`: each turns quoting on or off.
fn odd_quotes(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'"', bytes).count() % 2 == 1
}

/// Wraps `inner`, cutting records longer than `max` bytes.
pub(crate) struct Bounded<R> {
    inner: R,
    max: u64,
    cuts: Cuts,
    input: Box<[u8]>,
    pos: usize,
    len: usize,
    /// Bytes handed out so far.
    out: u64,
    /// Where the current record starts in the output, and its length so far.
    record_start: u64,
    record_len: u64,
    quoted: bool,
    /// While skipping the rest of a long record: the quote state at the cut, and the bytes
    /// skipped so far.
    skipping: Option<(bool, u64)>,
    /// What is handed out before more input: a closing quote and the line end after a skip.
    pending: Vec<u8>,
}

impl<R: Read> Bounded<R> {
    pub fn new(inner: R, max: u64, cuts: Cuts) -> Self {
        Self {
            inner,
            max,
            cuts,
            input: vec![0; 64 * 1024].into_boxed_slice(),
            pos: 0,
            len: 0,
            out: 0,
            record_start: 0,
            record_len: 0,
            quoted: false,
            skipping: None,
            pending: Vec::new(),
        }
    }

    /// The reader wrapped.
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// Ends a skip: notes the cut and queues a closing quote (if a quote was open at the
    /// cut) and the line end that ended the record, if any.
    fn end_skip(&mut self, quoted_at_cut: bool, skipped: u64, line_end: Option<u8>) {
        self.cuts.push(Cut {
            start: self.record_start,
            shift: skipped as i64 - i64::from(quoted_at_cut),
        });
        if quoted_at_cut {
            self.pending.push(b'"');
        }
        self.pending.extend(line_end);
        self.quoted = false;
        self.record_len = 0;
    }

    /// Whether `block`, the next bytes of the input, can be handed out at once: no record in
    /// it can reach the bound (the current record plus the whole block is shorter) and its
    /// last line end is outside quotes, or it has none. If so, the record state moves past it
    /// (the caller hands it out and counts it in `out`); if not, the caller goes a line at a
    /// time.
    ///
    /// A record's length needs only its last end in the block: a line at a time cost a
    /// `memchr` and a quote count for every line, 0.3 s of a 1 GiB TED recount's 1.5 s.
    fn passes(&mut self, block: &[u8]) -> bool {
        if self.skipping.is_some() || self.record_len + block.len() as u64 >= self.max {
            return false;
        }
        match memchr::memrchr2(b'\n', b'\r', block) {
            Some(last) => {
                let (head, tail) = (&block[..last], &block[last + 1..]);
                if self.quoted != odd_quotes(head) {
                    // The last line end is inside quotes: where the record began is unknown.
                    return false;
                }
                self.quoted = odd_quotes(tail);
                self.record_len = tail.len() as u64;
                self.record_start = self.out + last as u64 + 1;
            }
            None => {
                self.quoted ^= odd_quotes(block);
                self.record_len += block.len() as u64;
            }
        }
        true
    }

    /// Hands out what is left of the input block at once, if [`Bounded::passes`] says so.
    fn whole_block(&mut self, buf: &mut [u8]) -> Option<usize> {
        let n = (self.len - self.pos).min(buf.len());
        let input = std::mem::take(&mut self.input);
        let block = &input[self.pos..self.pos + n];
        let passes = self.passes(block);
        if passes {
            buf[..n].copy_from_slice(block);
        }
        self.input = input;
        if !passes {
            return None;
        }
        self.pos += n;
        self.out += n as u64;
        Some(n)
    }

    /// Reads the next block of input straight into `buf`, and hands it out as it is if
    /// [`Bounded::passes`] says so: most of a file goes through without a copy. Otherwise the
    /// block becomes the input block, to go a line at a time. False at the end of the input.
    fn read_direct(&mut self, buf: &mut [u8]) -> std::io::Result<Option<usize>> {
        let want = buf.len().min(self.input.len());
        let n = self.inner.read(&mut buf[..want])?;
        if n > 0 && self.passes(&buf[..n]) {
            self.out += n as u64;
            return Ok(Some(n));
        }
        self.input[..n].copy_from_slice(&buf[..n]);
        (self.pos, self.len) = (0, n);
        Ok(None)
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if !self.pending.is_empty() {
                let n = self.pending.len().min(buf.len());
                buf[..n].copy_from_slice(&self.pending[..n]);
                self.pending.drain(..n);
                self.out += n as u64;
                return Ok(n);
            }
            if self.pos == self.len {
                if self.skipping.is_some() {
                    self.len = self.inner.read(&mut self.input)?;
                    self.pos = 0;
                } else if let Some(n) = self.read_direct(buf)? {
                    return Ok(n);
                }
                if self.len == 0 {
                    if let Some((quoted_at_cut, skipped)) = self.skipping.take() {
                        // The file ends inside the long record: close it all the same.
                        self.end_skip(quoted_at_cut, skipped, None);
                        continue;
                    }
                    return Ok(0);
                }
            }
            if let Some(n) = self.whole_block(buf) {
                return Ok(n);
            }
            let mut written = 0;
            while self.pos < self.len && written < buf.len() {
                // A line at a time: the bytes up to the next line end are copied (or skipped)
                // as a block, and the quotes in them counted, since each turns quoting on or
                // off. Only a line end outside quotes ends a record.
                let ahead = &self.input[self.pos..self.len];
                let line_end = memchr::memchr2(b'\n', b'\r', ahead);
                let line = line_end.unwrap_or(ahead.len());
                let toggle = |quoted: &mut bool, bytes: &[u8]| *quoted ^= odd_quotes(bytes);
                if let Some((quoted_at_cut, skipped)) = self.skipping {
                    toggle(&mut self.quoted, &ahead[..line]);
                    self.pos += line;
                    let mut skipped = skipped + line as u64;
                    if line_end.is_some() {
                        let byte = self.input[self.pos];
                        self.pos += 1;
                        if !self.quoted {
                            self.skipping = None;
                            self.end_skip(quoted_at_cut, skipped, Some(byte));
                            self.record_start =
                                self.out + written as u64 + self.pending.len() as u64;
                            break;
                        }
                        skipped += 1;
                    }
                    self.skipping = Some((quoted_at_cut, skipped));
                    continue;
                }
                let room = (buf.len() - written) as u64;
                let take = (line as u64).min(room).min(self.max - self.record_len) as usize;
                buf[written..written + take].copy_from_slice(&ahead[..take]);
                toggle(&mut self.quoted, &ahead[..take]);
                written += take;
                self.pos += take;
                self.record_len += take as u64;
                if take < line {
                    if written < buf.len() {
                        // The record reached the bound: skip the rest of it.
                        self.skipping = Some((self.quoted, 0));
                    }
                    continue;
                }
                if line_end.is_none() || written == buf.len() {
                    continue;
                }
                let byte = self.input[self.pos];
                self.pos += 1;
                let ends = !self.quoted;
                if self.record_len >= self.max && !ends {
                    self.skipping = Some((self.quoted, 1));
                    continue;
                }
                buf[written] = byte;
                written += 1;
                self.record_len += 1;
                if ends {
                    self.record_start = self.out + written as u64;
                    self.record_len = 0;
                }
            }
            if written > 0 {
                self.out += written as u64;
                return Ok(written);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounded(input: &str, max: u64) -> (String, Cuts) {
        let cuts = Cuts::default();
        let mut out = String::new();
        let mut reader = Bounded::new(input.as_bytes(), max, cuts.clone());
        // Small reads, to cross every buffer edge.
        let mut buf = [0u8; 3];
        loop {
            let n = reader.read(&mut buf).unwrap_or(0);
            if n == 0 {
                break;
            }
            out.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
        (out, cuts)
    }

    #[test]
    fn short_records_pass_unchanged() {
        let text = "a,b\n\"x\ny\",\"q\"\"q\"\r\n1,2\n";
        let (out, cuts) = bounded(text, 20);
        assert_eq!(out, text);
        assert!(!cuts.was_cut(0));
    }

    #[test]
    fn long_records_are_cut_at_the_bound_and_closed() {
        let text = "h1,h2\n1,aaaaaaaaaaaaaaaaaaaa\n2,\"bbbbbbbbbbbbbbbbbbbbbb\nbbb\"\n3,c\n";
        let (out, cuts) = bounded(text, 8);
        assert_eq!(out, "h1,h2\n1,aaaaaa\n2,\"bbbbb\"\n3,c\n");
        // Records start at 6, 15 and 25 in the output; at 6, 29 and 57 in the file.
        assert!(cuts.was_cut(6) && cuts.was_cut(15) && !cuts.was_cut(25));
        assert_eq!(
            [cuts.in_file(6), cuts.in_file(15), cuts.in_file(25)],
            [6, 29, text.find("3,c").map_or(0, |i| i as u64)]
        );
    }

    /// What [`Bounded`] must hand out and note, a byte at a time: the model its line and
    /// block paths are held to.
    fn model(input: &[u8], max: u64) -> (Vec<u8>, Vec<Cut>) {
        let (mut out, mut cuts) = (Vec::new(), Vec::new());
        let (mut quoted, mut record_len, mut record_start) = (false, 0u64, 0u64);
        let mut skipping: Option<(bool, u64)> = None;
        for &byte in input {
            let line_end = byte == b'\n' || byte == b'\r';
            if skipping.is_none() && record_len >= max && (!line_end || quoted) {
                skipping = Some((quoted, 0));
            }
            if let Some((at_cut, skipped)) = skipping {
                if line_end && !quoted {
                    cuts.push(Cut {
                        start: record_start,
                        shift: skipped as i64 - i64::from(at_cut),
                    });
                    out.extend(at_cut.then_some(b'"'));
                    out.push(byte);
                    (quoted, record_len, record_start) = (false, 0, out.len() as u64);
                    skipping = None;
                } else {
                    quoted ^= byte == b'"';
                    skipping = Some((at_cut, skipped + 1));
                }
                continue;
            }
            out.push(byte);
            quoted ^= byte == b'"';
            record_len += 1;
            if line_end && !quoted {
                (record_len, record_start) = (0, out.len() as u64);
            }
        }
        if let Some((at_cut, skipped)) = skipping {
            cuts.push(Cut {
                start: record_start,
                shift: skipped as i64 - i64::from(at_cut),
            });
            out.extend(at_cut.then_some(b'"'));
        }
        (out, cuts)
    }

    proptest::proptest! {
        /// Any bytes of the kinds that matter, any bound and any read size: the output and
        /// the cuts are the model's, whichever path (a line or a block at a time) took them.
        #[test]
        fn the_reader_cuts_as_the_model_does(
            input in proptest::collection::vec(
                proptest::sample::select(b"ab,\"\"\n\r\n".to_vec()), 0..600),
            max in 1u64..400,
            read in proptest::sample::select(vec![1usize, 3, 7, 64, 4096]),
        ) {
            let cuts = Cuts::default();
            let mut reader = Bounded::new(input.as_slice(), max, cuts.clone());
            let mut out = Vec::new();
            let mut buf = vec![0u8; read];
            loop {
                let n = reader.read(&mut buf).unwrap_or(0);
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n]);
            }
            let (expected, expected_cuts) = model(&input, max);
            proptest::prop_assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(&expected));
            proptest::prop_assert_eq!(cuts.0.lock().map(|c| c.clone()).unwrap_or_default(), expected_cuts);
        }
    }

    #[test]
    fn a_long_record_at_the_end_of_the_file_is_closed() {
        let (out, cuts) = bounded("h\n\"xxxxxxxxxxxxxxxxxxxxxxxxx", 5);
        assert_eq!(out, "h\n\"xxxx\"");
        assert!(cuts.was_cut(2));
    }
}
