//! One operation of the API: what it is called, what it takes, what it
//! answers.

use leptos::prelude::*;

use super::parts::{CODE, Prose, parts_view};
use super::schema::field_row;
use crate::components::badge::{Badge, Tone};
use crate::components::data_table::PlainTable;
use crate::domain::api::reference::{OperationDoc, ResponseDoc};

/// A method's badge: colour helps scanning, the word says it.
pub fn method_badge(method: String) -> impl IntoView {
    let tone = match method.as_str() {
        "GET" => Tone::Info,
        "POST" => Tone::Success,
        "PATCH" | "PUT" => Tone::Warning,
        "DELETE" => Tone::Danger,
        _ => Tone::Neutral,
    };
    view! { <Badge tone=tone>{method}</Badge> }
}

#[component]
pub fn Operation(op: OperationDoc) -> impl IntoView {
    let heading_id = format!("{}-heading", op.anchor);
    let name = format!("{} {}", op.method, op.path);
    let token = if op.needs_token {
        "Needs Authorization: Bearer with an access token."
    } else {
        "Needs no token."
    };
    let body = op.body.map(|b| {
        let required = if b.required { "required" } else { "optional" };
        view! {
            <p class="text-slate-700">
                <span class="font-semibold text-slate-900">"Request body"</span>
                {format!(" ({}, {required}): ", b.content_type)}
                {parts_view(b.ty)}
            </p>
        }
    });
    let parameters = (!op.parameters.is_empty()).then(|| {
        let rows = op
            .parameters
            .into_iter()
            .map(|p| field_row(p, true))
            .collect_view();
        view! {
            <PlainTable
                caption=format!("Parameters of {name}")
                columns=&["Parameter", "In", "Type", "Description"]
            >
                {rows}
            </PlainTable>
        }
    });
    let responses = op.responses.into_iter().map(response_row).collect_view();
    view! {
        <section
            id=op.anchor
            aria-labelledby=heading_id.clone()
            class="flex scroll-mt-20 flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm md:p-6"
        >
            <h3
                id=heading_id.clone()
                class="flex flex-wrap items-center gap-2 text-lg font-semibold text-slate-900"
            >
                {method_badge(op.method)}
                <code class=CODE>{op.path}</code>
            </h3>
            <p class="font-semibold text-slate-900">{op.summary}</p>
            <Prose text=op.description />
            <p class="text-sm text-slate-700">{token}</p>
            {parameters}
            {body}
            <PlainTable caption=format!("Answers of {name}") columns=&["Status", "Meaning", "Body"]>
                {responses}
            </PlainTable>
        </section>
    }
}

fn response_row(r: ResponseDoc) -> impl IntoView {
    let headers = (!r.headers.is_empty()).then(|| {
        view! { <p class="text-sm text-slate-700">{format!("Headers: {}", r.headers.join(", "))}</p> }
    });
    view! {
        <tr>
            <td data-label="Status" class="font-mono tabular-nums">
                {r.status}
            </td>
            <td data-label="Meaning">
                <Prose text=r.description />
                {headers}
            </td>
            <td data-label="Body">{r.ty.map(parts_view)}</td>
        </tr>
    }
}
