//! Registers the service worker once the page has hydrated. Without
//! JavaScript there is no worker, and the site works as plain pages.

#[cfg(feature = "hydrate")]
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    // The promise's outcome needs no handling: without a worker the app still works.
    let _ = container.register("/sw.js");
}
