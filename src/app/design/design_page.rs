use leptos::prelude::*;

/// The catalogue of components, in debug builds only: release builds answer
/// 404, and leave its island out of the browser's bundle.
#[component]
pub fn DesignPage() -> impl IntoView {
    #[cfg(debug_assertions)]
    {
        view! { <super::catalogue::Catalogue /> }
    }
    #[cfg(not(debug_assertions))]
    {
        view! { <crate::app::errors::NotFoundPage /> }
    }
}
