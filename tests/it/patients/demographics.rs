//! Changing a record after registration, through the server functions the
//! edit page and the portal's contact page post to: the front desk's edit
//! (before/after audited, a stale copy refused), the patient's own contact
//! details (nothing else, nobody else's), and bad or unauthorised input
//! refused with nothing written.

use crate::common;

use super::registration::{desk, encode, form, landed_on};
use common::{Browser, TestDb, count, demo_app};
use hms::domain::role::Role;
use hms::server::tenancy::{self, ClinicScope};

/// What a refused save must not change: the register's last change and
/// the UPDATE events about patients.
async fn written(t: &TestDb) -> (String, i64) {
    let last: String = sqlx::query_scalar("select max(updated_at)::text from patients")
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    let updates = count(
        t,
        "select count(*) from audit_events where action = 'UPDATE' and entity_type = 'patient'",
    )
    .await;
    (last, updates)
}

/// A patient registered with an Aadhaar number, and the desk that did it.
async fn registered(app: &axum::Router) -> (Browser, uuid::Uuid) {
    let mut desk = desk(app).await;
    let res = desk
        .post(
            "/fn/patients/register_patient",
            &form(
                "Kavya",
                "Menon",
                &[
                    ("phone", "+91 98450 11111"),
                    ("city", "Kochi"),
                    ("id_type", "aadhaar"),
                    ("id_number", "2345 6789 0124"),
                ],
            ),
        )
        .await;
    let id = landed_on(&res);
    (desk, id)
}

/// The edit form's JSON for the record.
async fn edit_form(b: &mut Browser, id: uuid::Uuid) -> serde_json::Value {
    let res = b
        .post(
            "/fn/patients/edit_patient_form",
            &format!("slug=riverside&id={id}"),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    serde_json::from_str(&res.body).unwrap()
}

/// The record's version, as the edit form hands it out.
async fn version_of(b: &mut Browser, id: uuid::Uuid) -> String {
    edit_form(b, id).await["version"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A save's body: the registration form's fields plus the record and its
/// version.
fn save(id: uuid::Uuid, version: &str, extra: &[(&str, &str)]) -> String {
    let mut fields = vec![
        ("phone", "+91 98450 11111"),
        ("city", "Kochi"),
        ("id_type", "aadhaar"),
        ("id_number", "2345 6789 0124"),
    ];
    for (k, v) in extra {
        fields.retain(|(f, _)| f != k);
        fields.push((k, v));
    }
    format!(
        "{}&id={id}&version={}",
        form("Kavya", "Menon", &fields),
        encode(version)
    )
}

#[tokio::test]
async fn the_front_desk_edits_a_record_and_the_audit_keeps_what_changed() {
    let (t, app) = demo_app().await;
    let (mut desk, id) = registered(&app).await;
    let page = edit_form(&mut desk, id).await;
    // The one editing sees the document's number whole; the read says so.
    assert_eq!(page["typed"]["id_number"], "234567890124");
    assert_eq!(page["typed"]["city"], "Kochi");
    assert_eq!(
        count(
            &t,
            &format!(
                "select count(*) from audit_events where action = 'VIEW' and entity_id = '{id}'
                 and after_value->>'purpose' = 'edit' and after_value->>'id_number_shown' = 'true'"
            )
        )
        .await,
        1
    );
    let version = page["version"].as_str().unwrap().to_string();
    let res = desk
        .post(
            "/fn/patients/save_patient_details",
            &save(
                id,
                &version,
                &[("phone", "+91 98450 22222"), ("city", "Thrissur")],
            ),
        )
        .await;
    assert_eq!(
        res.header("location"),
        format!("/c/riverside/patients/{id}?updated=1"),
        "{}",
        res.body
    );
    let (phone, city): (String, String) =
        sqlx::query_as("select phone, city from patients where id = $1")
            .bind(id)
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    assert_eq!(
        (phone.as_str(), city.as_str()),
        ("+91 98450 22222", "Thrissur")
    );
    // One UPDATE, holding exactly what changed, before and after.
    let (before, after, role): (serde_json::Value, serde_json::Value, String) = sqlx::query_as(
        "select before_value, after_value, actor_role from audit_events
         where action = 'UPDATE' and entity_type = 'patient' and entity_id = $1",
    )
    .bind(id.to_string())
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(
        before,
        serde_json::json!({"phone": "+91 98450 11111", "city": "Kochi"})
    );
    assert_eq!(
        after,
        serde_json::json!({"phone": "+91 98450 22222", "city": "Thrissur"})
    );
    assert_eq!(role, "receptionist");
    // Saving the form unchanged writes nothing more.
    let version = version_of(&mut desk, id).await;
    let before = written(&t).await;
    let res = desk
        .post(
            "/fn/patients/save_patient_details",
            &save(
                id,
                &version,
                &[("phone", "+91 98450 22222"), ("city", "Thrissur")],
            ),
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    assert_eq!(written(&t).await, before);
}

#[tokio::test]
async fn a_new_document_is_sealed_and_hashed_again_and_the_audit_masks_it() {
    let (t, app) = demo_app().await;
    let (mut desk, id) = registered(&app).await;
    let version = version_of(&mut desk, id).await;
    let res = desk
        .post(
            "/fn/patients/save_patient_details",
            &save(
                id,
                &version,
                &[("id_type", "pan"), ("id_number", "abcde1234f")],
            ),
        )
        .await;
    assert!(
        res.header("location").ends_with("?updated=1"),
        "{}",
        res.body
    );
    let page = edit_form(&mut desk, id).await;
    assert_eq!(page["typed"]["id_type"], "pan");
    assert_eq!(page["typed"]["id_number"], "ABCDE1234F");
    // The new document finds the record; neither number is in the trail.
    let res = desk
        .post(
            "/fn/patients/register_patient",
            &form(
                "Someone",
                "Else",
                &[("id_type", "pan"), ("id_number", "ABCDE1234F")],
            ),
        )
        .await;
    assert!(
        res.header("location").ends_with("#possible-duplicates"),
        "{}",
        res.body
    );
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events
             where after_value::text like '%ABCDE1234F%' or before_value::text like '%234567890124%'"
        )
        .await,
        0
    );
    let after: serde_json::Value = sqlx::query_scalar(
        "select after_value from audit_events where action = 'UPDATE' and entity_id = $1",
    )
    .bind(id.to_string())
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(after["id_type"], "pan");
    assert_eq!(after["id_number"], "•••• 234F");
    assert_eq!(after["id_number_changed"], true);
}

#[tokio::test]
async fn an_edit_from_a_stale_copy_is_refused_and_the_form_shows_the_record() {
    let (t, app) = demo_app().await;
    let (mut desk, id) = registered(&app).await;
    let mut colleague = Browser::new(&app);
    colleague.sign_in("reception@riverside.example").await;
    let mine = version_of(&mut desk, id).await;
    let theirs = version_of(&mut colleague, id).await;
    let res = colleague
        .post(
            "/fn/patients/save_patient_details",
            &save(id, &theirs, &[("city", "Kottayam")]),
        )
        .await;
    assert!(
        res.header("location").ends_with("?updated=1"),
        "{}",
        res.body
    );
    let before = written(&t).await;
    let res = desk
        .post(
            "/fn/patients/save_patient_details",
            &save(id, &mine, &[("city", "Alappuzha")]),
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(
        res.body.contains("Someone else changed this record"),
        "{}",
        res.body
    );
    assert_eq!(written(&t).await, before);
    // The form opens on the record as it now is, with its new version.
    let page = edit_form(&mut desk, id).await;
    assert_eq!(page["typed"]["city"], "Kottayam");
    assert_ne!(page["version"].as_str().unwrap(), mine);
}

#[tokio::test]
async fn bad_or_unauthorised_edits_are_refused_by_the_field_and_write_nothing() {
    let (t, app) = demo_app().await;
    let (mut desk, id) = registered(&app).await;
    let version = version_of(&mut desk, id).await;
    let hilltop: uuid::Uuid = sqlx::query_scalar(
        "select p.id from patients p join clinics c on c.id = p.clinic_id
         where c.slug = 'hilltop' limit 1",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    let before = written(&t).await;
    let huge = "x".repeat(5000);
    for (field, body) in [
        (
            "date_of_birth",
            save(id, &version, &[("date_of_birth", "2999-01-01")]),
        ),
        ("email", save(id, &version, &[("email", "kavya@")])),
        (
            "id_number",
            save(id, &version, &[("id_number", "2345 6789 0123")]),
        ),
        ("address", save(id, &version, &[("address", &huge)])),
        (
            "emergency_contact_phone",
            save(id, &version, &[("emergency_contact_name", "Anil")]),
        ),
        ("form", save(id, "yesterday", &[("city", "Kollam")])),
    ] {
        let res = desk.post("/fn/patients/save_patient_details", &body).await;
        assert_eq!(res.status, 422, "{field}: {}", res.body);
        assert!(
            res.body.contains(&format!("\"field\":\"{field}\"")),
            "{field}: {}",
            res.body
        );
    }
    // A refused save comes back as typed (for the page without JavaScript).
    assert_eq!(
        edit_form(&mut desk, id).await["typed"]["emergency_contact_name"],
        "Anil"
    );
    // No such record here: another clinic's, or none at all.
    for other in [hilltop, uuid::Uuid::now_v7()] {
        let res = desk
            .post(
                "/fn/patients/save_patient_details",
                &save(other, &version, &[]),
            )
            .await;
        assert_eq!(res.status, 404, "{}", res.body);
        let res = desk
            .post(
                "/fn/patients/edit_patient_form",
                &format!("slug=riverside&id={other}"),
            )
            .await;
        assert_eq!(res.status, 404, "{}", res.body);
    }
    // Only the front desk edits; the portal patient and the signed-out do not.
    for who in [
        "doctor@riverside.example",
        "nurse@riverside.example",
        "patient@riverside.example",
    ] {
        let mut b = Browser::new(&app);
        b.sign_in(who).await;
        let res = b
            .post(
                "/fn/patients/save_patient_details",
                &save(id, &version, &[("city", "Kollam")]),
            )
            .await;
        assert_eq!(res.status, 403, "{who}: {}", res.body);
    }
    let res = Browser::new(&app)
        .post(
            "/fn/patients/save_patient_details",
            &save(id, &version, &[]),
        )
        .await;
    assert_eq!(res.status, 401, "{}", res.body);
    assert_eq!(written(&t).await, before);
}

/// The portal contact form's body.
fn contact(extra: &[(&str, &str)]) -> String {
    let mut fields = vec![
        ("phone", "+44 7700 900123"),
        ("email", "me@example.org"),
        ("address", "1 River Lane"),
        ("city", "Riverside"),
        ("postal_code", "RV1 2AB"),
        ("emergency_contact_name", "Sam Green"),
        ("emergency_contact_phone", "+44 7700 900456"),
        ("emergency_contact_relationship", "Partner"),
    ];
    for (k, v) in extra {
        fields.retain(|(f, _)| f != k);
        fields.push((k, v));
    }
    let mut body = "slug=riverside".to_string();
    for (k, v) in fields {
        body.push_str(&format!("&patient%5B{k}%5D={}", encode(v)));
    }
    body
}

async fn own_record(t: &TestDb) -> uuid::Uuid {
    sqlx::query_scalar(
        "select p.id from patients p join users u on u.id = p.user_id
         where u.email = 'patient@riverside.example'",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_patient_updates_their_own_contact_details_and_nothing_else() {
    let (t, app) = demo_app().await;
    let mine = own_record(&t).await;
    let (name_before, others_before): (String, String) = sqlx::query_as(
        "select given_name || family_name || date_of_birth,
                (select string_agg(phone, ',' order by id) from patients where id <> $1)
         from patients where id = $1",
    )
    .bind(mine)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    let mut me = Browser::new(&app);
    me.sign_in("patient@riverside.example").await;
    let res = me
        .post("/fn/portal/own_contact_form", "slug=riverside")
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    // A name or a birth date sent along is not a contact detail: ignored.
    let res = me
        .post(
            "/fn/portal/save_own_contact",
            &format!(
                "{}&patient%5Bgiven_name%5D=Mallory&given_name=Mallory",
                contact(&[])
            ),
        )
        .await;
    assert_eq!(
        res.header("location"),
        "/c/riverside/my-records?updated=1",
        "{}",
        res.body
    );
    let (phone, email, relationship, name_after, others_after): (
        String,
        Option<String>,
        String,
        String,
        String,
    ) = sqlx::query_as(
        "select phone, email, emergency_contact_relationship,
                given_name || family_name || date_of_birth,
                (select string_agg(phone, ',' order by id) from patients where id <> $1)
         from patients where id = $1",
    )
    .bind(mine)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(phone, "+44 7700 900123");
    assert_eq!(email.as_deref(), Some("me@example.org"));
    assert_eq!(relationship, "Partner");
    assert_eq!(name_after, name_before);
    assert_eq!(others_after, others_before);
    let (role, after): (String, serde_json::Value) = sqlx::query_as(
        "select actor_role, after_value from audit_events
         where action = 'UPDATE' and entity_type = 'patient' and entity_id = $1",
    )
    .bind(mine.to_string())
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(role, "patient");
    assert_eq!(after["phone"], "+44 7700 900123");
    assert!(after.get("given_name").is_none(), "{after}");
}

#[tokio::test]
async fn bad_or_unauthorised_contact_details_are_refused_and_write_nothing() {
    let (t, app) = demo_app().await;
    let mut me = Browser::new(&app);
    me.sign_in("patient@riverside.example").await;
    let before = written(&t).await;
    let long = "x".repeat(400);
    for (field, body) in [
        ("phone", contact(&[("phone", "ring me")])),
        ("email", contact(&[("email", "me@")])),
        ("address", contact(&[("address", &long)])),
        ("postal_code", contact(&[("postal_code", "RV1 <2AB>")])),
        (
            "emergency_contact_phone",
            contact(&[("emergency_contact_phone", "")]),
        ),
    ] {
        let res = me.post("/fn/portal/save_own_contact", &body).await;
        assert_eq!(res.status, 422, "{field}: {}", res.body);
        assert!(
            res.body.contains(&format!("\"field\":\"{field}\"")),
            "{field}: {}",
            res.body
        );
    }
    // Staff have no "own" record to change this way.
    let mut desk = Browser::new(&app);
    desk.sign_in("reception@riverside.example").await;
    let res = desk
        .post("/fn/portal/save_own_contact", &contact(&[]))
        .await;
    assert_eq!(res.status, 403, "{}", res.body);
    let res = Browser::new(&app)
        .post("/fn/portal/save_own_contact", &contact(&[]))
        .await;
    assert_eq!(res.status, 401, "{}", res.body);
    assert_eq!(written(&t).await, before);
}

#[tokio::test]
async fn the_database_lets_a_patient_change_their_contact_details_only() {
    let (t, _app) = demo_app().await;
    let mine = own_record(&t).await;
    let (clinic, me): (uuid::Uuid, uuid::Uuid) =
        sqlx::query_as("select clinic_id, user_id from patients where id = $1")
            .bind(mine)
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    let begin = |role| {
        tenancy::begin_clinic(
            &t.pool,
            ClinicScope {
                clinic_id: clinic,
                user_id: me,
                role,
            },
        )
    };
    // The table itself stays closed to a patient, even their own row.
    let mut tx = begin(Role::Patient).await.unwrap();
    let changed = sqlx::query("update patients set phone = '1' where id = $1")
        .bind(mine)
        .execute(&mut *tx)
        .await
        .map(|r| r.rows_affected());
    assert!(matches!(changed, Ok(0) | Err(_)), "{changed:?}");
    drop(tx);
    // The function changes their row only.
    let mut tx = begin(Role::Patient).await.unwrap();
    let rows: Vec<uuid::Uuid> = sqlx::query_scalar(
        "select patient_id from update_own_contact_details('+44 1', null, '', '', '', '', '', '', '')",
    )
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    assert_eq!(rows, vec![mine]);
    drop(tx);
    // Acting in any other role, it changes nothing.
    let mut tx = begin(Role::Receptionist).await.unwrap();
    let rows: Vec<uuid::Uuid> = sqlx::query_scalar(
        "select patient_id from update_own_contact_details('+44 1', null, '', '', '', '', '', '', '')",
    )
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    assert!(rows.is_empty(), "{rows:?}");
}
