//! The booking page before the patient is known (opened from the calendar's
//! "Book appointment" or one of its free times): a patient search whose
//! results book for the one chosen, keeping the department, doctor, day
//! and time already picked.

use leptos::prelude::*;

use crate::app::patients::PatientFinder;
use crate::components::button::{ButtonVariant, LinkButton};
use crate::components::notice::Notice;
use crate::domain::appointments::BookingPage;
use crate::domain::patients::BookingChoice;
use crate::domain::url::with_query;

#[component]
pub fn ChoosePatient(
    slug: String,
    page: BookingPage,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> impl IntoView {
    let choice = BookingChoice {
        department: page.department_id,
        doctor: page.doctor_user_id,
        day: Some(page.day),
        at,
    };
    let keep = choice.query().to_vec();
    let book_for = {
        let (slug, keep) = (slug.clone(), keep.clone());
        Callback::new(move |id: String| {
            let mut pairs = vec![("patient", id.as_str())];
            pairs.extend(keep.iter().map(|(k, v)| (*k, v.as_str())));
            with_query(&format!("/c/{slug}/appointments/new"), &pairs)
        })
    };
    view! {
        <Notice>
            "Who is the appointment for? Search by name, patient number or phone and choose the patient, or register someone new."
        </Notice>
        <div class="mt-4">
            <LinkButton href=format!("/c/{slug}/patients/new") variant=ButtonVariant::Secondary>
                "Register patient"
            </LinkButton>
        </div>
        <PatientFinder from="booking" path="appointments/new".to_string() keep=keep link=book_for />
    }
}
