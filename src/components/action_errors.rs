//! What a form's server action said went wrong, for the form to show: each
//! field's message beside its field, anything else above the form.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::domain::AppError;

/// The message for `name` from the action's last validation error.
pub fn field_error<A>(
    action: ServerAction<A>,
    name: impl Into<std::borrow::Cow<'static, str>>,
) -> Signal<Option<String>>
where
    A: ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    let name = name.into();
    Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .and_then(|e| e.field_message(&name).map(str::to_owned))
    })
}

/// The action's last error when it is not about a field: a conflict's own
/// words, or the error's safe message.
pub fn form_error<A>(action: ServerAction<A>) -> Signal<Option<String>>
where
    A: ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .and_then(|e| match e {
                AppError::Validation(_) => None,
                AppError::Conflict(m) => Some(m),
                other => Some(other.to_string()),
            })
    })
}

/// The form-level error, as an alert above the fields.
#[component]
pub fn FormAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|m| {
            view! {
                <p
                    role="alert"
                    class="rounded-lg border border-red-300 bg-red-50 p-3 font-medium text-red-900"
                >
                    {m}
                </p>
            }
        })
    }
}
