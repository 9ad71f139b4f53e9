//! The integration tests: one binary, a module per area (named as the area
//! is in `src/`), so the server is linked once rather than once per file.
//! Every test gets its own database from `common::test_db`, cloned from a
//! migrated template and dropped again when the test passes.

#![cfg(feature = "ssr")]
// Tests open raw transactions to probe what the database itself allows.
#![expect(
    clippy::disallowed_methods,
    reason = "tests probe the database directly"
)]

mod common;

mod accounts;
mod api;
mod appointments;
mod audit;
mod auth;
mod calendar_feeds;
mod clinic_calendar;
mod clinics;
mod conventions;
mod cross_tenant;
mod dashboards;
mod displays;
mod endpoints;
mod events;
mod frame;
mod http;
mod identity_rls;
mod invitations;
mod jobs;
mod mail;
mod no_show_metrics;
mod nul_bytes;
mod onboarding;
mod page_transaction;
mod patients;
mod platform;
mod portal;
mod readiness;
mod schema;
mod scopes;
mod sso;
mod staff;
mod tenancy;
mod two_factor;
mod visits;
mod vitals;
