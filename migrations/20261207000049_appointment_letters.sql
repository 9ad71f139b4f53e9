-- Appointment letters and reminders (issue 18): the patient is emailed when
-- an appointment is booked, moved or cancelled, each with an iCalendar file,
-- and reminded 24 hours and 2 hours before, each reminder exactly once.

-- An email may carry one calendar (.ics) attachment.
alter table outbox_emails add column calendar text;
alter table outbox_emails add constraint outbox_emails_calendar_size
    check (octet_length(calendar) <= 20000);

-- `revision` counts the changes a patient's calendar must follow (a move, a
-- cancellation): it is the .ics SEQUENCE, and keys the letter about each
-- change, so the same change is never written about twice. `moved_at` is
-- when the appointment last got its time (null: at booking), so a reminder
-- is not sent for a time the patient was told of inside the reminder's own
-- window. Both are the database's to set; an update naming them is
-- overruled.
alter table appointments add column revision integer not null default 0;
alter table appointments add column moved_at timestamptz;

create function appointment_revised() returns trigger
language plpgsql as $$
begin
    new.revision := old.revision;
    new.moved_at := old.moved_at;
    if new.during is distinct from old.during then
        new.revision := old.revision + 1;
        new.moved_at := now();
    elsif new.status = 'cancelled' and old.status <> 'cancelled' then
        new.revision := old.revision + 1;
    end if;
    return new;
end $$;
create trigger appointments_revised before update on appointments
    for each row execute function appointment_revised();

create function appointment_revision_starts_at_zero() returns trigger
language plpgsql as $$
begin
    new.revision := 0;
    new.moved_at := null;
    return new;
end $$;
create trigger appointments_revision_starts before insert on appointments
    for each row execute function appointment_revision_starts_at_zero();

-- One row per reminder sent: (appointment, which reminder, for which start),
-- so two sweeps at once, or one run again after a crash, remind once, and a
-- moved appointment is reminded again for its new time.
create table appointment_reminders (
    appointment_id uuid not null references appointments (id) on delete cascade,
    clinic_id uuid not null references clinics (id) on delete cascade,
    kind text not null,
    starts timestamptz not null,
    created_at timestamptz not null default now(),
    primary key (appointment_id, kind, starts),
    constraint appointment_reminders_kind_known check (kind in ('day_before', 'two_hours'))
);
create index appointment_reminders_clinic_idx on appointment_reminders (clinic_id, created_at desc);

-- The clinic's staff may read them; only the reminder sweep (the server's
-- own work inside the clinic) adds them; patients do not see them; nobody
-- changes or deletes them (no grant).
alter table appointment_reminders enable row level security;
alter table appointment_reminders force row level security;
create policy appointment_reminders_in_clinic on appointment_reminders
    using (clinic_id = app_clinic_id())
    with check (clinic_id = app_clinic_id() and app_system_scope());
create policy appointment_reminders_not_patients on appointment_reminders as restrictive
    using (not app_acting_as_patient())
    with check (not app_acting_as_patient());
grant select, insert on appointment_reminders to hms_app;
