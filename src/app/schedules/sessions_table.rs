//! A week of sessions as a form's table: per weekday its sessions and a
//! spare row, so a session is added, changed or cleared without
//! JavaScript. A doctor's weekly hours (with rooms) and the clinic's
//! opening hours (without) both post it as `sessions[i][…]`.

use leptos::prelude::*;

use crate::components::data_table::{Column, DataTable};
use crate::domain::appointments::MAX_ROOM_CHARS;
use crate::domain::paging::SortDirection;
use crate::domain::schedules::{SessionRow, WEEKDAY_NAMES, week_form_rows};

/// `error` gives the message of a field by its name (`sessions[3][ends]`).
#[component]
pub fn SessionsTable(
    caption: &'static str,
    week: Vec<SessionRow>,
    with_room: bool,
    error: Callback<String, Signal<Option<String>>>,
) -> impl IntoView {
    let mut index = 0usize;
    let rows: Vec<_> = (1..=7i16)
        .flat_map(|weekday| {
            let day = WEEKDAY_NAMES[usize::from(weekday.unsigned_abs()) - 1];
            week_form_rows(&week, weekday, 2)
                .into_iter()
                .enumerate()
                .map(|(n, row)| (day, n + 1, row))
                .collect::<Vec<_>>()
        })
        .map(|(day, n, row)| {
            let i = index;
            index += 1;
            (day, i, n, row)
        })
        .collect();
    let mut columns = vec![
        Column::plain("Day"),
        Column::plain("Starts"),
        Column::plain("Ends"),
    ];
    if with_room {
        columns.push(Column::plain("Room"));
    }
    let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
    view! {
        <DataTable
            caption=caption
            columns=columns
            sort_key=""
            sort_dir=SortDirection::Asc
            sort_href=no_sort
        >
            {rows
                .into_iter()
                .map(|(day, i, n, row)| {
                    view! { <SessionRowView day i n row with_room error /> }
                })
                .collect_view()}
        </DataTable>
    }
}

#[component]
fn SessionRowView(
    day: &'static str,
    i: usize,
    n: usize,
    row: SessionRow,
    with_room: bool,
    error: Callback<String, Signal<Option<String>>>,
) -> impl IntoView {
    let input = "min-h-11 w-full rounded-lg border border-slate-400 bg-white px-3 text-base";
    let error = move |part: &'static str| error.run(format!("sessions[{i}][{part}]"));
    let (starts_error, ends_error, room_error) = (error("starts"), error("ends"), error("room"));
    let any_error = move || {
        starts_error
            .get()
            .or_else(|| ends_error.get())
            .or_else(|| room_error.get())
    };
    view! {
        <tr>
            <td data-label="Day" class="font-semibold">
                {if n == 1 { day.to_string() } else { String::new() }}
                <input type="hidden" name=format!("sessions[{i}][weekday]") value=row.weekday />
                <Show when=move || any_error().is_some()>
                    <p role="alert" class="text-sm font-medium text-red-700">
                        {move || any_error()}
                    </p>
                </Show>
            </td>
            <td data-label="Starts">
                <input
                    type="time"
                    name=format!("sessions[{i}][starts]")
                    value=row.starts
                    aria-label=format!("{day}, session {n}, starts")
                    class=input
                />
            </td>
            <td data-label="Ends">
                <input
                    type="time"
                    name=format!("sessions[{i}][ends]")
                    value=row.ends
                    aria-label=format!("{day}, session {n}, ends")
                    class=input
                />
            </td>
            {with_room
                .then(|| {
                    view! {
                        <td data-label="Room">
                            <input
                                type="text"
                                name=format!("sessions[{i}][room]")
                                value=row.room
                                maxlength=MAX_ROOM_CHARS
                                aria-label=format!("{day}, session {n}, room")
                                class=input
                            />
                        </td>
                    }
                })}
        </tr>
    }
}
