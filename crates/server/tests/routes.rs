//! Every route and every error, in process (no socket): status, key headers and bodies.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Reply, get, get_with, router, send};
use indikator_server::{AppState, DataSource, app};
use insta::assert_snapshot;
use tower::ServiceExt;

fn pretty(reply: &Reply, version: &str) -> String {
    serde_json::to_string_pretty(&reply.json())
        .unwrap_or_default()
        .replace(version, "[version]")
}

#[tokio::test]
async fn healthz_and_status() {
    let (app, version) = router();
    let health = get(&app, "/healthz").await;
    assert_eq!(
        (health.status, health.text().as_str()),
        (StatusCode::OK, "ok")
    );
    let status = get(&app, "/api/v1/status").await;
    assert_eq!(status.status, StatusCode::OK);
    assert_eq!(status.header("cache-control"), "no-store");
    let json = status.json();
    assert_eq!(json["data_version"], version.as_str());
    assert_eq!(json["source"], "embedded");
    assert_eq!(json["last_reload_error"], serde_json::Value::Null);
    assert!(
        json["loaded_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z') && t.len() == 20),
        "{json}"
    );
}

#[tokio::test]
async fn indicators_list_every_indicator_with_its_metadata() {
    let (app, version) = router();
    let reply = get(&app, "/api/v1/indicators").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_snapshot!(reply.key_headers(&version), @r#"
    content-type: application/json
    cache-control: public, max-age=300
    etag: "[version]-[view]"
    access-control-allow-origin: *
    "#);
    assert_snapshot!("indicators", pretty(&reply, &version));
}

#[tokio::test]
async fn one_view_as_json_with_an_empty_series_and_a_note_for_a_country_without_data() {
    let (app, version) = router();
    let reply = get(
        &app,
        "/api/v1/indicators/innovation-procurements?country=NO~DK&time=2010..latest",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_snapshot!("view-no-dk", pretty(&reply, &version));
}

#[tokio::test]
async fn one_view_as_csv_names_the_view_in_the_file_name() {
    let (app, version) = router();
    let reply = get(
        &app,
        "/api/v1/indicators/innovation-in-strategy.csv?countries=SE,NO&from=2016",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_snapshot!(reply.key_headers(&version), @r#"
    content-type: text/csv; charset=utf-8
    cache-control: public, max-age=300
    etag: "[version]-[view]"
    content-disposition: attachment; filename="innovation-in-strategy_SE-NO_2016-latest.csv"
    access-control-allow-origin: *
    "#);
    assert_snapshot!(reply.text(), @r"
    indicator,country,country_name,period,period_start,period_end,value,unit,flag,note,index_base,value_as_published,source_producer,source_title,source_url,source_published,source_accessed
    innovation-in-strategy,SE,Sweden,2016,2016,2016,30,percent,d,Share of organisations whose steering documents say how to promote innovation; baseline survey of the national procurement strategy,,,Upphandlingsmyndigheten,Resultat NUS-målen: Mål 1 – Offentlig upphandling som strategiskt verktyg för en god affär,https://www.upphandlingsmyndigheten.se/organisera/nationella-upphandlingsstrategin/mal-1---offentlig-upphandling-som-strategiskt-verktyg-for-en-god-affar/resultat-nus-malen/,n.d.,2026-11
    innovation-in-strategy,SE,Sweden,2018,2018,2018,40,percent,d,Share of organisations whose steering documents say how to promote innovation; follow-up survey November–December 2018,,,Upphandlingsmyndigheten,Resultat NUS-målen: Mål 1 – Offentlig upphandling som strategiskt verktyg för en god affär,https://www.upphandlingsmyndigheten.se/organisera/nationella-upphandlingsstrategin/mal-1---offentlig-upphandling-som-strategiskt-verktyg-for-en-god-affar/resultat-nus-malen/,n.d.,2026-11
    innovation-in-strategy,NO,Norway,2017,2017,2017,40,percent,,Reported by Sveriges Offentliga Inköpare from the programme's own figures; no primary source found,,,Sveriges Offentliga Inköpare (SOI),Innovative anskaffelser – Nasjonalt program for leverandørsutvikling,https://www.soi.se/aktuellt/2018/oktober/norsk-innovation,2018-10-24,2026-11-27
    ");
}

#[tokio::test]
async fn excel_nordic_csv() {
    let (app, _) = router();
    let reply = get(
        &app,
        "/api/v1/indicators/innovation-procedure-share.csv?dialect=excel-nordic",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .body
            .starts_with(b"\xEF\xBB\xBFindicator;country;country_name;period;period_start;")
    );
    assert!(
        reply.text().contains(
            "\r\ninnovation-procedure-share;NO;Norway;2018/2022;2018;2022;0,43;percent;;"
        )
    );
    assert!(
        reply
            .header("content-disposition")
            .ends_with("_all_first-latest_excel-nordic.csv\"")
    );
}

#[tokio::test]
async fn chart_images_for_the_view() {
    let (app, version) = router();
    let svg = get(
        &app,
        "/charts/innovation-procurements.svg?country=NO~SE&lang=sv",
    )
    .await;
    assert_eq!(svg.status, StatusCode::OK);
    assert_snapshot!(svg.key_headers(&version), @r#"
    content-type: image/svg+xml
    cache-control: public, max-age=300
    etag: "[version]-[view]"
    access-control-allow-origin: *
    "#);
    assert!(
        svg.text()
            .contains("<desc>Norge: 6 år 2010 till 180 år 2016; Sverige: 793 år 2022")
    );
    assert!(
        svg.header("content-security-policy")
            .ends_with("frame-ancestors *")
    );

    let png = get(
        &app,
        "/charts/advertised-procurements.png?width=400&height=300",
    )
    .await;
    assert_eq!(
        (png.status, png.header("content-type")),
        (StatusCode::OK, "image/png")
    );
    assert!(png.body.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(&png.body[16..24], &[0, 0, 1, 144, 0, 0, 1, 44], "400 × 300");
    let again = get(
        &app,
        "/charts/advertised-procurements.png?width=400&height=300",
    )
    .await;
    assert_eq!(png.body, again.body, "the cached PNG is the same image");
}

#[tokio::test]
async fn the_page_works_without_javascript() {
    let (app, _) = router();
    let reply = get(&app, "/?indicator=innovation-procurements").await;
    assert_eq!(
        (reply.status, reply.header("content-type")),
        (StatusCode::OK, "text/html; charset=utf-8")
    );
    let html = reply.text();
    assert!(
        html.contains("<h1 id=\"title\">Innovation procurements announced</h1>"),
        "the default indicator"
    );
    for title in [
        "Public bodies with innovation in their procurement strategy",
        "Advertised public procurements",
        "Notices using competitive dialogue or innovation partnership",
    ] {
        assert!(
            html.contains(&format!(">{title}</option>")),
            "the picker offers {title}"
        );
    }
    assert!(
        html.contains("<div class=\"chart-light\" data-theme-chart=\"light\"><svg role=\"img\"")
    );
    // While the theme follows the system, one drawing: light, recoloured by the CSS when
    // the system is dark (the rules are checked with the stylesheets below).
    assert!(
        !html.contains("chart-dark") && html.matches("<svg").count() == 1,
        "one chart while the theme follows the system"
    );
    for panel in ["chart", "table", "sources", "download", "embed"] {
        assert!(
            html.contains(&format!("id=\"panel-{panel}\" role=\"tabpanel\"")),
            "{panel}"
        );
    }
    assert!(html.contains("<table class=\"sortable\" id=\"summary\">"));
    assert!(html.contains("<form class=\"controls\" id=\"controls\" method=\"get\" action=\"/\">"));
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"http://indikator.test/?indicator=innovation-procurements\">"
    ));
    assert!(html.contains("href=\"http://indikator.test/oembed?url=http%3A%2F%2Findikator.test%2F%3Findicator%3Dinnovation-procurements&amp;format=json\""));
    assert!(html.contains("Sveriges Offentliga Inköpare (SOI). <cite>Innovative anskaffelser – Nasjonalt program for leverandørsutvikling</cite>. published 2018-10-24"));
    assert!(html.contains("<a class=\"skip\" href=\"#chart\">Skip to the chart</a>"));
    assert!(html.contains("<figcaption class=\"visually-hidden\">Norway: 6 in 2010 to 180 in 2016; Sweden: 793 in 2022 (low reliability, definition differs)</figcaption>"), "alt text");
    assert!(
        reply
            .header("content-security-policy")
            .ends_with("frame-ancestors 'self'")
    );
}

#[tokio::test]
async fn the_page_in_swedish_for_one_indicator() {
    let (app, _) = router();
    let reply = get(
        &app,
        "/?indicator=innovation-in-strategy&lang=sv&country=NO~SE&theme=dark&tab=table",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    assert!(html.contains("<html lang=\"sv\" data-theme=\"dark\">"));
    assert!(html.contains(
        "<h1 id=\"title\">Offentliga organisationer med innovation i sin upphandlingsstrategi</h1>"
    ));
    assert!(
        html.contains(
            "<td class=\"num\" data-value=\"40\">40 % <span class=\"period\">(2017)</span></td>"
        ),
        "Swedish number format"
    );
    assert!(
        html.contains("<td class=\"num\" data-value=\"34\">+34 p.e.</td>"),
        "change in percentage points"
    );
    assert!(
        html.contains("<td class=\"num\" data-value=\"566.6666666666667\">+567 %</td>"),
        "relative change"
    );
    assert!(
        html.contains("<section class=\"panel active\" id=\"panel-table\""),
        "the chosen tab is open"
    );
    assert!(
        !html.contains("chart-light"),
        "one chart when the theme is chosen"
    );
    assert!(html.contains("href=\"/api/v1/indicators/innovation-in-strategy.csv?country=NO~SE&amp;lang=sv&amp;dialect=excel-nordic\""));
}

#[tokio::test]
async fn share_mode_is_offered_only_where_there_is_a_denominator() {
    let (app, _) = router();
    // Sweden has advertised procurements for its year; Norway's 2016 has none (only
    // 2016/2017), so with Norway shown the share is offered disabled, with the reason.
    let sweden = get(&app, "/?indicator=innovation-procurements&country=SE")
        .await
        .text();
    assert!(sweden.contains(
        "<option value=\"share:advertised-procurements\">Per 1,000 advertised public procurements</option>"
    ));
    let both = get(&app, "/?indicator=innovation-procurements")
        .await
        .text();
    assert!(both.contains(
        "<option value=\"share:advertised-procurements\" disabled>Per 1,000 advertised public procurements (not available)</option>"
    ));
    assert!(both.contains("<li>Per 1,000 advertised public procurements: needs a value of the denominator for every country shown, in the same years. None for: Norway.</li>"), "{both}");
    assert!(both.contains("<li>Index needs one year in which every country shown has a value. Years with values: Norway 2010, 2016; Sweden 2022.</li>"));
    let sv = get(
        &app,
        "/?indicator=innovation-procurements&country=SE&lang=sv",
    )
    .await
    .text();
    assert!(sv.contains(
        "<option value=\"share:advertised-procurements\">Per 1 000 annonserade offentliga upphandlingar</option>"
    ));
    // A percentage has no share; nor do TED's above-threshold notices, which national counts
    // are not a population of. The page falls back to values as published.
    for id in ["innovation-in-strategy", "ted-contract-notices"] {
        let reply = get(
            &app,
            &format!("/?indicator={id}&mode=share:advertised-procurements"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK);
        let html = reply.text();
        assert!(!html.contains("value=\"share:"), "no share option for {id}");
        assert!(
            html.contains("<option value=\"absolute\" selected>"),
            "{id} falls back to values as published"
        );
    }
    let api = get(
        &app,
        "/api/v1/indicators/ted-contract-notices?mode=share:advertised-procurements",
    )
    .await;
    assert_eq!(api.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        api.json()["error"],
        "parameter `mode`: ted-contract-notices cannot be divided by advertised-procurements: its sidecar does not declare that the two count the same population; it has no share mode, so use absolute or index"
    );
}

/// The page's weight in bytes without its charts: HTML with the inline SVGs taken out, plus
/// its CSS and JavaScript.
fn without_svg(html: &str) -> usize {
    let mut rest = html;
    let mut bytes = 0;
    while let Some(start) = rest.find("<svg ") {
        bytes += start;
        let end = rest[start..]
            .find("</svg>")
            .map_or(rest.len(), |e| start + e + "</svg>".len());
        rest = &rest[end..];
    }
    bytes + rest.len()
}

#[tokio::test]
async fn the_page_weighs_at_most_100_kb_without_its_chart_and_the_embed_30_kb() {
    let (app, _) = router();
    let assets = |names: &'static [&'static str]| {
        let app = app.clone();
        async move {
            let mut total = 0;
            for name in names {
                let reply = get(&app, &format!("/static/{name}")).await;
                assert_eq!(reply.status, StatusCode::OK, "{name}");
                total += reply.body.len();
            }
            total
        }
    };
    let mut heaviest = 0;
    for query in [
        "",
        "?indicator=advertised-procurements&lang=nb&tab=table",
        "?indicator=innovation-in-strategy&country=NO~SE&mode=index",
    ] {
        let page = get(&app, &format!("/{query}")).await.text();
        heaviest = heaviest.max(without_svg(&page));
    }
    let page = heaviest + assets(&["style.css", "app.js", "fit.js"]).await;
    assert!(
        page <= 100 * 1024,
        "the page weighs {page} bytes without its chart"
    );
    let embed = get(&app, "/embed/advertised-procurements?country=NO~SE")
        .await
        .body
        .len()
        + assets(&["embed.css", "embed.js"]).await;
    assert!(embed <= 30 * 1024, "the embed weighs {embed} bytes");
    eprintln!("page without chart: {page} bytes; embed with its chart: {embed} bytes");
}

#[tokio::test]
async fn embed_page_for_an_iframe() {
    let (app, _) = router();
    // No theme named: the light drawing, which embed.css recolours when the system is dark.
    let system = get(&app, "/embed/innovation-procedure-share").await.text();
    assert!(system.contains("<html lang=\"en\">"), "no data-theme");
    assert!(system.contains("<div class=\"chart-light\" data-theme-chart=\"light\"><svg"));
    assert!(!system.contains("chart-dark"), "one drawing");
    let reply = get(
        &app,
        "/embed/innovation-procedure-share?country=NO~SE&theme=dark",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .header("content-security-policy")
            .ends_with("frame-ancestors *")
    );
    let html = reply.text();
    assert!(html.contains("<html lang=\"en\" data-theme=\"dark\">"));
    assert!(html.contains("<svg role=\"img\""));
    assert!(html.contains("<a href=\"/api/v1/indicators/innovation-procedure-share.csv?country=NO~SE\" target=\"_blank\" rel=\"noopener\">Get the data</a>"));
    assert!(html.contains("<a href=\"/?indicator=innovation-procedure-share&amp;country=NO~SE&amp;theme=dark\" target=\"_blank\" rel=\"noopener\">Open in indikator</a>"));
    assert!(html.contains("<script type=\"module\" src=\"/static/embed.js?v="));
    assert!(html.contains(
        "Sources: Direktoratet for forvaltning og økonomistyring (DFØ); Upphandlingsmyndigheten"
    ));
}

#[tokio::test]
async fn oembed_for_a_pasted_view_link() {
    let (app, _) = router();
    let url =
        "http%3A%2F%2Findikator.test%2F%3Findicator%3Dinnovation-procurements%26country%3DNO~SE";
    let reply = get(&app, &format!("/oembed?url={url}&maxwidth=600&format=json")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_snapshot!(serde_json::to_string_pretty(&reply.json()).unwrap_or_default(), @r#"
    {
      "cache_age": 300,
      "height": 540,
      "html": "<iframe src=\"http://indikator.test/embed/innovation-procurements?country=NO~SE&amp;width=600\" width=\"600\" height=\"540\" title=\"Innovation procurements announced\" style=\"border:0;width:100%;max-width:600px\" loading=\"lazy\" data-indikator-embed></iframe><script src=\"http://indikator.test/static/embed-host.js\" async></script>",
      "provider_name": "indikator",
      "provider_url": "http://indikator.test",
      "title": "Innovation procurements announced",
      "type": "rich",
      "version": "1.0",
      "width": 600
    }
    "#);
    let xml = get(&app, &format!("/oembed?url={url}&format=xml")).await;
    assert_eq!(xml.status, StatusCode::NOT_IMPLEMENTED);
    // Found by the property test: a blank format is the default, JSON, not a 501.
    let blank = get(&app, &format!("/oembed?url={url}&format=")).await;
    assert_eq!(blank.status, StatusCode::OK);
    let elsewhere = get(&app, "/oembed?url=https%3A%2F%2Fexample.org%2Fnews").await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    let missing = get(&app, "/oembed").await;
    assert_snapshot!(missing.text(), @r#"{"error":"parameter `url`: is required: the address of an indikator view"}"#);
}

#[tokio::test]
async fn static_files_and_nothing_else() {
    let (app, _) = router();
    let js = get(&app, "/static/embed-host.js").await;
    assert_eq!(
        (js.status, js.header("content-type")),
        (StatusCode::OK, "text/javascript; charset=utf-8")
    );
    assert!(js.text().contains("indikator:resize"));
    // Pages link their stylesheet and script by a URL that names their content's version:
    // that one is kept a year, any other for an hour.
    let page = get(&app, "/?indicator=innovation-procurements")
        .await
        .text();
    for (attribute, name) in [("href", "style.css"), ("src", "app.js")] {
        let start = format!("{attribute}=\"/static/{name}?v=");
        let at = page
            .find(&start)
            .unwrap_or_else(|| panic!("no versioned {name}"))
            + start.len();
        let version = &page[at..at + 13];
        assert!(
            version.ends_with('"') && version[..12].bytes().all(|b| b.is_ascii_hexdigit()),
            "{name}: {version}"
        );
        let versioned = format!("/static/{name}?v={}", &version[..12]);
        for (path, kept) in [
            (versioned.as_str(), "public, max-age=31536000, immutable"),
            (&format!("/static/{name}"), "public, max-age=3600"),
            (
                &format!("/static/{name}?v=000000000000"),
                "public, max-age=3600",
            ),
        ] {
            let reply = get(&app, path).await;
            assert_eq!(
                (reply.status, reply.header("cache-control")),
                (StatusCode::OK, kept),
                "{path}"
            );
        }
    }
    // The scripts import fit.js by its versioned URL too.
    let fit = get(&app, "/static/fit.js").await;
    let fit_version = {
        use sha2::Digest as _;
        indikator_ingest::hex(&sha2::Sha256::digest(&fit.body)[..6])
    };
    for script in ["/static/app.js", "/static/embed.js"] {
        let js = get(&app, script).await.text();
        assert!(
            js.contains(&format!("from \"./fit.js?v={fit_version}\";")),
            "{script} imports fit.js by its version"
        );
    }
    let versioned = get(&app, &format!("/static/fit.js?v={fit_version}")).await;
    assert_eq!(
        versioned.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    // The stylesheets of the pages with a chart end with the rules that recolour a light
    // chart for a dark system: the background, the text and the first series, as fill and
    // as stroke (the charts' test holds the full mapping exact).
    for sheet in ["/static/style.css", "/static/embed.css"] {
        let css = get(&app, sheet).await;
        assert_eq!(css.header("content-type"), "text/css; charset=utf-8");
        let css = css.text();
        assert!(css.contains("figure svg"), "{sheet} keeps its own rules");
        let dark = css
            .split_once(
                "@media (prefers-color-scheme: dark) {\n  html:not([data-theme]) .chart-light",
            )
            .map(|(_, rules)| rules)
            .unwrap_or_else(|| panic!("{sheet} has no chart rules"));
        for rule in [
            r##"[fill="#FFFFFF"] { fill: #15171A; }"##,
            r##"[fill="#1A1A1A"] { fill: #EDEDED; }"##,
            r##"[stroke="#0072B2"] { stroke: #56B4E9; }"##,
            r##"[fill="#56B4E9"] { fill: #0072B2; }"##,
        ] {
            assert!(dark.contains(rule), "{sheet} lacks {rule}");
        }
    }
    for path in [
        "/static/../Cargo.toml",
        "/static/..%2FCargo.toml",
        "/static/%2e%2e%2fCargo.toml",
        "/static/.%2e/crates/server/src/lib.rs",
        "/charts/..%2F..%2Fetc%2Fpasswd.svg",
        "/embed/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/indicators/..%2F..%2FCargo.toml",
        "/../../etc/passwd",
        "/static/README.md%00.css",
    ] {
        let reply = get(&app, path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            !reply.text().contains("[package]") && !reply.text().contains("root:"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn bad_requests_get_json_errors_that_say_what_to_change() {
    let (app, _) = router();
    let cases = [
        (
            "/charts/innovation-procurements.svg?width=5000",
            400,
            r#"{"error":"parameter `width`: width 5000 is outside 200–4000; choose a width in that range"}"#,
        ),
        (
            "/charts/innovation-procurements.png?width=4000&height=2000",
            400,
            r#"{"error":"parameter `width`: width × height is 8000000 pixels; at most 4000000 are allowed"}"#,
        ),
        (
            "/api/v1/indicators/innovation-procurements?country=NO~XX",
            400,
            r#"{"error":"parameter `country`: unknown country `XX`; use ISO 3166-1 alpha-2 codes such as NO or SE, separated by commas"}"#,
        ),
        (
            "/api/v1/indicators/innovation-procurements?mode=share:nope",
            404,
            r#"{"error":"unknown indicator `nope`; the indicators are: advertised-procurements, innovation-in-strategy, innovation-procedure-share, innovation-procurements, national-innovation-flag-notices, national-innovation-procedure-notices, national-notices, national-rd-notices, ted-award-notices, ted-contract-notices","known":["advertised-procurements","innovation-in-strategy","innovation-procedure-share","innovation-procurements","national-innovation-flag-notices","national-innovation-procedure-notices","national-notices","national-rd-notices","ted-award-notices","ted-contract-notices"]}"#,
        ),
        (
            "/api/v1/indicators/nope.csv",
            404,
            r#"{"error":"unknown indicator `nope`; the indicators are: advertised-procurements, innovation-in-strategy, innovation-procedure-share, innovation-procurements, national-innovation-flag-notices, national-innovation-procedure-notices, national-notices, national-rd-notices, ted-award-notices, ted-contract-notices","known":["advertised-procurements","innovation-in-strategy","innovation-procedure-share","innovation-procurements","national-innovation-flag-notices","national-innovation-procedure-notices","national-notices","national-rd-notices","ted-award-notices","ted-contract-notices"]}"#,
        ),
        (
            "/charts/innovation-procurements.gif",
            404,
            r#"{"error":"no such file `innovation-procurements.gif`; ask for <indicator>.svg or <indicator>.png"}"#,
        ),
        (
            "/charts/innovation-procurements.svg?scale=log&mode=index&kind=pie",
            400,
            r#"{"error":"parameter `kind`: `pie` is not allowed; use line or bar"}"#,
        ),
        (
            "/nothing/here",
            404,
            r#"{"error":"no such page `/nothing/here`"}"#,
        ),
    ];
    for (uri, status, body) in cases {
        let reply = get(&app, uri).await;
        assert_eq!(
            (reply.status.as_u16(), reply.text().as_str()),
            (status, body),
            "{uri}"
        );
        assert_eq!(reply.header("content-type"), "application/json", "{uri}");
    }
    // A reader's page or embed answers with a page in the reader's language and a way back.
    for (uri, status, lang, title, message, back) in [
        (
            "/?lang=de",
            400,
            "en",
            "This view cannot be shown",
            "parameter `lang`: `de` is not allowed; use en, sv or nb",
            "<a href=\"/?lang=en\">Back to the dashboard</a>",
        ),
        (
            "/?indicator=nope&lang=sv",
            404,
            "sv",
            "Den här visningen kan inte visas",
            "unknown indicator `nope`; the indicators are: advertised-procurements, innovation-in-strategy, innovation-procedure-share, innovation-procurements, national-innovation-flag-notices, national-innovation-procedure-notices, national-notices, national-rd-notices, ted-award-notices, ted-contract-notices",
            "<a href=\"/?lang=sv\">Tillbaka till översikten</a>",
        ),
        (
            "/embed/innovation-procurements?time=2022..2010&lang=nb",
            400,
            "nb",
            "Denne visningen kan ikke vises",
            "parameter `from`: 2022 is after 2010; the first year must not be after the last",
            "<a href=\"/?lang=nb\">Tilbake til oversikten</a>",
        ),
        (
            "/embed/nope",
            404,
            "en",
            "This view cannot be shown",
            "unknown indicator `nope`; the indicators are: advertised-procurements, innovation-in-strategy, innovation-procedure-share, innovation-procurements, national-innovation-flag-notices, national-innovation-procedure-notices, national-notices, national-rd-notices, ted-award-notices, ted-contract-notices",
            "<a href=\"/?lang=en\">Back to the dashboard</a>",
        ),
    ] {
        let reply = get(&app, uri).await;
        assert_eq!(reply.status.as_u16(), status, "{uri}");
        assert_eq!(
            reply.header("content-type"),
            "text/html; charset=utf-8",
            "{uri}"
        );
        let html = reply.text();
        assert!(
            html.contains(&format!("<html lang=\"{lang}\">")),
            "{uri}: {html}"
        );
        assert!(html.contains(&format!("<h1>{title}</h1>")), "{uri}: {html}");
        assert!(
            html.contains(&format!("<p id=\"error-message\">{}</p>", message)),
            "{uri}: {html}"
        );
        assert!(html.contains(back), "{uri}: {html}");
        assert!(!reply.header("content-security-policy").is_empty(), "{uri}");
    }
    let long = format!("/api/v1/indicators?x={}", "a".repeat(2100));
    let reply = get(&app, &long).await;
    assert_eq!(reply.status, StatusCode::URI_TOO_LONG);
    assert_eq!(
        reply.text(),
        r#"{"error":"the query string is 2102 bytes; at most 2048 are allowed"}"#
    );
    let post = send(
        &app,
        Request::post("/api/v1/indicators")
            .body(Body::empty())
            .expect("a request"),
    )
    .await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn no_query_string_makes_a_server_error() {
    let (app, _) = router();
    let queries = [
        "",
        "?",
        "?&&&",
        "?=",
        "?country=",
        "?country=~~~",
        "?country=%FF",
        "?from=-1",
        "?from=99999999999",
        "?to=2e3",
        "?time=..",
        "?time=....",
        "?time=2010..2010",
        "?mode=share:",
        "?mode=share:innovation-procurements",
        "?width=0&height=0",
        "?width=-5",
        "?height=200.5",
        "?theme=%00",
        "?lang=SV",
        "?scale=log",
        "?scale=log&mode=index",
        "?kind=bar&scale=log&mode=share:advertised-procurements",
        "?country=NO&country=SE&country=DK",
        "?time=1900..2100",
        "?dialect=excel",
        "?%zz=1",
        "?country=NO~SE~DK~FI~IS~DE~FR~IT~ES~PL~NL~BE~AT~CH~GB",
    ];
    let paths = [
        "/",
        "/embed/innovation-procurements",
        "/charts/innovation-procurements.svg",
        "/api/v1/indicators/advertised-procurements",
        "/api/v1/indicators/innovation-procedure-share.csv",
        "/oembed",
    ];
    for path in paths {
        for query in queries {
            let uri = format!("{path}{query}");
            let reply = get(&app, &uri).await;
            assert!(
                reply.status.as_u16() < 500,
                "{uri}: {} {}",
                reply.status,
                reply.text()
            );
        }
    }
}

#[tokio::test]
async fn etags_revalidate_with_304() {
    let (app, _) = router();
    let first = get(&app, "/charts/innovation-procurements.svg?country=NO~SE").await;
    let etag = first.header("etag").to_owned();
    assert!(
        etag.starts_with('"') && !etag.starts_with("W/"),
        "a strong ETag: {etag}"
    );
    assert_eq!(first.header("cache-control"), "public, max-age=300");

    let request = Request::get("/charts/innovation-procurements.svg?countries=NO,SE")
        .header("if-none-match", &etag)
        .body(Body::empty())
        .expect("a request");
    let again = send(&app, request).await;
    assert_eq!(
        again.status,
        StatusCode::NOT_MODIFIED,
        "the same view, written the other way"
    );
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), etag);

    let other = get(&app, "/charts/innovation-procurements.svg?country=SE").await;
    assert_ne!(other.header("etag"), etag, "another view, another ETag");
    let png = get(&app, "/charts/innovation-procurements.png?country=NO~SE").await;
    assert_ne!(png.header("etag"), etag, "another format, another ETag");
}

#[tokio::test]
async fn responses_are_compressed_when_asked() {
    let (app, _) = router();
    let request = Request::get("/")
        .header("accept-encoding", "gzip")
        .body(Body::empty())
        .expect("a request");
    let reply = send(&app, request).await;
    assert_eq!(reply.header("content-encoding"), "gzip");
    assert!(reply.body.starts_with(&[0x1f, 0x8b]));
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let (app, _) = router();
    for path in [
        "/",
        "/healthz",
        "/api/v1/indicators",
        "/nothing",
        "/embed/innovation-procurements",
    ] {
        let reply = get(&app, path).await;
        assert_eq!(reply.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(
            reply.header("referrer-policy"),
            "strict-origin-when-cross-origin",
            "{path}"
        );
        assert!(
            reply
                .header("content-security-policy")
                .starts_with("default-src 'none'"),
            "{path}"
        );
    }
    let page = get(&app, "/").await;
    assert_eq!(
        page.header("access-control-allow-origin"),
        "",
        "no CORS on the page"
    );
}

/// Metadata written to break out of HTML, attributes and SVG.
const HOSTILE_SIDECAR: &str = r#"id = "x"
unit = "count"
decimals = 0
title.en = "<script>alert('title')</script> \"quoted\" & more"
description.en = "<img src=x onerror=alert(1)>"

[[sources]]
id = "s"
producer = "<b>Producer</b>"
title = "\"><script>alert('source')</script>"
url = "https://example.org/?a=\"><script>"
published = "n.d."
accessed = "2026-11-27"
kind = "primary"

[[notes]]
countries = ["NO"]
text.en = "</svg><script>alert('note')</script>"
"#;

#[tokio::test]
async fn metadata_with_markup_is_escaped_everywhere() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("x.toml"), HOSTILE_SIDECAR)?;
    std::fs::write(
        dir.path().join("x.csv"),
        "country,period,value,flag,source,note\nNO,2016,1,,s,\"<script>alert('row')</script>\"\n",
    )?;
    let state = AppState::load(DataSource::Dir(dir.path().to_owned()), None)?;
    let app = app(state);
    for path in [
        "/",
        "/?indicator=x",
        "/embed/x",
        "/charts/x.svg",
        "/oembed?url=%2Fembed%2Fx",
    ] {
        let reply = get(&app, path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        // oEmbed is JSON: its title is plain text for the consumer to escape; its html is HTML.
        let text = if path.starts_with("/oembed") {
            reply.json()["html"].as_str().unwrap_or_default().to_owned()
        } else {
            reply.text()
        };
        assert!(!text.contains("<script>alert"), "{path}: {text}");
        assert!(!text.contains("<img src=x"), "{path}");
        assert!(!text.contains("<b>Producer"), "{path}");
    }
    // The overview, which shows every title too.
    let page = get(&app, "/").await.text();
    assert!(
        page.contains("&lt;script&gt;alert('title')&lt;/script&gt; &quot;quoted&quot; &amp; more")
    );
    Ok(())
}

#[tokio::test]
async fn the_view_in_statistical_formats() {
    let (app, _) = router();
    let jsonstat = get(
        &app,
        "/api/v1/indicators/innovation-procurements.jsonstat?country=NO~SE&lang=nb",
    )
    .await;
    assert_eq!(
        (jsonstat.status, jsonstat.header("content-type")),
        (StatusCode::OK, "application/json")
    );
    assert_eq!(jsonstat.header("access-control-allow-origin"), "*");
    let json = jsonstat.json();
    assert_eq!(
        (json["version"].as_str(), json["class"].as_str()),
        (Some("2.0"), Some("dataset"))
    );
    assert_eq!(json["label"], "Kunngjorte innovative anskaffelser");
    assert_eq!(
        json["value"],
        serde_json::json!([6.0, 180.0, null, null, null, 793.0])
    );

    let sdmx = get(
        &app,
        "/api/v1/indicators/advertised-procurements.sdmx.csv?country=NO",
    )
    .await;
    assert_eq!(
        (sdmx.status, sdmx.header("content-type")),
        (StatusCode::OK, "text/csv; charset=utf-8")
    );
    assert!(sdmx.text().starts_with("DATAFLOW,FREQ,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,OBS_FLAG,UNIT_MEASURE,OBS_COMMENT\nINDIKATOR:ADVERTISED_PROCUREMENTS(1.0),A,advertised-procurements,NO,2016-01-01/P2Y,12000,e,count,"));
    assert_ne!(jsonstat.header("etag"), sdmx.header("etag"));
}

#[tokio::test]
async fn the_414_carries_the_security_headers() {
    let (app, _) = router();
    let long = format!("/charts/innovation-procurements.svg?x={}", "a".repeat(2100));
    let reply = get(&app, &long).await;
    assert_eq!(reply.status, StatusCode::URI_TOO_LONG);
    assert_eq!(reply.header("x-content-type-options"), "nosniff");
    assert!(
        reply
            .header("content-security-policy")
            .starts_with("default-src 'none'")
    );
}

#[tokio::test]
async fn a_weak_if_none_match_revalidates_too() {
    let (app, _) = router();
    let first = get(&app, "/api/v1/indicators/innovation-procurements.csv").await;
    let weak = format!("W/{}", first.header("etag"));
    for uri in [
        "/api/v1/indicators/innovation-procurements.csv",
        "/oembed?url=%2Fembed%2Finnovation-procurements",
    ] {
        let etag = if uri.starts_with("/oembed") {
            format!("W/{}", get(&app, uri).await.header("etag"))
        } else {
            weak.clone()
        };
        let request = Request::get(uri)
            .header("if-none-match", format!("\"other\", {etag}"))
            .body(Body::empty())
            .expect("a request");
        assert_eq!(
            send(&app, request).await.status,
            StatusCode::NOT_MODIFIED,
            "{uri}"
        );
    }
}

#[tokio::test]
async fn links_never_come_from_the_host_header() {
    // Every view is public and cached under one ETag: a Host-made link would reach everyone.
    for (public, origin) in [
        (
            Some("https://indikator.example/".to_owned()),
            "https://indikator.example",
        ),
        (None, "http://localhost"),
    ] {
        let state = AppState::load(DataSource::Embedded, public).expect("valid");
        let app = app(state);
        for uri in [
            "/oembed?url=%2Fembed%2Finnovation-procurements",
            "/api/v1/indicators/innovation-procurements",
            "/?indicator=innovation-procurements",
        ] {
            let request = Request::get(uri)
                .header("host", "evil.example")
                .body(Body::empty())
                .expect("a request");
            let text = send(&app, request).await.text();
            assert!(!text.contains("evil.example"), "{uri}: {text}");
            assert!(text.contains(&format!("{origin}/")), "{uri}: {text}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_concurrent_misses_render_once_and_repeats_come_from_memory() {
    let (app, _) = router();
    let uri = "/charts/innovation-procurements.png?country=NO~SE&width=1600&height=1000";
    let mut requests = Vec::new();
    for _ in 0..16 {
        let app = app.clone();
        requests.push(tokio::spawn(async move { get(&app, uri).await }));
    }
    let mut bodies = Vec::new();
    for request in requests {
        let reply = request.await.expect("answers");
        assert_eq!(reply.status, StatusCode::OK);
        bodies.push(reply.body);
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]));
    let _ = get(&app, uri).await;
    let cache = get(&app, "/api/v1/status").await.json()["cache"].clone();
    assert_eq!(cache["renders"], 1, "{cache}");
    // The 16 that waited for the render, and the repeat: from the response cache, or given
    // again whole (a replay) once the first answer was kept.
    let from_memory = cache["hits"].as_u64().unwrap_or(0) + cache["replayed"].as_u64().unwrap_or(0);
    assert_eq!(from_memory, 16, "{cache}");
    assert!(cache["replayed"].as_u64().unwrap_or(0) >= 1, "{cache}");
    assert!(cache["bytes"].as_u64().unwrap_or(0) >= bodies[0].len() as u64);
    assert_eq!(cache["budget_bytes"], 64 * 1024 * 1024);
}

#[tokio::test]
async fn extreme_values_answer_in_every_mode_scale_and_route()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let sidecar = |id: &str| {
        format!(
            "id = \"{id}\"\nunit = \"count\"\ndecimals = 0\n{}title.en = \"T\"\ndescription.en = \"D\"\n[[sources]]\nid = \"s\"\nproducer = \"P\"\ntitle = \"T\"\nurl = \"https://example.org/\"\npublished = \"n.d.\"\naccessed = \"2026-11-28\"\nkind = \"primary\"\n",
            if id == "x" {
                "denominators = [\"d\"]\n"
            } else {
                ""
            }
        )
    };
    // The smallest and largest values that load, next to each other and as denominators.
    let rows = "country,period,value,flag,source,note\nNO,2010,0.000000001,,s,\nNO,2011,1000000000000000,,s,\nNO,2012,0,,s,\nSE,2010,1000000000000000,,s,\nSE,2011,0.000000001,,s,\n";
    for id in ["x", "d"] {
        std::fs::write(dir.path().join(format!("{id}.csv")), rows)?;
        std::fs::write(dir.path().join(format!("{id}.toml")), sidecar(id))?;
    }
    let app = app(AppState::load(
        DataSource::Dir(dir.path().to_owned()),
        None,
    )?);
    for mode in ["absolute", "index", "share:d"] {
        for scale in ["linear", "log"] {
            for route in [
                "/charts/x.svg",
                "/charts/x.png",
                "/embed/x",
                "/api/v1/indicators/x.csv",
            ] {
                let uri = format!("{route}?mode={mode}&scale={scale}");
                let reply = get(&app, &uri).await;
                let ok = reply.status == StatusCode::OK
                    || (reply.status == StatusCode::BAD_REQUEST && scale == "log");
                assert!(ok, "{uri}: {} {}", reply.status, reply.text());
                if route.ends_with(".svg") && reply.status == StatusCode::OK {
                    let svg = reply.text();
                    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
                    assert!(!svg.contains("NaN") && !svg.contains("inf"), "{uri}");
                }
            }
        }
    }
    Ok(())
}

#[tokio::test]
async fn public_routes_allow_any_origin_and_answer_preflight() {
    let (app, _) = router();
    for uri in [
        "/api/v1/indicators",
        "/api/v1/indicators/innovation-procurements.csv",
        "/charts/innovation-procurements.svg",
    ] {
        let reply = get(&app, uri).await;
        assert_eq!(reply.header("access-control-allow-origin"), "*", "{uri}");
        let preflight = app
            .clone()
            .oneshot(
                Request::builder()
                    .method("OPTIONS")
                    .uri(uri)
                    .header("origin", "https://news.example")
                    .header("access-control-request-method", "GET")
                    .header("access-control-request-headers", "if-none-match")
                    .body(Body::empty())
                    .expect("a request"),
            )
            .await
            .expect("an answer");
        assert_eq!(preflight.status(), StatusCode::NO_CONTENT, "{uri}");
        let headers = preflight.headers();
        assert_eq!(headers["access-control-allow-origin"], "*");
        assert_eq!(headers["access-control-allow-methods"], "GET, HEAD");
        assert_eq!(headers["access-control-allow-headers"], "*");
    }
    let page = get(&app, "/").await;
    assert_eq!(
        page.header("access-control-allow-origin"),
        "",
        "the page is not an API"
    );
}

#[tokio::test]
async fn a_browser_gets_each_view_gzipped_from_memory_under_its_own_etag() {
    use std::io::Read as _;
    let (app, _) = router();
    let gzip = [("accept-encoding", "gzip, deflate, br")];
    for uri in [
        "/?country=NO~SE",
        "/embed/innovation-procurements",
        "/charts/innovation-procurements.svg",
        "/api/v1/indicators/innovation-procurements",
        "/api/v1/indicators/innovation-procurements.csv",
        "/api/v1/indicators/innovation-procurements.jsonstat",
        "/api/v1/indicators",
    ] {
        let plain = get(&app, uri).await;
        let packed = get_with(&app, uri, &gzip).await;
        assert_eq!(packed.status, StatusCode::OK, "{uri}");
        assert_eq!(packed.header("content-encoding"), "gzip", "{uri}");
        assert_eq!(packed.header("vary"), "accept-encoding", "{uri}");
        assert_eq!(plain.header("vary"), "accept-encoding", "{uri}");
        assert_eq!(packed.header("content-type"), plain.header("content-type"));
        let mut unpacked = Vec::new();
        let read = flate2::read::GzDecoder::new(&packed.body[..]).read_to_end(&mut unpacked);
        assert!(read.is_ok(), "{uri}");
        assert_eq!(unpacked, plain.body, "{uri}: the same body");
        assert!(packed.body.len() < plain.body.len(), "{uri}");
        let (tag, gz_tag) = (plain.header("etag"), packed.header("etag"));
        assert_eq!(
            gz_tag,
            format!("{}-gz\"", tag.trim_end_matches('"')),
            "{uri}"
        );
        // Each tag revalidates, and the 304 names the representation the client has.
        for held in [tag, gz_tag] {
            let again = get_with(&app, uri, &[gzip[0], ("if-none-match", held)]).await;
            assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
            assert_eq!(again.header("etag"), held, "{uri}");
        }
    }
    // PNG is compressed already: one representation, the same for everyone.
    let png = get_with(&app, "/charts/innovation-procurements.png", &gzip).await;
    assert_eq!(png.header("content-encoding"), "");
    assert!(png.body.starts_with(b"\x89PNG"));
    // Compressed once: the repeats were all hits.
    let status = get(&app, "/api/v1/status").await.json();
    assert_eq!(status["cache"]["renders"], 8, "{}", status["cache"]);
}

#[tokio::test]
async fn the_download_bundle_holds_the_data_its_metadata_and_a_readme() {
    use std::io::Read;
    let (app, version) = router();
    let reply = get(
        &app,
        "/api/v1/indicators/innovation-procurements.zip?country=NO~SE&lang=sv",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), "application/zip");
    assert_eq!(
        reply.header("content-disposition"),
        "attachment; filename=\"innovation-procurements_NO-SE_first-latest.zip\""
    );
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(reply.body.to_vec())).expect("a zip");
    let names: Vec<String> = (0..zip.len())
        .map(|i| {
            let file = zip.by_index(i).expect("a file");
            file.name().expect("a name").into_owned()
        })
        .collect();
    assert_eq!(
        names,
        ["innovation-procurements.csv", "metadata.json", "README.md"]
    );
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .expect(name)
            .read_to_string(&mut text)
            .expect("UTF-8");
        text
    };
    // The data as the CSV export gives it, country names in the view's language.
    let csv = read("innovation-procurements.csv");
    let export = get(
        &app,
        "/api/v1/indicators/innovation-procurements.csv?country=NO~SE&lang=sv",
    )
    .await
    .text();
    assert_eq!(csv, export);
    assert!(csv.contains(",SE,Sverige,2022,2022,2022,793,count,ud,"));
    let metadata: serde_json::Value = serde_json::from_str(&read("metadata.json")).expect("JSON");
    assert_eq!(metadata["indicator"], "innovation-procurements");
    assert_eq!(metadata["title"], "Annonserade innovationsupphandlingar");
    assert_eq!(metadata["unit"], "count");
    assert_eq!(metadata["data_version"], version.as_str());
    assert_eq!(metadata["like_for_like"], "innovation-procedure-share");
    assert_eq!(metadata["countries"][1]["name"], "Sverige");
    assert_eq!(metadata["flags"][0]["letter"], "p");
    assert_eq!(metadata["columns"][4]["name"], "period_start");
    assert_eq!(metadata["sources"].as_array().map(Vec::len), Some(3));
    assert!(
        metadata["notes"][0]
            .as_str()
            .is_some_and(|n| n.starts_with("Inte jämförbara."))
    );
    let readme = read("README.md");
    assert!(readme.starts_with("# Annonserade innovationsupphandlingar\n"));
    assert!(readme.contains("## Sources\n\n- Sveriges Offentliga Inköpare (SOI): "));
    assert!(readme.contains(
        "http://indikator.test/?indicator=innovation-procurements&country=NO~SE&lang=sv"
    ));
}

#[tokio::test]
async fn the_overview_shows_every_indicator_as_a_card() {
    let (app, _) = router();
    let reply = get(&app, "/?lang=sv").await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    assert!(html.contains("<h1>Innovationsupphandling i siffror</h1>"));
    assert_eq!(html.matches("<li class=\"card\">").count(), 10);
    // One year and one country read as such, not "2021–2021 · 1 countries".
    let english = get(&app, "/").await.text();
    assert!(
        english.contains("<p class=\"meta\">Number · 2021 · 1 country</p>"),
        "{english}"
    );
    assert!(english.contains("<p class=\"meta\">Number · 2006–2025 · 33 countries</p>"));
    // One click opens the indicator, in the overview's language.
    assert!(html.contains(
        "<h2><a href=\"/?indicator=innovation-procurements&amp;lang=sv\">Annonserade innovationsupphandlingar</a></h2><p class=\"badge incomparable\">Inte jämförbart</p>"
    ));
    assert!(html.contains(
        "<h2><a href=\"/?indicator=innovation-procedure-share&amp;lang=sv\">Annonser med konkurrenspräglad dialog eller innovationspartnerskap</a></h2><p class=\"badge comparable\">Jämförbart</p>"
    ));
    // Latest values of the default countries, in the page's number format.
    assert!(html.contains(
        "Senast: Norge <strong>180</strong> (2016) · Sverige <strong>793</strong> (2022)"
    ));
    assert!(html.contains(
        "Senast: Norge <strong>6 205</strong> (2025) · Sverige <strong>11 298</strong> (2025)"
    ));
    // The unit in the overview's language, as the charts' subtitles write it.
    assert!(html.contains("<p class=\"meta\">Antal · 2010–2022 · 2 länder</p>"));
    let norwegian = get(&app, "/?lang=nb").await.text();
    assert!(
        norwegian.contains("<p class=\"meta\">Prosent · 2018–2022 · 2 land</p>"),
        "{norwegian}"
    );
    // The card's chart, at the widths it may be shown at, light and dark.
    assert!(html.contains(
        "srcset=\"/charts/innovation-procurements.svg?country=NO~SE&amp;lang=sv&amp;width=300&amp;height=200&amp;foot=bare 300w,"
    ));
    assert!(html.contains("media=\"(prefers-color-scheme: dark)\""));
    // And each card's chart answers.
    let chart = get(
        &app,
        "/charts/innovation-procurements.svg?country=NO~SE&lang=sv&width=300&height=200&foot=bare",
    )
    .await;
    assert_eq!(chart.status, StatusCode::OK);
}

#[tokio::test]
async fn the_share_link_opens_on_the_chart_and_the_page_agrees_with_its_chart() {
    let (app, _) = router();
    let html = get(&app, "/?indicator=innovation-procurements&tab=embed")
        .await
        .text();
    // Shared from the Embed tab, the link opens the view on its chart.
    assert!(html.contains(
        "id=\"share-link\" type=\"text\" readonly value=\"http://indikator.test/?indicator=innovation-procurements\""
    ));
    // One "data as of", the chart's, and flags in one order everywhere (ud, as in the data).
    assert!(html.contains("<footer class=\"bottom\"><p>Data as of 2026-11-27 · "));
    assert!(html.contains("\nData as of 2026-11-27\n</text>"));
    assert!(html.contains("<td data-value=\"ud\">ud</td>"));
    // The events the chart marks, in full under it (a narrow chart marks their years only).
    assert!(html.contains("<ul class=\"events\"><li><strong>2010</strong> Norway's supplier development programme starts</li>"), "{html}");
    // The image snippet shrinks with an article's column.
    assert!(html.contains("style=&quot;max-width:100%;height:auto&quot;&gt;</textarea>"));
    assert!(!html.contains(">du<"));
}

#[tokio::test]
async fn a_high_resolution_png_has_twice_the_pixels_of_the_same_chart() {
    let (app, _) = router();
    let size = |png: &[u8]| {
        let word = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
        (word(16), word(20))
    };
    let one = get(&app, "/charts/innovation-procurements.png").await;
    let two = get(&app, "/charts/innovation-procurements.png?density=2").await;
    assert_eq!(two.status, StatusCode::OK);
    assert_eq!(size(&one.body), (800, 500));
    assert_eq!(size(&two.body), (1600, 1000));
    assert_ne!(one.header("etag"), two.header("etag"));
    for (query, error) in [
        (
            "density=4",
            "parameter `density`: density 4 is outside 1–3; choose a density in that range",
        ),
        (
            "density=x",
            "parameter `density`: `x` is not 1, 2 or 3 (PNG pixels per pixel)",
        ),
        (
            "density=2&width=2000&height=1500",
            "parameter `width`: width × height × density² is 12000000 pixels; at most 4000000 are allowed",
        ),
    ] {
        let reply = get(
            &app,
            &format!("/charts/innovation-procurements.png?{query}"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(reply.json()["error"], error, "{query}");
    }
    // The page offers it, and the image snippet gives it to high-resolution screens.
    let page = get(&app, "/?indicator=innovation-procurements")
        .await
        .text();
    assert!(page.contains(
        "<a id=\"download-png-2x\" href=\"/charts/innovation-procurements.png?density=2\">PNG (2×)</a>"
    ), "{page}");
    assert!(
        page.contains("innovation-procurements.png?density=2 2x"),
        "{page}"
    );
}

#[tokio::test]
async fn row_notes_are_in_the_view_language_where_the_data_gives_them() {
    let (app, _) = router();
    let swedish = "Annonser där fältet för innovationsupphandling är ifyllt";
    let csv = get(
        &app,
        "/api/v1/indicators/innovation-procurements.csv?country=SE&lang=sv",
    )
    .await
    .text();
    assert!(csv.contains(swedish), "{csv}");
    let json = get(
        &app,
        "/api/v1/indicators/innovation-procurements?country=SE&lang=nb",
    )
    .await
    .json();
    assert!(
        json["observations"][0]["note"]
            .as_str()
            .is_some_and(|n| n.starts_with("Kunngjøringer der feltet for innovasjonsanskaffelse"))
    );
    let page = get(
        &app,
        "/?indicator=innovation-procurements&lang=sv&tab=table",
    )
    .await
    .text();
    assert!(page.contains(swedish));
    // In English, the English note.
    let english = get(
        &app,
        "/api/v1/indicators/innovation-procurements.csv?country=SE",
    )
    .await
    .text();
    assert!(english.contains("Notices with the innovation-procurement field set"));
    assert!(!english.contains(swedish));
}

#[tokio::test]
async fn every_output_cites_the_same_sources_and_date_for_a_view() {
    let (app, _) = router();
    let view = "country=SE&mode=share:advertised-procurements";
    let json = get(
        &app,
        &format!("/api/v1/indicators/innovation-procurements?{view}"),
    )
    .await
    .json();
    let producers: Vec<&str> = json["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .filter_map(|s| s["producer"].as_str())
        .collect();
    // The numerator's source and, in share mode, the denominator's.
    assert!(producers.len() >= 2, "{producers:?}");
    let as_of = json["data_as_of"].as_str().expect("a date").to_owned();
    let stat = get(
        &app,
        &format!("/api/v1/indicators/innovation-procurements.jsonstat?{view}"),
    )
    .await
    .json();
    assert_eq!(stat["extension"]["indikator"]["data_as_of"], as_of.as_str());
    let svg = get(&app, &format!("/charts/innovation-procurements.svg?{view}"))
        .await
        .text();
    assert!(svg.contains(&format!("\nData as of {as_of}\n")), "{as_of}");
    let page = get(&app, &format!("/?indicator=innovation-procurements&{view}"))
        .await
        .text();
    assert!(page.contains(&format!(
        "<footer class=\"bottom\"><p>Data as of {as_of} · "
    )));
}
