//! Turning internal failures into [`AppError`]: the cause is logged here, once,
//! inside the request's span (so with its request id), and only the safe
//! variant travels on.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::domain::{AppError, FieldError};

/// Unique and check constraints that a user can trip, and the form field and
/// message each one means. Anything not listed is an internal error.
const CONSTRAINT_FIELDS: &[(&str, &str, &str)] = &[
    (
        "clinics_slug_key",
        "slug",
        "Another clinic already uses this web address.",
    ),
    (
        "clinics_slug_format",
        "slug",
        "Use 2 to 48 lowercase letters, digits and hyphens.",
    ),
    (
        "invitations_open_email_key",
        "email",
        "An invitation to this address is already waiting. Send it again from the list instead.",
    ),
    (
        "invitations_open_patient_email_key",
        "email",
        crate::server::invitations::portal::ADDRESS_INVITED,
    ),
    (
        "invitations_department_same_clinic",
        "department",
        "Choose a department of this clinic.",
    ),
    (
        "memberships_department_same_clinic",
        "department",
        "Choose a department of this clinic.",
    ),
    (
        "doctor_profiles_licence_unique",
        "licence_number",
        "Another doctor in this clinic has this licence number.",
    ),
    (
        "clinic_doctor_limit",
        "role",
        "The clinic's plan allows no more doctors. Deactivate a doctor first, or ask HMS to upgrade the plan.",
    ),
    (
        "clinic_patient_limit",
        "form",
        "The clinic's plan allows no more patients. Ask HMS to upgrade the plan.",
    ),
    (
        "clinic_registrations_open_admin_key",
        "admin_email",
        "A registration with this administrator is already waiting. Check that inbox for the confirmation email.",
    ),
    (
        "patients_clinic_number_key",
        "patient_number",
        "Another patient in this clinic has this patient number.",
    ),
];

pub fn constraint_to_field_error(constraint: &str) -> Option<FieldError> {
    CONSTRAINT_FIELDS
        .iter()
        .find(|(name, _, _)| *name == constraint)
        .map(|(_, field, message)| FieldError::new(*field, *message))
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => return AppError::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                tracing::error!(cause = %err, "database unavailable");
                return AppError::Unavailable;
            }
            sqlx::Error::Database(db) => {
                if let Some(field) = db.constraint().and_then(constraint_to_field_error) {
                    return AppError::Validation(vec![field]);
                }
            }
            _ => {}
        }
        tracing::error!(cause = %err, "database error");
        AppError::Internal
    }
}

impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        tracing::error!(cause = %format!("{err:#}"), "internal error");
        AppError::Internal
    }
}

/// Plain HTTP handlers answer with the same safe message, as JSON.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::json!({ "error": self.to_string(), "kind": self });
        (status, axum::Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_constraints_become_field_errors() {
        let f = constraint_to_field_error("clinics_slug_key").unwrap();
        assert_eq!(f.field, "slug");
        assert!(constraint_to_field_error("some_other_constraint").is_none());
    }

    #[test]
    fn a_missing_row_is_not_found_and_a_pool_timeout_is_unavailable() {
        assert_eq!(AppError::from(sqlx::Error::RowNotFound), AppError::NotFound);
        assert_eq!(
            AppError::from(sqlx::Error::PoolTimedOut),
            AppError::Unavailable
        );
        let e = AppError::from(sqlx::Error::Protocol("secret detail".into()));
        assert_eq!(e, AppError::Internal);
    }

    #[test]
    fn http_error_bodies_carry_only_the_safe_message() {
        let res =
            AppError::from(sqlx::Error::Protocol("pg_hba.conf rejects".into())).into_response();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
