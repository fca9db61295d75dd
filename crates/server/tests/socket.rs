//! The service on a real socket: start on port 0, answer, shut down gracefully.

use std::time::Duration;

use indikator_server::{AppState, DataSource, serve};
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
        csv.contains("innovation-procurements,SE,2022,793,count,ud,"),
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
