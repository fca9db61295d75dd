//! The TED notice reader: a CAN header and then the input as rows, through the whole recount
//! (the record split, the sets, the hash, and the lines of bad rows).
#![no_main]

use std::io::Write;

use indikator_notices::{CAN_HEADER, recount};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|rows: &[u8]| {
    let Ok(mut file) = tempfile::NamedTempFile::new() else { return };
    let header = CAN_HEADER.join(",");
    if file.write_all(header.as_bytes()).and_then(|()| file.write_all(b"\n")).and_then(|()| file.write_all(rows)).is_err() {
        return;
    }
    let _ = recount(&[file.path().to_owned()], &|_| {});
});
