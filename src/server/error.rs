//! Turning internal failures into [`AppError`]: the cause is logged here, once,
//! inside the request's span (so with its request id), and only the safe
//! variant travels on.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::domain::{AppError, FieldError};

/// A unique or check constraint a user can trip, and the form field and
/// message it means. Each area lists its own beside its SQL.
pub struct ConstraintField {
    pub constraint: &'static str,
    pub field: &'static str,
    pub message: &'static str,
}

/// Every area's constraint map. Anything not listed is an internal error.
pub const CONSTRAINT_FIELDS: &[&[ConstraintField]] = &[
    crate::server::appointments::CONSTRAINTS,
    crate::server::clinic_calendar::CONSTRAINTS,
    crate::server::clinics::CONSTRAINTS,
    crate::server::follow_ups::CONSTRAINTS,
    crate::server::displays::CONSTRAINTS,
    crate::server::invitations::CONSTRAINTS,
    crate::server::onboarding::CONSTRAINTS,
    crate::server::patients::CONSTRAINTS,
    crate::server::portal::CONSTRAINTS,
    crate::server::schedules::CONSTRAINTS,
    crate::server::staff::CONSTRAINTS,
    crate::server::visits::CONSTRAINTS,
    crate::server::vitals::CONSTRAINTS,
];

pub fn constraint_to_field_error(constraint: &str) -> Option<FieldError> {
    CONSTRAINT_FIELDS
        .iter()
        .flat_map(|area| area.iter())
        .find(|c| c.constraint == constraint)
        .map(|c| FieldError::new(c.field, c.message))
}

/// What a client that sent a NUL byte (or another character PostgreSQL
/// refuses) is told.
pub const UNSTORABLE_TEXT: &str = "The request contains a character HMS cannot store.";

/// `character_not_in_repertoire` (a NUL byte in text) and
/// `untranslatable_character`.
fn is_unstorable_text(code: Option<&str>) -> bool {
    matches!(code, Some("22021" | "22P05"))
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => return AppError::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                tracing::error!(cause = %err, "database unavailable");
                return AppError::Unavailable;
            }
            sqlx::Error::Database(db) if is_unstorable_text(db.code().as_deref()) => {
                // Text PostgreSQL cannot hold (a NUL byte) that a boundary
                // check missed: the caller's mistake, not ours.
                tracing::warn!(cause = %err, "text the database cannot store");
                return AppError::BadRequest(UNSTORABLE_TEXT.into());
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

    /// A mapped name that no migration defines (a typo, a renamed
    /// constraint) would quietly turn a field error into an internal one.
    #[test]
    fn every_mapped_constraint_is_defined_by_a_migration_and_mapped_once() {
        let names: Vec<&str> = CONSTRAINT_FIELDS
            .iter()
            .flat_map(|area| area.iter().map(|c| c.constraint))
            .collect();
        for name in &names {
            assert!(
                crate::server::db::MIGRATOR
                    .iter()
                    .any(|m| m.sql.as_str().contains(name)),
                "no migration defines {name}"
            );
            assert_eq!(names.iter().filter(|n| *n == name).count(), 1, "{name}");
        }
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
