//! The national CSV layouts through the whole recount: the input is written after a DFØ
//! Doffin header (and, alternately, an Upphandlingsmyndigheten header), so it reaches the
//! encoding detection, the record bound, the row readers and the sets.
//!
//! `recount` reads files, so each input is written to one file in memory (`/dev/shm` where
//! there is one) that is rewritten in place, as in the `ted_rows` target.
#![no_main]

use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use indikator_notices::{DOFFIN_COLUMNS, Options, UHM_COLUMNS, recount};
use libfuzzer_sys::fuzz_target;

fn path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let shm = std::path::Path::new("/dev/shm");
        let dir = if shm.is_dir() { shm.to_owned() } else { std::env::temp_dir() };
        dir.join(format!("indikator-national-rows-{}.csv", std::process::id()))
    })
}

fuzz_target!(|rows: &[u8]| {
    let Some((&first, rows)) = rows.split_first() else {
        return;
    };
    let header = if first % 2 == 0 {
        DOFFIN_COLUMNS.join(";")
    } else {
        format!("\u{feff}{}", UHM_COLUMNS.join(";"))
    };
    let written = std::fs::File::create(path()).and_then(|mut file| {
        file.write_all(header.as_bytes())?;
        file.write_all(b"\n")?;
        file.write_all(rows)
    });
    if written.is_err() {
        return;
    }
    let _ = recount(std::slice::from_ref(path()), &Options::default(), &|_| {});
});
