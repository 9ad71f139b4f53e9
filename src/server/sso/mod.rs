//! Single sign-on through each clinic's OpenID Connect provider.
//!
//! `/sso/{slug}/start` sends the person to the clinic's provider with PKCE,
//! state and nonce kept in their cookie session; `/sso/callback` verifies
//! what comes back ([`flow`]), decides who they are in HMS ([`provision`])
//! and signs them in. Settings ([`settings`]) keep the client secret sealed
//! (`crate::server::crypto`); clinic admins answer access requests ([`requests`]).

pub mod flow;
pub mod provider;
pub mod provision;
pub mod requests;
pub mod routes;
pub mod settings;
