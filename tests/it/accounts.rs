//! A person's own account through the server functions the account page
//! calls: details, password (the current one required; other sessions end),
//! the list of sessions and "sign out other sessions"; bad input refused.

use crate::common;

use common::{Browser, app, seed_demo_clinics, test_db};

const NEW: &str = "amber+kettle+north+wind";

async fn password_hash(t: &common::TestDb, email: &str) -> Option<String> {
    sqlx::query_scalar("select password_hash from users where email = $1")
        .bind(email)
        .fetch_one(&t.owner_pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn details_password_and_sessions_are_the_persons_own_to_manage() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 10).await;
    let app = app(t.pool.clone());
    let mut tablet = Browser::new(&app);
    tablet.sign_in("nurse@riverside.example").await;
    let mut desktop = Browser::new(&app);
    desktop.sign_in("nurse@riverside.example").await;

    let overview = desktop.post("/fn/accounts/my_account", "").await;
    assert_eq!(overview.status, 200, "{}", overview.body);
    assert_eq!(overview.body.matches("\"current\":true").count(), 1);
    assert_eq!(overview.body.matches("\"current\":false").count(), 1);

    let res = desktop
        .post(
            "/fn/accounts/update_profile",
            "profile%5Bdisplay_name%5D=Priya+Nair&profile%5Bphone%5D=%2B44+7700+900123",
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    let (name, phone): (String, String) = sqlx::query_as(
        "select display_name, phone from users where email = 'nurse@riverside.example'",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(
        (name.as_str(), phone.as_str()),
        ("Priya Nair", "+44 7700 900123")
    );

    // A new password: the other session ends, this one stays.
    let res = desktop
        .post(
            "/fn/accounts/change_password",
            &format!("current=hms-demo-password&password={NEW}&confirm={NEW}"),
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    assert_eq!(desktop.get("/c/riverside/nurse").await.status, 200);
    assert_eq!(tablet.get("/c/riverside/nurse").await.status, 303);
    let res = Browser::new(&app)
        .post(
            "/fn/auth/sign_in",
            &format!("email=nurse%40riverside.example&password={NEW}"),
        )
        .await;
    assert!(res.status < 400, "{}", res.body);

    // Sign out the others (the one just opened), keep this one.
    let res = desktop
        .post("/fn/accounts/sign_out_other_sessions", "")
        .await;
    assert!(res.status < 400, "{}", res.body);
    let open: i64 = sqlx::query_scalar(
        "select count(*) from user_sessions s join users u on u.id = s.user_id
         where u.email = 'nurse@riverside.example' and s.ended_at is null",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(open, 1);
    assert_eq!(desktop.get("/c/riverside/nurse").await.status, 200);
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_events where entity_type = 'user' and action in ('UPDATE', 'LOGOUT')
           and after_value is not null and (after_value ? 'display_name' or after_value ? 'password' or after_value ? 'other_sessions_ended')",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(audited, 3);
}

#[tokio::test]
async fn bad_changes_are_refused_by_field_and_change_nothing() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 10).await;
    let app = app(t.pool.clone());
    let mut me = Browser::new(&app);
    me.sign_in("doctor@riverside.example").await;
    let before = password_hash(&t, "doctor@riverside.example").await;
    for (body, field) in [
        (
            format!("current=wrong+password&password={NEW}&confirm={NEW}"),
            "current",
        ),
        (format!("current=&password={NEW}&confirm={NEW}"), "current"),
        (
            "current=hms-demo-password&password=short&confirm=short".to_string(),
            "password",
        ),
        (
            format!("current=hms-demo-password&password={NEW}&confirm=other+words+entirely"),
            "confirm",
        ),
        (
            "current=hms-demo-password&password=hms-demo-password&confirm=hms-demo-password"
                .to_string(),
            "password",
        ),
    ] {
        let res = me.post("/fn/accounts/change_password", &body).await;
        assert_eq!(res.status, 422, "{body}: {}", res.body);
        assert!(res.body.contains(field), "{body}: {}", res.body);
    }
    assert_eq!(before, password_hash(&t, "doctor@riverside.example").await);
    for (body, field) in [
        (
            "profile%5Bdisplay_name%5D=+&profile%5Bphone%5D=",
            "display_name",
        ),
        (
            "profile%5Bdisplay_name%5D=Dr+X&profile%5Bphone%5D=call+me",
            "phone",
        ),
    ] {
        let res = me.post("/fn/accounts/update_profile", body).await;
        assert_eq!(res.status, 422, "{body}: {}", res.body);
        assert!(res.body.contains(field), "{}", res.body);
    }
    let long = format!(
        "profile%5Bdisplay_name%5D={}&profile%5Bphone%5D=",
        "a".repeat(201)
    );
    assert_eq!(
        me.post("/fn/accounts/update_profile", &long).await.status,
        422
    );
    // Nobody signed in: nothing to see or change.
    let mut nobody = Browser::new(&app);
    for endpoint in ["accounts/my_account", "accounts/sign_out_other_sessions"] {
        assert_eq!(
            nobody.post(&format!("/fn/{endpoint}"), "").await.status,
            401,
            "{endpoint}"
        );
    }
    let res = nobody
        .post(
            "/fn/accounts/change_password",
            &format!("current=hms-demo-password&password={NEW}&confirm={NEW}"),
        )
        .await;
    assert_eq!(res.status, 401);
    let refused: i64 = sqlx::query_scalar(
        "select count(*) from audit_events where action = 'ACCESS_DENIED' and entity_type = 'user'",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(refused, 1, "the wrong current password is audited");
}
