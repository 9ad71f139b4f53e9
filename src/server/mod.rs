//! Server-only code: configuration, database, HTTP stack and the SQL behind
//! each area. Compiled only with the `ssr` feature.

pub mod audit;
pub mod cli;
pub mod clinics;
pub mod config;
pub mod db;
pub mod error;
pub mod health;
pub mod http;
pub mod pwa;
pub mod seed;
pub mod serve;
pub mod state;
pub mod telemetry;
pub mod tenancy;
