//! Running the binary.

use std::path::Path;
use std::process::{Command, Output};

/// The repository root, where `data/` is.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What one run printed and how it ended.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stdout_bytes: Vec<u8>,
    pub stderr: String,
}

/// Runs `indikator ARGS` in `dir`.
pub fn indikator_in(dir: &Path, args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_indikator"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stdout_bytes: stdout,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Runs `indikator ARGS` at the repository root.
pub fn indikator(args: &[&str]) -> Run {
    indikator_in(root(), args)
}

/// `indikator serve` on a free port, stopped (SIGTERM, then kill) when dropped.
pub struct Server {
    child: std::process::Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// The rest of what the server printed on stdout, once it has stopped.
    stdout: std::io::BufReader<std::process::ChildStdout>,
}

impl Server {
    /// Starts the server with `args` after `serve --addr 127.0.0.1:0`, from an empty folder,
    /// and waits for the line with its URL.
    pub fn start(args: &[&str]) -> std::io::Result<(Self, String)> {
        use std::io::BufRead;
        let elsewhere = std::env::temp_dir();
        let mut child = Command::new(env!("CARGO_BIN_EXE_indikator"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .current_dir(elsewhere)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| std::io::Error::other("no stdout"))?;
        let mut stdout = std::io::BufReader::new(stdout);
        let mut line = String::new();
        stdout.read_line(&mut line)?;
        let addr = line
            .trim_start_matches("indikator: serving http://")
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        Ok((
            Self {
                child,
                addr,
                stdout,
            },
            line,
        ))
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sends SIGTERM and waits; returns the exit code and what it printed after its first line.
    pub fn terminate(mut self) -> std::io::Result<(Option<i32>, String)> {
        use std::io::Read;
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()?;
        let status = self.child.wait()?;
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest)?;
        Ok((status.code(), rest))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain HTTP/1.1 GET; returns the status line and headers, and the body.
pub fn http_get(addr: &str, path: &str) -> std::io::Result<(String, Vec<u8>)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr)?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(response.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    Ok((head, response[split..].to_vec()))
}

/// Country, period, value and flag of one exported row.
pub type Row = (String, String, String, String);

/// The rows of a standard CSV export, read with a real CSV reader so quoted notes cannot
/// confuse the test.
pub fn export_rows(csv: &str) -> Vec<Row> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (country, period, value, flag) = (col("country"), col("period"), col("value"), col("flag"));
    reader
        .records()
        .map(|r| {
            let r = r.expect("a record");
            (
                r[country].into(),
                r[period].into(),
                r[value].into(),
                r[flag].into(),
            )
        })
        .collect()
}

/// The first line of a usage error, after checking that clap gave it: exit status 2, and its
/// pointer to `--help`.
pub fn usage_error(run: &Run) -> &str {
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr
            .ends_with("For more information, try '--help'.\n"),
        "{}",
        run.stderr
    );
    run.stderr.lines().next().unwrap_or_default()
}
