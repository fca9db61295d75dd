//! The floor under an eForms recount on this machine: the seconds to read every file of a
//! folder, and to read and hash each with SHA-256, on a thread per core and 64 files at a
//! time as `indikator notices` does, with no parsing. A recount that cites its input by
//! SHA-256 cannot be faster than the second figure. `bench/eforms.py` prints both beside the
//! recount.
//!
//! Usage: `cargo run --release -p indikator-notices --example read_floor -- FOLDER`

use std::fs::File;
use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use sha2::{Digest, Sha256};

/// Reads (and hashes, if asked) every file once; the seconds taken.
fn pass(files: &[PathBuf], hash: bool) -> std::io::Result<f64> {
    const CHUNK: usize = 64;
    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        let threads: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> std::io::Result<()> {
                    let mut buffer = vec![0u8; 1 << 20];
                    let mut hasher = Sha256::new();
                    loop {
                        let first = next.fetch_add(CHUNK, Ordering::Relaxed);
                        let Some(chunk) = files.get(first..(first + CHUNK).min(files.len())) else {
                            return Ok(());
                        };
                        for file in chunk {
                            let mut file = File::open(file)?;
                            loop {
                                let n = file.read(&mut buffer)?;
                                if n == 0 {
                                    break;
                                }
                                if hash {
                                    hasher.update(&buffer[..n]);
                                }
                            }
                            if hash {
                                std::hint::black_box(hasher.finalize_reset());
                            }
                        }
                    }
                })
            })
            .collect();
        threads
            .into_iter()
            .try_for_each(|t| t.join().unwrap_or(Ok(())))
    })?;
    Ok(start.elapsed().as_secs_f64())
}

fn main() -> std::io::Result<()> {
    let Some(folder) = std::env::args_os().nth(1) else {
        eprintln!("usage: read_floor FOLDER");
        std::process::exit(2);
    };
    let files = indikator_notices::eforms_files(folder.as_ref())?;
    for (what, hash) in [("read", false), ("read+sha256", true)] {
        let mut best = f64::INFINITY;
        for _ in 0..3 {
            best = best.min(pass(&files, hash)?);
        }
        println!("{what} {best:.3}");
    }
    Ok(())
}
