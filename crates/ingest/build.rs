//! Rebuild when a file is added to or removed from `data/`, which `include_dir!` embeds.
fn main() {
    println!("cargo::rerun-if-changed=../../data");
}
