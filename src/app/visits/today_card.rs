//! "Today" on the clinic admin's dashboard: visits, those waiting now and
//! the average wait, in all and by department.

use leptos::prelude::*;

use super::visits_today;
use crate::app::frame::{Loaded, use_slug};
use crate::components::card::Card;
use crate::components::data_table::{Column, DataTable};
use crate::components::stat_tile::StatTile;
use crate::domain::paging::SortDirection;
use crate::domain::visits::DepartmentDay;

fn minutes(m: Option<f64>) -> String {
    m.map_or_else(|| "—".to_string(), |m| format!("{} min", m.round()))
}

#[component]
pub fn TodayCard() -> impl IntoView {
    let slug = use_slug();
    let data = Resource::new(move || slug.get(), visits_today);
    view! {
        <Card title="Today" class="mt-4">
            <Loaded
                data=data
                loading="Loading today's visits…"
                render=|days| view! { <Today days=days /> }
            />
        </Card>
    }
}

#[component]
fn Today(days: Vec<DepartmentDay>) -> impl IntoView {
    let visits: i64 = days.iter().map(|d| d.visits).sum();
    let waiting: i64 = days.iter().map(|d| d.waiting).sum();
    // Weighted by each department's completed and called visits would need
    // their counts; the busiest departments dominate a clinic's wait anyway,
    // so the overall figure is the mean over departments that called anyone.
    let waits: Vec<f64> = days.iter().filter_map(|d| d.average_wait_minutes).collect();
    let overall = (!waits.is_empty()).then(|| waits.iter().sum::<f64>() / waits.len() as f64);
    let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
    view! {
        <div class="grid grid-cols-1 gap-3 md:grid-cols-3">
            <StatTile label="Visits today" value=visits.to_string() />
            <StatTile label="Waiting now" value=waiting.to_string() />
            <StatTile
                label="Average wait"
                value=minutes(overall)
                hint="From check-in to being called"
            />
        </div>
        <div class="mt-4">
            <DataTable
                caption="Today by department"
                columns=vec![
                    Column::plain("Department"),
                    Column::plain("Visits"),
                    Column::plain("Waiting"),
                    Column::plain("Completed"),
                    Column::plain("Average wait"),
                ]
                sort_key=""
                sort_dir=SortDirection::Asc
                sort_href=no_sort
            >
                {days
                    .into_iter()
                    .map(|d| {
                        view! {
                            <tr>
                                <td data-label="Department">{d.department}</td>
                                <td data-label="Visits" class="tabular-nums">
                                    {d.visits}
                                </td>
                                <td data-label="Waiting" class="tabular-nums">
                                    {d.waiting}
                                </td>
                                <td data-label="Completed" class="tabular-nums">
                                    {d.completed}
                                </td>
                                <td data-label="Average wait" class="tabular-nums">
                                    {minutes(d.average_wait_minutes)}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </DataTable>
        </div>
    }
}
