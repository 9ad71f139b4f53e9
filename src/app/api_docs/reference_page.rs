//! The reference page: how to sign in, then every operation by area, then
//! every schema, with a table of contents to jump about.

use leptos::prelude::*;
use leptos_meta::Title;

use super::operation::{Operation, method_badge};
use super::parts::{CODE, LINK, Prose};
use super::read_api_reference;
use super::schema::Schema;
use crate::app::frame::{Loaded, PublicFrame};
use crate::domain::api::reference::{ApiReference, OperationGroup};

const OPENAPI_DOCUMENT: &str = "/api/v1/openapi.json";

#[component]
pub fn ApiReferencePage() -> impl IntoView {
    let reference = Resource::new(|| (), |_| read_api_reference());
    view! {
        <Title text="API reference" />
        <PublicFrame>
            <Loaded
                data=reference
                loading="Loading the API reference…"
                rows=6
                render=reference_view
            />
        </PublicFrame>
    }
}

fn reference_view(r: ApiReference) -> impl IntoView {
    let contents = r.groups.iter().map(contents_entry).collect_view();
    let groups = r.groups.into_iter().map(group_view).collect_view();
    let schemas = r
        .schemas
        .into_iter()
        .map(|schema| view! { <Schema schema=schema /> })
        .collect_view();
    view! {
        <div class="flex flex-col gap-8">
            <header class="flex flex-col gap-3">
                <h1 class="text-3xl font-bold text-slate-900">
                    {format!("{} reference", r.title)}
                </h1>
                <p class="text-slate-700">
                    {format!("Version {}, under ", r.version)} <code class=CODE>"/api/v1"</code> "."
                </p>
                <Prose text=r.description />
                <p class="text-slate-700">
                    "This page is read from the API's OpenAPI 3.1 document, which tools can "
                    "load to generate a client: "
                    <a href=OPENAPI_DOCUMENT rel="external" class=link_class()>
                        "download the OpenAPI document"
                    </a> "."
                </p>
            </header>
            <nav
                aria-labelledby="api-contents"
                class="rounded-xl border border-slate-200 bg-white p-4 md:p-6"
            >
                <h2 id="api-contents" class="mb-2 text-lg font-semibold text-slate-900">
                    "Contents"
                </h2>
                <ul class="flex flex-col gap-4">
                    {contents} <li>
                        <a href="#schemas" class=link_class()>
                            "Schemas"
                        </a>
                    </li>
                </ul>
            </nav>
            {groups}
            <section
                id="schemas"
                aria-labelledby="schemas-heading"
                class="flex scroll-mt-20 flex-col gap-4"
            >
                <h2 id="schemas-heading" class="text-2xl font-bold text-slate-900">
                    "Schemas"
                </h2>
                <p class="text-slate-700">
                    "The bodies the operations send and answer. A field marked required is always "
                    "there in an answer, and must be in a request."
                </p>
                {schemas}
            </section>
        </div>
    }
}

fn link_class() -> String {
    format!(
        "inline-flex min-h-11 items-center {LINK} {}",
        crate::components::FOCUS_RING
    )
}

/// A group's name as a heading: "patients" → "Patients".
fn group_title(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn group_anchor(name: &str) -> String {
    format!("group-{name}")
}

fn contents_entry(group: &OperationGroup) -> impl IntoView + use<> {
    let operations = group
        .operations
        .iter()
        .map(|op| {
            view! {
                <li class="flex flex-wrap items-center gap-2">
                    {method_badge(op.method.clone())}
                    <a href=format!("#{}", op.anchor) class=link_class()>
                        {op.path.clone()}
                    </a> <span class="text-sm text-slate-700">{op.summary.clone()}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <li>
            <a href=format!("#{}", group_anchor(&group.name)) class=link_class()>
                {group_title(&group.name)}
            </a>
            <ul class="ml-4 flex flex-col">{operations}</ul>
        </li>
    }
}

fn group_view(group: OperationGroup) -> impl IntoView {
    let anchor = group_anchor(&group.name);
    let heading_id = format!("{anchor}-heading");
    let operations = group
        .operations
        .into_iter()
        .map(|op| view! { <Operation op=op /> })
        .collect_view();
    view! {
        <section
            id=anchor
            aria-labelledby=heading_id.clone()
            class="flex scroll-mt-20 flex-col gap-4"
        >
            <h2 id=heading_id.clone() class="text-2xl font-bold text-slate-900">
                {group_title(&group.name)}
            </h2>
            <Prose text=group.description />
            {operations}
        </section>
    }
}
