//! The body every paginated list page repeats: a placeholder while the page
//! loads, then its rows and the links to other pages (or what to say when
//! there are none). A refused filter (422)
//! shows nothing here, since its form marks the fields; any other refusal
//! is the page's `AccessError`.

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::access_error::AccessError;
use crate::components::data_table::Pagination;
use crate::components::skeleton::Skeleton;
use crate::domain::AppError;
use crate::domain::paging::Page;

#[component]
pub fn PagedList<T, R, V>(
    /// The list's server call, one page at a time.
    data: Resource<Result<Page<T>, AppError>>,
    /// What the placeholder says while the page loads.
    loading: &'static str,
    /// Placeholder rows.
    #[prop(default = 8)]
    rows: usize,
    /// The address of page `n`, with the page's filters.
    href: Callback<u32, String>,
    /// The rows of one page.
    render: R,
    /// What to show instead of an empty page; without it, `render` gets
    /// the empty rows.
    #[prop(optional, into)]
    empty: Option<ViewFn>,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    R: Fn(Vec<T>) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=move || {
            view! { <Skeleton rows=rows label=loading /> }
        }>
            {move || {
                let (render, empty) = (render.clone(), empty.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok(page) if page.items.is_empty() && empty.is_some() => {
                            empty.map(|e| e.run()).into_any()
                        }
                        Ok(page) => {
                            let position = page.position();
                            view! {
                                {render(page.items)}
                                <Pagination position=position href=href />
                            }
                                .into_any()
                        }
                        Err(AppError::Validation(_)) => {
                            crate::app::errors::set_error_status(&AppError::Validation(vec![]));
                            ().into_any()
                        }
                        Err(e) => view! { <AccessError error=e /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
