//! The API's reference page (`/api/docs`), read from the OpenAPI document
//! the routes generate: the same document clients download, arranged for
//! people to read. Server-rendered, so it works without JavaScript and is
//! held to the same accessibility checks as every other page.

mod from_openapi;
mod schema_text;

use serde::{Deserialize, Serialize};

pub use from_openapi::from_openapi;

/// A piece of a type or a sentence: words, code, or a schema's name (a link
/// to where the page describes it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Part {
    Text(String),
    Code(String),
    Schema(String),
}

/// A run of parts, read left to right: "array of [PatientSummary]".
pub type Parts = Vec<Part>;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiReference {
    pub title: String,
    pub version: String,
    pub description: String,
    pub groups: Vec<OperationGroup>,
    pub schemas: Vec<SchemaDoc>,
}

/// The operations of one tag, in the document's order of tags.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationGroup {
    pub name: String,
    pub description: String,
    pub operations: Vec<OperationDoc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationDoc {
    /// The fragment it is linked by: its method and path (operation ids
    /// repeat across resources, `list` for one).
    pub anchor: String,
    pub method: String,
    pub path: String,
    pub summary: String,
    pub description: String,
    /// Whether it needs `Authorization: Bearer …`.
    pub needs_token: bool,
    pub parameters: Vec<FieldDoc>,
    pub body: Option<BodyDoc>,
    pub responses: Vec<ResponseDoc>,
}

/// A parameter, or a field of a schema (`data[].given_name` for one
/// nested in an inline object).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDoc {
    pub name: String,
    /// `path`, `query` or `header` for a parameter; empty for a field.
    pub location: String,
    pub required: bool,
    pub ty: Parts,
    pub description: String,
    /// Its limits and an example: "at most 100 characters", "e.g. `Asha`".
    pub rules: Vec<Parts>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyDoc {
    pub content_type: String,
    pub required: bool,
    pub ty: Parts,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseDoc {
    pub status: String,
    pub description: String,
    pub ty: Option<Parts>,
    pub headers: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaDoc {
    pub name: String,
    pub description: String,
    pub ty: Parts,
    pub fields: Vec<FieldDoc>,
    /// Whether a field it does not list is refused (`additionalProperties:
    /// false`): the request bodies are, so a misspelt field is an error
    /// rather than silently ignored.
    pub closed: bool,
}

/// Where the page describes the schema `name`.
pub fn schema_anchor(name: &str) -> String {
    format!("schema-{name}")
}

/// A description as paragraphs of words and code. The document's texts
/// are doc comments: a single line break is a wrapped line, a blank line
/// ends a paragraph, and `backticks` mark code.
pub fn prose(text: &str) -> Vec<Parts> {
    text.split("\n\n")
        .map(|para| para.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|para| !para.is_empty())
        .map(|para| {
            para.split('`')
                .enumerate()
                .filter(|(_, piece)| !piece.is_empty())
                .map(|(i, piece)| {
                    if i % 2 == 1 {
                        Part::Code(piece.to_owned())
                    } else {
                        Part::Text(piece.to_owned())
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Part {
        Part::Text(s.into())
    }

    fn code(s: &str) -> Part {
        Part::Code(s.into())
    }

    #[test]
    fn prose_joins_wrapped_lines_and_splits_paragraphs() {
        assert_eq!(
            prose("One line\nwrapped.\n\nA `code` word."),
            vec![
                vec![text("One line wrapped.")],
                vec![text("A "), code("code"), text(" word.")]
            ]
        );
    }

    #[test]
    fn prose_of_nothing_is_no_paragraph() {
        assert!(prose("").is_empty());
        assert!(prose("\n\n  \n\n").is_empty());
    }

    #[test]
    fn prose_starting_with_code_keeps_it_code() {
        assert_eq!(
            prose("`POST /x`: does"),
            vec![vec![code("POST /x"), text(": does")]]
        );
    }
}
