//! Types and sentences of the reference: words, code, and links to the
//! schemas they name.

use leptos::prelude::*;

use crate::domain::api::reference::{Part, Parts, prose, schema_anchor};

pub const CODE: &str =
    "rounded bg-slate-100 px-1 font-mono text-sm text-slate-900 [overflow-wrap:anywhere]";
pub const LINK: &str = "font-semibold text-teal-800 underline";

/// A run of parts, inline.
pub fn parts_view(parts: Parts) -> impl IntoView {
    parts
        .into_iter()
        .map(|part| match part {
            Part::Text(t) => t.into_any(),
            Part::Code(c) => view! { <code class=CODE>{c}</code> }.into_any(),
            Part::Schema(name) => {
                let href = format!("#{}", schema_anchor(&name));
                view! {
                    <a href=href class=format!("{LINK} {}", crate::components::FOCUS_RING)>
                        {name}
                    </a>
                }
                .into_any()
            }
        })
        .collect_view()
}

/// A field's or parameter's name as code that wraps after its dots and
/// underscores (`data[].patient_` / `number`), never inside a word.
pub fn name_view(name: String) -> impl IntoView {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices() {
        if matches!(c, '.' | '_' | '-') {
            pieces.push(name[start..=i].to_owned());
            start = i + 1;
        }
    }
    pieces.push(name[start..].to_owned());
    let pieces = pieces
        .into_iter()
        .map(|piece| {
            view! {
                {piece}
                <wbr />
            }
        })
        .collect_view();
    view! { <code class=CODE>{pieces}</code> }
}

/// A description, a paragraph each.
#[component]
pub fn Prose(#[prop(into)] text: String, #[prop(optional)] class: &'static str) -> impl IntoView {
    prose(&text)
        .into_iter()
        .map(|para| view! { <p class=format!("text-slate-700 {class}")>{parts_view(para)}</p> })
        .collect_view()
}

/// Limits and examples after a description: "at most 100 characters;
/// e.g. Asha".
pub fn rules_view(rules: Vec<Parts>) -> impl IntoView {
    (!rules.is_empty()).then(|| {
        let last = rules.len() - 1;
        let items = rules
            .into_iter()
            .enumerate()
            .map(|(i, rule)| {
                view! {
                    {parts_view(rule)}
                    {(i < last).then_some("; ")}
                }
            })
            .collect_view();
        view! { <p class="text-sm text-slate-600">{items}</p> }
    })
}
