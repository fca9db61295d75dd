//! The TED notice reader: a CAN header and then the input as rows, through the whole recount
//! (the record split, the sets, the hash, and the lines of bad rows).
#![no_main]

#[path = "common/input_file.rs"]
mod input_file;

use indikator_notices::{CAN_HEADER, Options, recount};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|rows: &[u8]| {
    let header = CAN_HEADER.join(",");
    let Some(path) = input_file::write("ted-rows", header.as_bytes(), rows) else {
        return;
    };
    let _ = recount(std::slice::from_ref(path), &Options::default(), &|_| {});
});
