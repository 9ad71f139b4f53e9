//! The HTTP surface as a browser or client sees it, through the real router.

use crate::common;

use axum::body::Body;
use axum::http::Request;
use common::{app, app_with, get, post_form, send, test_config};

#[tokio::test]
async fn healthz_answers_ok_even_without_a_database() {
    let app = app(common::unreachable_pool());
    let res = get(&app, "/healthz").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body, "ok");
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_matching_csp_nonce() {
    let t = common::test_db().await;
    let app = app(t.pool.clone());
    let res = get(&app, "/").await;
    assert_eq!(res.status, 200);
    assert!(
        res.body
            .contains("<title>Hospital Management System · HMS</title>")
    );
    let csp = res.header("content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("a nonce in the CSP");
    assert!(
        res.body.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the header's nonce"
    );
    assert_eq!(res.header("x-content-type-options"), "nosniff");
    assert_eq!(
        res.header("referrer-policy"),
        "strict-origin-when-cross-origin"
    );
    assert!(!res.header("x-request-id").is_empty());
    assert_eq!(
        res.header("strict-transport-security"),
        "",
        "no HSTS over plain http"
    );

    let second = get(&app, "/").await;
    assert_ne!(
        second.header("content-security-policy"),
        csp,
        "a fresh nonce per response"
    );
}

#[tokio::test]
async fn hsts_is_sent_when_the_app_is_served_over_https() {
    let t = common::test_db().await;
    let app = app_with(
        t.pool.clone(),
        test_config(&[("HMS_BASE_URL", "https://hms.example.org")]),
    );
    let res = get(&app, "/healthz").await;
    assert!(
        res.header("strict-transport-security")
            .starts_with("max-age=")
    );
}

#[tokio::test]
async fn unknown_pages_get_the_friendly_404_with_a_way_home() {
    let t = common::test_db().await;
    let res = get(&app(t.pool.clone()), "/no/such/page").await;
    assert_eq!(res.status, 404);
    assert!(res.body.contains("Page not found"));
    assert!(res.body.contains("href=\"/\""));
    assert_eq!(res.header("cache-control"), "no-store");
}

#[tokio::test]
async fn the_directory_page_renders_clinics_on_the_server() {
    let t = common::test_db().await;
    hms::server::db::seed::seed_demo(&t.owner_pool, 10)
        .await
        .unwrap();
    let app = app(t.pool.clone());
    let res = get(&app, "/clinics?sort=name&dir=desc").await;
    assert_eq!(res.status, 200);
    let river = res
        .body
        .find("Riverside General Hospital")
        .expect("riverside listed");
    let hill = res.body.find("Hilltop Clinic").expect("hilltop listed");
    assert!(river < hill, "name descending puts Riverside first");
    assert!(res.body.contains("aria-sort=\"descending\""));

    let res = get(&app, "/clinics?q=hill").await;
    assert!(res.body.contains("Hilltop Clinic"));
    assert!(!res.body.contains("Riverside General Hospital"));
}

#[tokio::test]
async fn an_over_long_search_is_rejected_next_to_the_field() {
    let t = common::test_db().await;
    let q = "x".repeat(101);
    let res = get(&app(t.pool.clone()), &format!("/clinics?q={q}")).await;
    assert_eq!(res.status, 422);
    assert!(
        res.body
            .contains("Search text can be at most 100 characters.")
    );
    assert!(res.body.contains("aria-invalid=\"true\""));
}

#[tokio::test]
async fn a_page_whose_data_fails_shows_the_friendly_error_without_internals() {
    let app = app(common::unreachable_pool());
    let res = get(&app, "/clinics").await;
    assert_eq!(res.status, 503);
    assert!(res.body.contains("Something went wrong"));
    assert!(res.body.contains("temporarily unavailable"));
    for leak in [
        "Connection refused",
        "127.0.0.1:9",
        "PoolTimedOut",
        "sqlx",
        "nobody",
    ] {
        assert!(!res.body.contains(leak), "internal detail {leak:?} leaked");
    }
}

#[tokio::test]
async fn the_server_function_answers_well_formed_calls() {
    let t = common::test_db().await;
    hms::server::db::seed::seed_demo(&t.owner_pool, 10)
        .await
        .unwrap();
    let res = post_form(
        &app(t.pool.clone()),
        "/fn/clinics/list_clinics",
        "q=river&sort=name&dir=asc&page=1",
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let page: hms::domain::paging::Page<hms::domain::clinics::ClinicListing> =
        serde_json::from_str(&res.body).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].slug, "riverside");
}

#[tokio::test]
async fn malformed_server_function_calls_get_clear_4xx_answers() {
    let t = common::test_db().await;
    let app = app_with(
        t.pool.clone(),
        test_config(&[("HMS_MAX_BODY_BYTES", "4096")]),
    );

    // Arguments that do not parse.
    let res = post_form(
        &app,
        "/fn/clinics/list_clinics",
        "q=a&sort=name&dir=asc&page=seven",
    )
    .await;
    assert_eq!(res.status, 400, "{}", res.body);
    assert!(!res.body.contains("seven") && !res.body.contains("invalid digit"));

    // Missing arguments.
    let res = post_form(&app, "/fn/clinics/list_clinics", "").await;
    assert_eq!(res.status, 400);

    // Invalid JSON.
    let res = send(
        &app,
        Request::post("/fn/clinics/list_clinics")
            .header("origin", common::SITE)
            .header("content-type", "application/json")
            .body(Body::from("{\"q\": "))
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, 400, "{}", res.body);

    // A content type server functions do not take.
    let res = send(
        &app,
        Request::post("/fn/clinics/list_clinics")
            .header("origin", common::SITE)
            .header("content-type", "text/xml")
            .body(Body::from("<q/>"))
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, 415);

    // No content type at all.
    let res = send(
        &app,
        Request::post("/fn/clinics/list_clinics")
            .header("origin", common::SITE)
            .body(Body::from("q=a"))
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, 415);

    // Over the configured size, declared up front.
    let big = format!("q={}&sort=name&dir=asc&page=1", "a".repeat(8_000));
    let res = post_form(&app, "/fn/clinics/list_clinics", &big).await;
    assert_eq!(res.status, 413);

    // Over the size without a declared length (streamed).
    let stream = futures_util::stream::iter(vec![Ok::<_, std::io::Error>(bytes::Bytes::from(
        big.clone(),
    ))]);
    let res = send(
        &app,
        Request::post("/fn/clinics/list_clinics")
            .header("origin", common::SITE)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from_stream(stream))
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, 413, "{}", res.body);

    // Valid shape, invalid value: a field error.
    let long = "x".repeat(101);
    let res = post_form(
        &app,
        "/fn/clinics/list_clinics",
        &format!("q={long}&sort=name&dir=asc&page=1"),
    )
    .await;
    assert_eq!(res.status, 422);
    let err: hms::domain::AppError = serde_json::from_str(&res.body).unwrap();
    assert!(err.field_message("q").is_some());

    // Wrong method and unknown function.
    let res = get(&app, "/fn/clinics/list_clinics").await;
    assert_eq!(res.status, 405);
    assert_eq!(res.header("allow"), "POST");
    let res = post_form(&app, "/fn/drop_all_tables", "x=1").await;
    assert_eq!(res.status, 404);

    // The server is still fine afterwards.
    assert_eq!(get(&app, "/healthz").await.status, 200);
}

#[tokio::test]
async fn static_files_and_the_service_worker_have_fitting_cache_headers() {
    let t = common::test_db().await;
    let app = app(t.pool.clone());
    let sw = get(&app, "/sw.js").await;
    assert_eq!(sw.status, 200);
    assert_eq!(sw.header("cache-control"), "no-cache");
    assert!(sw.header("content-type").starts_with("text/javascript"));
    assert!(sw.body.contains("\"/offline.html\""));
    assert!(sw.body.contains("\"/unreachable.html\""));
    assert!(!sw.body.contains("__HMS_"));
}

#[tokio::test]
async fn responses_are_compressed_for_clients_that_accept_it() {
    let t = common::test_db().await;
    let res = send(
        &app(t.pool.clone()),
        Request::get("/")
            .header("accept-encoding", "br")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(res.header("content-encoding"), "br");
}

/// The probes are the machines' part of the router: no cookie session, no
/// sign-in. A cookie a browser sends there is not even looked up, so a
/// database outage cannot turn a liveness probe into an error.
#[tokio::test]
async fn the_probes_answer_without_the_session_store_even_with_a_cookie() {
    let app = app(common::unreachable_pool());
    let cookie = "hms_session=aGVsbG8gd29ybGQgdGhpcyBpcyBhIHNlc3Npb24";
    let res = send(
        &app,
        Request::get("/healthz")
            .header("cookie", cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!((res.status, res.body.as_str()), (200, "ok"));
    assert!(res.headers.get("set-cookie").is_none());
    let res = send(
        &app,
        Request::get("/readyz")
            .header("cookie", cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, 503, "{}", res.body);
    assert!(res.headers.get("set-cookie").is_none());
}

/// A server on a free port with these connection limits, as `hms serve`
/// runs it; stops when the returned sender is dropped.
async fn listening(
    limits: hms::server::http::listen::Limits,
) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = app(common::unreachable_pool());
    tokio::spawn(hms::server::http::listen::serve(
        listener,
        app,
        limits,
        async move {
            let _ = stopped.await;
        },
        std::time::Duration::from_secs(1),
    ));
    (addr, stop)
}

/// Reads until the server closes the connection; what it sent, and when.
async fn until_closed(stream: &mut tokio::net::TcpStream) -> (String, std::time::Duration) {
    use tokio::io::AsyncReadExt;
    let started = std::time::Instant::now();
    let mut out = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut out),
    )
    .await;
    assert!(read.is_ok(), "the server kept the connection open for 10 s");
    (
        String::from_utf8_lossy(&out).into_owned(),
        started.elapsed(),
    )
}

#[tokio::test]
async fn slow_and_idle_clients_are_cut_off_and_connections_are_capped() {
    use std::time::Duration;
    use tokio::io::AsyncWriteExt;
    use tokio::net::TcpStream;
    let limits = hms::server::http::listen::Limits {
        header_read_timeout: Duration::from_secs(1),
        max_connections: 3,
    };
    let (addr, _stop) = listening(limits).await;

    // Half a request head, then nothing.
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let (_, waited) = until_closed(&mut slow).await;
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(3),
        "{waited:?}"
    );

    // A complete request is answered; the idle connection then closes.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (sent, waited) = until_closed(&mut idle).await;
    assert!(sent.starts_with("HTTP/1.1 200"), "{sent}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");

    // Three silent connections fill the server; a fourth is closed at once.
    let mut silent = Vec::new();
    for _ in 0..3 {
        silent.push(TcpStream::connect(addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut fourth = TcpStream::connect(addr).await.unwrap();
    let _ = fourth
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let (sent, waited) = until_closed(&mut fourth).await;
    assert_eq!(sent, "", "a connection over the limit was served");
    assert!(waited < Duration::from_millis(500), "{waited:?}");
    // Once they time out, their places are free again.
    for mut s in silent {
        until_closed(&mut s).await;
    }
    let mut later = TcpStream::connect(addr).await.unwrap();
    later
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (sent, _) = until_closed(&mut later).await;
    assert!(sent.starts_with("HTTP/1.1 200"), "{sent}");
}

#[tokio::test]
async fn a_refused_no_js_form_keeps_its_error_out_of_the_address() {
    let t = common::test_db().await;
    let app = app(t.pool.clone());
    let back_to = format!("{}/login?next=%2Fc%2Friverside%2Fadmin", common::SITE);
    let refused = send(
        &app,
        Request::post("/fn/auth/sign_in")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("origin", common::SITE)
            .header("referer", &back_to)
            .body(Body::from(
                "email=nobody%40riverside.example&password=not-the-password&next=",
            ))
            .unwrap(),
    )
    .await;
    assert!((300..400).contains(&refused.status), "{}", refused.status);
    let location = refused.header("location");
    assert_eq!(location, back_to, "no __path or __err in the address");
    let outcome = refused
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("hms_form_outcome="))
        .expect("the outcome travels in a cookie")
        .to_string();
    assert!(
        outcome.contains("HttpOnly") && outcome.contains("Max-Age=60"),
        "{outcome}"
    );
    let pair = outcome.split(';').next().unwrap().to_string();

    // The page the browser is sent back to shows the error by the form, and
    // uses the cookie up.
    let page = send(
        &app,
        Request::get("/login?next=%2Fc%2Friverside%2Fadmin")
            .header("accept", "text/html")
            .header("cookie", &pair)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(hms::domain::auth::SIGN_IN_FAILED),
        "the refusal is shown on the page"
    );
    assert!(
        page.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|c| c.starts_with("hms_form_outcome=;") && c.contains("Max-Age=0")),
        "the cookie is cleared once shown"
    );
    // Without it, the same address shows no error.
    let plain = get(&app, "/login?next=%2Fc%2Friverside%2Fadmin").await;
    assert!(!plain.body.contains(hms::domain::auth::SIGN_IN_FAILED));
}

/// Building a router (as every test and every server does) works out the
/// pages' routes by rendering the app with data loading switched off for
/// the whole process; a page rendered meanwhile used to wait for its data
/// forever. Now the routes are worked out once, and pages render while
/// routers are built beside them.
#[tokio::test]
async fn pages_render_while_other_routers_are_built() {
    let t = common::test_db().await;
    let app = app(t.pool.clone());
    let building = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let builder = {
        let building = building.clone();
        let pool = t.pool.clone();
        std::thread::spawn(move || {
            while building.load(std::sync::atomic::Ordering::Relaxed) {
                drop(app_with(pool.clone(), test_config(&[])));
            }
        })
    };
    for _ in 0..40 {
        let res = tokio::time::timeout(std::time::Duration::from_secs(10), get(&app, "/")).await;
        let Ok(res) = res else {
            building.store(false, std::sync::atomic::Ordering::Relaxed);
            panic!("a page waited for its data while a router was built");
        };
        assert_eq!(res.status, 200);
    }
    building.store(false, std::sync::atomic::Ordering::Relaxed);
    builder.join().unwrap();
}
