//! End-to-end tests: the real `indikator` binary, as a user runs it.

mod browser;
mod cli;
mod data;
mod notices;
mod render;
mod serve;
mod util;
