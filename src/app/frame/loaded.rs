//! One piece of a page that loads on its own, such as a dashboard card:
//! a placeholder while it loads, then its content. A failure stays inside
//! the piece (a red notice) so the rest of the page still works; an ended
//! session goes to sign-in as on any page.

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::access_error::AccessError;
use crate::components::notice::{Notice, NoticeTone};
use crate::components::skeleton::Skeleton;
use crate::domain::AppError;

#[component]
pub fn Loaded<T, R, V>(
    /// The piece's own server call.
    data: Resource<Result<T, AppError>>,
    /// What the placeholder says while it loads, and the failure names.
    loading: &'static str,
    /// Placeholder rows.
    #[prop(default = 2)]
    rows: usize,
    /// The piece, once loaded.
    render: R,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    R: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=move || {
            view! { <Skeleton rows=rows label=loading /> }
        }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(value) => render(value).into_any(),
                        Err(AppError::Unauthenticated) => {
                            view! { <AccessError error=AppError::Unauthenticated /> }.into_any()
                        }
                        Err(e) => {
                            view! {
                                <Notice tone=NoticeTone::Error>
                                    {format!("This part of the page did not load: {e}")}
                                </Notice>
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}
