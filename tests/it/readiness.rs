//! `/readyz` follows the database: 503 while it is down, 200 again when it
//! returns, with no restart of the server.

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

#[tokio::test]
async fn readyz_turns_503_when_the_database_stops_and_200_when_it_returns() {
    let dir = std::env::temp_dir().join(format!("hms-readyz-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let pg = EmbeddedPostgres::new(&dir, free_port(), "postgres").unwrap();
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
    owner.close().await;
    let pool = db::pool(
        &pg.url_as(APP_ROLE, "hms").unwrap(),
        4,
        Duration::from_secs(1),
    )
    .unwrap();
    let app = common::app(pool.clone());

    let res = common::get(&app, "/readyz").await;
    assert_eq!(res.status, 200, "{}", res.body);

    pg.stop().await.unwrap();
    let res = common::get(&app, "/readyz").await;
    assert_eq!(res.status, 503);
    assert_eq!(res.body, "not ready: database unreachable");
    assert_eq!(common::get(&app, "/healthz").await.status, 200);

    pg.start().await.unwrap();
    let mut status = 0;
    for _ in 0..20 {
        status = common::get(&app, "/readyz").await.status;
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(status, 200, "ready again once the database is back");
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
