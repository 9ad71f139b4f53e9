-- Front-desk search keys as stored columns.
--
-- Under row-level security PostgreSQL applies a query's own conditions to an
-- index only when every function in them is leakproof, so that a row the
-- policy hides cannot leak through an error or a side effect. `lower()`,
-- `reverse()`, `regexp_replace()` and `like` are not leakproof, so the
-- expression indexes of migration 7 were never used by the application role:
-- each search read the clinic's whole register (30-70 ms at 60,000 patients).
-- Searching stored keys with `^@` (starts-with, leakproof) lets the planner
-- turn the prefix into an index range.
alter table patients
    add column family_key text generated always as (lower(family_name)) stored,
    add column given_key text generated always as (lower(given_name)) stored,
    add column number_key text generated always as (lower(patient_number)) stored,
    -- the phone's digits, last first: people give the end of a number
    add column phone_key text generated always as (reverse(regexp_replace(phone, '[^0-9]', '', 'g'))) stored;

-- The family index also serves the results' order (family, given, id).
create index patients_clinic_family_key_idx on patients (clinic_id, family_key text_pattern_ops, given_key text_pattern_ops);
create index patients_clinic_given_key_idx on patients (clinic_id, given_key text_pattern_ops);
create index patients_clinic_number_key_idx on patients (clinic_id, number_key text_pattern_ops);
create index patients_clinic_phone_key_idx on patients (clinic_id, phone_key text_pattern_ops);

drop index patients_clinic_family_prefix_idx;
drop index patients_clinic_given_prefix_idx;
drop index patients_clinic_number_prefix_idx;
drop index patients_clinic_phone_suffix_idx;


-- The patient an audit event concerns, as a uuid to join `patients` by key
-- (a join on `patients.id::text` cannot use the key under row-level security,
-- the cast not being leakproof). Anything else, or an id that is not a
-- canonical uuid, gives null rather than failing the whole list.
create function audit_patient_id(entity_type text, entity_id text) returns uuid
language sql immutable as $$
    select case
        when entity_type = 'patient'
         and entity_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        then entity_id::uuid
    end
$$;
