//! Server-only code: configuration, database, HTTP stack and the SQL behind
//! each area. Compiled only with the `ssr` feature.

pub mod access;
pub mod account;
pub mod accounts;
pub mod audit;
pub mod audit_log;
pub mod auth;
pub mod cli;
pub mod clinics;
pub mod config;
pub mod crypto;
pub mod dashboards;
pub mod db;
pub mod error;
pub mod health;
pub mod http;
pub mod invitations;
pub mod jobs;
pub mod link_token;
pub mod mail;
pub mod memberships;
pub mod onboarding;
pub mod patients;
pub mod platform;
pub mod pwa;
pub mod seed;
pub mod serve;
pub mod sso;
pub mod staff;
pub mod state;
pub mod telemetry;
pub mod tenancy;
pub mod two_factor;
