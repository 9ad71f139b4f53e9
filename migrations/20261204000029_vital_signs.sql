-- Triage vitals (issue 16): time-stamped observations of a patient, taken
-- for a visit (usually by a nurse while they wait) and kept for the
-- consultation and later visits. The checks hold the limits outside which a
-- value cannot be a living patient's (src/domain/vitals.rs, which also
-- flags the abnormal ones).

alter table patient_visits add constraint patient_visits_id_clinic_key unique (id, clinic_id);

create table vital_signs (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete restrict,
    patient_id uuid not null,
    visit_id uuid,
    recorded_by uuid not null references users (id),
    recorded_at timestamptz not null default now(),
    systolic_mmhg integer,
    diastolic_mmhg integer,
    heart_rate_per_min integer,
    temperature_c numeric(4, 1),
    respiratory_rate_per_min integer,
    spo2_percent integer,
    weight_kg numeric(5, 2),
    height_cm numeric(4, 1),
    pain_score integer,
    constraint vital_signs_patient_same_clinic foreign key (patient_id, clinic_id)
        references patients (id, clinic_id),
    constraint vital_signs_visit_same_clinic foreign key (visit_id, clinic_id)
        references patient_visits (id, clinic_id),
    constraint vital_signs_something_measured check (num_nonnulls(
        systolic_mmhg, heart_rate_per_min, temperature_c, respiratory_rate_per_min, spo2_percent,
        weight_kg, height_cm, pain_score) > 0),
    constraint vital_signs_blood_pressure_whole check (
        (systolic_mmhg is null) = (diastolic_mmhg is null) and diastolic_mmhg < systolic_mmhg),
    constraint vital_signs_possible check (
        systolic_mmhg between 40 and 300 and diastolic_mmhg between 20 and 200
        and heart_rate_per_min between 20 and 300 and temperature_c between 25 and 45
        and respiratory_rate_per_min between 2 and 80 and spo2_percent between 50 and 100
        and weight_kg between 0.3 and 500 and height_cm between 20 and 272
        and pain_score between 0 and 10)
);
create index vital_signs_patient_idx on vital_signs (patient_id, recorded_at desc);
create index vital_signs_visit_idx on vital_signs (visit_id, recorded_at desc) where visit_id is not null;

alter table vital_signs enable row level security;
alter table vital_signs force row level security;
create policy vital_signs_in_clinic on vital_signs
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
-- A patient sees their own and records none.
create policy vital_signs_own on vital_signs as restrictive
    using (not app_acting_as_patient()
           or patient_id in (select id from patients where user_id = app_user_id()))
    with check (not app_acting_as_patient());
-- Observations are kept as taken: a mistake is corrected by a new one.
grant select, insert on vital_signs to hms_app;

-- A visit's vitals change what its queue shows.
create function announce_vitals_change() returns trigger
language plpgsql as $$
begin
    perform pg_notify('hms_events', json_build_object(
        'clinic', new.clinic_id,
        'topic', 'queue:' || v.department_id,
        'id', new.visit_id)::text)
    from patient_visits v where v.id = new.visit_id;
    return null;
end $$;
create trigger vital_signs_announced after insert on vital_signs
    for each row execute function announce_vitals_change();
