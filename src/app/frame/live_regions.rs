//! Keeps parts of a server-rendered page current: an island that listens
//! to an event stream (a clinic's `/live/{slug}`, a screen's
//! `/display/live?key=…`) and, when something
//! changes, reads the page again and swaps in the named regions' new
//! content. The server renders that content through the page's own server
//! functions, so what anyone sees is decided there, as on any load. Forms
//! inside the regions are plain forms and keep working. Without JavaScript
//! nothing listens, and the page's "Refresh" link does the same by hand.

use leptos::prelude::*;

#[island]
pub fn LiveRegions(
    /// The event stream's address.
    source: String,
    /// The ids of the elements to keep current.
    targets: Vec<String>,
) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| browser::listen(&source, targets.clone()));
    #[cfg(not(feature = "hydrate"))]
    let _ = (source, targets);
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::Cell;
    use std::rc::Rc;

    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen_futures::JsFuture;

    struct Regions {
        targets: Vec<String>,
        /// A read is under way; `again` asks for one more after it.
        busy: Cell<bool>,
        again: Cell<bool>,
    }

    pub fn listen(address: &str, targets: Vec<String>) {
        let Ok(source) = web_sys::EventSource::new(address) else {
            return;
        };
        let regions = Rc::new(Regions {
            targets,
            busy: Cell::new(false),
            again: Cell::new(false),
        });
        let on_message = {
            let regions = regions.clone();
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| refresh(regions.clone()))
        };
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        // After a reconnection, changes made meanwhile were not heard.
        let opened = Cell::new(false);
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if opened.replace(true) {
                refresh(regions.clone());
            }
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        on_open.forget();
        // The stream lives as long as the page.
        std::mem::forget(source);
    }

    fn refresh(regions: Rc<Regions>) {
        if regions.busy.replace(true) {
            regions.again.set(true);
            return;
        }
        leptos::task::spawn_local(async move {
            loop {
                regions.again.set(false);
                swap(&regions.targets).await;
                if !regions.again.get() {
                    break;
                }
            }
            regions.busy.set(false);
        });
    }

    /// Reads the page again and swaps in each region's new content. A page
    /// that answers otherwise (signed out, an error) is left as it is: the
    /// next navigation shows why.
    async fn swap(targets: &[String]) -> Option<()> {
        let window = web_sys::window()?;
        let href = window.location().href().ok()?;
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&href))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
        if !response.ok() || response.redirected() {
            return None;
        }
        let text = JsFuture::from(response.text().ok()?)
            .await
            .ok()?
            .as_string()?;
        let fresh = web_sys::DomParser::new()
            .ok()?
            .parse_from_string(&text, web_sys::SupportedType::TextHtml)
            .ok()?;
        let here = window.document()?;
        for id in targets {
            if let (Some(new), Some(old)) =
                (fresh.get_element_by_id(id), here.get_element_by_id(id))
            {
                old.set_inner_html(&new.inner_html());
            }
        }
        Some(())
    }
}
