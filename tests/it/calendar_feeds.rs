//! A doctor's private calendar feed: the link opens the doctor's own
//! appointments as busy times (no patient, department or reason), is shown
//! once, stops at once when revoked or replaced or when the doctor leaves,
//! and only doctors make one, each their own.

use hms::app::schedules::FeedCard;

use crate::appointments::{called_off, loaded, patients, signed_in};
use crate::common::{self, Browser, count};

async fn card(b: &mut Browser) -> (u16, Option<FeedCard>) {
    let res = b
        .post("/fn/schedules/my_calendar_feed", "slug=riverside")
        .await;
    (res.status, serde_json::from_str(&res.body).ok().flatten())
}

/// Makes a link and reads it back from the page, as the doctor sees it once.
async fn make(b: &mut Browser) -> String {
    let res = b
        .post("/fn/schedules/make_calendar_feed", "slug=riverside")
        .await;
    assert_eq!(
        res.header("location"),
        "/c/riverside/schedule",
        "{}",
        res.body
    );
    let (_, card) = card(b).await;
    let link = card.unwrap().new_link.expect("the link, once");
    link.split_once("/calendar/")
        .map(|(_, rest)| format!("/calendar/{rest}"))
        .unwrap()
}

#[tokio::test]
async fn a_doctors_feed_holds_their_times_only_and_stops_when_revoked() {
    let (t, app) = common::demo_app().await;
    let people = patients(&t, "riverside", 2).await;
    let names: Vec<(String, String)> =
        sqlx::query_as("select given_name, family_name from patients where id = any($1)")
            .bind(&people)
            .fetch_all(&t.owner_pool)
            .await
            .unwrap();
    let ids = loaded(
        &t,
        &[(people[0], 24 * 60), (people[1], 2 * 24 * 60)],
        "routine",
        "Chest pain on stairs",
    )
    .await;
    called_off(&t, ids[1]).await;
    let mut doctor = signed_in(&app, "doctor@riverside.example").await;
    assert_eq!(card(&mut doctor).await.1.unwrap().live_since, None);
    let link = make(&mut doctor).await;
    let shown = card(&mut doctor).await.1.unwrap();
    assert!(shown.live_since.is_some());
    assert_eq!(shown.new_link, None, "shown once");

    let feed = common::get(&app, &link).await;
    assert_eq!(feed.status, 200, "{}", feed.body);
    assert_eq!(feed.header("content-type"), "text/calendar; charset=utf-8");
    assert_eq!(feed.header("cache-control"), "no-store");
    assert!(
        feed.body.starts_with("BEGIN:VCALENDAR\r\n"),
        "{}",
        feed.body
    );
    assert!(
        feed.body
            .contains("X-WR-CALNAME:HMS: appointments at Riverside")
    );
    assert_eq!(
        feed.body.matches("BEGIN:VEVENT").count(),
        1,
        "the cancelled one is not busy"
    );
    assert!(feed.body.contains(&format!("UID:{}-doctor@hms", ids[0])));
    assert!(feed.body.contains("SUMMARY:Appointment"));
    for (given, family) in &names {
        assert!(!feed.body.contains(given.as_str()) && !feed.body.contains(family.as_str()));
    }
    assert!(!feed.body.contains("Chest pain") && !feed.body.contains("General Medicine"));

    // Keys that open nothing.
    for bad in [
        "/calendar/feed.ics",
        "/calendar/feed.ics?key=",
        "/calendar/feed.ics?key=not-a-key",
        &format!("/calendar/feed.ics?key={}", "0".repeat(64)),
    ] {
        assert_eq!(common::get(&app, bad).await.status, 404, "{bad}");
    }
    // A new link replaces the old at once; revoking stops it.
    let again = make(&mut doctor).await;
    assert_eq!(common::get(&app, &link).await.status, 404);
    assert_eq!(common::get(&app, &again).await.status, 200);
    let res = doctor
        .post("/fn/schedules/revoke_calendar_feed", "slug=riverside")
        .await;
    assert_eq!(
        res.header("location"),
        "/c/riverside/schedule",
        "{}",
        res.body
    );
    assert_eq!(common::get(&app, &again).await.status, 404);
    let res = doctor
        .post("/fn/schedules/revoke_calendar_feed", "slug=riverside")
        .await;
    assert_eq!(res.status, 404, "nothing left to revoke");
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where entity_type = 'calendar_feed'"
        )
        .await,
        4,
        "two made, two revoked (one by the new link)"
    );

    // A doctor who leaves the clinic: their link stops.
    let last = make(&mut doctor).await;
    assert_eq!(common::get(&app, &last).await.status, 200);
    sqlx::query(
        "update memberships set active = false
         where user_id = (select id from users where email = 'doctor@riverside.example')",
    )
    .execute(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(common::get(&app, &last).await.status, 404);
}

#[tokio::test]
async fn only_doctors_have_a_feed_and_each_sees_their_own() {
    let (t, app) = common::demo_app().await;
    let mut doctor = signed_in(&app, "doctor@riverside.example").await;
    make(&mut doctor).await;
    let mut colleague = signed_in(&app, "gp2@riverside.example").await;
    assert_eq!(card(&mut colleague).await.1.unwrap().live_since, None);
    let res = colleague
        .post("/fn/schedules/revoke_calendar_feed", "slug=riverside")
        .await;
    assert_eq!(res.status, 404, "not another's");
    for email in [
        "reception@riverside.example",
        "admin@riverside.example",
        "patient@riverside.example",
        "nurse@riverside.example",
    ] {
        let mut b = signed_in(&app, email).await;
        assert_eq!(
            card(&mut b).await,
            (200, None),
            "{email}: no feed, no refusal"
        );
        let res = b
            .post("/fn/schedules/make_calendar_feed", "slug=riverside")
            .await;
        assert_eq!(res.status, 403, "{email}");
    }
    assert_eq!(
        count(
            &t,
            "select count(*) from calendar_feeds where revoked_at is null"
        )
        .await,
        1
    );
}
