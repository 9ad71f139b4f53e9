-- The in-app notification centre (issue 18): a doctor hears when an
-- appointment with them is booked, cancelled or moved by someone else; the
-- front desk hears when a patient cancels in the portal. Rows are written
-- by a trigger on appointments, so every way of changing one (pages, API,
-- jobs to come) tells the same people, in the transaction of the change.
-- A row keeps what happened as it was then (the time, the time before a
-- move, who did it); the patient's name is read with the row, under the
-- reader's rights.
create table notifications (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete cascade,
    recipient_id uuid not null references users (id) on delete cascade,
    kind text not null,
    appointment_id uuid not null references appointments (id) on delete cascade,
    starts_at timestamptz not null,
    previous_starts_at timestamptz,
    -- who made the change (null: the system); whether it was the patient
    actor_id uuid references users (id) on delete set null,
    by_patient boolean not null,
    created_at timestamptz not null default now(),
    read_at timestamptz,
    constraint notifications_kind_known check (kind in (
        'appointment_booked', 'appointment_cancelled', 'appointment_moved')),
    constraint notifications_moved_from check (
        (kind = 'appointment_moved') = (previous_starts_at is not null))
);
-- A person's list, newest first; and their unread count, from a small index.
create index notifications_recipient_idx on notifications (recipient_id, clinic_id, created_at desc, id desc);
create index notifications_unread_idx on notifications (recipient_id, clinic_id) where read_at is null;
create index notifications_appointment_idx on notifications (appointment_id);

-- Each person reads and marks only their own, in the clinic they are in.
-- Nobody inserts or deletes through the application role: the trigger
-- below (as the owner) writes them.
alter table notifications enable row level security;
alter table notifications force row level security;
create policy notifications_own on notifications
    using (clinic_id = app_clinic_id() and recipient_id = app_user_id())
    with check (clinic_id = app_clinic_id() and recipient_id = app_user_id());
-- In the portal too, only one's own (said again for the patient-policy check).
create policy notifications_patients_own on notifications as restrictive
    using (not app_acting_as_patient() or recipient_id = app_user_id());
grant select on notifications to hms_app;
grant update (read_at) on notifications to hms_app;

-- Once read, a notification stays read, at the time it was first read.
create function keep_notification_read() returns trigger
language plpgsql as $$
begin
    if old.read_at is not null then
        new.read_at := old.read_at;
    elsif new.read_at is not null then
        new.read_at := now();
    end if;
    return new;
end $$;
create trigger notifications_read_once before update on notifications
    for each row execute function keep_notification_read();

-- Who hears of a change to an appointment.
create function notify_appointment_change() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    actor uuid := app_user_id();
    patient_acted boolean := app_acting_as_patient();
    what text;
    previous timestamptz;
begin
    if tg_op = 'INSERT' then
        if new.status <> 'booked' then
            return null;
        end if;
        what := 'appointment_booked';
    elsif new.status = 'cancelled' and old.status <> 'cancelled' then
        what := 'appointment_cancelled';
    elsif new.status = 'booked' and lower(new.during) <> lower(old.during) then
        what := 'appointment_moved';
        previous := lower(old.during);
    else
        return null;
    end if;

    -- The doctor, unless they made the change themselves.
    if actor is distinct from new.doctor_user_id then
        insert into notifications (clinic_id, recipient_id, kind, appointment_id,
                                   starts_at, previous_starts_at, actor_id, by_patient)
        values (new.clinic_id, new.doctor_user_id, what, new.id,
                lower(new.during), previous, actor, patient_acted);
    end if;
    -- The front desk, when a patient cancels: the time is free again.
    if what = 'appointment_cancelled' and patient_acted then
        insert into notifications (clinic_id, recipient_id, kind, appointment_id,
                                   starts_at, previous_starts_at, actor_id, by_patient)
        select distinct new.clinic_id, m.user_id, what, new.id,
               lower(new.during), null::timestamptz, actor, true
        from memberships m
        where m.clinic_id = new.clinic_id and m.role = 'receptionist' and m.active
          and m.user_id is distinct from actor and m.user_id <> new.doctor_user_id;
    end if;
    return null;
end $$;
revoke all on function notify_appointment_change() from public;
create trigger appointments_notify after insert or update on appointments
    for each row execute function notify_appointment_change();

-- Live: the recipient's open pages hear of it (only ids, as for visits).
create function announce_notification() returns trigger
language plpgsql as $$
begin
    perform pg_notify('hms_events', json_build_object(
        'clinic', new.clinic_id,
        'topic', 'notifications:' || new.recipient_id,
        'id', new.id)::text);
    return null;
end $$;
create trigger notifications_announced after insert on notifications
    for each row execute function announce_notification();

-- Marking read is heard too, so the person's other open pages (another
-- tab, the tablet) lower their count; once per person, however many rows.
create function announce_notifications_read() returns trigger
language plpgsql as $$
begin
    perform pg_notify('hms_events', json_build_object(
        'clinic', r.clinic_id,
        'topic', 'notifications:' || r.recipient_id,
        'id', r.recipient_id)::text)
    from (select distinct clinic_id, recipient_id from changed) r;
    return null;
end $$;
create trigger notifications_read_announced after update on notifications
    referencing new table as changed
    for each statement execute function announce_notifications_read();
