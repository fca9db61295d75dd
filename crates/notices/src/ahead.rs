//! A CSV input read once, on a thread of its own: that thread reads the file, hashes it for
//! the citation, and keeps its records under the bound ([`Bounded`]); the thread that splits
//! the records gets the bytes a block at a time.
//!
//! Why: the splitting thread is the recount's longest (1.3 s of CPU in a 1 GiB TED recount on
//! two cores, against 1.0 s for the hashing and the sets together), and the file was read
//! twice, once by each. Now it is read once, and the reading (the kernel's copy), the bound's
//! quote counting and the hash all run beside the splitting.

use std::io::Read;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::sync::{Arc, OnceLock};

use sha2::{Digest, Sha256};

use crate::bounded::{Bounded, Cuts, MAX_RECORD_BYTES};

/// Bytes per block handed over.
const BLOCK: usize = 1 << 20;

/// Blocks read ahead and waiting. With the one being filled and the one being split, at most
/// four blocks (4 MiB) are held.
const WAITING: usize = 2;

/// A reader that hashes and counts the bytes read through it, so that a file is read once.
pub(crate) struct Hashing<R> {
    pub inner: R,
    pub hasher: Sha256,
    pub bytes: u64,
}

impl<R> Hashing<R> {
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

/// A file's size and SHA-256, as the reading thread found them at the file's end.
pub(crate) type Fingerprint = Arc<OnceLock<(u64, [u8; 32])>>;

/// What the reading thread hands over.
enum Block {
    /// A block of bytes and how many of them are read.
    Bytes(Vec<u8>, usize),
    Failed(std::io::Error),
}

/// The splitting side: reads the blocks in order.
pub(crate) struct ReadAhead {
    blocks: Receiver<Block>,
    /// Blocks split go back to be filled again, so that no block is allocated (and its pages
    /// faulted in) twice.
    back: Sender<Vec<u8>>,
    current: Vec<u8>,
    len: usize,
    at: usize,
    ended: bool,
    /// A read failed: every later read fails too, rather than look like the end.
    failed: bool,
}

impl ReadAhead {
    /// Starts reading `file` on a thread of its own, bounded as [`Bounded`] says (cuts go to
    /// `cuts`). The size and SHA-256 are in the fingerprint once the reader has reached the
    /// end. Dropping the reader stops the thread at its next block. An error if the system
    /// has no thread to give.
    pub fn start(
        file: impl Read + Send + 'static,
        cuts: Cuts,
    ) -> std::io::Result<(ReadAhead, Fingerprint)> {
        let (to, blocks) = sync_channel(WAITING);
        let (back, returned) = channel();
        let fingerprint = Fingerprint::default();
        let found = fingerprint.clone();
        std::thread::Builder::new()
            .name("read-ahead".into())
            .spawn(move || fill(Hashing::new(file), cuts, &to, &returned, &found))?;
        let reader = ReadAhead {
            blocks,
            back,
            current: Vec::new(),
            len: 0,
            at: 0,
            ended: false,
            failed: false,
        };
        Ok((reader, fingerprint))
    }
}

/// The reading thread: fills blocks until the end of the file, an error, or the reader gone.
fn fill(
    file: Hashing<impl Read>,
    cuts: Cuts,
    to: &SyncSender<Block>,
    returned: &Receiver<Vec<u8>>,
    fingerprint: &OnceLock<(u64, [u8; 32])>,
) {
    let mut source = Bounded::new(file, MAX_RECORD_BYTES, cuts);
    loop {
        let mut block = returned.try_recv().unwrap_or_else(|_| vec![0; BLOCK]);
        let mut len = 0;
        while len < block.len() {
            match source.read(&mut block[len..]) {
                Ok(0) => break,
                Ok(n) => len += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = to.send(Block::Failed(e));
                    return;
                }
            }
        }
        if len == 0 {
            let file = source.into_inner();
            // Set before the channel closes, so the reader sees it once it sees the end.
            let _ = fingerprint.set((file.bytes, file.hasher.finalize().into()));
            return;
        }
        if to.send(Block::Bytes(block, len)).is_err() {
            return;
        }
    }
}

impl Read for ReadAhead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.len {
            if self.failed {
                return Err(std::io::Error::other("an earlier read of this file failed"));
            }
            if self.ended {
                return Ok(0);
            }
            let done = std::mem::take(&mut self.current);
            if !done.is_empty() {
                // The thread may have ended; the block is then not needed.
                let _ = self.back.send(done);
            }
            match self.blocks.recv() {
                Ok(Block::Bytes(block, len)) => {
                    self.current = block;
                    self.len = len;
                    self.at = 0;
                }
                Ok(Block::Failed(e)) => {
                    self.failed = true;
                    return Err(e);
                }
                // The thread has ended: at the file's end, it set the fingerprint first.
                Err(_) => {
                    self.ended = true;
                    self.len = 0;
                    self.at = 0;
                }
            }
        }
        let n = (self.len - self.at).min(buf.len());
        buf[..n].copy_from_slice(&self.current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;

    #[test]
    fn a_read_that_fails_is_an_error_after_the_bytes_before_it_and_leaves_no_hash() {
        /// A megabyte and a half of rows, then a failing disk.
        struct Failing(usize);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0 == 0 {
                    return Err(std::io::Error::other("the disk failed"));
                }
                let n = buf.len().min(self.0).min(1000);
                buf[..n].fill(b'\n');
                self.0 -= n;
                Ok(n)
            }
        }
        let (mut reader, fingerprint) =
            ReadAhead::start(Failing(3 * BLOCK / 2), Cuts::default()).expect("a thread");
        let mut read = Vec::new();
        let failed = reader
            .read_to_end(&mut read)
            .expect_err("the failure comes through");
        assert_eq!(failed.to_string(), "the disk failed");
        let again = reader.read(&mut [0u8; 16]).expect_err("not the end");
        assert_eq!(again.to_string(), "an earlier read of this file failed");
        // Whole blocks before the failure come through; the hash is never known.
        assert_eq!(read.len(), BLOCK);
        assert!(fingerprint.get().is_none());
    }

    #[test]
    fn a_file_read_ahead_comes_through_whole_with_long_records_cut_and_its_hash_known() {
        // Rows over three blocks, a record past the bound, and a row after it.
        let mut content = Vec::new();
        let mut row = 0;
        while content.len() < 3 * BLOCK + 100 {
            content.extend_from_slice(format!("{row},\"a,\nb\"\n").as_bytes());
            row += 1;
        }
        let long_at = content.len() as u64;
        content.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES as usize + 10));
        content.extend_from_slice(b"\nlast,row\n");
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("rows.csv");
        std::fs::write(&path, &content).expect("written");

        let cuts = Cuts::default();
        let file = File::open(&path).expect("opened");
        let (mut reader, fingerprint) = ReadAhead::start(file, cuts.clone()).expect("a thread");
        let mut out = Vec::new();
        // Reads of an odd size, so that they end inside blocks and across them.
        let mut buf = vec![0u8; 100_003];
        loop {
            let n = reader.read(&mut buf).expect("read");
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(
            reader.read(&mut buf).expect("read"),
            0,
            "the end stays the end"
        );

        let mut bounded = Vec::new();
        Bounded::new(&content[..], MAX_RECORD_BYTES, Cuts::default())
            .read_to_end(&mut bounded)
            .expect("read");
        assert_eq!(out.len(), bounded.len());
        assert!(out == bounded, "the bytes differ from the bounded reader's");
        assert!(out.len() < content.len() && out.ends_with(b"\nlast,row\n"));
        assert!(cuts.was_cut(long_at) && !cuts.was_cut(0));
        let digest: [u8; 32] = Sha256::digest(&content).into();
        assert_eq!(fingerprint.get(), Some(&(content.len() as u64, digest)));
    }
}
