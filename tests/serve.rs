//! `indikator serve` as a process: it prints its URL, answers, and exits 0 on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use crate::util::root;

fn http_get(addr: &str, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

#[test]
fn serves_the_embedded_data_and_stops_on_sigterm() -> Result<(), Box<dyn std::error::Error>> {
    let elsewhere = tempfile::tempdir()?;
    let mut child = Command::new(env!("CARGO_BIN_EXE_indikator"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .current_dir(elsewhere.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    let mut line = String::new();
    stdout.read_line(&mut line)?;
    assert!(
        line.starts_with("indikator: serving http://127.0.0.1:"),
        "{line}"
    );
    assert!(
        line.contains("(the embedded dataset, data version "),
        "{line}"
    );
    let addr = line
        .trim_start_matches("indikator: serving http://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned();

    let page = http_get(&addr, "/?lang=nb")?;
    assert!(page.starts_with("HTTP/1.1 200 OK"), "{page}");
    assert!(page.contains("<h2>Kunngjorte innovative anskaffelser</h2>"));

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()?;
    assert!(killed.success());
    let status = child.wait()?;
    assert_eq!(status.code(), Some(0), "SIGTERM is a clean stop");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest)?;
    assert_eq!(rest, "indikator: stopped\n");
    Ok(())
}

#[test]
fn refuses_to_start_on_bad_data() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    std::fs::copy(
        root().join("data/innovation-procurements.csv"),
        dir.path().join("innovation-procurements.csv"),
    )?;
    let output = Command::new(env!("CARGO_BIN_EXE_indikator"))
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .output()?;
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .contains("innovation-procurements.csv:1:1: no sidecar `innovation-procurements.toml`"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("1 problem(s); nothing was loaded\n"),
        "{stderr}"
    );
    Ok(())
}
