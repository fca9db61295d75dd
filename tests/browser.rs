//! The dashboard in a real browser: headless Chromium driven over WebDriver (chromedriver),
//! against the real server on a free port. CI installs Debian's `chromium` and
//! `chromium-driver`; elsewhere, without them, these tests say so and pass.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::util::{Server, http_get};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// One browser at a time: the machine has two cores.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Whether the browser is installed. In CI it must be.
fn browser_installed() -> bool {
    let installed = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !installed {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium and chromium-driver (.ci/run does)"
        );
        eprintln!(
            "browser tests skipped: {CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver)"
        );
    }
    installed
}

/// chromedriver on a free port, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Driver {
    fn start() -> std::io::Result<Self> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > Duration::from_secs(15) {
                return Err(std::io::Error::other("chromedriver did not start"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(Self {
            child,
            port,
            _profile: tempfile::tempdir()?,
        })
    }

    async fn browser(&self, javascript: bool) -> Result<Client> {
        let profile = tempfile::tempdir()?.keep();
        let mut args = vec![
            "--headless".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--window-size=1200,900".into(),
            format!("--user-data-dir={}", profile.display()),
        ];
        if !javascript {
            args.push("--blink-settings=scriptEnabled=false".into());
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": CHROMIUM, "args": args }),
        );
        capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await?;
        Ok(client)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A chromedriver command that WebDriver itself lacks: a POST of `body` to the session's
/// `path`.
#[derive(Debug)]
struct Chromedriver {
    path: &'static str,
    body: serde_json::Value,
}

impl WebDriverCompatibleCommand for Chromedriver {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/{}",
            session.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// The browser's log (chromedriver's `se/log`).
fn browser_log() -> Chromedriver {
    Chromedriver {
        path: "se/log",
        body: json!({ "type": "browser" }),
    }
}

/// Sets the reader's system colour scheme, `light` or `dark`, as Chromium's DevTools do
/// (chromedriver's `goog/cdp/execute`).
fn colour_scheme(scheme: &str) -> Chromedriver {
    Chromedriver {
        path: "goog/cdp/execute",
        body: json!({
            "cmd": "Emulation.setEmulatedMedia",
            "params": { "features": [{ "name": "prefers-color-scheme", "value": scheme }] },
        }),
    }
}

/// The console's errors since the last call.
async fn console_errors(client: &Client) -> Result<Vec<String>> {
    let log = client.issue_cmd(browser_log()).await?;
    Ok(log
        .as_array()
        .into_iter()
        .flatten()
        .filter(|entry| entry["level"] == "SEVERE")
        .map(|entry| entry["message"].as_str().unwrap_or_default().to_owned())
        .collect())
}

/// Waits up to 15 s for `check` to hold.
async fn until<F, Fut>(what: &str, mut check: F) -> Result
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    let started = Instant::now();
    loop {
        if check().await.unwrap_or(false) {
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs(15) {
            return Err(format!("timed out waiting for {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn text(client: &Client, css: &str) -> Result<String> {
    Ok(client.find(Locator::Css(css)).await?.text().await?)
}

async fn url_has(client: &Client, part: &str) -> Result<bool> {
    Ok(client.current_url().await?.as_str().contains(part))
}

/// Clicks the element `locator` finds.
async fn click(client: &Client, locator: Locator<'_>) -> Result {
    client.find(locator).await?.click().await?;
    Ok(())
}

/// Waits until the page's URL has `part` in it: a view changed by a control shows in the
/// address.
async fn until_url(client: &Client, what: &str, part: &str) -> Result {
    until(what, || async { url_has(client, part).await }).await
}

/// Runs `test` with a fresh browser on a fresh server, one test at a time.
async fn with_browser<F, Fut>(javascript: bool, test: F) -> Result
where
    F: FnOnce(Client, String) -> Fut,
    Fut: std::future::Future<Output = Result>,
{
    let _turn = ONE_AT_A_TIME.lock().await;
    let (server, _) = Server::start(&[])?;
    let driver = Driver::start()?;
    let client = driver.browser(javascript).await?;
    let outcome = test(client.clone(), server.url()).await;
    let _ = client.close().await;
    outcome
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../screenshots");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

#[tokio::test]
async fn controls_change_the_url_the_chart_and_the_table_without_console_errors() -> Result {
    if !browser_installed() {
        return Ok(());
    }
    with_browser(true, |client, base| async move {
        client
            .goto(&format!(
                "{base}/?indicator=innovation-in-strategy&tab=table"
            ))
            .await?;
        until("the script to run", || async {
            Ok(client.find(Locator::Css("html.js")).await.is_ok())
        })
        .await?;
        assert_eq!(
            console_errors(&client).await?,
            Vec::<String>::new(),
            "no console errors on load"
        );
        assert_eq!(
            client
                .find_all(Locator::Css("#summary tbody tr"))
                .await?
                .len(),
            2
        );
        let alt = client
            .find(Locator::Css("#chart figcaption"))
            .await?
            .html(true)
            .await?;
        assert!(
            alt.starts_with("Norway: 6% in 2010 to 40% in 2017; Sweden: 30% in 2016"),
            "alt text: {alt}"
        );

        // Toggle Sweden off: the URL, the chart and the table follow.
        click(&client, Locator::Css("input[name=country][value=SE]")).await?;
        until_url(&client, "the URL to drop Sweden", "country=NO&").await?;
        until("the table to lose Sweden", || async {
            Ok(client
                .find_all(Locator::Css("#summary tbody tr"))
                .await?
                .len()
                == 1)
        })
        .await?;
        let chart = client
            .find(Locator::Css("#chart .chart-light svg desc"))
            .await?
            .html(true)
            .await?;
        assert!(
            chart.contains("Norway") && !chart.contains("Sweden"),
            "{chart}"
        );
        assert!(url_has(&client, "tab=table").await?, "the tab stays");

        // Swedish: labels and number formats.
        click(&client, Locator::Css("input[name=country][value=SE]")).await?;
        until("Sweden back", || async {
            Ok(client
                .find_all(Locator::Css("#summary tbody tr"))
                .await?
                .len()
                == 2)
        })
        .await?;
        client
            .find(Locator::Css("select[name=lang]"))
            .await?
            .select_by_value("sv")
            .await?;
        until_url(&client, "the URL to say lang=sv", "lang=sv").await?;
        until("Swedish labels", || async {
            Ok(text(&client, "#tab-table").await? == "Tabell")
        })
        .await?;
        let table = text(&client, "#summary").await?;
        assert!(
            table.contains("40 %") && table.contains("Sverige"),
            "{table}"
        );
        let html_lang = client
            .find(Locator::Css("html"))
            .await?
            .attr("lang")
            .await?;
        assert_eq!(html_lang.as_deref(), Some("sv"));
        assert_eq!(
            console_errors(&client).await?,
            Vec::<String>::new(),
            "no console errors after changes"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn index_mode_reload_back_and_forward() -> Result {
    if !browser_installed() {
        return Ok(());
    }
    with_browser(true, |client, base| async move {
        client
            .goto(&format!("{base}/?indicator=ted-contract-notices"))
            .await?;
        until("the script to run", || async {
            Ok(client.find(Locator::Css("html.js")).await.is_ok())
        })
        .await?;
        client
            .find(Locator::Css("select[name=mode]"))
            .await?
            .select_by_value("index")
            .await?;
        until_url(&client, "mode=index in the URL", "mode=index").await?;
        click(&client, Locator::Css("#tab-table")).await?;
        until_url(&client, "tab=table in the URL", "tab=table").await?;
        let first_values: Vec<String> = {
            let mut values = Vec::new();
            for cell in client
                .find_all(Locator::Css("#summary tbody td:nth-child(2)"))
                .await?
            {
                values.push(cell.text().await?);
            }
            values
        };
        assert_eq!(
            first_values,
            ["100 (2006)", "100 (2006)"],
            "one base year, with values for both countries"
        );
        let chart = client
            .find(Locator::Css("#chart .chart-light svg"))
            .await?
            .html(false)
            .await?;
        assert!(
            chart.contains("Index, 2006 = 100"),
            "the subtitle says which years"
        );

        client.refresh().await?;
        until("the page after reload", || async {
            Ok(client.find(Locator::Css("html.js")).await.is_ok())
        })
        .await?;
        let mode = client
            .find(Locator::Css("select[name=mode] option[value=index]"))
            .await?
            .prop("selected")
            .await?;
        assert_eq!(mode.as_deref(), Some("true"), "reload keeps the mode");
        let selected = client
            .find(Locator::Css("#tab-table"))
            .await?
            .attr("aria-selected")
            .await?;
        assert_eq!(selected.as_deref(), Some("true"), "reload keeps the tab");
        assert!(
            client
                .find(Locator::Css("#panel-table"))
                .await?
                .is_displayed()
                .await?
        );

        client.back().await?;
        until("back to the chart tab", || async {
            Ok(!url_has(&client, "tab=table").await?)
        })
        .await?;
        assert!(url_has(&client, "mode=index").await?);
        client.back().await?;
        until("back to values as published", || async {
            Ok(!url_has(&client, "mode=index").await?)
        })
        .await?;
        until("the mode control to follow", || async {
            Ok(client
                .find(Locator::Css("select[name=mode] option[value=absolute]"))
                .await?
                .prop("selected")
                .await?
                .as_deref()
                == Some("true"))
        })
        .await?;
        client.forward().await?;
        until_url(&client, "forward to index mode", "mode=index").await?;
        // The table's panel is hidden on the chart tab, so read its content, not its visible text.
        until("the index values", || async {
            Ok(client
                .find(Locator::Css("#summary"))
                .await?
                .html(true)
                .await?
                .contains("100 <span class=\"period\">(2006)</span>"))
        })
        .await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn download_links_point_to_the_view_and_answer() -> Result {
    if !browser_installed() {
        return Ok(());
    }
    with_browser(true, |client, base| async move {
        client.goto(&format!("{base}/?indicator=advertised-procurements&country=SE&time=2017..latest&tab=download")).await?;
        until("the download tab", || async { Ok(client.find(Locator::Css("#panel-download")).await?.is_displayed().await?) }).await?;
        let addr = base.trim_start_matches("http://").to_owned();
        let expected = [
            ("#download-csv", "/api/v1/indicators/advertised-procurements.csv?country=SE&time=2017..latest", "text/csv; charset=utf-8"),
            ("#download-csv-full", "/api/v1/indicators/advertised-procurements.csv", "text/csv; charset=utf-8"),
            ("#download-excel", "/api/v1/indicators/advertised-procurements.csv?country=SE&time=2017..latest&dialect=excel-nordic", "text/csv; charset=utf-8"),
            ("#download-png", "/charts/advertised-procurements.png?country=SE&time=2017..latest", "image/png"),
            ("#download-svg", "/charts/advertised-procurements.svg?country=SE&time=2017..latest", "image/svg+xml"),
            ("#download-json", "/api/v1/indicators/advertised-procurements?country=SE&time=2017..latest", "application/json"),
        ];
        for (css, href, content_type) in expected {
            let link = client.find(Locator::Css(css)).await?.attr("href").await?.unwrap_or_default();
            assert_eq!(link, href, "{css}");
            let (head, body) = http_get(&addr, &link)?;
            assert!(head.starts_with("HTTP/1.1 200 OK"), "{css}: {head}");
            assert!(head.to_ascii_lowercase().contains(&format!("content-type: {content_type}\r\n")), "{css}: {head}");
            assert!(!body.is_empty(), "{css}");
        }
        let api = client.find(Locator::Css("#api-link")).await?.prop("value").await?.unwrap_or_default();
        assert_eq!(api, format!("{base}/api/v1/indicators/advertised-procurements?country=SE&time=2017..latest"));
        Ok(())
    })
    .await
}

/// A host page on another origin, with the embed snippet, served a bounded number of times.
fn host_page(embed_src: &str, script_src: &str) -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let page = format!(
        "<!doctype html><html><head><title>A news article</title></head><body><p>Article text.</p>\
         <iframe id=\"embed\" src=\"{embed_src}\" width=\"600\" height=\"100\" style=\"border:0;width:600px\" title=\"chart\"></iframe>\
         <script src=\"{script_src}\" async></script></body></html>"
    );
    std::thread::spawn(move || {
        for stream in listener.incoming().take(8) {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 2048];
            let _ = stream.read(&mut request);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
        }
    });
    Ok(format!("http://{addr}/"))
}

#[tokio::test]
async fn the_embed_resizes_its_iframe_on_a_host_page() -> Result {
    if !browser_installed() {
        return Ok(());
    }
    with_browser(true, |client, base| async move {
        let host = host_page(
            &format!("{base}/embed/innovation-procurements?country=NO~SE"),
            &format!("{base}/static/embed-host.js"),
        )?;
        client.goto(&host).await?;
        let height = || async {
            let value = client
                .execute(
                    "return document.getElementById('embed').getBoundingClientRect().height",
                    vec![],
                )
                .await?;
            Ok::<f64, Box<dyn std::error::Error>>(value.as_f64().unwrap_or_default())
        };
        until("the iframe to grow to its content", || async {
            Ok(height().await? > 300.0)
        })
        .await?;
        // The embed redraws its chart for the iframe's width, then reports its new height.
        let content = || async {
            client.enter_frame(0).await?;
            let value = client
                .execute(
                    "return document.documentElement.getBoundingClientRect().height",
                    vec![],
                )
                .await?;
            client.enter_parent_frame().await?;
            Ok::<f64, Box<dyn std::error::Error>>(value.as_f64().unwrap_or_default())
        };
        until("the iframe to fit its content", || async {
            Ok((height().await? - content().await?).abs() <= 2.0)
        })
        .await?;
        client.enter_frame(0).await?;
        let link = client
            .find(Locator::LinkText("Get the data"))
            .await?
            .attr("href")
            .await?;
        assert_eq!(
            link.as_deref(),
            Some("/api/v1/indicators/innovation-procurements.csv?country=NO~SE")
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn without_javascript_the_chart_and_table_are_there() -> Result {
    if !browser_installed() {
        return Ok(());
    }
    with_browser(false, |client, base| async move {
        client
            .goto(&format!(
                "{base}/?indicator=innovation-in-strategy&country=NO&lang=sv"
            ))
            .await?;
        assert!(
            client.find(Locator::Css("html.js")).await.is_err(),
            "no script ran"
        );
        assert!(
            client
                .find(Locator::Css("#chart svg"))
                .await?
                .is_displayed()
                .await?
        );
        assert!(
            client
                .find(Locator::Css("#summary"))
                .await?
                .is_displayed()
                .await?
        );
        assert!(text(&client, "#summary").await?.contains("40 %"));
        assert!(
            client
                .find(Locator::Css("button.submit"))
                .await?
                .is_displayed()
                .await?,
            "the form submits by itself"
        );
        // The form still works: pick index mode and submit.
        client
            .find(Locator::Css("select[name=mode]"))
            .await?
            .select_by_value("index")
            .await?;
        click(&client, Locator::Css("button.submit")).await?;
        until_url(&client, "the submitted view", "mode=index").await?;
        assert!(text(&client, "#summary").await?.contains("100 (2010)"));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn screenshots_light_dark_english_swedish() -> Result {
    if !browser_installed() {
        return Ok(());
    }
    with_browser(true, |client, base| async move {
        for (name, query) in [
            (
                "dashboard-light-en",
                "indicator=innovation-procedure-share&theme=light",
            ),
            (
                "dashboard-dark-en",
                "indicator=innovation-procurements&theme=dark",
            ),
            (
                "dashboard-light-sv",
                "indicator=innovation-in-strategy&lang=sv&theme=light&tab=table",
            ),
            (
                "dashboard-dark-sv",
                "indicator=advertised-procurements&lang=sv&theme=dark",
            ),
        ] {
            client.goto(&format!("{base}/?{query}")).await?;
            until("the script to run", || async {
                Ok(client.find(Locator::Css("html.js")).await.is_ok())
            })
            .await?;
            let png = client.screenshot().await?;
            assert!(png.starts_with(b"\x89PNG"));
            std::fs::write(screenshots().join(format!("{name}.png")), png)?;
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_tables_sort_by_each_column() -> Result {
    if !browser_installed() {
        return Ok(());
    }
    with_browser(true, |client, base| async move {
        client
            .goto(&format!(
                "{base}/?indicator=advertised-procurements&country=SE&tab=table"
            ))
            .await?;
        until("sort buttons", || async {
            Ok(client
                .find(Locator::Css("#values th button.sort"))
                .await
                .is_ok())
        })
        .await?;
        let column = |n: usize| {
            let client = client.clone();
            async move {
                let mut cells = Vec::new();
                for cell in client
                    .find_all(Locator::Css(&format!("#values tbody td:nth-child({n})")))
                    .await?
                {
                    cells.push(cell.text().await?);
                }
                Ok::<Vec<String>, Box<dyn std::error::Error>>(cells)
            }
        };
        assert_eq!(
            column(3).await?,
            [
                "18,330", "18,525", "18,379", "17,938", "18,421", "17,198", "17,575"
            ],
            "in period order first"
        );
        let value_header = client
            .find(Locator::Css("#values thead th:nth-child(3) button"))
            .await?;
        value_header.click().await?;
        assert_eq!(
            column(3).await?,
            [
                "17,198", "17,575", "17,938", "18,330", "18,379", "18,421", "18,525"
            ],
            "ascending by value"
        );
        let sort = client
            .find(Locator::Css("#values thead th:nth-child(3)"))
            .await?
            .attr("aria-sort")
            .await?;
        assert_eq!(sort.as_deref(), Some("ascending"));
        value_header.click().await?;
        assert_eq!(
            column(3).await?.first().map(String::as_str),
            Some("18,525"),
            "descending on the second click"
        );
        click(
            &client,
            Locator::Css("#values thead th:nth-child(2) button"),
        )
        .await?;
        assert_eq!(
            column(2).await?,
            ["2016", "2017", "2019", "2020", "2021", "2022", "2024"],
            "by period"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn many_countries_open_on_norway_and_sweden_with_the_nordics_one_click_away() -> Result {
    if !browser_installed() {
        return Ok(());
    }
    with_browser(true, |client, base| async move {
        for (width, height) in [(1280, 900), (390, 844)] {
            client.set_window_size(width, height).await?;
            client
                .goto(&format!("{base}/?indicator=ted-contract-notices"))
                .await?;
            until("the script to run", || async {
                Ok(client.find(Locator::Css("html.js")).await.is_ok())
            })
            .await?;
            let checked = |client: Client| async move {
                let mut codes = Vec::new();
                for input in client
                    .find_all(Locator::Css("input[name=country]:checked"))
                    .await?
                {
                    codes.push(input.attr("value").await?.unwrap_or_default());
                }
                Ok::<Vec<String>, Box<dyn std::error::Error>>(codes)
            };
            assert_eq!(checked(client.clone()).await?, ["NO", "SE"], "{width} px");
            let caption = |client: Client| async move {
                let html = client
                    .find(Locator::Css("#chart figcaption"))
                    .await?
                    .html(true)
                    .await?;
                Ok::<String, Box<dyn std::error::Error>>(html)
            };
            let legend = caption(client.clone()).await?;
            assert!(
                legend.starts_with("Norway: 2,441 in 2006") && !legend.contains("Germany"),
                "{width} px: {legend}"
            );
            // The 33 boxes wait in a list that opens on demand; the presets are links.
            assert!(
                client
                    .find(Locator::Css("details.many:not([open])"))
                    .await
                    .is_ok()
            );
            // On a phone the controls start folded under "Change the view", so the chart
            // comes first; open them.
            let folded = client
                .find(Locator::Css("#view-controls:not([open])"))
                .await
                .is_ok();
            assert_eq!(folded, width < 700, "{width} px: controls folded");
            if folded {
                click(&client, Locator::Css("#view-controls > summary")).await?;
            }
            // The list of 33 filters as one types a name or a code.
            click(&client, Locator::Css("details.many > summary")).await?;
            client
                .find(Locator::Css("input[data-filter=country]"))
                .await?
                .send_keys("swi")
                .await?;
            let visible = client
                .execute(
                    "return [...document.querySelectorAll('details.many label[data-name]')].filter(l => !l.hidden).map(l => l.textContent.trim())",
                    vec![],
                )
                .await?;
            assert_eq!(visible, serde_json::json!(["Switzerland"]), "{width} px");
            click(&client, Locator::Css("details.many > summary")).await?;
            click(&client, Locator::LinkText("Nordic countries")).await?;
            until("the Nordic countries", || async {
                Ok(checked(client.clone()).await?.len() == 5)
            })
            .await?;
            assert!(url_has(&client, "country=NO~SE~DK~FI~IS").await?);
            assert!(caption(client.clone()).await?.contains("Iceland"));
            let current = text(&client, ".presets a[aria-current]").await?;
            assert_eq!(current, "Nordic countries");
            assert_eq!(console_errors(&client).await?, Vec::<String>::new());
        }
        Ok(())
    })
    .await
}

/// The smallest chart text as rendered, in CSS pixels: each `font-size` times the scale its
/// SVG is shown at.
const SMALLEST_CHART_TEXT: &str = r#"
let smallest = Infinity;
for (const svg of document.querySelectorAll('#chart svg')) {
  const shown = svg.getBoundingClientRect().width;
  if (!shown) continue;
  const scale = shown / svg.viewBox.baseVal.width;
  for (const text of svg.querySelectorAll('text')) {
    const size = parseFloat(text.getAttribute('font-size') || svg.getAttribute('font-size'));
    if (size) smallest = Math.min(smallest, size * scale);
  }
}
return smallest;
"#;

/// Whether the chart has been drawn for the width it is shown at (fit.js).
const FITTED: &str = r#"
const figure = document.querySelector('#chart');
const svg = figure && figure.querySelector('svg');
if (!svg || !svg.getBoundingClientRect().width) return false;
const wanted = Math.max(200, Math.floor(figure.clientWidth / 10) * 10);
return figure.dataset.width === String(wanted) && svg.getAttribute('width') === String(wanted);
"#;

async fn number(client: &Client, script: &str) -> Result<f64> {
    Ok(client
        .execute(script, vec![])
        .await?
        .as_f64()
        .unwrap_or(f64::NAN))
}

/// The colours the chart is shown in, as the browser computes them: its background, its
/// title, and its first series' first marker.
const CHART_COLOURS: &str = r#"
const svg = document.querySelector('figure svg');
const fill = (element) => element ? getComputedStyle(element).fill : 'none';
return [svg.querySelector('rect'), svg.querySelector('text'), svg.querySelector('circle')].map(fill).join(' / ');
"#;

async fn chart_colours(client: &Client) -> Result<String> {
    Ok(client
        .execute(CHART_COLOURS, vec![])
        .await?
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

#[tokio::test]
async fn a_dark_system_gets_the_chart_in_dark_colours_on_the_page_and_in_the_embed() -> Result {
    if !browser_installed() {
        return Ok(());
    }
    // The page sends one drawing, light, and its stylesheet recolours it while the system
    // is dark: background #15171A, text #EDEDED, the first series sky blue #56B4E9 (the light
    // drawing's is #0072B2), as the server draws a dark chart itself.
    const DARK: &str = "rgb(21, 23, 26) / rgb(237, 237, 237) / rgb(86, 180, 233)";
    const LIGHT: &str = "rgb(255, 255, 255) / rgb(26, 26, 26) / rgb(0, 114, 178)";
    with_browser(true, |client, base| async move {
        let view = "innovation-procurements?country=NO~SE";
        client.issue_cmd(colour_scheme("dark")).await?;
        client.goto(&format!("{base}/embed/{view}")).await?;
        assert_eq!(chart_colours(&client).await?, DARK, "the embed");
        client.set_window_size(390, 844).await?;
        client
            .goto(&format!("{base}/?indicator={}", view.replace('?', "&")))
            .await?;
        // On a phone the script redraws the chart for its width: still one, still dark.
        until("the chart drawn for its width", || async {
            Ok(client.execute(FITTED, vec![]).await?.as_bool() == Some(true))
        })
        .await?;
        assert_eq!(chart_colours(&client).await?, DARK, "the page at 390 px");
        assert_eq!(
            number(
                &client,
                "return document.querySelectorAll('#chart svg').length"
            )
            .await?,
            1.0
        );
        let png = client.screenshot().await?;
        std::fs::write(screenshots().join("dashboard-system-dark-390.png"), png)?;
        // The system turns light: the same drawing, in its own colours.
        client.issue_cmd(colour_scheme("light")).await?;
        assert_eq!(
            chart_colours(&client).await?,
            LIGHT,
            "the page, system light"
        );
        // A theme chosen is drawn in that theme and not recoloured by the system's.
        client.issue_cmd(colour_scheme("dark")).await?;
        client
            .goto(&format!(
                "{base}/?indicator={}&theme=light",
                view.replace('?', "&")
            ))
            .await?;
        assert_eq!(
            chart_colours(&client).await?,
            LIGHT,
            "theme=light on a dark system"
        );
        assert!(console_errors(&client).await?.is_empty());
        Ok(())
    })
    .await
}

#[tokio::test]
async fn readable_on_a_phone_and_a_desktop_and_honest_at_first_sight() -> Result {
    if !browser_installed() {
        return Ok(());
    }
    with_browser(true, |client, base| async move {
        for (width, height) in [(320, 640), (390, 844), (1280, 900)] {
            client.set_window_size(width, height).await?;
            for id in ["innovation-procurements", "ted-contract-notices"] {
                client.goto(&format!("{base}/?indicator={id}")).await?;
                until("the chart drawn for its width", || async {
                    Ok(client.execute(FITTED, vec![]).await?.as_bool() == Some(true))
                })
                .await?;
                let at = format!("{id} at {width} px");
                let smallest = number(&client, SMALLEST_CHART_TEXT).await?;
                eprintln!("{at}: smallest chart text {smallest:.2} px");
                assert!(smallest >= 11.9, "{at}: chart text of {smallest:.1} px");
                // The chart starts on the first screen.
                let top = number(
                    &client,
                    "return document.querySelector('#chart').getBoundingClientRect().top",
                )
                .await?;
                let screen = number(&client, "return window.innerHeight").await?;
                // On a phone, in its upper part, with the controls folded away.
                let limit = if width < 700 { 0.6 } else { 0.8 };
                assert!(
                    top < screen * limit,
                    "{at}: the chart starts at {top} of {screen} px"
                );
                // No tab makes the page wider than the screen.
                for tab in ["chart", "table", "sources", "download", "embed"] {
                    client
                        .execute(
                            &format!("document.getElementById('tab-{tab}').click()"),
                            vec![],
                        )
                        .await?;
                    let overflow = number(
                        &client,
                        "return document.documentElement.scrollWidth - window.innerWidth",
                    )
                    .await?;
                    assert!(overflow <= 0.0, "{at}, tab {tab}: {overflow} px too wide");
                }
                client
                    .execute("document.getElementById('tab-chart').click()", vec![])
                    .await?;
                let warning = client.find(Locator::Css(".warning")).await;
                let chart = client
                    .find(Locator::Css("#chart svg"))
                    .await?
                    .html(false)
                    .await?;
                if id == "innovation-procurements" {
                    // Norway's programme count beside Sweden's notice flag: said in words, on
                    // the chart and above it, with the way to the like-for-like measure.
                    // (The subtitle wraps on a phone.)
                    assert!(chart.contains("Not like-for-like:"), "{at}");
                    let warning = warning?;
                    assert!(warning.is_displayed().await?, "{at}");
                    assert!(warning.text().await?.starts_with("Not like-for-like"));
                    let link = warning.find(Locator::Css("a")).await?;
                    assert_eq!(
                        link.text().await?,
                        "Notices using competitive dialogue or innovation partnership"
                    );
                    // Index has no year with both countries; the form says so beside it.
                    let index = client
                        .find(Locator::Css("select[name=mode] option[value=index]"))
                        .await?;
                    assert_eq!(index.prop("disabled").await?.as_deref(), Some("true"));
                    let why = client
                        .find(Locator::Css("#mode-why"))
                        .await?
                        .html(true)
                        .await?;
                    assert!(
                        why.contains("Index needs one year in which every country shown has a value. Years with values: Norway 2010, 2016; Sweden 2022."),
                        "{why}"
                    );
                } else {
                    assert!(warning.is_err(), "{at}: TED counts both one way");
                    assert!(!chart.contains("Not like-for-like"));
                }
                if id == "innovation-procurements" && width != 320 {
                    let name = if width < 700 { "phone" } else { "desktop" };
                    let png = client.screenshot().await?;
                    std::fs::write(screenshots().join(format!("{name}-{width}.png")), png)?;
                }
            }
            assert_eq!(console_errors(&client).await?, Vec::<String>::new());
        }
        // An embed in an article's 358 px column draws itself at that width.
        client.set_window_size(358, 700).await?;
        client
            .goto(&format!("{base}/embed/ted-contract-notices"))
            .await?;
        until("the embed drawn for 350 px", || async {
            Ok(client
                .execute(
                    "return document.querySelector('figure svg').getAttribute('width')",
                    vec![],
                )
                .await?
                .as_str()
                == Some("350"))
        })
        .await?;
        let smallest = number(
            &client,
            &SMALLEST_CHART_TEXT.replace("#chart svg", "figure svg"),
        )
        .await?;
        eprintln!("embed at 358 px: smallest chart text {smallest:.2} px");
        assert!(smallest >= 11.9, "embed at 358 px: text of {smallest:.1} px");
        let png = client.screenshot().await?;
        std::fs::write(screenshots().join("embed-358.png"), png)?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_view_that_cannot_be_shown_says_why_and_the_controls_keep_the_chart_shown() -> Result {
    if !browser_installed() {
        return Ok(());
    }
    with_browser(true, |client, base| async move {
        client
            .goto(&format!(
                "{base}/?indicator=ted-contract-notices&time=2010..2015&lang=sv"
            ))
            .await?;
        until("the script to run", || async {
            Ok(client.find(Locator::Css("html.js")).await.is_ok())
        })
        .await?;
        // 2020 after 2015: the server refuses; the status says why, in place.
        client
            .find(Locator::Css("select[name=from]"))
            .await?
            .select_by_value("2020")
            .await?;
        until("the reason beside the controls", || async {
            Ok(text(&client, "#status")
                .await?
                .contains("2020 is after 2015"))
        })
        .await?;
        // The controls show the view still drawn, not the one refused.
        let from = client
            .find(Locator::Css("select[name=from] option[value='2010']"))
            .await?
            .prop("selected")
            .await?;
        assert_eq!(from.as_deref(), Some("true"));
        assert!(url_has(&client, "time=2010..2015").await?);
        // Without the script, the same address is a page in Swedish with a way back.
        client
            .goto(&format!(
                "{base}/?indicator=ted-contract-notices&time=2020..2015&lang=sv"
            ))
            .await?;
        assert_eq!(
            text(&client, "h1").await?,
            "Den här visningen kan inte visas"
        );
        assert_eq!(text(&client, "main a").await?, "Tillbaka till översikten");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_overview_is_the_first_screen_and_opens_an_indicator() -> Result {
    if !browser_installed() {
        return Ok(());
    }
    with_browser(true, |client, base| async move {
        for (width, height) in [(390, 844), (1280, 900)] {
            client.set_window_size(width, height).await?;
            client.goto(&format!("{base}/")).await?;
            assert_eq!(
                client.find_all(Locator::Css("li.card")).await?.len(),
                10,
                "{width} px"
            );
            until("the card charts to load", || async {
                Ok(client
                    .execute(
                        "return [...document.images].slice(0, 2).every(i => i.complete && i.naturalWidth > 0)",
                        vec![],
                    )
                    .await?
                    .as_bool()
                    == Some(true))
            })
            .await?;
            let overflow = number(
                &client,
                "return document.documentElement.scrollWidth - window.innerWidth",
            )
            .await?;
            assert!(overflow <= 0.0, "{width} px: {overflow} px too wide");
            let badge = text(&client, "li.card:nth-child(4) .badge").await?;
            assert_eq!(badge, "Not like-for-like", "innovation procurements");
            if width < 700 {
                let png = client.screenshot().await?;
                std::fs::write(screenshots().join("overview-390.png"), png)?;
            } else {
                let png = client.screenshot().await?;
                std::fs::write(screenshots().join("overview-1280.png"), png)?;
            }
            assert_eq!(console_errors(&client).await?, Vec::<String>::new());
        }
        click(&client, Locator::LinkText("Innovation procurements announced")).await?;
        until_url(&client, "the indicator's page", "indicator=innovation-procurements").await?;
        assert_eq!(
            text(&client, "h1").await?,
            "Innovation procurements announced"
        );
        Ok(())
    })
    .await
}
