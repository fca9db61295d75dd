//! The JSON-stat importer, with and without fixed dimensions and a country.
#![no_main]

use indikator_formats::{ImportOptions, import_jsonstat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else { return };
    let mut options = ImportOptions {
        indicator: "fuzz".into(),
        source_url: "https://example.org/".into(),
        accessed: "2026-11-27".into(),
        ..ImportOptions::default()
    };
    let _ = import_jsonstat(text, &options);
    options.country = Some("SE".into());
    options.fixed = vec![("ContentsCode".into(), "UH01".into()), ("Region".into(), "00".into())];
    let _ = import_jsonstat(text, &options);
});
