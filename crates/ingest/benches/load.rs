//! Dataset loading: the embedded dataset, and a folder on disk (`cargo bench -p indikator-ingest`).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use indikator_ingest::Dataset;

fn bench(c: &mut Criterion) {
    c.bench_function("load embedded dataset", |b| {
        b.iter(|| black_box(Dataset::embedded()))
    });
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");
    c.bench_function("load data/ from disk", |b| {
        b.iter(|| black_box(Dataset::load(dir)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
