//! The frame around the pages, through its server functions as the pages
//! call them: where a signed-in person's own pages lead, whether a public
//! page is looked at by someone signed in, and the audit log in the words
//! and chains its readers look for.

use crate::common;

use common::{Browser, app, seed_demo_clinics, test_db};

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn personal_pages_lead_back_into_the_persons_clinic() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());

    let mut nurse = Browser::new(&app);
    nurse.sign_in("nurse@riverside.example").await;
    let frame = nurse.post("/fn/frame/my_frame", "").await;
    assert_eq!(frame.status, 200, "{}", frame.body);
    let frame = json(&frame.body);
    assert_eq!(frame["home"], "/c/riverside/nurse");
    let hrefs: Vec<&str> = frame["nav"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["href"].as_str().unwrap())
        .collect();
    assert_eq!(hrefs, ["/c/riverside/nurse", "/account"]);
    assert_eq!(frame["account"]["role_label"], "Nurse");

    let mut admin = Browser::new(&app);
    admin.sign_in("platform@hms.example").await;
    let frame = json(&admin.post("/fn/frame/my_frame", "").await.body);
    assert_eq!(frame["home"], "/platform");

    // Signed out, there is no frame of one's own.
    let nobody = Browser::new(&app).post("/fn/frame/my_frame", "").await;
    assert_eq!(nobody.status, 401, "{}", nobody.body);
}

#[tokio::test]
async fn a_public_page_knows_whether_someone_is_signed_in() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    let mut visitor = Browser::new(&app);
    let out = visitor.post("/fn/frame/signed_in_home", "").await;
    assert_eq!((out.status, out.body.as_str()), (200, "null"));
    visitor.sign_in("doctor@hilltop.example").await;
    let home = visitor.post("/fn/frame/signed_in_home", "").await;
    assert_eq!(home.status, 200, "{}", home.body);
    assert_eq!(json(&home.body), "/c/hilltop/doctor");
}

#[tokio::test]
async fn a_sign_in_is_in_its_clinics_log_under_signed_in() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    Browser::new(&app).sign_in("nurse@riverside.example").await;
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let log = admin
        .post(
            "/fn/audit/clinic_audit_log",
            "slug=riverside&filter%5Buser%5D=nurse&filter%5Bpatient%5D=&filter%5Baction%5D=LOGIN\
             &filter%5Bfrom%5D=&filter%5Bto%5D=&page=1",
        )
        .await;
    assert_eq!(log.status, 200, "{}", log.body);
    let log = json(&log.body);
    let items = log["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{log}");
    assert_eq!(
        items[0]["actor_name"].as_str().map(|n| !n.is_empty()),
        Some(true)
    );
    assert_eq!(items[0]["actor_role"], "nurse");
    assert_eq!(items[0]["occurred_local"]["zone"], "Europe/London");
    // Not in another clinic's log.
    let mut hilltop = Browser::new(&app);
    hilltop.sign_in("admin@hilltop.example").await;
    let theirs = json(
        &hilltop
            .post(
                "/fn/audit/clinic_audit_log",
                "slug=hilltop&filter%5Buser%5D=nurse%40riverside&filter%5Bpatient%5D=\
                 &filter%5Baction%5D=LOGIN&filter%5Bfrom%5D=&filter%5Bto%5D=&page=1",
            )
            .await
            .body,
    );
    assert_eq!(theirs["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn times_in_a_clinics_lists_are_in_its_own_time_zone() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    Browser::new(&app).sign_in("doctor@hilltop.example").await;
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@hilltop.example").await;
    let staff = admin
        .post("/fn/staff/staff_directory", "slug=hilltop&page=1")
        .await;
    assert_eq!(staff.status, 200, "{}", staff.body);
    let staff = json(&staff.body);
    let doctor = staff["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "doctor@hilltop.example")
        .expect("the doctor in the directory");
    // Kolkata is five and a half hours ahead of UTC all year.
    assert_eq!(doctor["last_login"]["zone"], "Asia/Kolkata");
    assert_eq!(doctor["last_login"]["offset_secs"], 19_800);

    // An invitation's link ends at a moment the admin reads in the same zone.
    let invited = admin
        .post(
            "/fn/invitations/invite_staff",
            "slug=hilltop&invitation%5Bemail%5D=ravi%40hilltop.example\
             &invitation%5Bdisplay_name%5D=Ravi+Rao&invitation%5Brole%5D=nurse\
             &invitation%5Bdepartment%5D=",
        )
        .await;
    assert!(invited.status < 400, "{}", invited.body);
    let overview = json(
        &admin
            .post("/fn/invitations/clinic_invitations", "slug=hilltop&page=1")
            .await
            .body,
    );
    let until = &overview["open"]["items"][0]["expires_at"];
    assert_eq!(until["zone"], "Asia/Kolkata");
    assert_eq!(until["offset_secs"], 19_800);
}

#[tokio::test]
async fn the_platform_log_lists_its_admins_page_views_only_when_asked() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    let mut admin = Browser::new(&app);
    admin.sign_in("platform@hms.example").await;
    // Looking at the platform's pages records views of the platform.
    for _ in 0..3 {
        let res = admin
            .post("/fn/platform/platform_dashboard", "page=1")
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
    }
    let list = |views: &'static str| {
        format!(
            "filter%5Buser%5D=&filter%5Bpatient%5D=&filter%5Baction%5D=VIEW&filter%5Bfrom%5D=\
             &filter%5Bto%5D=&filter%5Bviews%5D={views}&clinic=&page=1"
        )
    };
    let hidden = json(
        &admin
            .post("/fn/platform/platform_audit_log", &list(""))
            .await
            .body,
    );
    assert!(
        hidden["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["entity_type"] != "platform"),
        "{hidden}"
    );
    let shown = json(
        &admin
            .post("/fn/platform/platform_audit_log", &list("shown"))
            .await
            .body,
    );
    let views = shown["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entity_type"] == "platform")
        .count();
    assert!(views >= 3, "{shown}");
    // Anything else is refused by its field.
    let bad = admin
        .post("/fn/platform/platform_audit_log", &list("everything"))
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("views"), "{}", bad.body);
}
