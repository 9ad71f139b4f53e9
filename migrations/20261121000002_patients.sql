-- Patients: registered per clinic, identified there by a patient number (MRN).

create table patients (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete restrict,
    patient_number text not null,
    given_name text not null,
    family_name text not null,
    date_of_birth date not null,
    sex text not null,
    phone text not null default '',
    email text,
    address text not null default '',
    city text not null default '',
    blood_group text,
    emergency_contact_name text not null default '',
    emergency_contact_phone text not null default '',
    registered_at timestamptz not null default now(),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint patients_clinic_number_key unique (clinic_id, patient_number),
    constraint patients_sex_known check (sex in ('female', 'male', 'other', 'unknown')),
    constraint patients_blood_group_known check (
        blood_group is null or blood_group in ('O+', 'O-', 'A+', 'A-', 'B+', 'B-', 'AB+', 'AB-')
    ),
    constraint patients_names_present check (
        char_length(given_name) between 1 and 100 and char_length(family_name) between 1 and 100
    )
);

create trigger patients_updated_at before update on patients
    for each row execute function set_updated_at();

-- Front-desk search: by name within a clinic, and by phone.
create index patients_clinic_name_idx on patients (clinic_id, lower(family_name), lower(given_name));
create index patients_clinic_phone_idx on patients (clinic_id, phone);
