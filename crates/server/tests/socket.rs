//! The service on a real socket: start on port 0, answer, shut down gracefully.

use std::time::Duration;

use indikator_server::{AppState, DataSource, Limits, app, serve, serve_with};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn http_get(addr: std::net::SocketAddr, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(addr).await?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    Ok(response)
}

#[tokio::test]
async fn starts_answers_and_shuts_down_gracefully() -> Result<(), Box<dyn std::error::Error>> {
    let state = AppState::load(DataSource::Embedded, None)?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, state, async {
        let _ = stopped.await;
    }));

    let health = http_get(addr, "/healthz").await?;
    assert!(health.starts_with("HTTP/1.1 200 OK\r\n"), "{health}");
    assert!(health.ends_with("\r\n\r\nok"), "{health}");
    let csv = http_get(
        addr,
        "/api/v1/indicators/innovation-procurements.csv?country=SE",
    )
    .await?;
    assert!(
        csv.contains("\r\ncontent-type: text/csv; charset=utf-8\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("innovation-procurements,SE,Sweden,2022,2022,2022,793,count,ud,"),
        "{csv}"
    );

    let _ = stop.send(());
    let finished = tokio::time::timeout(Duration::from_secs(10), server).await?;
    finished??;
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "nothing listens after shutdown"
    );
    Ok(())
}

/// A server with short limits, for the slow-client tests.
async fn limited(
    max_connections: usize,
) -> Result<(std::net::SocketAddr, tokio::sync::oneshot::Sender<()>), Box<dyn std::error::Error>> {
    let state = AppState::load(DataSource::Embedded, None)?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let limits = Limits {
        max_connections,
        header_timeout: Duration::from_millis(600),
        idle_timeout: Duration::from_millis(600),
        shutdown_grace: Duration::from_secs(2),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve_with(listener, app(state), limits, async {
        let _ = stopped.await;
    }));
    Ok((addr, stop))
}

/// Whether the server has closed `stream` within `within`: a read returns end of file (or an
/// error) rather than waiting.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn idle_dripping_and_kept_alive_sockets_are_closed() -> Result<(), Box<dyn std::error::Error>>
{
    let (addr, _stop) = limited(64).await?;

    // A socket that never sends a byte.
    let mut idle = TcpStream::connect(addr).await?;
    assert!(closed_within(&mut idle, Duration::from_secs(5)).await);

    // A request whose headers come a few bytes at a time, never finishing.
    let mut drip = TcpStream::connect(addr).await?;
    let dripping = tokio::spawn(async move {
        let _ = drip.write_all(b"GET /healthz HTTP/1.1\r\n").await;
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if drip.write_all(b"X-A: b\r\n").await.is_err() {
                return true;
            }
        }
        closed_within(&mut drip, Duration::from_millis(10)).await
    });
    assert!(
        dripping.await?,
        "the dripping request was still open after 4 s"
    );

    // A keep-alive connection left idle after one request.
    let mut kept = TcpStream::connect(addr).await?;
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await?;
    let mut buf = [0u8; 1024];
    let n = kept.read(&mut buf).await?;
    assert!(buf[..n].starts_with(b"HTTP/1.1 200 OK"));
    assert!(closed_within(&mut kept, Duration::from_secs(5)).await);
    Ok(())
}

#[tokio::test]
async fn a_full_house_of_idle_sockets_does_not_lock_out_healthz()
-> Result<(), Box<dyn std::error::Error>> {
    let (addr, _stop) = limited(8).await?;
    // Twice the cap in idle sockets: the cap holds the rest in the backlog, and the timeouts
    // free the slots, so a real client gets through soon after.
    let mut idle = Vec::new();
    for _ in 0..16 {
        idle.push(TcpStream::connect(addr).await?);
    }
    let health =
        tokio::time::timeout(Duration::from_secs(10), http_get(addr, "/healthz")).await??;
    assert!(health.ends_with("\r\n\r\nok"), "{health}");
    Ok(())
}

#[tokio::test]
async fn a_request_head_over_64_kib_is_refused() -> Result<(), Box<dyn std::error::Error>> {
    let (addr, _stop) = limited(8).await?;
    for (size, status) in [(60_000, "HTTP/1.1 200 OK"), (70_000, "HTTP/1.1 431 ")] {
        let mut stream = TcpStream::connect(addr).await?;
        let head = format!(
            "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
            "a".repeat(size)
        );
        stream.write_all(head.as_bytes()).await?;
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response).await;
        let text = String::from_utf8_lossy(&response);
        assert!(text.starts_with(status), "{size}: {text}");
    }
    Ok(())
}
