-- Self-booking suspension (issue 18): after the clinic's number of no-shows
-- within its window (clinic_schedule_settings.suspend_after_no_shows and
-- suspend_window_days), the no-show sweep pauses the patient's booking in
-- the portal. The front desk sees why on the record; the clinic admin lifts
-- it with a reason. No-shows before a lift do not count again.
create table self_booking_suspensions (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete cascade,
    patient_id uuid not null,
    -- what the rule counted when it suspended
    no_shows integer not null,
    window_days integer not null,
    suspended_at timestamptz not null default now(),
    lifted_at timestamptz,
    lifted_by uuid references users (id),
    lift_reason text,
    constraint self_booking_suspensions_patient_same_clinic foreign key (patient_id, clinic_id)
        references patients (id, clinic_id) on delete cascade,
    constraint self_booking_suspensions_counts check (no_shows >= 1 and window_days >= 1),
    constraint self_booking_suspensions_lifted_together check (
        (lifted_at is null) = (lifted_by is null) and (lifted_at is null) = (lift_reason is null)),
    constraint self_booking_suspensions_lift_reason_length check (
        char_length(lift_reason) between 1 and 500)
);
-- At most one in force per patient; a patient's history, newest first.
create unique index self_booking_suspensions_in_force on self_booking_suspensions (patient_id)
    where lifted_at is null;
create index self_booking_suspensions_patient_idx on self_booking_suspensions (patient_id, suspended_at desc);

-- A suspension is lifted once, and nothing else about it changes; the
-- database stamps when.
create function lift_self_booking_suspension() returns trigger
language plpgsql as $$
begin
    if old.lifted_at is not null
       or (new.clinic_id, new.patient_id, new.no_shows, new.window_days, new.suspended_at)
          is distinct from (old.clinic_id, old.patient_id, old.no_shows, old.window_days, old.suspended_at)
       or new.lifted_by is null then
        raise exception 'a suspension is only lifted, once'
            using errcode = 'check_violation', constraint = 'self_booking_suspensions_lift_once';
    end if;
    new.lifted_at := now();
    return new;
end $$;
create trigger self_booking_suspensions_lift before update on self_booking_suspensions
    for each row execute function lift_self_booking_suspension();

-- The clinic's staff read them; only the no-show sweep (the system inside
-- the clinic) adds them; only the clinic admin lifts them; a patient reads
-- their own; nobody deletes them.
alter table self_booking_suspensions enable row level security;
alter table self_booking_suspensions force row level security;
create policy self_booking_suspensions_in_clinic on self_booking_suspensions
    using (clinic_id = app_clinic_id())
    with check (clinic_id = app_clinic_id());
create policy self_booking_suspensions_own on self_booking_suspensions as restrictive
    using (not app_acting_as_patient() or patient_id = app_patient_id())
    with check (not app_acting_as_patient());
create policy self_booking_suspensions_added_by_sweep on self_booking_suspensions as restrictive
    for insert with check (app_system_scope());
create policy self_booking_suspensions_lifted_by_admin on self_booking_suspensions as restrictive
    for update using (coalesce(current_setting('hms.role', true), '') = 'clinic_admin');
grant select, insert, update on self_booking_suspensions to hms_app;

-- A patient whose booking is paused cannot book in the portal (the desk
-- still books for them).
create function appointment_self_booking_allowed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if exists (select 1 from self_booking_suspensions s
               where s.patient_id = new.patient_id and s.lifted_at is null) then
        raise exception 'booking online is paused for this patient'
            using errcode = 'check_violation', constraint = 'appointments_self_booking_suspended';
    end if;
    return new;
end $$;
revoke all on function appointment_self_booking_allowed() from public;
create trigger appointments_self_booking_allowed before insert on appointments
    for each row when (new.booked_by_patient)
    execute function appointment_self_booking_allowed();
