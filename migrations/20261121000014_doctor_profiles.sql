-- What patients and colleagues need to know about a doctor in one clinic:
-- their specialty, registration, experience, fee and whether they are seeing
-- patients. One profile per doctor's membership, so it differs per clinic.
alter table memberships add constraint memberships_id_clinic_key unique (id, clinic_id);

create table doctor_profiles (
    membership_id uuid primary key,
    clinic_id uuid not null references clinics (id) on delete cascade,
    specialization text not null default '',
    -- the medical council's registration number
    licence_number text,
    qualification text not null default '',
    years_of_experience integer,
    -- in the clinic's currency, minor units (cents, paise)
    consultation_fee_minor bigint,
    availability text not null default 'available',
    updated_at timestamptz not null default now(),
    constraint doctor_profiles_membership_same_clinic foreign key (membership_id, clinic_id)
        references memberships (id, clinic_id) on delete cascade,
    constraint doctor_profiles_licence_unique unique (clinic_id, licence_number),
    constraint doctor_profiles_text_lengths check (
        char_length(specialization) <= 100 and char_length(qualification) <= 200
        and char_length(licence_number) between 1 and 50
    ),
    constraint doctor_profiles_experience_range check (years_of_experience between 0 and 70),
    constraint doctor_profiles_fee_range check (consultation_fee_minor between 0 and 100000000),
    constraint doctor_profiles_availability_known check (availability in ('available', 'on_leave', 'unavailable'))
);
create trigger doctor_profiles_updated_at before update on doctor_profiles
    for each row execute function set_updated_at();

alter table doctor_profiles enable row level security;
alter table doctor_profiles force row level security;
create policy doctor_profiles_in_clinic on doctor_profiles
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
grant select, insert, update on doctor_profiles to hms_app;
