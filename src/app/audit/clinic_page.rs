use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::clinic_audit_log;
use super::table::{AuditFilters, AuditTable, use_audit_filter};
use crate::app::frame::{ClinicGate, PagedList, use_slug};
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
use crate::domain::permission::Permission;

/// The clinic's audit log for its admins: filter by user, patient, action, dates.
#[component]
pub fn ClinicAuditPage() -> impl IntoView {
    let slug = use_slug();
    let filter = use_audit_filter();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query.with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let data = Resource::new(
        move || (slug.get(), filter.get(), page.get()),
        |(s, f, p)| clinic_audit_log(s, f, p),
    );
    let error = Signal::derive(move || data.get().and_then(Result::err));
    let path = Signal::derive(move || format!("/c/{}/audit", slug.get()));
    view! {
        <Title text="Audit log" />
        // A role that may not read the log gets the refusal, not a filter
        // form it cannot use.
        <ClinicGate
            permission=Permission::ViewAuditLog
            page=move |_| {
                view! {
                    <h1 class="text-3xl font-bold text-slate-900">"Audit log"</h1>
                    <p class="mt-1 text-slate-700">
                        "Every sign-in, record opened and change made in this clinic."
                    </p>
                    <div class="mt-4">
                        <AuditFilters action_path=path filter=filter error=error />
                    </div>
                    <div class="mt-6">
                        <PagedList
                            data=data
                            loading="Loading events…"
                            href=Callback::new(move |p: u32| {
                                filter.get_untracked().page_href(&path.get_untracked(), "", p)
                            })
                            render=|entries| {
                                view! { <AuditTable entries=entries show_clinic=false /> }
                            }
                        />
                    </div>
                }
            }
        />
    }
}
