//! Registers the service worker once the page has hydrated. Without
//! JavaScript there is no worker, and the site works as plain pages.

/// Marks the document once the app is interactive (`<html data-hydrated>`),
/// so browser tests exercise the hydrated app rather than racing it.
#[cfg(feature = "hydrate")]
pub fn mark_hydrated() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-hydrated", "");
    }
}

#[cfg(feature = "hydrate")]
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    // The promise's outcome needs no handling: without a worker the app still works.
    let _ = container.register("/sw.js");
}
