//! Labelled inputs with their error shown beside them and announced to
//! assistive technology through `aria-describedby`.

use leptos::prelude::*;

fn input_classes(invalid: bool) -> String {
    format!(
        "block min-h-11 w-full rounded-lg border bg-white px-3 py-2 text-base text-slate-900 \
         placeholder:text-slate-500 {} {}",
        if invalid {
            "border-red-700"
        } else {
            "border-slate-400"
        },
        super::FOCUS_RING
    )
}

#[component]
fn FieldFrame(
    id: String,
    label: String,
    #[prop(into)] error: Signal<Option<String>>,
    hint: Option<String>,
    required: bool,
    children: Children,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class="flex flex-col gap-1">
            <label for=id.clone() class="text-sm font-semibold text-slate-900">
                {label}
                {required
                    .then(|| {
                        view! {
                            <span class="text-red-700" aria-hidden="true">
                                " *"
                            </span>
                        }
                    })}
            </label>
            {hint
                .map(|h| {
                    view! {
                        <p id=hint_id class="text-sm text-slate-600">
                            {h}
                        </p>
                    }
                })}
            {children()}
            <Show when=move || error.get().is_some()>
                <p id=error_id.clone() class="text-sm font-medium text-red-700" role="alert">
                    {move || error.get().unwrap_or_default()}
                </p>
            </Show>
        </div>
    }
}

fn described_by(id: &str, has_hint: bool, error: Signal<Option<String>>) -> Signal<Option<String>> {
    let id = id.to_string();
    Signal::derive(move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{id}-hint"));
        }
        if error.get().is_some() {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    })
}

#[component]
pub fn TextField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] value: Signal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional_no_strip)] hint: Option<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] autocomplete: Option<String>,
    #[prop(optional, into)] placeholder: Option<String>,
    #[prop(optional)] max_length: Option<usize>,
    /// Bounds for date and number inputs.
    #[prop(optional_no_strip)]
    min: Option<String>,
    #[prop(optional_no_strip)] max: Option<String>,
    #[prop(optional)] on_input: Option<Callback<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let describedby = described_by(&id, hint.is_some(), error);
    let input = NodeRef::<leptos::html::Input>::new();
    // Only later changes are pushed into the input: binding the value outright
    // would reset, at hydration, whatever was typed while the page loaded.
    Effect::watch(
        move || value.get(),
        move |v, _, _| {
            if let Some(el) = input.get_untracked() {
                el.set_value(v);
            }
        },
        false,
    );
    view! {
        <FieldFrame id=id.clone() label=label error=error hint=hint required=required>
            <input
                node_ref=input
                id=id
                name=name
                type=input_type
                class=move || input_classes(error.get().is_some())
                value=value.get_untracked()
                required=required
                autocomplete=autocomplete
                placeholder=placeholder
                maxlength=max_length
                min=min
                max=max
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=describedby
                on:input=move |ev| {
                    if let Some(cb) = on_input {
                        cb.run(event_target_value(&ev));
                    }
                }
            />
        </FieldFrame>
    }
}

/// A date picker: the browser's own, which suits touch screens best.
#[component]
pub fn DateField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] value: Signal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] min: Option<String>,
    #[prop(optional, into)] max: Option<String>,
) -> impl IntoView {
    view! {
        <TextField
            name=name
            label=label
            value=value
            error=error
            hint=hint
            input_type="date"
            required=required
            min=min
            max=max
        />
    }
}

#[component]
pub fn SelectField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    /// (value, label) pairs in display order.
    options: Vec<(String, String)>,
    #[prop(optional, into)] value: Signal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let id = format!("field-{name}");
    let describedby = described_by(&id, hint.is_some(), error);
    let selected = value.get_untracked();
    view! {
        <FieldFrame id=id.clone() label=label error=error hint=hint required=required>
            <select
                id=id
                name=name
                class=move || input_classes(error.get().is_some())
                required=required
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=describedby
            >
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        let is_selected = v == selected;
                        view! {
                            <option value=v selected=is_selected>
                                {l}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </FieldFrame>
    }
}

/// Several lines of text (a reason, a note).
#[component]
pub fn TextAreaField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] value: Signal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] max_length: Option<usize>,
    #[prop(default = 3)] rows: u32,
) -> impl IntoView {
    let id = format!("field-{name}");
    let describedby = described_by(&id, hint.is_some(), error);
    view! {
        <FieldFrame id=id.clone() label=label error=error hint=hint required=required>
            <textarea
                id=id
                name=name
                rows=rows
                class=move || input_classes(error.get().is_some())
                required=required
                maxlength=max_length
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=describedby
            >
                {value.get_untracked()}
            </textarea>
        </FieldFrame>
    }
}
