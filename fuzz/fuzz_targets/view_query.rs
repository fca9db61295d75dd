//! The view query-string parser that every route shares.
#![no_main]

use indikator_server::ViewParams;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    if let Ok(query) = std::str::from_utf8(input)
        && let Ok(params) = ViewParams::parse(Some(query))
    {
        let _ = params.view("innovation-procurements");
    }
});
