//! The audit log as a table, with its filter form (GET, so filters are in the
//! URL and work without JavaScript). Shared by the clinic and platform views.

use leptos::prelude::*;

use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::components::button::Button;
use crate::components::data_table::{Column, DataTable, LongValue, When};
use crate::components::empty_state::EmptyState;
use crate::components::field::{SelectField, TextField};
use crate::domain::AppError;
use crate::domain::audit::{
    AuditAction, AuditEntry, AuditFilterInput, action_label, outcome_label, record_label,
};
use crate::domain::paging::SortDirection;
use crate::domain::role::Role;

#[component]
pub fn AuditTable(entries: Vec<AuditEntry>, show_clinic: bool) -> impl IntoView {
    if entries.is_empty() {
        return view! { <EmptyState title="No events" message="No audit events match." /> }
            .into_any();
    }
    let mut columns = vec![Column::plain("When")];
    if show_clinic {
        columns.push(Column::plain("Clinic"));
    }
    columns.extend([
        Column::plain("Who"),
        Column::plain("Action"),
        Column::plain("Record"),
        Column::plain("Outcome"),
        Column::plain("From"),
    ]);
    let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
    view! {
        <DataTable
            caption="Audit events"
            columns=columns
            sort_key=""
            sort_dir=SortDirection::Desc
            sort_href=no_sort
        >
            {entries
                .into_iter()
                .map(|e| {
                    let record = record_label(
                        e.patient_number.as_deref(),
                        e.entity_type.as_deref(),
                    );
                    let role = e
                        .actor_role
                        .as_deref()
                        .and_then(Role::parse)
                        .map(|r| r.label().to_string())
                        .or(e.actor_role.clone())
                        .unwrap_or_default();
                    let (who, email) = match (e.actor_name.clone(), e.actor.clone()) {
                        (Some(name), email) => (name, email),
                        (None, Some(email)) => (email, None),
                        (None, None) => ("Unknown".to_string(), None),
                    };
                    // People by name; the email to tell two of a name apart.
                    view! {
                        <tr>
                            <td data-label="When" class="tabular-nums">
                                <When at=e.occurred_local.clone() />
                            </td>
                            {show_clinic
                                .then(|| {
                                    view! {
                                        <td data-label="Clinic">
                                            {e.clinic.clone().unwrap_or_else(|| "Platform".into())}
                                        </td>
                                    }
                                })}
                            <td data-label="Who">
                                <span class="block font-medium text-slate-900">{who}</span>
                                {email.map(|m| view! { <LongValue value=m /> })}
                                <span class="block text-sm text-slate-700">{role}</span>
                            </td>
                            <td data-label="Action">{action_label(&e.action)}</td>
                            <td data-label="Record">{record}</td>
                            <td data-label="Outcome">{outcome_label(&e.outcome)}</td>
                            <td data-label="From" class="tabular-nums text-sm">
                                {e.client_addr.clone().unwrap_or_default()}
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
    .into_any()
}

/// The filters in the current URL.
pub fn use_audit_filter() -> Memo<AuditFilterInput> {
    let q = use_query_map();
    Memo::new(move |_| {
        q.with(|m| AuditFilterInput {
            user: m.get("user").unwrap_or_default(),
            patient: m.get("patient").unwrap_or_default(),
            action: m.get("action").unwrap_or_default(),
            from: m.get("from").unwrap_or_default(),
            to: m.get("to").unwrap_or_default(),
            views: m.get("views").unwrap_or_default(),
        })
    })
}

#[component]
pub fn AuditFilters(
    #[prop(into)] action_path: Signal<String>,
    filter: Memo<AuditFilterInput>,
    /// The last error, to show next to its field.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    #[prop(optional)] clinic_field: Option<String>,
) -> impl IntoView {
    let field = move |name: &'static str| {
        Signal::derive(move || {
            error
                .get()
                .and_then(|e| e.field_message(name).map(str::to_owned))
        })
    };
    let mut actions = vec![(String::new(), "Any action".to_string())];
    actions.extend(
        AuditAction::ALL
            .iter()
            .map(|a| (a.as_str().to_string(), a.label().to_string())),
    );
    let f = filter.get_untracked();
    // The platform's log: its admins' own page views are hidden unless asked for.
    let platform = clinic_field.is_some();
    view! {
        <Form method="GET" action=move || action_path.get()>
            <div class="grid gap-3 md:grid-cols-3 lg:grid-cols-6 lg:items-end">
                {clinic_field
                    .map(|v| {
                        view! {
                            <TextField
                                name="clinic"
                                label="Clinic (slug)"
                                value=v
                                error=field("clinic")
                                max_length=64
                            />
                        }
                    })}
                <TextField
                    name="user"
                    label="User"
                    value=f.user
                    error=field("user")
                    max_length=100
                />
                <TextField
                    name="patient"
                    label="Patient number"
                    value=f.patient
                    error=field("patient")
                    max_length=100
                />
                <SelectField
                    name="action"
                    label="Action"
                    options=actions
                    value=f.action
                    error=field("action")
                />
                {platform
                    .then(|| {
                        view! {
                            <label class="flex min-h-11 items-center gap-3 lg:col-span-2">
                                <input
                                    type="checkbox"
                                    name="views"
                                    value="shown"
                                    checked=f.views == "shown"
                                    class="size-6 shrink-0"
                                />
                                <span class="font-medium text-slate-900">
                                    "Include platform admins' page views"
                                </span>
                            </label>
                        }
                    })}
                <TextField
                    name="from"
                    label="From"
                    input_type="date"
                    value=f.from
                    error=field("from")
                /> <TextField name="to" label="To" input_type="date" value=f.to error=field("to") />
                <Button r#type="submit">"Filter"</Button>
            </div>
        </Form>
    }
}
