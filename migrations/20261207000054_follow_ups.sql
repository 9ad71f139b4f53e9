-- Follow-ups (issue 18): a note that a patient should come back by a date,
-- for a reason, to a department (and a doctor, if one is named), which the
-- front desk turns into an appointment. Once booked, a follow-up follows
-- its appointment: completed when the visit is, missed when the patient
-- does not come, and pending again when the appointment is cancelled, so
-- that it is booked again rather than forgotten. A pending one the patient
-- cannot be brought back for is marked missed by the desk.
--
-- Appointments are completed with their visit: until now a checked-in
-- appointment stayed checked in after the doctor had seen the patient.

create function complete_appointment_with_visit() returns trigger
language plpgsql as $$
begin
    update appointments set status = 'completed'
    where visit_id = new.id and status = 'checked_in';
    return null;
end $$;
create trigger patient_visits_complete_appointment after update of status on patient_visits
    for each row when (new.status = 'completed' and old.status is distinct from 'completed')
    execute function complete_appointment_with_visit();

create table follow_ups (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete restrict,
    patient_id uuid not null,
    department_id uuid not null,
    -- the doctor the patient should see again, if it matters who
    doctor_user_id uuid references users (id),
    due_on date not null,
    reason text not null,
    status text not null default 'pending',
    appointment_id uuid unique references appointments (id),
    created_by uuid not null references users (id),
    created_at timestamptz not null default now(),
    booked_at timestamptz,
    completed_at timestamptz,
    missed_at timestamptz,
    updated_at timestamptz not null default now(),
    constraint follow_ups_patient_same_clinic foreign key (patient_id, clinic_id)
        references patients (id, clinic_id),
    constraint follow_ups_department_same_clinic foreign key (department_id, clinic_id)
        references departments (id, clinic_id),
    constraint follow_ups_status_known check (status in ('pending', 'booked', 'completed', 'missed')),
    constraint follow_ups_reason_length check (char_length(reason) between 1 and 500),
    -- Booked and completed ones have their appointment; pending ones none.
    constraint follow_ups_appointment_with_status check (
        (status = 'pending' and appointment_id is null)
        or (status in ('booked', 'completed') and appointment_id is not null)
        or status = 'missed')
);
create trigger follow_ups_updated_at before update on follow_ups
    for each row execute function set_updated_at();
-- The desk's list: the clinic's pending ones by due date; a patient's own.
create index follow_ups_open_idx on follow_ups (clinic_id, due_on, id) where status = 'pending';
create index follow_ups_clinic_idx on follow_ups (clinic_id, status, due_on desc, id desc);
create index follow_ups_patient_idx on follow_ups (patient_id, due_on desc);

-- A new follow-up is pending, due from today (the clinic's) to two years
-- ahead, with a doctor (if named) who sees patients in its department.
create function new_follow_up() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    today date;
begin
    new.status := 'pending';
    new.appointment_id := null;
    new.created_at := now();
    new.booked_at := null;
    new.completed_at := null;
    new.missed_at := null;
    select (now() at time zone c.timezone)::date into today from clinics c where c.id = new.clinic_id;
    if new.due_on < today then
        raise exception 'a follow-up cannot be due in the past'
            using errcode = 'check_violation', constraint = 'follow_ups_due_not_past';
    end if;
    if new.due_on > today + 730 then
        raise exception 'a follow-up is due within two years'
            using errcode = 'check_violation', constraint = 'follow_ups_due_within_two_years';
    end if;
    if new.doctor_user_id is not null and not exists (
        select 1 from memberships m
        where m.clinic_id = new.clinic_id and m.user_id = new.doctor_user_id and m.active
          and m.role in ('doctor', 'head_of_department') and m.department_id = new.department_id
    ) then
        raise exception 'the doctor does not see patients in this department'
            using errcode = 'check_violation', constraint = 'follow_ups_doctor_in_department';
    end if;
    return new;
end $$;
revoke all on function new_follow_up() from public;
create trigger follow_ups_new before insert on follow_ups
    for each row execute function new_follow_up();

-- The lifecycle (src/domain/follow_ups.rs, FollowUpStatus::can_become; a
-- test holds the two equal).
create function follow_up_transition_allowed(from_status text, to_status text) returns boolean
language sql immutable as $$
    select (from_status, to_status) in (
        ('pending', 'booked'), ('pending', 'missed'),
        ('booked', 'pending'), ('booked', 'completed'), ('booked', 'missed'))
$$;

-- What a follow-up says does not change; its status moves only as the
-- lifecycle allows. The desk books a pending one (with a booked appointment
-- of the same patient) or marks it missed; a booked one moves only with its
-- appointment, through the trigger below (a trigger's own update, hence
-- the depth: the application cannot reach it directly).
create function move_follow_up() returns trigger
language plpgsql as $$
begin
    if (new.clinic_id, new.patient_id, new.department_id, new.doctor_user_id, new.due_on,
        new.reason, new.created_by, new.created_at)
       is distinct from
       (old.clinic_id, old.patient_id, old.department_id, old.doctor_user_id, old.due_on,
        old.reason, old.created_by, old.created_at) then
        raise exception 'what a follow-up says does not change'
            using errcode = 'check_violation', constraint = 'follow_ups_fixed';
    end if;
    if new.status is not distinct from old.status then
        if new.appointment_id is distinct from old.appointment_id then
            raise exception 'a follow-up''s appointment changes only with its status'
                using errcode = 'check_violation', constraint = 'follow_ups_transition';
        end if;
        return new;
    end if;
    if not follow_up_transition_allowed(old.status, new.status) then
        raise exception 'a follow-up cannot go from % to %', old.status, new.status
            using errcode = 'check_violation', constraint = 'follow_ups_transition';
    end if;
    if old.status = 'booked' and pg_trigger_depth() < 2 then
        raise exception 'a booked follow-up moves with its appointment'
            using errcode = 'check_violation', constraint = 'follow_ups_transition';
    end if;
    if new.status = 'booked' then
        if not exists (
            select 1 from appointments a
            where a.id = new.appointment_id and a.clinic_id = new.clinic_id
              and a.patient_id = new.patient_id and a.status = 'booked'
        ) then
            raise exception 'a follow-up is booked with a booked appointment of its patient'
                using errcode = 'check_violation', constraint = 'follow_ups_booked_appointment';
        end if;
        new.booked_at := now();
    elsif new.status = 'pending' then
        new.appointment_id := null;
        new.booked_at := null;
    elsif new.status = 'completed' then
        new.appointment_id := old.appointment_id;
        new.completed_at := now();
    else
        new.appointment_id := old.appointment_id;
        new.missed_at := now();
    end if;
    return new;
end $$;
create trigger follow_ups_moved before update on follow_ups
    for each row execute function move_follow_up();

-- A booked follow-up follows its appointment. As the owner: the no-show
-- sweep, in the system's scope, moves them too.
create function follow_up_follows_appointment() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    update follow_ups
    set status = case new.status
                     when 'completed' then 'completed'
                     when 'no_show' then 'missed'
                     else 'pending'
                 end
    where appointment_id = new.id and status = 'booked';
    return null;
end $$;
revoke all on function follow_up_follows_appointment() from public;
create trigger appointments_move_follow_up after update of status on appointments
    for each row
    when (new.status in ('completed', 'no_show', 'cancelled') and old.status is distinct from new.status)
    execute function follow_up_follows_appointment();

-- Each clinic its own. A patient reads their own (the portal may show
-- them) and writes none.
alter table follow_ups enable row level security;
alter table follow_ups force row level security;
create policy follow_ups_in_clinic on follow_ups
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
create policy follow_ups_own on follow_ups as restrictive
    using (not app_acting_as_patient() or patient_id = app_patient_id());
create policy follow_ups_not_added_by_patients on follow_ups as restrictive
    for insert with check (not app_acting_as_patient());
create policy follow_ups_not_changed_by_patients on follow_ups as restrictive
    for update using (not app_acting_as_patient());
grant select, insert, update on follow_ups to hms_app;

-- The audit log names the patient of a follow-up's events too.
create or replace function audit_event_patient_id(entity_type text, entity_id text) returns uuid
language sql stable as $$
    select case
        when entity_id !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        then null
        when entity_type = 'patient' then entity_id::uuid
        when entity_type = 'visit'
        then (select v.patient_id from patient_visits v where v.id = entity_id::uuid)
        when entity_type = 'vital_signs'
        then (select s.patient_id from vital_signs s where s.id = entity_id::uuid)
        when entity_type = 'appointment'
        then (select a.patient_id from appointments a where a.id = entity_id::uuid)
        when entity_type = 'follow_up'
        then (select f.patient_id from follow_ups f where f.id = entity_id::uuid)
    end
$$;
