//! The TED notice reader: a CAN header and then the input as rows, through the whole recount
//! (the record split, the sets, the hash, and the lines of bad rows).
//!
//! `recount` reads files, so each input is written to one file in memory (`/dev/shm` where
//! there is one) that is rewritten in place: creating a temporary file per input made this
//! target about ten times slower than the others.
#![no_main]

use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use indikator_notices::{CAN_HEADER, recount};
use libfuzzer_sys::fuzz_target;

fn path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let shm = std::path::Path::new("/dev/shm");
        let dir = if shm.is_dir() { shm.to_owned() } else { std::env::temp_dir() };
        dir.join(format!("indikator-ted-rows-{}.csv", std::process::id()))
    })
}

fuzz_target!(|rows: &[u8]| {
    let header = CAN_HEADER.join(",");
    let written = std::fs::File::create(path()).and_then(|mut file| {
        file.write_all(header.as_bytes())?;
        file.write_all(b"\n")?;
        file.write_all(rows)
    });
    if written.is_err() {
        return;
    }
    let _ = recount(std::slice::from_ref(path()), &indikator_notices::Options::default(), &|_| {});
});
