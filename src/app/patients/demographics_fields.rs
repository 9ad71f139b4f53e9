//! The demographics' fields, as the registration and edit forms (all of
//! them) and the portal's contact form (the contact ones) show them: one
//! set of labels and limits, each message by its field.

use leptos::prelude::*;

use crate::components::card::Card;
use crate::components::field::{DateField, SelectField, TextField};
use crate::domain::auth::MAX_EMAIL_CHARS;
use crate::domain::patients::contact_details::ContactDetailsInput;
use crate::domain::patients::identity_document::{IdType, MAX_ID_NUMBER_CHARS};
use crate::domain::patients::registration::{
    BLOOD_GROUPS, MAX_ADDRESS_CHARS, MAX_CONTACT_NAME_CHARS, MAX_LANGUAGE_CHARS, MAX_NAME_CHARS,
    MAX_PHONE_CHARS, MAX_PLACE_CHARS, MAX_POSTAL_CODE_CHARS, MAX_RELATIONSHIP_CHARS,
    RegistrationInput, SEXES,
};

/// A field's message, by the field's name.
pub type FieldErrorOf = Callback<&'static str, Signal<Option<String>>>;

const SECTION: &str = "grid gap-4 md:grid-cols-2";

fn options(
    pairs: impl IntoIterator<Item = (String, String)>,
    blank: &str,
) -> Vec<(String, String)> {
    std::iter::once((String::new(), blank.to_string()))
        .chain(pairs)
        .collect()
}

/// Every field of the record, named `patient[…]`.
#[component]
pub fn DemographicsFields(typed: RegistrationInput, error: FieldErrorOf) -> impl IntoView {
    let f = move |name| error.run(name);
    let contact = typed.contact();
    let t = typed;
    let sexes = options(
        SEXES
            .iter()
            .map(|(v, l)| ((*v).to_string(), (*l).to_string())),
        "Choose",
    );
    let blood = options(
        BLOOD_GROUPS
            .iter()
            .map(|b| ((*b).to_string(), (*b).to_string())),
        "Not known",
    );
    let id_types = options(
        IdType::ALL
            .iter()
            .map(|t| (t.as_str().to_string(), t.label().to_string())),
        "Choose",
    );
    view! {
        <Card title="Patient">
            <div class=SECTION>
                <TextField
                    name="patient[given_name]"
                    label="Given name"
                    value=t.given_name
                    required=true
                    autocomplete="off"
                    max_length=MAX_NAME_CHARS
                    error=f("given_name")
                />
                <TextField
                    name="patient[family_name]"
                    label="Family name"
                    value=t.family_name
                    required=true
                    autocomplete="off"
                    max_length=MAX_NAME_CHARS
                    error=f("family_name")
                />
                <DateField
                    name="patient[date_of_birth]"
                    label="Date of birth"
                    value=t.date_of_birth
                    required=true
                    min="1890-01-01"
                    error=f("date_of_birth")
                />
                <SelectField
                    name="patient[sex]"
                    label="Sex"
                    options=sexes
                    value=t.sex
                    required=true
                    error=f("sex")
                />
                <SelectField
                    name="patient[blood_group]"
                    label="Blood group"
                    options=blood
                    value=t.blood_group
                    error=f("blood_group")
                />
                <TextField
                    name="patient[preferred_language]"
                    label="Preferred language"
                    value=t.preferred_language
                    autocomplete="off"
                    max_length=MAX_LANGUAGE_CHARS
                    error=f("preferred_language")
                />
            </div>
        </Card>
        <ContactFields typed=contact error=error />
        <Card title="Identity document">
            <div class=SECTION>
                <SelectField
                    name="patient[id_type]"
                    label="ID type"
                    options=id_types
                    value=t.id_type
                    required=true
                    error=f("id_type")
                    hint="Choose None when the patient has no document with them."
                />
                <TextField
                    name="patient[id_number]"
                    label="ID number"
                    value=t.id_number
                    autocomplete="off"
                    max_length=MAX_ID_NUMBER_CHARS
                    error=f("id_number")
                    hint=Some("Kept encrypted; others see only its last 4 characters.".to_string())
                />
            </div>
        </Card>
    }
}

/// The contact and emergency-contact fields, named `patient[…]`.
#[component]
pub fn ContactFields(typed: ContactDetailsInput, error: FieldErrorOf) -> impl IntoView {
    let f = move |name| error.run(name);
    let c = typed;
    view! {
        <Card title="Contact">
            <div class=SECTION>
                <TextField
                    name="patient[phone]"
                    label="Phone"
                    input_type="tel"
                    value=c.phone
                    autocomplete="off"
                    max_length=MAX_PHONE_CHARS
                    error=f("phone")
                />
                <TextField
                    name="patient[email]"
                    label="Email"
                    input_type="email"
                    value=c.email
                    autocomplete="off"
                    max_length=MAX_EMAIL_CHARS
                    error=f("email")
                />
                <TextField
                    name="patient[address]"
                    label="Address"
                    value=c.address
                    autocomplete="off"
                    max_length=MAX_ADDRESS_CHARS
                    error=f("address")
                />
                <TextField
                    name="patient[city]"
                    label="City"
                    value=c.city
                    autocomplete="off"
                    max_length=MAX_PLACE_CHARS
                    error=f("city")
                />
                <TextField
                    name="patient[state]"
                    label="State"
                    value=c.state
                    autocomplete="off"
                    max_length=MAX_PLACE_CHARS
                    error=f("state")
                />
                <TextField
                    name="patient[postal_code]"
                    label="Postal code"
                    value=c.postal_code
                    autocomplete="off"
                    max_length=MAX_POSTAL_CODE_CHARS
                    error=f("postal_code")
                />
            </div>
        </Card>
        <Card title="Emergency contact">
            <div class=SECTION>
                <TextField
                    name="patient[emergency_contact_name]"
                    label="Emergency contact name"
                    value=c.emergency_contact_name
                    autocomplete="off"
                    max_length=MAX_CONTACT_NAME_CHARS
                    error=f("emergency_contact_name")
                />
                <TextField
                    name="patient[emergency_contact_phone]"
                    label="Emergency contact phone"
                    input_type="tel"
                    value=c.emergency_contact_phone
                    autocomplete="off"
                    max_length=MAX_PHONE_CHARS
                    error=f("emergency_contact_phone")
                />
                <TextField
                    name="patient[emergency_contact_relationship]"
                    label="Emergency contact relationship"
                    value=c.emergency_contact_relationship
                    autocomplete="off"
                    max_length=MAX_RELATIONSHIP_CHARS
                    error=f("emergency_contact_relationship")
                />
            </div>
        </Card>
    }
}
