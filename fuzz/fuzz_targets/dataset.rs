//! The dataset parser: a data file and its sidecar, split at the first NUL byte. Any input
//! either loads or is refused with problems; none may panic.
#![no_main]

use indikator_ingest::{Dataset, SourceFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let split = input.iter().position(|b| *b == 0).unwrap_or(input.len());
    let (csv, toml) = (&input[..split], input.get(split + 1..).unwrap_or_default());
    let files = vec![
        SourceFile { path: "data/t.csv".into(), bytes: csv.to_vec() },
        SourceFile { path: "data/t.toml".into(), bytes: toml.to_vec() },
    ];
    if let Err(err) = Dataset::from_files("data", files) {
        let _ = err.to_string();
    }
});
