//! `/c/{slug}/appointments/week`: the clinic's appointments Monday to
//! Sunday, a column a day on a wide screen and a day under another on a
//! tablet, filtered by department and doctor with a plain GET form (the
//! week moves by links). Each day leads to its day view, which lists them
//! all and where the front desk books, moves and checks in.

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::appointments_of_week;
use super::calendar_controls::CalendarControls;
use super::status::status_tone;
use crate::app::frame::{AccessError, use_slug};
use crate::components::badge::Badge;
use crate::components::button::{ButtonVariant, LinkButton};
use crate::components::skeleton::Skeleton;
use crate::domain::appointments::{AppointmentStatus, AppointmentWeek, WeekDay};
use crate::domain::url::with_query;

#[component]
pub fn AppointmentWeekPage() -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let get = move |k: &'static str| Memo::new(move |_| q.with(|m| m.get(k).unwrap_or_default()));
    let (day, department, doctor) = (get("day"), get("department"), get("doctor"));
    let data = Resource::new(
        move || (slug.get(), day.get(), department.get(), doctor.get()),
        |(s, d, dep, doc)| appointments_of_week(s, d, dep, doc),
    );
    view! {
        <Title text="Appointments this week" />
        <h1 class="text-3xl font-bold text-slate-900">"Appointments by week"</h1>
        <Suspense fallback=|| {
            view! { <Skeleton rows=8 label="Loading the week…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(w) => view! { <WeekView week=w /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn WeekView(week: AppointmentWeek) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let here = format!("/c/{slug}/appointments/week");
    let day_view = format!("/c/{slug}/appointments");
    let dep = week
        .department_id
        .map(|d| d.to_string())
        .unwrap_or_default();
    let doc = week
        .doctor_user_id
        .map(|d| d.to_string())
        .unwrap_or_default();
    let link = {
        let (dep, doc) = (dep.clone(), doc.clone());
        move |base: &str, d: NaiveDate| {
            with_query(
                base,
                &[
                    ("day", &d.to_string()),
                    ("department", &dep),
                    ("doctor", &doc),
                ],
            )
        }
    };
    let (previous, this, next) = (
        link(&here, week.monday - Duration::days(7)),
        link(&here, week.today),
        link(&here, week.monday + Duration::days(7)),
    );
    let sunday = week.monday + Duration::days(6);
    let heading = format!(
        "{} to {}",
        week.monday.format("%a %-d %b"),
        sunday.format("%a %-d %b %Y")
    );
    let one_doctor = week.doctor_user_id.is_some();
    let today = week.today;
    let days = week.days;
    view! {
        <div class="mt-3 flex flex-wrap items-center gap-3">
            <LinkButton href=link(&day_view, today) variant=ButtonVariant::Secondary>
                "Day view"
            </LinkButton>
        </div>
        <CalendarControls
            title="Week"
            action=here.clone()
            day_label="Any day of the week"
            day=week.monday.to_string()
            departments=week.departments
            department=dep
            doctor=doc
            steps_label="Weeks"
            steps=[(previous, "Previous week"), (this, "This week"), (next, "Next week")]
        />
        <section aria-labelledby="week-title" class="mt-6">
            <h2 id="week-title" class="text-2xl font-bold text-slate-900">
                {heading}
            </h2>
            <div class="mt-3 grid gap-3 md:grid-cols-2 xl:grid-cols-7">
                {days
                    .into_iter()
                    .map(|d| {
                        let href = link(&day_view, d.day);
                        view! {
                            <DayColumn
                                day=d
                                today=today
                                href=href
                                slug=slug.clone()
                                one_doctor=one_doctor
                            />
                        }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}

/// One day: its heading (a link to the day view), then its appointments.
#[component]
fn DayColumn(
    day: WeekDay,
    today: NaiveDate,
    href: String,
    slug: String,
    one_doctor: bool,
) -> impl IntoView {
    let label = day.day.format("%a %-d %b").to_string();
    let is_today = day.day == today;
    let more = day.total - day.appointments.len() as i64;
    let count = match day.total {
        0 => "Nothing booked".to_string(),
        1 => "1 appointment".to_string(),
        n => format!("{n} appointments"),
    };
    view! {
        <section
            aria-label=if is_today { format!("Today, {label}") } else { label.clone() }
            class=format!(
                "min-w-0 rounded-xl border bg-white p-3 {}",
                if is_today { "border-teal-700 border-2" } else { "border-slate-200" },
            )
        >
            <h3 class="font-semibold text-slate-900">
                <a href=href.clone() class="text-teal-800 underline">
                    {if is_today { format!("Today, {label}") } else { label.clone() }}
                </a>
            </h3>
            <p class="text-sm text-slate-700">{count}</p>
            <ul class="mt-2 flex flex-col gap-2">
                {day
                    .appointments
                    .into_iter()
                    .map(|a| {
                        let open = format!("/c/{slug}/appointments/{}", a.id);
                        view! {
                            <li class="min-w-0 rounded-lg border border-slate-200 p-2 text-sm [overflow-wrap:anywhere]">
                                <time
                                    datetime=a.starts.machine()
                                    class="font-semibold text-slate-900"
                                >
                                    {a.starts.clock()}
                                </time>
                                " "
                                <a href=open class="font-semibold text-teal-800 underline">
                                    {a.patient_name.clone()}
                                </a>
                                {(!one_doctor)
                                    .then(|| {
                                        view! {
                                            <span class="block text-slate-700">{a.doctor.clone()}</span>
                                        }
                                    })}
                                {(a.status != AppointmentStatus::Booked)
                                    .then(|| {
                                        view! {
                                            <span class="mt-1 block">
                                                <Badge tone=status_tone(a.status)>{a.status.label()}</Badge>
                                            </span>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {(more > 0)
                .then(|| {
                    view! {
                        <a
                            href=href
                            class="mt-2 inline-block text-sm font-semibold text-teal-800 underline"
                        >
                            {format!("{more} more on the day view")}
                        </a>
                    }
                })}
        </section>
    }
}
