//! Database outages: `/readyz` follows the database (503 while it is down,
//! 200 again when it returns, with no restart of the server), and signed-in
//! sessions outlive the outage.

use crate::common;

use std::time::Duration;

use hms::server::db::roles::{APP_ROLE, OWNER_ROLE};
use hms::server::db::{self, embedded::EmbeddedPostgres};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A private cluster, removed when dropped.
struct Cluster {
    pg: EmbeddedPostgres,
    dir: std::path::PathBuf,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Also runs when an assertion failed, so no cluster is left running.
        self.pg.stop_immediately_blocking();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A private cluster with a migrated `hms` database, and a pool on it as
/// the app role that gives up after a second, like a server's.
async fn private_cluster() -> (Cluster, sqlx::PgPool) {
    let dir = std::env::temp_dir().join(format!("hms-outage-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let pg = EmbeddedPostgres::new(&dir, free_port(), "postgres")
        .unwrap()
        .durable(false);
    let cluster = Cluster {
        pg: pg.clone(),
        dir: dir.clone(),
    };
    pg.start().await.unwrap();
    pg.ensure_database("hms").await.unwrap();
    let owner = db::pool(
        &pg.url_as(OWNER_ROLE, "hms").unwrap(),
        1,
        Duration::from_secs(5),
    )
    .unwrap();
    db::migrate(&owner).await.unwrap();
    let fsync: String = sqlx::query_scalar("show fsync")
        .fetch_one(&owner)
        .await
        .unwrap();
    assert_eq!(fsync, "off", "a test cluster skips flushing to disk");
    owner.close().await;
    let pool = db::pool(
        &pg.url_as(APP_ROLE, "hms").unwrap(),
        4,
        Duration::from_secs(1),
    )
    .unwrap();
    (cluster, pool)
}

/// Polls `/readyz` for up to five seconds; true once it answers 200.
async fn ready_within_5s(app: &axum::Router) -> bool {
    for _ in 0..20 {
        if common::get(app, "/readyz").await.status == 200 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    false
}

#[tokio::test]
async fn readyz_turns_503_when_the_database_stops_and_200_when_it_returns() {
    let (cluster, pool) = private_cluster().await;
    let pg = cluster.pg.clone();
    let app = common::app(pool.clone());

    let res = common::get(&app, "/readyz").await;
    assert_eq!(res.status, 200, "{}", res.body);

    pg.stop().await.unwrap();
    let res = common::get(&app, "/readyz").await;
    assert_eq!(res.status, 503);
    assert_eq!(res.body, "not ready: database unreachable");
    assert_eq!(common::get(&app, "/healthz").await.status, 200);

    pg.start().await.unwrap();
    assert!(
        ready_within_5s(&app).await,
        "ready again once the database is back"
    );
    drop(cluster);
}

/// Signed-in people ride out an outage: while the database is away every
/// request is a quick 503 (a page that retries, or the typed error), the
/// session cookie is left alone, and afterwards every session still works.
#[tokio::test]
async fn sessions_survive_a_database_outage() {
    let (cluster, pool) = private_cluster().await;
    let owner = db::pool(
        &cluster.pg.url_as(OWNER_ROLE, "hms").unwrap(),
        1,
        Duration::from_secs(5),
    )
    .unwrap();
    common::seed_demo_clinics(&owner, 5).await;
    owner.close().await;
    let app = common::app(pool.clone());
    let staff = [
        ("doctor@riverside.example", "/c/riverside/doctor"),
        ("reception@riverside.example", "/c/riverside/reception"),
        ("lab@riverside.example", "/c/riverside/lab"),
        ("nurse@hilltop.example", "/c/hilltop/nurse"),
        ("admin@hilltop.example", "/c/hilltop/admin"),
        ("patient@riverside.example", "/c/riverside/my-records"),
    ];
    let mut browsers = Vec::new();
    for (email, landing) in staff {
        let mut b = common::Browser::new(&app);
        b.sign_in(email).await;
        assert_eq!(b.get(landing).await.status, 200, "{email} before");
        browsers.push(b);
    }

    cluster.pg.stop().await.unwrap();
    for (b, (email, landing)) in browsers.iter_mut().zip(staff) {
        let cookie = b.cookie.clone();
        let started = std::time::Instant::now();
        let page = b.get(landing).await;
        assert_eq!(page.status, 503, "{email} during: {}", page.body);
        assert!(
            page.body.contains("cannot reach its database"),
            "{}",
            page.body
        );
        assert_eq!(page.header("retry-after"), "5");
        assert!(
            page.headers.get("set-cookie").is_none(),
            "{email}: cookie touched"
        );
        let call = b.post("/fn/patients/patient_count", "slug=riverside").await;
        assert_eq!(call.status, 503, "{email} server fn during: {}", call.body);
        assert!(call.body.contains("Unavailable"), "{}", call.body);
        assert_eq!(b.cookie, cookie, "{email}: signed out by the outage");
        // Within the pool's acquire timeout (1 s) per database call.
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{email}: slow 503"
        );
    }

    cluster.pg.start().await.unwrap();
    assert!(
        ready_within_5s(&app).await,
        "ready again once the database is back"
    );
    for (b, (email, landing)) in browsers.iter_mut().zip(staff) {
        let page = b.get(landing).await;
        assert_eq!(page.status, 200, "{email} after: session lost");
    }
    drop(cluster);
}

#[tokio::test]
async fn readyz_is_503_while_migrations_are_pending() {
    let t = common::empty_db().await;
    let res = common::get(&common::app(t.pool.clone()), "/readyz").await;
    assert_eq!(res.status, 503);
    assert!(
        res.body.starts_with("not ready: migrations pending"),
        "{}",
        res.body
    );
}
