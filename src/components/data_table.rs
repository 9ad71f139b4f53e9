//! Tables whose sorting and paging happen on the server: every header and
//! page link is a real URL, so they work without JavaScript and can be
//! bookmarked; with JavaScript the router follows them without a reload.

use leptos::prelude::*;

use crate::domain::local_time::LocalTime;
use crate::domain::paging::{PagePosition, SortDirection};

#[derive(Clone, Debug)]
pub struct Column {
    /// The sort key sent to the server, when the column can be sorted.
    pub sort_key: Option<&'static str>,
    pub label: &'static str,
}

impl Column {
    pub const fn sortable(sort_key: &'static str, label: &'static str) -> Self {
        Self {
            sort_key: Some(sort_key),
            label,
        }
    }

    pub const fn plain(label: &'static str) -> Self {
        Self {
            sort_key: None,
            label,
        }
    }
}

/// `rows` are the `<tr>` elements of the current page.
#[component]
pub fn DataTable(
    #[prop(into)] caption: String,
    columns: Vec<Column>,
    #[prop(into)] sort_key: String,
    sort_dir: SortDirection,
    /// URL for sorting by a key in a direction (back to page 1).
    sort_href: Callback<(String, SortDirection), String>,
    children: Children,
) -> impl IntoView {
    let headers = columns
        .into_iter()
        .map(|col| match col.sort_key {
            Some(key) => {
                let active = key == sort_key;
                let next_dir = if active { sort_dir.flip() } else { SortDirection::Asc };
                let href = sort_href.run((key.to_string(), next_dir));
                let aria_sort = match (active, sort_dir) {
                    (false, _) => "none",
                    (true, SortDirection::Asc) => "ascending",
                    (true, SortDirection::Desc) => "descending",
                };
                let arrow = match (active, sort_dir) {
                    (false, _) => "↕",
                    (true, SortDirection::Asc) => "↑",
                    (true, SortDirection::Desc) => "↓",
                };
                view! {
                    <th scope="col" aria-sort=aria_sort class="px-4 py-2 text-left">
                        <a
                            href=href
                            class=format!(
                                "inline-flex min-h-11 items-center gap-1 font-semibold text-slate-900 hover:text-teal-800 {}",
                                super::FOCUS_RING,
                            )
                        >
                            {col.label}
                            <span aria-hidden="true" class="text-slate-600">
                                {arrow}
                            </span>
                        </a>
                    </th>
                }
                .into_any()
            }
            None => plain_header(col.label).into_any(),
        })
        .collect_view();
    view! {
        <TableRegion caption=caption head=headers>
            {children()}
        </TableRegion>
    }
}

/// A table that only shows: its columns name what each cell holds (and,
/// stacked on a phone, lead each cell through `data-label`).
#[component]
pub fn PlainTable(
    #[prop(into)] caption: String,
    columns: &'static [&'static str],
    children: Children,
) -> impl IntoView {
    let headers = columns
        .iter()
        .map(|label| plain_header(label))
        .collect_view();
    view! {
        <TableRegion caption=caption head=headers>
            {children()}
        </TableRegion>
    }
}

/// A column's name, for a column that cannot be sorted.
fn plain_header(label: &'static str) -> impl IntoView {
    view! {
        <th scope="col" class="px-4 py-2 text-left font-semibold text-slate-900">
            {label}
        </th>
    }
}

/// A table wider than the screen scrolls inside its own region, never
/// the page: the region is named and focusable (keyboard users scroll it
/// with the arrow keys), shadows at its edges show that more lies to the
/// side, and it is `relative` so the rows' visually hidden labels stay
/// inside it instead of widening the page. Below tablet width each row
/// stacks as a card (`stacked-table`); each cell names its column in
/// `data-label`.
#[component]
fn TableRegion(
    caption: String,
    head: impl IntoView + 'static,
    children: Children,
) -> impl IntoView {
    let region_label = format!("{caption} (scrolls sideways when it does not fit)");
    view! {
        <div
            role="region"
            aria-label=region_label
            tabindex="0"
            class=format!(
                "scroll-cue stacked-table relative overflow-x-auto rounded-xl border border-slate-200 {}",
                super::FOCUS_RING,
            )
        >
            <table class="w-full min-w-[36rem] border-collapse text-left">
                <caption class="sr-only">{caption}</caption>
                <thead class="border-b border-slate-200">
                    <tr>{head}</tr>
                </thead>
                // Identifiers, dates and phone numbers (tabular figures) never
                // break; links in cells are 44 px tall touch targets.
                <tbody class="divide-y divide-slate-200 [&_td]:px-4 [&_td]:py-3 [&_td.tabular-nums]:whitespace-nowrap [&_td_a]:inline-flex [&_td_a]:min-h-11 [&_td_a]:items-center">
                    {children()}
                </tbody>
            </table>
        </div>
    }
}

/// A long value in a table cell, such as an email: cut with an ellipsis so
/// the table fits, whole in its tooltip and when the cell is focused or
/// tapped.
#[component]
pub fn LongValue(#[prop(into)] value: String) -> impl IntoView {
    let title = value.clone();
    view! {
        <span
            tabindex="0"
            title=title
            class=format!(
                "block max-w-[16rem] truncate text-sm text-slate-700 focus:max-w-none focus:whitespace-normal focus:break-all {}",
                super::FOCUS_RING,
            )
        >
            {value}
        </span>
    }
}

/// A moment in a table, in its clinic's time zone: compact ("4 Dec 2026
/// 19:35"), the full form with seconds and zone in its tooltip and for
/// screen readers, machine readable in `datetime`.
#[component]
pub fn When(at: LocalTime) -> impl IntoView {
    let full = at.full();
    view! {
        <time datetime=at.machine() title=full.clone() aria-label=full class="whitespace-nowrap">
            {at.compact()}
        </time>
    }
}

/// "Showing 21–40 of 95" with previous and next links.
#[component]
pub fn Pagination(position: PagePosition, href: Callback<u32, String>) -> impl IntoView {
    let PagePosition {
        page,
        total_pages,
        total,
        range,
    } = position;
    let link = move |target: u32, label: &'static str, enabled: bool| {
        let classes = format!(
            "inline-flex min-h-11 min-w-11 items-center rounded-lg border px-4 font-semibold {}",
            super::FOCUS_RING
        );
        if enabled {
            view! {
                <a
                    href=href.run(target)
                    class=format!(
                        "{classes} border-slate-400 bg-white text-slate-900 hover:bg-slate-100",
                    )
                >
                    {label}
                </a>
            }
            .into_any()
        } else {
            view! {
                <span
                    aria-disabled="true"
                    class=format!("{classes} border-slate-200 text-slate-500")
                >
                    {label}
                </span>
            }
            .into_any()
        }
    };
    // An empty list says so itself (its empty state); one page needs no
    // page links, only its count.
    if total == "0" {
        return ().into_any();
    }
    let several = total_pages > 1;
    view! {
        <nav aria-label="Pagination" class="mt-3 flex flex-wrap items-center justify-between gap-3">
            <p class="text-sm text-slate-700" aria-live="polite">
                {
                    let more = if total.ends_with('+') { "+" } else { "" };
                    format!(
                        "Showing {}–{} of {total} · page {page} of {total_pages}{more}",
                        range.0,
                        range.1,
                    )
                }
            </p>
            {several
                .then(|| {
                    view! {
                        <div class="flex gap-2">
                            {link(page.saturating_sub(1).max(1), "Previous", page > 1)}
                            {link(page + 1, "Next", page < total_pages)}
                        </div>
                    }
                })}
        </nav>
    }
    .into_any()
}
