//! The self-booking pause's server functions: reading it on a record, and
//! the clinic admin lifting it.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::self_booking::SuspensionNotice;

/// Whether the patient's booking online is paused, and why.
#[server(prefix = "/fn/appointments", endpoint = "booking_pause")]
pub async fn booking_pause(
    slug: String,
    patient: String,
) -> Result<Option<SuspensionNotice>, AppError> {
    use crate::domain::ids::PatientId;
    use crate::domain::permission::Permission;
    use crate::server::access;
    use crate::server::appointments::suspensions;
    let (mut tx, access) = access::clinic(&slug, Permission::ViewClinicPatients).await?;
    let patient = PatientId::parse(&patient)?;
    let may_lift = access.role().can(Permission::ManageClinic);
    let notice = suspensions::notice(&mut tx, patient.as_uuid(), may_lift).await?;
    tx.commit().await?;
    Ok(notice)
}

/// Allows the patient to book online again, with the reason (audited).
#[server(prefix = "/fn/appointments", endpoint = "lift_booking_pause")]
pub async fn lift_booking_pause(
    slug: String,
    patient: String,
    lift_reason: String,
) -> Result<(), AppError> {
    use crate::domain::ids::PatientId;
    use crate::domain::permission::Permission;
    use crate::domain::self_booking::parse_lift_reason;
    use crate::server::access;
    use crate::server::appointments::suspensions;
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let patient = PatientId::parse(&patient)?;
    let reason = parse_lift_reason(&lift_reason)?;
    suspensions::lift(&mut tx, &access, patient, &reason).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/c/{}/patients/{patient}", access.membership.slug));
    Ok(())
}
