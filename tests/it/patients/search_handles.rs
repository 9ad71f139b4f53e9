//! The search form keeps names out of addresses (issue 14, finding 8): it
//! posts what was typed, and the results page's address carries an opaque
//! handle that means something only to the session that made it.

use crate::common::{Browser, app, seed_demo_clinics, test_db};

#[tokio::test]
async fn a_search_without_javascript_lands_on_an_address_without_the_name() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 50).await;
    let app = app(t.pool.clone());
    let mut desk = Browser::new(&app);
    desk.sign_in("reception@riverside.example").await;

    let res = desk
        .post(
            "/fn/patients/start_search",
            "slug=riverside&from=reception&q=Grant",
        )
        .await;
    let results = res.header("location").to_string();
    let handle = results
        .strip_prefix("/c/riverside/reception?s=")
        .unwrap_or_else(|| panic!("{results}"));
    assert_eq!(handle.len(), 32);
    assert!(!results.to_lowercase().contains("grant"), "{results}");

    let page = desk.get(&results).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Oliver Grant"), "the results are there");
    assert!(
        page.body.contains("value=\"Grant\""),
        "the box shows what was typed"
    );
    // Its pages keep the handle, not the name.
    let next = desk
        .post(
            "/fn/patients/search_by_handle",
            &format!("slug=riverside&s={handle}&page=1"),
        )
        .await;
    assert_eq!(next.status, 200, "{}", next.body);
    assert!(next.body.contains("Grant"), "{}", next.body);

    // The same search again reuses its handle.
    let again = desk
        .post(
            "/fn/patients/start_search",
            "slug=riverside&from=reception&q=Grant",
        )
        .await;
    assert_eq!(again.header("location"), results);
    // Nothing typed: back to the page itself.
    let blank = desk
        .post(
            "/fn/patients/start_search",
            "slug=riverside&from=patients&q=+",
        )
        .await;
    assert_eq!(blank.header("location"), "/c/riverside/patients");
}

#[tokio::test]
async fn a_handle_means_nothing_to_another_session() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 50).await;
    let app = app(t.pool.clone());
    let mut desk = Browser::new(&app);
    desk.sign_in("reception@riverside.example").await;
    let results = desk
        .post(
            "/fn/patients/start_search",
            "slug=riverside&from=reception&q=Grant",
        )
        .await
        .header("location")
        .to_string();
    let handle = results.rsplit_once("s=").unwrap().1.to_string();

    let mut colleague = Browser::new(&app);
    colleague.sign_in("reception@riverside.example").await;
    let res = colleague
        .post(
            "/fn/patients/search_by_handle",
            &format!("slug=riverside&s={handle}&page=1"),
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(!res.body.contains("Grant"), "{}", res.body);
    assert!(res.body.contains("Search again"), "{}", res.body);
    // Signing out forgets the searches.
    desk.post("/fn/auth/sign_out", "").await;
    desk.sign_in("reception@riverside.example").await;
    let res = desk.get(&results).await;
    assert!(!res.body.contains("Oliver Grant"), "{}", res.body);
}

#[tokio::test]
async fn bad_searches_are_refused_and_remember_nothing() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    let mut desk = Browser::new(&app);
    desk.sign_in("reception@riverside.example").await;
    let long = "x".repeat(101);
    for (body, status) in [
        (format!("slug=riverside&from=reception&q={long}"), 422),
        ("slug=riverside&from=..%2Fadmin&q=Grant".to_string(), 404),
        ("slug=hilltop&from=reception&q=Grant".to_string(), 404),
    ] {
        let res = desk.post("/fn/patients/start_search", &body).await;
        assert_eq!(res.status, status, "{body}: {}", res.body);
        assert!(res.header("location").is_empty(), "{body}");
    }
    for s in ["smith", "0123456789ABCDEF0123456789ABCDEF", "%00"] {
        let res = desk
            .post(
                "/fn/patients/search_by_handle",
                &format!("slug=riverside&s={s}&page=1"),
            )
            .await;
        assert!(
            [400, 409].contains(&res.status),
            "{s}: {} {}",
            res.status,
            res.body
        );
    }
}

/// The booking page's search (opened from the calendar) comes back to the
/// booking page with the department, doctor, day and time chosen there; a
/// malformed choice is refused.
#[tokio::test]
async fn a_booking_search_keeps_the_booking_choices() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 50).await;
    let app = app(t.pool.clone());
    let mut desk = Browser::new(&app);
    desk.sign_in("reception@riverside.example").await;
    let dep = "01a25397-e173-77f4-9fa8-85acfd681565";
    let res = desk
        .post(
            "/fn/patients/start_search",
            &format!(
                "slug=riverside&from=booking&q=Grant&department={dep}&doctor=&day=2026-12-09\
                 &at=2026-12-09T10%3A30%3A00%2B05%3A30"
            ),
        )
        .await;
    let results = res.header("location").to_string();
    let rest = results
        .strip_prefix("/c/riverside/appointments/new?s=")
        .unwrap_or_else(|| panic!("{results}"));
    assert!(
        rest.contains(&format!(
            "&department={dep}&day=2026-12-09&at=2026-12-09T05"
        )),
        "{results}"
    );
    assert!(!results.to_lowercase().contains("grant"), "{results}");
    // Nothing typed: the booking page with its choices.
    let blank = desk
        .post(
            "/fn/patients/start_search",
            &format!("slug=riverside&from=booking&q=&department={dep}"),
        )
        .await;
    assert_eq!(
        blank.header("location"),
        format!("/c/riverside/appointments/new?department={dep}")
    );
    // The other pages carry nothing.
    let desk_search = desk
        .post(
            "/fn/patients/start_search",
            "slug=riverside&from=reception&q=&day=2026-12-09",
        )
        .await;
    assert_eq!(desk_search.header("location"), "/c/riverside/reception");
    for bad in [
        "department=cardiology",
        "doctor=1",
        "day=9+December",
        "day=2026-02-30",
        "at=10%3A30",
    ] {
        let res = desk
            .post(
                "/fn/patients/start_search",
                &format!("slug=riverside&from=booking&q=Okafor&{bad}"),
            )
            .await;
        assert_eq!(res.status, 422, "{bad}: {}", res.body);
        assert!(res.body.contains("out of date"), "{bad}: {}", res.body);
        assert!(res.header("location").is_empty(), "{bad}");
    }
}
