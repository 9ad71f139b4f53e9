-- Registration at the front desk (issue 16): the rest of the demographics,
-- an identity document kept sealed, the patient's status, and patient
-- numbers handed out by the database.

alter table patients
    add column state text not null default '',
    add column postal_code text not null default '',
    add column preferred_language text not null default '',
    add column emergency_contact_relationship text not null default '',
    add column id_type text not null default 'none',
    -- AES-256-GCM under HMS_SECRET_KEY, bound to the patient's id
    -- (server::crypto): a copy of the database does not reveal it.
    add column id_number_sealed bytea,
    -- HMAC-SHA256 of the clinic, the type and the normalised number under a
    -- key derived from HMS_SECRET_KEY: finds an exact match, reveals nothing,
    -- and differs between clinics for the same document.
    add column id_number_hash bytea,
    add column status text not null default 'registered',
    add constraint patients_id_type_known check (id_type in (
        'aadhaar', 'pan', 'passport', 'driving_licence', 'national_id', 'other', 'none')),
    add constraint patients_id_number_with_type check (
        (id_type = 'none') = (id_number_sealed is null)
        and (id_number_sealed is null) = (id_number_hash is null)),
    add constraint patients_status_known check (status in (
        'registered', 'in_consultation', 'under_treatment', 'admitted', 'discharged', 'deceased')),
    -- The form's limits (src/domain/patients/registration.rs), held here too.
    add constraint patients_field_lengths check (
        char_length(phone) <= 32 and char_length(email) <= 254
        and char_length(address) <= 300 and char_length(city) <= 100
        and char_length(state) <= 100 and char_length(postal_code) <= 16
        and char_length(preferred_language) <= 50
        and char_length(emergency_contact_name) <= 200
        and char_length(emergency_contact_phone) <= 32
        and char_length(emergency_contact_relationship) <= 50);

-- The duplicate check before registering: the same document, the same
-- family name and date of birth (the phone has patients_clinic_phone_key_idx).
create index patients_clinic_id_number_idx on patients (clinic_id, id_number_hash)
    where id_number_hash is not null;
create index patients_clinic_family_born_idx on patients (clinic_id, family_key, date_of_birth);

-- Patient numbers, PT-YYYY-NNNNN: the year of registration in the clinic's
-- time zone and a counter per clinic and year. The counter's row is
-- locked by the increment until the registration commits, so concurrent
-- registrations queue for a moment and never share a number; a rolled
-- back registration rolls its increment back too, so a committed number is
-- never given out twice and none is skipped.
create table patient_number_counters (
    clinic_id uuid not null references clinics (id) on delete cascade,
    year integer not null,
    last_number integer not null,
    primary key (clinic_id, year),
    constraint patient_number_counters_sane check (year between 2000 and 9999 and last_number > 0)
);
alter table patient_number_counters enable row level security;
alter table patient_number_counters force row level security;
create policy patient_number_counters_in_clinic on patient_number_counters
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
create policy patient_number_counters_not_patients on patient_number_counters as restrictive
    using (not app_acting_as_patient())
    with check (not app_acting_as_patient());
-- Readable (this year's registrations); written only by the trigger below,
-- which runs as the owner.
grant select on patient_number_counters to hms_app;

create function assign_patient_number() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    y integer;
    n integer;
begin
    -- Records brought from an earlier system keep the number they had.
    if new.patient_number is not null then
        return new;
    end if;
    select extract(year from now() at time zone c.timezone)::integer into y
    from clinics c where c.id = new.clinic_id;
    insert into patient_number_counters as k (clinic_id, year, last_number)
    values (new.clinic_id, y, 1)
    on conflict (clinic_id, year) do update set last_number = k.last_number + 1
    returning k.last_number into n;
    -- Five digits at least; lpad would cut a sixth.
    new.patient_number := 'PT-' || y || '-' || case when n < 100000 then lpad(n::text, 5, '0') else n::text end;
    return new;
end $$;
revoke all on function assign_patient_number() from public;

create trigger patients_numbered before insert on patients
    for each row execute function assign_patient_number();
