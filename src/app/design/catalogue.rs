//! The design system's catalogue of components (`/design`, debug builds).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::app::frame::PublicFrame;
use crate::components::alert::ErrorAlert;
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, ButtonVariant, LinkButton};
use crate::components::card::Card;
use crate::components::data_table::{Column, DataTable, Pagination};
use crate::components::empty_state::EmptyState;
use crate::components::field::{DateField, SelectField, TextField};
use crate::components::form::{FormActions, FormLayout};
use crate::components::modal::Modal;
use crate::components::skeleton::Skeleton;
use crate::components::stat_tile::StatTile;
use crate::components::toast::{ToastRegion, provide_toasts, use_toasts};
use crate::domain::AppError;
use crate::domain::paging::{PagePosition, SortDirection};

#[component]
pub fn Catalogue() -> impl IntoView {
    let sort_href = Callback::new(|(key, dir): (String, SortDirection)| {
        format!("/design?sort={key}&dir={}", dir.as_str())
    });
    view! {
        <Title text="Design system" />
        <PublicFrame>
            <h1 class="mb-6 text-3xl font-bold">"Design system"</h1>
            <div class="flex flex-col gap-6">
                <Card title="Buttons">
                    <div class="flex flex-wrap gap-3">
                        <Button>"Primary"</Button>
                        <Button variant=ButtonVariant::Secondary>"Secondary"</Button>
                        <Button variant=ButtonVariant::Danger>"Danger"</Button>
                        <Button variant=ButtonVariant::Ghost>"Ghost"</Button>
                        <LinkButton href="/design" variant=ButtonVariant::Secondary>
                            "Link button"
                        </LinkButton>
                    </div>
                </Card>
                <FormLayout
                    title="Form layout"
                    description="Fields with labels, hints and inline errors."
                >
                    <TextField
                        name="design_name"
                        label="Full name"
                        required=true
                        autocomplete="name"
                    />
                    <TextField
                        name="design_email"
                        label="Email"
                        input_type="email"
                        value="not-an-email"
                        error=Some("Enter an email address like name@example.com.".to_string())
                    />
                    <SelectField
                        name="design_sex"
                        label="Sex"
                        options=vec![
                            ("female".into(), "Female".into()),
                            ("male".into(), "Male".into()),
                            ("other".into(), "Other".into()),
                        ]
                    />
                    <DateField
                        name="design_dob"
                        label="Date of birth"
                        hint="As on an identity document."
                    />
                </FormLayout>
                <FormActions>
                    <Button variant=ButtonVariant::Secondary>"Cancel"</Button>
                    <Button>"Register patient"</Button>
                </FormActions>
                <Card title="Badges">
                    <div class="flex flex-wrap gap-2">
                        <Badge>"Neutral"</Badge>
                        <Badge tone=Tone::Info>"Waiting"</Badge>
                        <Badge tone=Tone::Success>"Completed"</Badge>
                        <Badge tone=Tone::Warning>"Due soon"</Badge>
                        <Badge tone=Tone::Danger>"Critical"</Badge>
                    </div>
                </Card>
                <div class="grid grid-cols-1 gap-4 md:grid-cols-3">
                    <StatTile label="Patients today" value="128" hint="+12 on last week" />
                    <StatTile label="Waiting" value="14" />
                    <StatTile label="Beds free" value="9 / 60" />
                </div>
                <DataTable
                    caption="Sample table"
                    columns=vec![Column::sortable("name", "Name"), Column::plain("Status")]
                    sort_key="name"
                    sort_dir=SortDirection::Asc
                    sort_href=sort_href
                >
                    <tr>
                        <td data-label="Name">"Asha Patel"</td>
                        <td data-label="Status">
                            <Badge tone=Tone::Info>"Waiting"</Badge>
                        </td>
                    </tr>
                    <tr>
                        <td data-label="Name">"Tom Evans"</td>
                        <td data-label="Status">
                            <Badge tone=Tone::Success>"Seen"</Badge>
                        </td>
                    </tr>
                </DataTable>
                <Pagination
                    position=PagePosition {
                        page: 1,
                        total_pages: 3,
                        total: "42".into(),
                        range: (1, 20),
                    }
                    href=Callback::new(|p: u32| format!("/design?page={p}"))
                />
                <FeedbackDemo />
                <ErrorAlert error=AppError::Unavailable retry_href="/design" />
                <EmptyState title="No appointments" message="Nothing is booked for today yet." />
                <Skeleton rows=3 />
            </div>
        </PublicFrame>
    }
}

/// The components that need JavaScript, in an island: only islands reach
/// the browser's WebAssembly (see ARCHITECTURE.md).
#[island]
fn FeedbackDemo() -> impl IntoView {
    provide_toasts();
    let toasts = use_toasts();
    let modal_open = RwSignal::new(false);
    let loading = RwSignal::new(false);
    view! {
        <Card title="Feedback">
            <div class="flex flex-wrap gap-3">
                <Button loading=loading on_click=Callback::new(move |_| loading.set(true))>
                    "Save (click: loading)"
                </Button>
                <Button on_click=Callback::new(move |_| {
                    toasts.push(Tone::Success, "Patient registered")
                })>"Show toast"</Button>
                <Button
                    variant=ButtonVariant::Secondary
                    on_click=Callback::new(move |_| modal_open.set(true))
                >
                    "Open dialog"
                </Button>
            </div>
            <Modal open=modal_open title="Discharge patient?">
                <p>"This ends the admission and frees the bed."</p>
                <FormActions>
                    <Button
                        variant=ButtonVariant::Secondary
                        on_click=Callback::new(move |_| modal_open.set(false))
                    >
                        "Cancel"
                    </Button>
                    <Button variant=ButtonVariant::Danger>"Discharge"</Button>
                </FormActions>
            </Modal>
            <ToastRegion />
        </Card>
    }
}
