//! Waiting-room displays: the admin makes a link (shown once), the link
//! alone opens a board of tokens (never a name) and its event stream, and a
//! revoked, unknown or malformed link opens nothing.

use axum::body::Body;
use axum::http::Request;
use tower::ServiceExt;
use uuid::Uuid;

use crate::common::{self, Browser, TestDb};

async fn department(t: &TestDb, code: &str) -> Uuid {
    sqlx::query_scalar(
        "select d.id from departments d join clinics c on c.id = d.clinic_id
         where c.slug = 'riverside' and d.code = $1",
    )
    .bind(code)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

/// Makes a display as riverside's admin; returns its key.
async fn make_display(admin: &mut Browser, name: &str, department: &str) -> String {
    let res = admin
        .post(
            "/fn/displays/create_display",
            &format!(
                "slug=riverside&display%5Bname%5D={name}&display%5Bdepartment%5D={department}"
            ),
        )
        .await;
    assert!(
        res.header("location").ends_with("/c/riverside/displays"),
        "{}",
        res.body
    );
    let page = admin
        .post("/fn/displays/clinic_displays", "slug=riverside&page=1")
        .await;
    let link = page
        .body
        .split("\"new_link\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no new link: {}", page.body))
        .to_string();
    // Shown once: the next load no longer has it.
    let again = admin
        .post("/fn/displays/clinic_displays", "slug=riverside&page=1")
        .await;
    assert!(again.body.contains("\"new_link\":null"), "{}", again.body);
    link.split("key=").nth(1).unwrap().to_string()
}

async fn check_in(t: &TestDb, patient_offset: i64, department: Uuid, status: &str) -> i32 {
    let token: i32 = sqlx::query_scalar(
        "insert into patient_visits (clinic_id, patient_id, department_id, visit_type, checked_in_by,
                                     visit_date, token)
         select c.id, (select id from patients where clinic_id = c.id and user_id is null
                       order by patient_number offset $1 limit 1),
                $2, 'walk_in', u.id, current_date, 1
         from clinics c, users u
         where c.slug = 'riverside' and u.email = 'reception@riverside.example'
         returning token",
    )
    .bind(patient_offset)
    .bind(department)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    if status != "waiting" {
        sqlx::query(
            "update patient_visits set status = $1 where token = $2 and department_id = $3",
        )
        .bind(status)
        .bind(token)
        .bind(department)
        .execute(&t.owner_pool)
        .await
        .unwrap();
    }
    token
}

#[tokio::test]
async fn a_display_link_opens_a_board_of_tokens_and_nothing_else() {
    let (t, app) = common::demo_app().await;
    let (gen_dept, card) = (department(&t, "GEN").await, department(&t, "CARD").await);
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let all = make_display(&mut admin, "Main+hall", "").await;
    let cardiology = make_display(&mut admin, "Cardiology+corridor", &card.to_string()).await;
    assert_eq!(all.len(), 64);
    // Stored as a hash only.
    assert_eq!(
        common::count(
            &t,
            &format!("select count(*) from queue_displays where token_hash::text like '%{all}%'")
        )
        .await,
        0
    );
    let called = check_in(&t, 0, gen_dept, "called").await;
    let waiting = check_in(&t, 1, gen_dept, "waiting").await;
    let heart = check_in(&t, 2, card, "waiting").await;
    // No sign-in: a browser with no session.
    let board = common::post_form(&app, "/fn/displays/display_board", &format!("key={all}")).await;
    assert_eq!(board.status, 200, "{}", board.body);
    assert!(
        board
            .body
            .contains("\"clinic_name\":\"Riverside General Hospital\"")
    );
    assert!(
        board
            .body
            .contains(&format!("\"serving\":[{{\"token\":{called},")),
        "{}",
        board.body
    );
    assert!(board.body.contains(&format!("\"token\":{waiting},")));
    assert!(board.body.contains(&format!("\"token\":{heart},")));
    // Never a patient's name or number.
    let names: Vec<String> = sqlx::query_scalar(
        "select given_name || ' ' || family_name from patients p join patient_visits v on v.patient_id = p.id",
    )
    .fetch_all(&t.owner_pool)
    .await
    .unwrap();
    for n in names {
        assert!(!board.body.contains(&n), "{n} on the board: {}", board.body);
    }
    assert!(!board.body.contains("RGH-"));
    // The cardiology screen shows cardiology only.
    let corridor = common::post_form(
        &app,
        "/fn/displays/display_board",
        &format!("key={cardiology}"),
    )
    .await;
    assert!(corridor.body.contains("\"department\":\"Cardiology\""));
    assert!(
        !corridor.body.contains("General Medicine"),
        "{}",
        corridor.body
    );
    // Its page renders for a screen, with the no-JavaScript refresh.
    let page = common::get(&app, &format!("/display?key={all}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Now serving") && page.body.contains("http-equiv=\"refresh\""));
}

#[tokio::test]
async fn revoked_unknown_and_malformed_links_open_nothing() {
    let (t, app) = common::demo_app().await;
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let key = make_display(&mut admin, "Hall", "").await;
    let id: Uuid = sqlx::query_scalar("select id from queue_displays")
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    // Hilltop's admin cannot revoke it; reception may not manage displays.
    let mut hill = Browser::new(&app);
    hill.sign_in("admin@hilltop.example").await;
    let res = hill
        .post(
            "/fn/displays/revoke_display",
            &format!("slug=hilltop&id={id}"),
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.body);
    let mut desk = Browser::new(&app);
    desk.sign_in("reception@riverside.example").await;
    let res = desk
        .post(
            "/fn/displays/revoke_display",
            &format!("slug=riverside&id={id}"),
        )
        .await;
    assert_eq!(res.status, 403);
    let stream = open(&app, &format!("/display/live?key={key}")).await;
    assert_eq!(stream.status(), 200);
    let res = admin
        .post(
            "/fn/displays/revoke_display",
            &format!("slug=riverside&id={id}"),
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    for bad in [
        key.as_str(),
        &"0".repeat(64),
        "short",
        "../etc",
        &"g".repeat(64),
    ] {
        let board =
            common::post_form(&app, "/fn/displays/display_board", &format!("key={bad}")).await;
        assert_eq!(board.status, 404, "{bad}: {}", board.body);
        let stream = open(&app, &format!("/display/live?key={bad}")).await;
        assert_eq!(stream.status(), 404, "{bad}");
    }
    let page = common::get(&app, &format!("/display?key={key}")).await;
    assert_eq!(page.status, 404);
    assert!(page.body.contains("This display link does not work"));
    // Revoking twice finds nothing to revoke.
    let res = admin
        .post(
            "/fn/displays/revoke_display",
            &format!("slug=riverside&id={id}"),
        )
        .await;
    assert_eq!(res.status, 404);
    // Bad names are refused by the field.
    let res = admin
        .post(
            "/fn/displays/create_display",
            "slug=riverside&display%5Bname%5D=&display%5Bdepartment%5D=",
        )
        .await;
    assert_eq!(res.status, 422);
    let hilltop_dept: Uuid = sqlx::query_scalar(
        "select d.id from departments d join clinics c on c.id = d.clinic_id where c.slug = 'hilltop' limit 1",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    let res = admin
        .post(
            "/fn/displays/create_display",
            &format!("slug=riverside&display%5Bname%5D=X&display%5Bdepartment%5D={hilltop_dept}"),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert_eq!(
        common::count(&t, "select count(*) from queue_displays").await,
        1
    );
}

async fn open(app: &axum::Router, uri: &str) -> axum::http::Response<Body> {
    let res = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    // A stream stays open; its status is all this needs.
    res
}
