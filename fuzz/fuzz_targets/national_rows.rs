//! The national CSV layouts through the whole recount: the input is written after a DFØ
//! Doffin header or an Upphandlingsmyndigheten header (its first byte chooses), so it reaches
//! the encoding detection, the record bound, the row readers and the sets.
#![no_main]

#[path = "common/input_file.rs"]
mod input_file;

use indikator_notices::{DOFFIN_COLUMNS, Options, UHM_COLUMNS, recount};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|rows: &[u8]| {
    let Some((&first, rows)) = rows.split_first() else {
        return;
    };
    let header = if first % 2 == 0 {
        DOFFIN_COLUMNS.join(";")
    } else {
        format!("\u{feff}{}", UHM_COLUMNS.join(";"))
    };
    let Some(path) = input_file::write("national-rows", header.as_bytes(), rows) else {
        return;
    };
    let _ = recount(std::slice::from_ref(path), &Options::default(), &|_| {});
});
