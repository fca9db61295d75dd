//! `indikator serve` as a process: it prints its URL, answers, and exits 0 on SIGTERM.

use std::process::Command;

use crate::util::{Server, http_get, root};

#[test]
fn serves_the_embedded_data_and_stops_on_sigterm() -> Result<(), Box<dyn std::error::Error>> {
    let (server, line) = Server::start(&[])?;
    assert!(
        line.starts_with("indikator: serving http://127.0.0.1:"),
        "{line}"
    );
    assert!(
        line.contains("(the embedded dataset, data version "),
        "{line}"
    );

    let (head, body) = http_get(&server.addr, "/?indicator=innovation-procurements&lang=nb")?;
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    assert!(
        String::from_utf8_lossy(&body)
            .contains("<h1 id=\"title\">Kunngjorte innovative anskaffelser</h1>")
    );

    let (code, rest) = server.terminate()?;
    assert_eq!(code, Some(0), "SIGTERM is a clean stop");
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
