//! One schema of the API: its fields, whose types link to other schemas.

use leptos::prelude::*;

use super::parts::{CODE, Prose, name_view, parts_view, rules_view};
use crate::components::data_table::PlainTable;
use crate::domain::api::reference::{FieldDoc, Part, SchemaDoc, schema_anchor};

#[component]
pub fn Schema(schema: SchemaDoc) -> impl IntoView {
    let anchor = schema_anchor(&schema.name);
    let heading_id = format!("{anchor}-heading");
    // "object" says nothing its fields do not; other types are worth a line.
    let plain_object = schema.ty == [Part::Text("object".into())];
    let ty = (!plain_object).then(|| {
        view! { <p class="text-slate-700">"Type: " {parts_view(schema.ty)}</p> }
    });
    let closed = schema.closed.then(|| {
        view! {
            <p class="text-sm text-slate-700">
                "A field not listed here is refused (422), not ignored."
            </p>
        }
    });
    let fields = (!schema.fields.is_empty()).then(|| {
        let rows = schema
            .fields
            .into_iter()
            .map(|f| field_row(f, false))
            .collect_view();
        view! {
            <PlainTable
                caption=format!("Fields of {}", schema.name)
                columns=&["Field", "Type", "Description"]
            >
                {rows}
            </PlainTable>
        }
    });
    view! {
        <section
            id=anchor
            aria-labelledby=heading_id.clone()
            class="flex scroll-mt-20 flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm md:p-6"
        >
            <h3 id=heading_id.clone() class="text-lg font-semibold text-slate-900">
                <code class=CODE>{schema.name}</code>
            </h3>
            <Prose text=schema.description />
            {ty}
            {closed}
            {fields}
        </section>
    }
}

/// A field's row, or a parameter's (which also says where it goes).
pub fn field_row(f: FieldDoc, is_parameter: bool) -> impl IntoView {
    let required = f
        .required
        .then(|| view! { <span class="text-sm text-slate-700">" (required)"</span> });
    let name_label = if is_parameter { "Parameter" } else { "Field" };
    let location = is_parameter.then(|| view! { <td data-label="In">{f.location}</td> });
    view! {
        <tr>
            <td data-label=name_label>{name_view(f.name)} {required}</td>
            {location}
            <td data-label="Type">{parts_view(f.ty)}</td>
            <td data-label="Description">
                <Prose text=f.description />
                {rules_view(f.rules)}
            </td>
        </tr>
    }
}
