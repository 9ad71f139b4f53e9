//! HMS: a multi-clinic hospital and clinic management system.
//!
//! One crate, two builds: `ssr` (the axum server, which renders every page) and
//! `hydrate` (the WASM bundle that makes those pages interactive).

#![recursion_limit = "256"]

pub mod app;
pub mod components;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    app::pwa::mark_hydrated();
    app::pwa::register_service_worker();
}
