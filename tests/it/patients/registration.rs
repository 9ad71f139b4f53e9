//! Registering patients through the server functions the registration page
//! posts to: numbers the database hands out (distinct under concurrency),
//! the duplicate check and "Register anyway", identity documents sealed,
//! the CREATE event, and bad or unauthorised input refused with nothing
//! written.

use crate::common;

use common::{Browser, TestDb, count, demo_app};
use hms::domain::patients::registration::patient_number;
use sqlx::{Connection, PgConnection};

/// A form body for `register_patient` in Riverside: `extra` overrides or
/// adds fields (`("phone", "…")`).
pub(super) fn form(given: &str, family: &str, extra: &[(&str, &str)]) -> String {
    let mut fields: Vec<(&str, String)> = vec![
        ("given_name", given.into()),
        ("family_name", family.into()),
        ("date_of_birth", "1986-04-12".into()),
        ("sex", "female".into()),
        ("id_type", "none".into()),
    ];
    for (k, v) in extra {
        fields.retain(|(f, _)| f != k);
        fields.push((k, (*v).to_string()));
    }
    let mut body = "slug=riverside".to_string();
    for (k, v) in fields {
        body.push_str(&format!("&patient%5B{k}%5D={}", encode(&v)));
    }
    body
}

pub(super) fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Patients, and CREATE events about patients: what a refusal must not add.
async fn written(t: &TestDb) -> (i64, i64) {
    (
        count(t, "select count(*) from patients").await,
        count(
            t,
            "select count(*) from audit_events where action = 'CREATE' and entity_type = 'patient'",
        )
        .await,
    )
}

pub(super) async fn desk(app: &axum::Router) -> Browser {
    let mut b = Browser::new(app);
    b.sign_in("reception@riverside.example").await;
    b
}

/// The record a registration landed on, from its redirect.
pub(super) fn landed_on(res: &common::TestResponse) -> uuid::Uuid {
    let location = res.header("location");
    assert!(
        location.contains("/c/riverside/patients/") && location.ends_with("?registered=1"),
        "{}: {location} {}",
        res.status,
        res.body
    );
    let id = location
        .rsplit('/')
        .next()
        .unwrap()
        .trim_end_matches("?registered=1");
    id.parse().unwrap()
}

async fn this_year(t: &TestDb) -> i32 {
    count(
        t,
        "select extract(year from now() at time zone 'Europe/London')::bigint",
    )
    .await as i32
}

#[tokio::test]
async fn a_registration_gets_the_next_number_and_lands_on_the_record() {
    let (t, app) = demo_app().await;
    let mut desk = desk(&app).await;
    let year = this_year(&t).await;
    let res = desk
        .post(
            "/fn/patients/register_patient",
            &form(
                "Meera",
                "Iyer",
                &[
                    ("phone", "+91 98450 12345"),
                    ("email", "Meera@Example.org"),
                    ("state", "Karnataka"),
                    ("postal_code", "560001"),
                    ("preferred_language", "Tamil"),
                    ("emergency_contact_name", "Arjun Iyer"),
                    ("emergency_contact_phone", "+91 98450 54321"),
                    ("emergency_contact_relationship", "Brother"),
                    ("id_type", "aadhaar"),
                    ("id_number", "2345 6789 0124"),
                ],
            ),
        )
        .await;
    let id = landed_on(&res);
    let record = desk
        .post(
            "/fn/patients/patient_record",
            &format!("slug=riverside&id={id}"),
        )
        .await;
    assert_eq!(record.status, 200, "{}", record.body);
    let number = patient_number(year, 1);
    for shown in [
        number.as_str(),
        "\"email\":\"meera@example.org\"",
        "\"state\":\"Karnataka\"",
        "\"emergency_contact_relationship\":\"Brother\"",
        "\"id_type\":\"aadhaar\"",
        "\"id_number_masked\":\"•••• 0124\"",
        "\"status\":\"registered\"",
    ] {
        assert!(record.body.contains(shown), "{shown}: {}", record.body);
    }
    assert!(!record.body.contains("234567890124"));
    // The printable label: the number, and the number as a QR code.
    let label = desk
        .post(
            "/fn/patients/print_label",
            &format!("slug=riverside&id={id}"),
        )
        .await;
    assert_eq!(label.status, 200, "{}", label.body);
    assert!(label.body.contains(&patient_number(year, 1)));
    assert!(label.body.contains("\"qr\":\"data:image/svg+xml;base64,"));
    // The second of the year follows; the form is empty again.
    let res = desk
        .post("/fn/patients/register_patient", &form("Ravi", "Kumar", &[]))
        .await;
    let second = landed_on(&res);
    let n: String = sqlx::query_scalar("select patient_number from patients where id = $1")
        .bind(second)
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    assert_eq!(n, patient_number(year, 2));
    let page = desk
        .post("/fn/patients/registration_form", "slug=riverside")
        .await;
    assert!(page.body.contains("\"given_name\":\"\""), "{}", page.body);
    // Created, with who and what; the document masked there too.
    let after: serde_json::Value = sqlx::query_scalar(
        "select after_value from audit_events where action = 'CREATE' and entity_id = $1",
    )
    .bind(id.to_string())
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(after["patient_number"], number.as_str());
    assert_eq!(after["id_number"], "•••• 0124");
    assert_eq!(after["family_name"], "Iyer");
}

/// Each stored session row and the transaction that last wrote it.
async fn session_rows(t: &TestDb) -> Vec<(String, String)> {
    sqlx::query_as("select id, xmin::text from tower_sessions.session order by id")
        .fetch_all(&t.owner_pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_registration_writes_the_session_only_to_keep_or_clear_a_draft() {
    let (t, app) = demo_app().await;
    let mut desk = desk(&app).await;
    // Registered at the first try: no draft was kept, and the session is
    // left as it was (writing it back cost a round trip and a commit).
    let before = session_rows(&t).await;
    landed_on(
        &desk
            .post("/fn/patients/register_patient", &form("Ravi", "Kumar", &[]))
            .await,
    );
    assert_eq!(session_rows(&t).await, before);
    // Refused: what was typed is kept for the next page…
    let refused = desk
        .post(
            "/fn/patients/register_patient",
            &form("Asha", "Rao", &[("date_of_birth", "2999-01-01")]),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let kept = session_rows(&t).await;
    assert_ne!(kept, before);
    let page = desk
        .post("/fn/patients/registration_form", "slug=riverside")
        .await;
    assert!(
        page.body.contains("\"given_name\":\"Asha\""),
        "{}",
        page.body
    );
    // …and cleared once corrected and saved.
    landed_on(
        &desk
            .post("/fn/patients/register_patient", &form("Asha", "Rao", &[]))
            .await,
    );
    assert_ne!(session_rows(&t).await, kept);
    let page = desk
        .post("/fn/patients/registration_form", "slug=riverside")
        .await;
    assert!(page.body.contains("\"given_name\":\"\""), "{}", page.body);
}

#[tokio::test]
async fn a_hundred_registrations_at_once_get_a_hundred_numbers() {
    let (t, app) = demo_app().await;
    let desk = desk(&app).await;
    let cookie = desk.cookie.clone().unwrap();
    let calls: Vec<_> = (0..100)
        .map(|i| {
            let (app, cookie) = (app.clone(), cookie.clone());
            // Distinct people: no possible duplicates between them.
            let body = form("Test", &format!("Concurrent{}", letters(i)), &[]);
            tokio::spawn(async move {
                let req = axum::http::Request::post("/fn/patients/register_patient")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("origin", common::SITE)
                    .header("cookie", cookie)
                    .body(axum::body::Body::from(body))
                    .unwrap();
                common::send(&app, req).await
            })
        })
        .collect();
    // Spawned, they run at once; each is awaited in turn.
    for call in calls {
        landed_on(&call.await.unwrap());
    }
    let year = this_year(&t).await;
    let numbers: Vec<String> = sqlx::query_scalar(
        "select patient_number from patients where patient_number like 'PT-%' order by 1",
    )
    .fetch_all(&t.owner_pool)
    .await
    .unwrap();
    let expected: Vec<String> = (1..=100).map(|n| patient_number(year, n)).collect();
    assert_eq!(numbers, expected);
}

/// "a", "b", … "aa": names are letters only.
fn letters(mut i: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'a' + (i % 26) as u8) as char);
        if i < 26 {
            return s;
        }
        i = i / 26 - 1;
    }
}

#[tokio::test]
async fn numbers_count_per_clinic_and_year_and_grow_past_five_digits() {
    let (t, app) = demo_app().await;
    let year = this_year(&t).await;
    let riverside: uuid::Uuid =
        sqlx::query_scalar("select id from clinics where slug = 'riverside'")
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    sqlx::query(
        "insert into patient_number_counters (clinic_id, year, last_number) values ($1, $2, 99999)",
    )
    .bind(riverside)
    .bind(year)
    .execute(&t.owner_pool)
    .await
    .unwrap();
    let mut desk = desk(&app).await;
    let id = landed_on(
        &desk
            .post("/fn/patients/register_patient", &form("Big", "Number", &[]))
            .await,
    );
    let n: String = sqlx::query_scalar("select patient_number from patients where id = $1")
        .bind(id)
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    assert_eq!(n, patient_number(year, 100_000));
    assert_eq!(n, format!("PT-{year}-100000"));
    // Hilltop's count is its own.
    let mut hill = Browser::new(&app);
    hill.sign_in("reception@hilltop.example").await;
    let res = hill
        .post(
            "/fn/patients/register_patient",
            &form("Asha", "Rao", &[]).replace("slug=riverside", "slug=hilltop"),
        )
        .await;
    assert!(res.header("location").contains("/c/hilltop/patients/"));
    assert_eq!(
        count(
            &t,
            "select count(*) from patients where patient_number like 'PT-%-00001'"
        )
        .await,
        1
    );
}

/// A candidate found by one key while lacking another (here: found by name
/// and birth, with no document or phone of its own) is still shown; the
/// missing key used to come back as null and fail the whole registration.
#[tokio::test]
async fn a_match_without_the_other_keys_is_still_a_possible_duplicate() {
    let (t, app) = demo_app().await;
    let mut desk = desk(&app).await;
    let first = landed_on(
        &desk
            .post(
                "/fn/patients/register_patient",
                &form("Kavya", "Menon", &[]),
            )
            .await,
    );
    let before = written(&t).await;
    let res = desk
        .post(
            "/fn/patients/register_patient",
            &form(
                "Kavya",
                "Menon",
                &[
                    ("phone", "+91 98470 33333"),
                    ("id_type", "passport"),
                    ("id_number", "K1234567"),
                ],
            ),
        )
        .await;
    assert!(
        res.header("location")
            .ends_with("/c/riverside/patients/new#possible-duplicates"),
        "{} {}",
        res.status,
        res.header("location")
    );
    assert_eq!(written(&t).await, before);
    let page = desk
        .post("/fn/patients/registration_form", "slug=riverside")
        .await;
    assert!(page.body.contains(&first.to_string()), "{}", page.body);
    assert!(page.body.contains("SameNameAndBirth"), "{}", page.body);
    assert!(!page.body.contains("SameIdNumber"), "{}", page.body);
}

#[tokio::test]
async fn possible_duplicates_wait_for_a_decision_and_registering_anyway_keeps_the_reason() {
    let (t, app) = demo_app().await;
    let mut desk = desk(&app).await;
    let first = landed_on(
        &desk
            .post(
                "/fn/patients/register_patient",
                &form(
                    "Meera",
                    "Iyer",
                    &[
                        ("phone", "+91 98450 12345"),
                        ("id_type", "passport"),
                        ("id_number", "K1234567"),
                    ],
                ),
            )
            .await,
    );
    // The same phone written another way; the same document; the same
    // family name and birth with a similar given name: each is found.
    for (why, body) in [
        (
            "SamePhone",
            form("Lakshmi", "Menon", &[("phone", "098450 12345")]),
        ),
        (
            "SameIdNumber",
            form(
                "Lakshmi",
                "Menon",
                &[("id_type", "passport"), ("id_number", "k 123 4567")],
            ),
        ),
        ("SameNameAndBirth", form("Mira", "IYER", &[])),
    ] {
        let before = written(&t).await;
        let res = desk.post("/fn/patients/register_patient", &body).await;
        assert!(
            res.header("location")
                .ends_with("/c/riverside/patients/new#possible-duplicates"),
            "{why}: {}",
            res.header("location")
        );
        assert_eq!(
            written(&t).await,
            before,
            "{why}: nothing is registered yet"
        );
        let page = desk
            .post("/fn/patients/registration_form", "slug=riverside")
            .await;
        assert!(
            page.body.contains(&first.to_string()),
            "{why}: {}",
            page.body
        );
        assert!(page.body.contains(why), "{why}: {}", page.body);
        assert!(page.body.contains("\"typed\""), "{}", page.body);
    }
    // A different family name and birth, another phone: no match.
    let other = desk
        .post(
            "/fn/patients/register_patient",
            &form("Meera", "Iyengar", &[("date_of_birth", "1990-01-01")]),
        )
        .await;
    landed_on(&other);

    // Waiting again (same name and birth); registering anyway needs a reason.
    desk.post("/fn/patients/register_patient", &form("Mira", "Iyer", &[]))
        .await;
    let before = written(&t).await;
    let refused = desk
        .post(
            "/fn/patients/register_patient_anyway",
            "slug=riverside&reason=+",
        )
        .await;
    assert!(refused.status >= 300, "{}", refused.status);
    assert_eq!(written(&t).await, before);
    let res = desk
        .post(
            "/fn/patients/register_patient_anyway",
            "slug=riverside&reason=Sisters%2C+born+the+same+day",
        )
        .await;
    let new = landed_on(&res);
    let after: serde_json::Value = sqlx::query_scalar(
        "select after_value from audit_events where action = 'CREATE' and entity_id = $1",
    )
    .bind(new.to_string())
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(
        after["registered_despite_duplicates"]["reason"],
        "Sisters, born the same day"
    );
    assert_eq!(
        after["registered_despite_duplicates"]["shown"][0],
        first.to_string()
    );
    // Nothing waits any more.
    let again = desk
        .post(
            "/fn/patients/register_patient_anyway",
            "slug=riverside&reason=Again",
        )
        .await;
    assert!(!again.header("location").contains("registered=1"));
    assert_eq!(written(&t).await.0, before.0 + 1);
}

#[tokio::test]
async fn documents_are_sealed_and_their_hashes_differ_between_clinics() {
    let (t, app) = demo_app().await;
    let mut rv = desk(&app).await;
    let mut hill = Browser::new(&app);
    hill.sign_in("reception@hilltop.example").await;
    let doc = [("id_type", "pan"), ("id_number", "ABCDE1234F")];
    landed_on(
        &rv.post("/fn/patients/register_patient", &form("Anil", "Shah", &doc))
            .await,
    );
    let res = hill
        .post(
            "/fn/patients/register_patient",
            &form("Anil", "Shah", &doc).replace("slug=riverside", "slug=hilltop"),
        )
        .await;
    // Hilltop's register does not hold Riverside's patient: no duplicate.
    assert!(
        res.header("location").contains("/c/hilltop/patients/"),
        "{}",
        res.header("location")
    );
    let mut su = PgConnection::connect(&common::url_for(&t.name))
        .await
        .unwrap();
    let rows: Vec<(Vec<u8>, Vec<u8>)> = sqlx::query_as(
        "select id_number_sealed, id_number_hash from patients where id_type = 'pan'",
    )
    .fetch_all(&mut su)
    .await
    .unwrap();
    assert_eq!(rows.len(), 2);
    for (sealed, hash) in &rows {
        for bytes in [sealed, hash] {
            assert!(!String::from_utf8_lossy(bytes).contains("1234"));
        }
    }
    assert_ne!(
        rows[0].1, rows[1].1,
        "the same document hashes apart per clinic"
    );
    // Nothing in the audit trail or the session store carries the number.
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where after_value::text like '%ABCDE1234F%'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn bad_input_is_refused_by_the_field_and_writes_nothing() {
    let (t, app) = demo_app().await;
    let mut desk = desk(&app).await;
    let before = written(&t).await;
    let huge = "x".repeat(5000);
    for (field, body) in [
        (
            "date_of_birth",
            form("Ann", "Lee", &[("date_of_birth", "2999-01-01")]),
        ),
        (
            "date_of_birth",
            form("Ann", "Lee", &[("date_of_birth", "1850-01-01")]),
        ),
        ("phone", form("Ann", "Lee", &[("phone", "call me maybe")])),
        ("email", form("Ann", "Lee", &[("email", "ann@")])),
        (
            "id_number",
            form(
                "Ann",
                "Lee",
                &[("id_type", "aadhaar"), ("id_number", "2345 6789 0123")],
            ),
        ),
        ("given_name", form(&huge, "Lee", &[])),
        ("sex", form("Ann", "Lee", &[("sex", "x")])),
    ] {
        let res = desk.post("/fn/patients/register_patient", &body).await;
        assert_eq!(res.status, 422, "{field}: {}", res.body);
        assert!(
            res.body.contains(&format!("\"field\":\"{field}\"")),
            "{field}: {}",
            res.body
        );
    }
    // As a script would: the error itself, typed and by field.
    let res = as_script(
        &app,
        desk.cookie.as_deref(),
        &form("Ann", "Lee", &[("date_of_birth", "2999-01-01")]),
    )
    .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("cannot be in the future"), "{}", res.body);
    // Other roles may not register; signed out is not signed in.
    let mut nurse = Browser::new(&app);
    nurse.sign_in("nurse@riverside.example").await;
    let res = as_script(&app, nurse.cookie.as_deref(), &form("Ann", "Lee", &[])).await;
    assert_eq!(res.status, 403, "{}", res.body);
    let res = as_script(&app, None, &form("Ann", "Lee", &[])).await;
    assert_eq!(res.status, 401, "{}", res.body);
    assert_eq!(written(&t).await, before);
}

/// `register_patient` as a script posts it, asking for JSON: the error's
/// own status and body rather than a redirect back to the form.
async fn as_script(app: &axum::Router, cookie: Option<&str>, body: &str) -> common::TestResponse {
    let mut req = axum::http::Request::post("/fn/patients/register_patient")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("origin", common::SITE);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    common::send(
        app,
        req.body(axum::body::Body::from(body.to_string())).unwrap(),
    )
    .await
}
