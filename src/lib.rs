//! HMS: a multi-clinic hospital and clinic management system.
//!
//! One crate, two builds: `ssr` (the axum server, which renders every page) and
//! `hydrate` (the WASM bundle with the pages' islands: the few parts that need
//! the browser, such as the idle warning; everything else is plain HTML).

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
    // Only `#[island]` components reach the browser, so the first load stays
    // small however many pages there are (ARCHITECTURE.md, "Islands").
    leptos::mount::hydrate_islands();
    app::pwa::mark_hydrated();
    app::pwa::register_service_worker();
}
