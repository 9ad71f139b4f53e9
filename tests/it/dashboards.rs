//! The dashboards' cards answer only the roles whose dashboards show them:
//! each card has its own server function, so each checks the role itself
//! (the cross-tenant suite covers other clinics; this covers one's own).

use crate::common;

use common::{Browser, app, seed_demo_clinics, test_db};

const ADMIN_CARDS: [&str; 6] = [
    "patients/patient_count",
    "visits/visits_today",
    "no_show_metrics/no_show_rate_card",
    "staff/staff_count",
    "staff/staff_directory",
    "audit/recent_audit_events",
];
const TEAM_CARDS: [&str; 2] = ["staff/my_department", "patients/recently_viewed_patients"];

#[tokio::test]
async fn each_card_answers_the_roles_whose_dashboard_shows_it_and_refuses_the_rest() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    // (who, may see the admin's cards, may see the team's cards)
    for (who, admin_cards, team_cards) in [
        ("admin", true, true),
        ("doctor", false, true),
        ("lab", false, true),
        ("nurse", false, true),
        ("reception", false, false),
        ("patient", false, false),
    ] {
        let mut b = Browser::new(&app);
        b.sign_in(&format!("{who}@riverside.example")).await;
        let cards = ADMIN_CARDS
            .iter()
            .map(|c| (c, admin_cards))
            .chain(TEAM_CARDS.iter().map(|c| (c, team_cards)));
        for (card, allowed) in cards {
            let res = b
                .post(&format!("/fn/{card}"), "slug=riverside&page=1")
                .await;
            let expected = if allowed { 200 } else { 403 };
            assert_eq!(res.status, expected, "{who} → {card}: {}", res.body);
        }
    }
}

#[tokio::test]
async fn a_card_refuses_a_malformed_call() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    // No clinic named, a page that is not a number, an unknown clinic.
    let missing = admin.post("/fn/staff/staff_directory", "page=1").await;
    assert_eq!(missing.status, 400, "{}", missing.body);
    let bad_page = admin
        .post("/fn/staff/staff_directory", "slug=riverside&page=two")
        .await;
    assert_eq!(bad_page.status, 400, "{}", bad_page.body);
    let unknown = admin
        .post("/fn/patients/patient_count", "slug=nowhere")
        .await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);
}
