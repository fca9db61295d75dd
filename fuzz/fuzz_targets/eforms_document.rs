//! The eForms reader on any bytes as one document: the event reader, the skip of elements
//! that hold no field (one pass over the `<`s, with its fallbacks), and the fields read.
//! Every input must end in a notice or a bad row, never a panic, in time linear in its size.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = indikator_notices::fuzz_document(bytes);
});
