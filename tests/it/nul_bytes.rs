//! A NUL byte (which PostgreSQL text cannot hold) in a slug or any other
//! text parameter is the caller's mistake: a 4xx, never a 500.

use crate::common;

use common::{Browser, app, get, post_form, seed_demo_clinics, test_db};

use crate::endpoints::{self, Scope};

/// `body` with a NUL byte appended to every value.
fn with_nul_in_every_value(body: &str) -> String {
    body.split('&')
        .map(|pair| format!("{pair}%00"))
        .collect::<Vec<_>>()
        .join("&")
}

#[tokio::test]
async fn a_nul_byte_in_any_clinic_call_is_refused_not_a_server_error() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    let some_id = uuid::Uuid::now_v7().to_string();
    let clinic_calls: Vec<(&str, String)> =
        endpoints::classify(endpoints::registered(), endpoints::ENDPOINTS)
            .unwrap()
            .into_iter()
            .filter_map(|(name, scope)| match scope {
                Scope::Clinic(body) => Some((name, body.to_string())),
                _ => None,
            })
            .collect();
    assert!(clinic_calls.len() >= 29);
    for email in ["admin@riverside.example", "doctor@riverside.example"] {
        let mut b = Browser::new(&app);
        b.sign_in(email).await;
        for (endpoint, template) in &clinic_calls {
            let filled = ["{patient}", "{invitation}", "{member}", "{sso_request}"]
                .iter()
                .fold(template.clone(), |body, p| body.replace(p, &some_id));
            let res = b
                .post(
                    &format!("/fn/{endpoint}"),
                    &filled.replace("{slug}", "river%00side"),
                )
                .await;
            assert_eq!(res.status, 404, "{email} → {endpoint} (slug): {}", res.body);
            let body = with_nul_in_every_value(&filled.replace("{slug}", "riverside"));
            let res = b.post(&format!("/fn/{endpoint}"), &body).await;
            assert!(
                (400..500).contains(&res.status),
                "{email} → {endpoint} ({body}): {} {}",
                res.status,
                res.body
            );
        }
        let res = b.get("/c/river%00side/doctor").await;
        assert_eq!(res.status, 404, "{email}: clinic page");
        let res = b.get("/c/riverside/reception?s=smi%00th").await;
        assert!(res.status < 500, "{email}: search page {}", res.status);
    }
}

#[tokio::test]
async fn a_nul_byte_in_public_and_personal_calls_is_refused_not_a_server_error() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 0).await;
    let app = app(t.pool.clone());
    // Single sign-on needs no sign-in: a NUL slug is just an unknown clinic.
    let unknown = get(&app, "/sso/nowhere/start").await;
    let nul = get(&app, "/sso/river%00side/start").await;
    assert_eq!(unknown.status, 303);
    assert_eq!(nul.status, unknown.status);
    assert!(
        nul.header("location")
            .starts_with("/login?sso=not_configured")
    );
    assert_eq!(get(&app, nul.header("location")).await.status, 200);
    for (endpoint, body) in [
        (
            "auth/sign_in",
            "email=doctor%00%40riverside.example&password=x%00",
        ),
        ("auth/request_password_reset", "email=a%00%40b.example"),
        ("auth/password_reset_status", "token=abc%00"),
        (
            "auth/reset_password",
            "token=abc%00&password=long-enough%00pass",
        ),
        (
            "clinics/list_clinics",
            "q=river%00&sort=name&dir=asc&page=1",
        ),
    ] {
        let res = post_form(&app, &format!("/fn/{endpoint}"), body).await;
        assert!(
            (400..500).contains(&res.status),
            "{endpoint}: {} {}",
            res.status,
            res.body
        );
    }
    let mut b = Browser::new(&app);
    b.sign_in("doctor@riverside.example").await;
    for (endpoint, body) in [
        (
            "accounts/update_profile",
            "profile%5Bdisplay_name%5D=Dr%00Who&profile%5Bphone%5D=",
        ),
        ("auth/choose_clinic", "slug=river%00side&role=doctor"),
    ] {
        let res = b.post(&format!("/fn/{endpoint}"), body).await;
        assert!(
            (400..500).contains(&res.status),
            "{endpoint}: {} {}",
            res.status,
            res.body
        );
    }
}
