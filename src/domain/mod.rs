//! Types and pure rules shared by the server and the browser (WASM) build.

pub mod accounts;
pub mod api;
pub mod appointments;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod clinics;
pub mod displays;
pub mod error;
pub mod follow_ups;
pub mod ids;
pub mod invitations;
pub mod jobs;
pub mod local_time;
pub mod no_show_metrics;
pub mod notifications;
pub mod onboarding;
pub mod outbox;
pub mod paging;
pub mod patients;
pub mod permission;
pub mod platform;
pub mod portal;
pub mod role;
pub mod schedule_settings;
pub mod schedules;
pub mod self_booking;
pub mod session;
pub mod sso;
pub mod staff;
mod stored_enum;
pub mod two_factor;
pub mod url;
pub mod visits;
pub mod vitals;

pub use error::{AppError, FieldError, FieldErrors};
