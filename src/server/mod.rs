//! Server-only code, compiled only with the `ssr` feature. Two kinds of
//! module live here (ARCHITECTURE.md has the map):
//!
//! - hospital areas, each holding its area's SQL and rules as functions that
//!   take the guarded transaction: one name per area, the same as in
//!   `app/`, `domain/`, `tests/it/` and `end2end/tests/`;
//! - infrastructure every area shares: the access guard and tenancy, the
//!   error type's server side, the HTTP stack, the database, mail, jobs,
//!   secrets, configuration and the command line.

// Hospital areas.
pub mod accounts;
pub mod api;
pub mod appointments;
pub mod audit;
pub mod auth;
pub mod calendar_feeds;
pub mod clinic_calendar;
pub mod clinics;
pub mod displays;
pub mod follow_ups;
pub mod invitations;
pub mod no_show_metrics;
pub mod notifications;
pub mod onboarding;
pub mod patients;
pub mod platform;
pub mod portal;
pub mod qr;
pub mod schedule_settings;
pub mod schedules;
pub mod sso;
pub mod staff;
pub mod two_factor;
pub mod visits;
pub mod vitals;

// Infrastructure.
pub mod access;
pub mod allocator;
pub mod cli;
pub mod config;
pub mod crypto;
pub mod db;
pub mod error;
pub mod events;
pub mod http;
pub mod jobs;
pub mod mail;
pub mod page_transaction;
pub mod serve;
pub mod state;
pub mod telemetry;
pub mod tenancy;
