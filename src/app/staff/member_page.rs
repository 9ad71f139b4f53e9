//! `/c/{slug}/staff/{id}`: a clinic admin changes a member's role or
//! department, deactivates them (their sessions end at once) and
//! reactivates them later, or resets their two-factor sign-in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{ChangeMember, SaveDoctorProfile, SetMemberActive, staff_member};
use crate::app::frame::AccessError;
use crate::app::frame::use_slug;
use crate::app::two_factor::ResetTwoFactorCard;
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, ButtonVariant, LinkButton};
use crate::components::card::Card;
use crate::components::field::{SelectField, TextField};
use crate::components::notice::{Notice, NoticeTone};
use crate::components::skeleton::Skeleton;
use crate::domain::AppError;
use crate::domain::invitations::GRANTABLE_ROLES;
use crate::domain::staff::doctor_profile::{Availability, DoctorProfile, format_amount};
use crate::domain::staff::membership::MemberDetails;

#[component]
pub fn MemberPage() -> impl IntoView {
    let slug = use_slug();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let q = use_query_map();
    let saved = move || {
        q.with(|m| match m.get("saved").as_deref() {
            Some("two_factor") => {
                Some("Their two-factor sign-in is reset and their sessions ended.")
            }
            Some(_) => Some("Saved."),
            None => None,
        })
    };
    let change = ServerAction::<ChangeMember>::new();
    let activate = ServerAction::<SetMemberActive>::new();
    let profile = ServerAction::<SaveDoctorProfile>::new();
    let data = Resource::new(
        move || {
            let v = change.version().get() + activate.version().get() + profile.version().get();
            (slug.get(), id.get(), v)
        },
        |(s, i, _)| staff_member(s, i),
    );
    view! {
        <Title text="Manage staff member" />
        <Suspense fallback=|| {
            view! { <Skeleton rows=5 label="Loading…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(m) => {
                        view! {
                            <h1 class="text-3xl font-bold text-slate-900">
                                {m.display_name.clone()}
                            </h1>
                            <p class="mt-1 break-all text-slate-700">{m.email.clone()}</p>
                            {saved().map(|m| view! { <Notice>{m}</Notice> })}
                            {m
                                .doctor_profile
                                .clone()
                                .filter(|_| !m.is_self)
                                .map(|p| {
                                    view! {
                                        <DoctorProfileForm
                                            id=m.membership_id.to_string()
                                            profile=p
                                            action=profile
                                        />
                                    }
                                })}
                            <MemberForms member=m change=change activate=activate />
                        }
                            .into_any()
                    }
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <div class="mt-6">
            <LinkButton
                href=format!("/c/{}/admin", slug.get_untracked())
                variant=ButtonVariant::Ghost
            >
                "Back to the staff list"
            </LinkButton>
        </div>
    }
}

#[component]
fn MemberForms(
    member: MemberDetails,
    change: ServerAction<ChangeMember>,
    activate: ServerAction<SetMemberActive>,
) -> impl IntoView {
    let slug = use_slug();
    let error = move || {
        change
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| activate.value().get().and_then(Result::err))
    };
    let field = move |name: &'static str| {
        Signal::derive(move || error().and_then(|e| e.field_message(name).map(str::to_owned)))
    };
    let form_error = move || {
        error().and_then(|e| match e {
            AppError::Validation(_) => None,
            other => Some(other.to_string()),
        })
    };
    let roles: Vec<(String, String)> = GRANTABLE_ROLES
        .iter()
        .map(|r| (r.as_str().to_string(), r.label().to_string()))
        .collect();
    let mut depts = vec![(String::new(), "No department".to_string())];
    depts.extend(
        member
            .departments
            .iter()
            .map(|d| (d.id.to_string(), d.name.clone())),
    );
    let (change_id, active_id) = (
        member.membership_id.to_string(),
        member.membership_id.to_string(),
    );
    let (status_tone, status) = if member.active {
        (Tone::Success, "Active")
    } else {
        (Tone::Neutral, "Deactivated")
    };
    if member.is_self {
        return view! {
            <Card title="Your own access" class="mt-6">
                <p class="text-slate-700">
                    "You cannot change your own role or deactivate yourself. Ask another clinic admin."
                </p>
            </Card>
        }
        .into_any();
    }
    view! {
        {move || form_error().map(|m| view! { <Notice tone=NoticeTone::Error>{m}</Notice> })}
        <Card title="Role and department" class="mt-6">
            <ActionForm action=change attr:class="grid gap-4 md:grid-cols-2">
                <input type="hidden" name="slug" value=move || slug.get() />
                <input type="hidden" name="id" value=change_id />
                <SelectField
                    name="change[role]"
                    label="Role"
                    options=roles
                    value=member.role.as_str().to_string()
                    required=true
                    error=field("role")
                />
                <SelectField
                    name="change[department]"
                    label="Department"
                    options=depts
                    value=member.department_id.map(|d| d.to_string()).unwrap_or_default()
                    error=field("department")
                    hint="Required for doctors and heads of department.".to_string()
                />
                <div class="md:col-span-2">
                    <Button r#type="submit" loading=change.pending()>
                        "Save changes"
                    </Button>
                </div>
            </ActionForm>
            <p class="mt-3 text-sm text-slate-700">
                "A new role signs them out everywhere, so their next pages match it."
            </p>
        </Card>
        <Card title="Access to this clinic" class="mt-6">
            <p class="text-slate-700">"Status: " <Badge tone=status_tone>{status}</Badge></p>
            <ActionForm action=activate attr:class="mt-3">
                <input type="hidden" name="slug" value=move || slug.get() />
                <input type="hidden" name="id" value=active_id />
                <input
                    type="hidden"
                    name="active"
                    value=if member.active { "false" } else { "true" }
                />
                {if member.active {
                    view! {
                        <Button
                            r#type="submit"
                            variant=ButtonVariant::Danger
                            loading=activate.pending()
                        >
                            "Deactivate"
                        </Button>
                        <p class="mt-2 text-sm text-slate-700">
                            "They are signed out at once and can no longer open this clinic."
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <Button r#type="submit" loading=activate.pending()>
                            "Reactivate"
                        </Button>
                    }
                        .into_any()
                }}
            </ActionForm>
        </Card>
        <ResetTwoFactorCard membership_id=member.membership_id.to_string() />
    }
    .into_any()
}

#[component]
fn DoctorProfileForm(
    id: String,
    profile: DoctorProfile,
    action: ServerAction<SaveDoctorProfile>,
) -> impl IntoView {
    let slug = use_slug();
    let field = move |name| field_error(action, name);
    let availability: Vec<(String, String)> = Availability::ALL
        .iter()
        .map(|a| (a.as_str().to_string(), a.label().to_string()))
        .collect();
    view! {
        <Card title="Doctor profile" class="mt-6">
            <ActionForm action=action attr:class="grid gap-4 md:grid-cols-2">
                <div class="md:col-span-2">
                    <FormAlert message=form_error(action) />
                </div>
                <input type="hidden" name="slug" value=move || slug.get() />
                <input type="hidden" name="id" value=id />
                <TextField
                    name="profile[specialization]"
                    label="Specialization"
                    value=profile.specialization
                    max_length=100
                    error=field("specialization")
                />
                <TextField
                    name="profile[licence_number]"
                    label="Licence number"
                    value=profile.licence_number.unwrap_or_default()
                    max_length=50
                    error=field("licence_number")
                />
                <TextField
                    name="profile[qualification]"
                    label="Qualification"
                    value=profile.qualification
                    max_length=200
                    error=field("qualification")
                />
                <TextField
                    name="profile[years_of_experience]"
                    label="Years of experience"
                    input_type="number"
                    min=Some("0".to_string())
                    max=Some("70".to_string())
                    value=profile.years_of_experience.map(|y| y.to_string()).unwrap_or_default()
                    error=field("years_of_experience")
                />
                <TextField
                    name="profile[consultation_fee]"
                    label="Consultation fee"
                    value=profile.consultation_fee_minor.map(format_amount).unwrap_or_default()
                    max_length=12
                    error=field("consultation_fee")
                    hint=Some("In the clinic's currency, e.g. 150 or 150.50.".to_string())
                />
                <SelectField
                    name="profile[availability]"
                    label="Availability"
                    options=availability
                    value=profile.availability.as_str().to_string()
                    error=field("availability")
                />
                <div class="md:col-span-2">
                    <Button r#type="submit" loading=action.pending()>
                        "Save profile"
                    </Button>
                </div>
            </ActionForm>
        </Card>
    }
}
