//! Enumerations stored in the database as text: one definition gives the
//! stored name, the label people read and the name on the wire.

macro_rules! stored_enum {
    ($name:ident { $($variant:ident => ($stored:literal, $label:literal)),+ $(,)? }) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        // On the wire as stored (the API's clients see these names).
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name stored in the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $stored),+ }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw)
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}

pub(crate) use stored_enum;
