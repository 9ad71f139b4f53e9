-- Appointments and doctors' schedules (issue 18). Every open hospital system
-- checks for a double booking in application code before inserting, which
-- two receptionists clicking at once defeat; here the database refuses it:
-- exclusion constraints keep one doctor's active appointments (and one
-- patient's) from overlapping, a trigger refuses a booking outside the
-- doctor's hours, on a holiday, in leave or in the past, and another holds
-- the lifecycle. Times are wall-clock times in the clinic's own zone
-- (clinics.timezone); appointments are instants (timestamptz ranges).

-- Trusted since PostgreSQL 13: the database owner may create it.
create extension if not exists btree_gist;

-- What the clinic decides about booking; one row per clinic, made with it.
create table clinic_schedule_settings (
    clinic_id uuid primary key references clinics (id) on delete cascade,
    slot_minutes integer not null default 15,
    -- a patient may cancel up to this long before the appointment
    cancel_notice_minutes integer not null default 120,
    -- a booked appointment becomes a no-show this long after its end
    no_show_grace_minutes integer not null default 15,
    -- self-booking is suspended after this many no-shows in this many days
    suspend_after_no_shows integer not null default 3,
    suspend_window_days integer not null default 90,
    -- how far ahead anyone may book
    booking_horizon_days integer not null default 90,
    updated_at timestamptz not null default now(),
    constraint clinic_schedule_settings_slot_range check (slot_minutes between 5 and 240),
    constraint clinic_schedule_settings_cancel_range check (cancel_notice_minutes between 0 and 10080),
    constraint clinic_schedule_settings_grace_range check (no_show_grace_minutes between 0 and 1440),
    constraint clinic_schedule_settings_suspend_range check (
        suspend_after_no_shows between 1 and 100 and suspend_window_days between 1 and 730),
    constraint clinic_schedule_settings_horizon_range check (booking_horizon_days between 1 and 730)
);
create trigger clinic_schedule_settings_updated_at before update on clinic_schedule_settings
    for each row execute function set_updated_at();
insert into clinic_schedule_settings (clinic_id) select id from clinics;

create function add_clinic_schedule_settings() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    insert into clinic_schedule_settings (clinic_id) values (new.id) on conflict do nothing;
    return null;
end $$;
revoke all on function add_clinic_schedule_settings() from public;
create trigger clinics_schedule_settings after insert on clinics
    for each row execute function add_clinic_schedule_settings();

-- The clinic's opening hours per ISO weekday (1 Monday .. 7 Sunday), one or
-- more sessions a day. None at all: open whenever its doctors are.
create table clinic_opening_hours (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete cascade,
    weekday smallint not null,
    opens time not null,
    closes time not null,
    constraint clinic_opening_hours_weekday_range check (weekday between 1 and 7),
    constraint clinic_opening_hours_order check (opens < closes),
    constraint clinic_opening_hours_overlap exclude using gist (
        clinic_id with =, weekday with =,
        tsrange(date '2000-01-01' + opens, date '2000-01-01' + closes) with &&)
);

-- Days the clinic is closed: no weekly hours apply (extra sessions still do).
create table clinic_holidays (
    clinic_id uuid not null references clinics (id) on delete cascade,
    day date not null,
    name text not null,
    primary key (clinic_id, day),
    constraint clinic_holidays_name_length check (char_length(name) between 1 and 100)
);

-- A doctor's weekly office hours in one clinic: sessions per weekday, each
-- with its room; one doctor's sessions on a weekday never overlap.
create table doctor_office_hours (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete cascade,
    doctor_user_id uuid not null references users (id),
    weekday smallint not null,
    starts time not null,
    ends time not null,
    room text not null default '',
    constraint doctor_office_hours_weekday_range check (weekday between 1 and 7),
    constraint doctor_office_hours_order check (starts < ends),
    constraint doctor_office_hours_room_length check (char_length(room) <= 50),
    constraint doctor_office_hours_overlap exclude using gist (
        clinic_id with =, doctor_user_id with =, weekday with =,
        tsrange(date '2000-01-01' + starts, date '2000-01-01' + ends) with &&)
);

-- Changes to the weekly pattern: leave and blocked hours take time away,
-- extra sessions add it (even on a holiday). Instants, not wall-clock
-- times: the server turns the local dates and times typed into them.
create table doctor_schedule_exceptions (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete cascade,
    doctor_user_id uuid not null references users (id),
    kind text not null,
    during tstzrange not null,
    room text not null default '',
    reason text not null default '',
    created_by uuid not null references users (id),
    created_at timestamptz not null default now(),
    constraint doctor_schedule_exceptions_kind_known check (kind in ('leave', 'blocked', 'extra')),
    constraint doctor_schedule_exceptions_during_shape check (
        not isempty(during) and lower_inc(during) and not upper_inc(during)
        and not lower_inf(during) and not upper_inf(during)
        and upper(during) - lower(during) <= interval '366 days'),
    constraint doctor_schedule_exceptions_room_length check (char_length(room) <= 50),
    constraint doctor_schedule_exceptions_reason_length check (char_length(reason) <= 500)
);
create index doctor_schedule_exceptions_during_idx on doctor_schedule_exceptions
    using gist (clinic_id, doctor_user_id, during);

-- Office hours and exceptions belong to doctors of the clinic.
create function schedule_for_a_doctor() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if not exists (
        select 1 from memberships m
        where m.clinic_id = new.clinic_id and m.user_id = new.doctor_user_id and m.active
          and m.role in ('doctor', 'head_of_department')
    ) then
        raise exception 'not a doctor of this clinic'
            using errcode = 'check_violation', constraint = 'doctor_schedule_doctor_in_clinic';
    end if;
    return new;
end $$;
revoke all on function schedule_for_a_doctor() from public;
create trigger doctor_office_hours_for_a_doctor before insert or update on doctor_office_hours
    for each row execute function schedule_for_a_doctor();
create trigger doctor_schedule_exceptions_for_a_doctor before insert or update on doctor_schedule_exceptions
    for each row execute function schedule_for_a_doctor();

create table appointments (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete restrict,
    patient_id uuid not null,
    department_id uuid not null,
    doctor_user_id uuid not null references users (id),
    during tstzrange not null,
    appointment_type text not null,
    reason text not null default '',
    status text not null default 'booked',
    -- who booked it: staff, or the patient in the portal
    booked_by uuid not null references users (id),
    booked_by_patient boolean not null default false,
    -- the front desk's visit, once the patient has arrived
    visit_id uuid unique references patient_visits (id),
    cancel_reason text,
    cancelled_by uuid references users (id),
    checked_in_at timestamptz,
    completed_at timestamptz,
    cancelled_at timestamptz,
    no_show_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint appointments_patient_same_clinic foreign key (patient_id, clinic_id)
        references patients (id, clinic_id),
    constraint appointments_department_same_clinic foreign key (department_id, clinic_id)
        references departments (id, clinic_id),
    constraint appointments_type_known check (appointment_type in ('routine', 'follow_up', 'emergency')),
    constraint appointments_status_known check (status in (
        'booked', 'checked_in', 'completed', 'cancelled', 'no_show')),
    constraint appointments_reason_length check (char_length(reason) <= 500),
    constraint appointments_cancel_reason_length check (char_length(cancel_reason) between 1 and 500),
    constraint appointments_during_shape check (
        not isempty(during) and lower_inc(during) and not upper_inc(during)
        and not lower_inf(during) and not upper_inf(during)
        and upper(during) - lower(during) between interval '5 minutes' and interval '8 hours'),
    constraint appointments_cancelled_with_reason check (
        (status = 'cancelled') = (cancel_reason is not null and cancelled_by is not null)),
    -- The two invariants no race can break.
    constraint appointments_doctor_overlap exclude using gist (
        clinic_id with =, doctor_user_id with =, during with &&)
        where (status in ('booked', 'checked_in', 'completed')),
    constraint appointments_patient_overlap exclude using gist (
        patient_id with =, during with &&)
        where (status in ('booked', 'checked_in', 'completed'))
);
create trigger appointments_updated_at before update on appointments
    for each row execute function set_updated_at();
-- A patient's appointments, newest first; the clinic's day (a department's
-- or a doctor's is a few dozen of its rows).
create index appointments_patient_idx on appointments (patient_id, lower(during) desc);
create index appointments_day_idx on appointments (clinic_id, lower(during));
-- The no-show sweep and the reminders look only at what is still booked.
create index appointments_booked_end_idx on appointments (upper(during)) where status = 'booked';
create index appointments_booked_start_idx on appointments (lower(during)) where status = 'booked';

-- Whether `during` lies in the doctor's time in the clinic: inside one of
-- their weekly sessions on that local day (and inside the clinic's opening
-- hours, if it has any, and not on a holiday), or inside an extra session;
-- and in no leave or blocked time. Local days and times in the clinic's zone.
create function appointment_in_hours(clinic uuid, doctor uuid, slot tstzrange) returns boolean
language sql stable security definer set search_path = public, pg_temp as $$
    with l as (
        select lower(slot) at time zone c.timezone as starts,
               upper(slot) at time zone c.timezone as ends
        from clinics c where c.id = clinic
    )
    select not exists (
               select 1 from doctor_schedule_exceptions e
               where e.clinic_id = clinic and e.doctor_user_id = doctor
                 and e.kind in ('leave', 'blocked') and e.during && slot)
       and (exists (
               select 1 from doctor_schedule_exceptions e
               where e.clinic_id = clinic and e.doctor_user_id = doctor
                 and e.kind = 'extra' and e.during @> slot)
            or exists (
               select 1 from l, doctor_office_hours o
               where o.clinic_id = clinic and o.doctor_user_id = doctor
                 and o.weekday = extract(isodow from l.starts)
                 and l.starts >= l.starts::date + o.starts and l.ends <= l.starts::date + o.ends
                 and not exists (select 1 from clinic_holidays h
                                 where h.clinic_id = clinic and h.day = l.starts::date)
                 and (not exists (select 1 from clinic_opening_hours h where h.clinic_id = clinic)
                      or exists (select 1 from clinic_opening_hours h
                                 where h.clinic_id = clinic and h.weekday = o.weekday
                                   and l.starts >= l.starts::date + h.opens
                                   and l.ends <= l.starts::date + h.closes))))
$$;
revoke all on function appointment_in_hours(uuid, uuid, tstzrange) from public;

-- The doctor's time in the caller's clinic overlapping `span`: appointments
-- holding it (booked, arrived, seen), leave, blocked time and extra
-- sessions, without whose appointments they are or why the doctor is away.
-- Free slots are worked out from these for anyone who may book, patients
-- included, who may read neither other patients' appointments nor leave.
create function doctor_time(doctor uuid, span tstzrange)
returns table (kind text, starts timestamptz, ends timestamptz, room text)
language sql stable security definer set search_path = public, pg_temp as $$
    select 'appointment', lower(a.during), upper(a.during), '' from appointments a
    where a.clinic_id = app_clinic_id() and a.doctor_user_id = doctor and a.during && span
      and a.status in ('booked', 'checked_in', 'completed')
    union all
    select e.kind, lower(e.during), upper(e.during), e.room from doctor_schedule_exceptions e
    where e.clinic_id = app_clinic_id() and e.doctor_user_id = doctor and e.during && span
$$;
revoke all on function doctor_time(uuid, tstzrange) from public;
grant execute on function doctor_time(uuid, tstzrange) to hms_app;

-- The doctor must see patients in the department; a new or moved
-- appointment must be in the future, within the clinic's booking horizon
-- and in the doctor's hours. Owners may load history (seeds, imports) with
-- this trigger disabled; the app role cannot.
create function appointment_bookable() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    horizon integer;
begin
    if not exists (
        select 1 from memberships m
        where m.clinic_id = new.clinic_id and m.user_id = new.doctor_user_id and m.active
          and m.role in ('doctor', 'head_of_department') and m.department_id = new.department_id
    ) then
        raise exception 'the doctor does not see patients in this department'
            using errcode = 'check_violation', constraint = 'appointments_doctor_in_department';
    end if;
    if lower(new.during) < now() then
        raise exception 'the appointment would start in the past'
            using errcode = 'check_violation', constraint = 'appointments_in_the_future';
    end if;
    select s.booking_horizon_days into horizon
    from clinic_schedule_settings s where s.clinic_id = new.clinic_id;
    if lower(new.during) > now() + make_interval(days => coalesce(horizon, 90)) then
        raise exception 'the appointment is beyond the booking horizon'
            using errcode = 'check_violation', constraint = 'appointments_within_horizon';
    end if;
    if not appointment_in_hours(new.clinic_id, new.doctor_user_id, new.during) then
        raise exception 'the doctor is not seeing patients then'
            using errcode = 'check_violation', constraint = 'appointments_in_hours';
    end if;
    return new;
end $$;
revoke all on function appointment_bookable() from public;

create function book_appointment() returns trigger
language plpgsql as $$
begin
    new.status := 'booked';
    new.created_at := now();
    new.checked_in_at := null;
    new.completed_at := null;
    new.cancelled_at := null;
    new.no_show_at := null;
    new.visit_id := null;
    return new;
end $$;
create trigger appointments_booked before insert on appointments
    for each row execute function book_appointment();
create trigger appointments_bookable before insert on appointments
    for each row execute function appointment_bookable();

-- The lifecycle (src/domain/appointments.rs, AppointmentStatus::can_become;
-- a test holds the two equal).
create function appointment_transition_allowed(from_status text, to_status text) returns boolean
language sql immutable as $$
    select (from_status, to_status) in (
        ('booked', 'checked_in'), ('booked', 'cancelled'), ('booked', 'no_show'),
        ('checked_in', 'completed'))
$$;

create function move_appointment() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if (new.clinic_id, new.patient_id, new.booked_by, new.booked_by_patient, new.created_at)
       is distinct from
       (old.clinic_id, old.patient_id, old.booked_by, old.booked_by_patient, old.created_at) then
        raise exception 'an appointment''s patient and booking do not change'
            using errcode = 'check_violation', constraint = 'appointments_fixed';
    end if;
    if (new.during, new.doctor_user_id, new.department_id)
       is distinct from (old.during, old.doctor_user_id, old.department_id)
       and not (old.status = 'booked' and new.status = 'booked') then
        raise exception 'only a booked appointment can be moved'
            using errcode = 'check_violation', constraint = 'appointments_transition';
    end if;
    -- A cancellation's reason is written once, by the cancelling.
    if (new.cancel_reason, new.cancelled_by) is distinct from (old.cancel_reason, old.cancelled_by)
       and not (old.status = 'booked' and new.status = 'cancelled') then
        raise exception 'only a booked appointment can be cancelled'
            using errcode = 'check_violation', constraint = 'appointments_transition';
    end if;
    if new.status is distinct from old.status then
        if not appointment_transition_allowed(old.status, new.status) then
            raise exception 'an appointment cannot go from % to %', old.status, new.status
                using errcode = 'check_violation', constraint = 'appointments_transition';
        end if;
        -- No-shows are the sweep's to mark, in the system's own scope.
        if new.status = 'no_show' and not app_system_scope() then
            raise exception 'only the no-show sweep marks no-shows'
                using errcode = 'check_violation', constraint = 'appointments_transition';
        end if;
        case new.status
            when 'checked_in' then new.checked_in_at := now();
            when 'completed' then new.completed_at := now();
            when 'cancelled' then new.cancelled_at := now();
            else new.no_show_at := now();
        end case;
    end if;
    -- Someone in the portal may only cancel their own booked appointment,
    -- and only up to the clinic's notice.
    if app_acting_as_patient() then
        if not (old.status = 'booked' and new.status = 'cancelled')
           or (new.during, new.doctor_user_id, new.department_id, new.appointment_type, new.reason,
               new.visit_id)
              is distinct from
              (old.during, old.doctor_user_id, old.department_id, old.appointment_type, old.reason,
               old.visit_id) then
            raise exception 'a patient may only cancel their appointment'
                using errcode = 'check_violation', constraint = 'appointments_patient_may_cancel';
        end if;
        if lower(old.during) < now() + make_interval(mins => (
               select s.cancel_notice_minutes from clinic_schedule_settings s
               where s.clinic_id = old.clinic_id)) then
            raise exception 'too late to cancel'
                using errcode = 'check_violation', constraint = 'appointments_cancel_notice';
        end if;
    end if;
    if new.visit_id is distinct from old.visit_id and old.visit_id is not null then
        raise exception 'an appointment''s visit does not change'
            using errcode = 'check_violation', constraint = 'appointments_fixed';
    end if;
    return new;
end $$;
revoke all on function move_appointment() from public;
create trigger appointments_moved before update on appointments
    for each row execute function move_appointment();
create trigger appointments_rebookable before update of during, doctor_user_id, department_id
    on appointments for each row
    when ((new.during, new.doctor_user_id, new.department_id)
          is distinct from (old.during, old.doctor_user_id, old.department_id))
    execute function appointment_bookable();

-- Row-level security: each clinic its own; a patient in the portal reads
-- and books their own appointments and reads the clinic's hours.
alter table clinic_schedule_settings enable row level security;
alter table clinic_schedule_settings force row level security;
create policy clinic_schedule_settings_in_clinic on clinic_schedule_settings
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
create policy clinic_schedule_settings_no_update_by_patients on clinic_schedule_settings as restrictive
    for update using (not app_acting_as_patient());
grant select, update on clinic_schedule_settings to hms_app;

alter table clinic_opening_hours enable row level security;
alter table clinic_opening_hours force row level security;
create policy clinic_opening_hours_in_clinic on clinic_opening_hours
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
create policy clinic_opening_hours_read_only_for_patients on clinic_opening_hours as restrictive
    for insert with check (not app_acting_as_patient());
create policy clinic_opening_hours_no_update_by_patients on clinic_opening_hours as restrictive
    for update using (not app_acting_as_patient());
create policy clinic_opening_hours_no_delete_by_patients on clinic_opening_hours as restrictive
    for delete using (not app_acting_as_patient());
grant select, insert, update, delete on clinic_opening_hours to hms_app;

alter table clinic_holidays enable row level security;
alter table clinic_holidays force row level security;
create policy clinic_holidays_in_clinic on clinic_holidays
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
create policy clinic_holidays_read_only_for_patients on clinic_holidays as restrictive
    for insert with check (not app_acting_as_patient());
create policy clinic_holidays_no_update_by_patients on clinic_holidays as restrictive
    for update using (not app_acting_as_patient());
create policy clinic_holidays_no_delete_by_patients on clinic_holidays as restrictive
    for delete using (not app_acting_as_patient());
grant select, insert, update, delete on clinic_holidays to hms_app;

alter table doctor_office_hours enable row level security;
alter table doctor_office_hours force row level security;
create policy doctor_office_hours_in_clinic on doctor_office_hours
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
create policy doctor_office_hours_read_only_for_patients on doctor_office_hours as restrictive
    for insert with check (not app_acting_as_patient());
create policy doctor_office_hours_no_update_by_patients on doctor_office_hours as restrictive
    for update using (not app_acting_as_patient());
create policy doctor_office_hours_no_delete_by_patients on doctor_office_hours as restrictive
    for delete using (not app_acting_as_patient());
grant select, insert, update, delete on doctor_office_hours to hms_app;

-- Leave reasons are staff's business: patients see only busy times, through
-- doctor_time().
alter table doctor_schedule_exceptions enable row level security;
alter table doctor_schedule_exceptions force row level security;
create policy doctor_schedule_exceptions_in_clinic on doctor_schedule_exceptions
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
create policy doctor_schedule_exceptions_not_patients on doctor_schedule_exceptions as restrictive
    using (not app_acting_as_patient())
    with check (not app_acting_as_patient());
grant select, insert, update, delete on doctor_schedule_exceptions to hms_app;

alter table appointments enable row level security;
alter table appointments force row level security;
create policy appointments_in_clinic on appointments
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
-- A patient reads and cancels their own (whoever booked them: the
-- lifecycle trigger lets a patient do nothing else), and books only as
-- themself, marked as booked by the patient.
create policy appointments_own on appointments as restrictive
    using (not app_acting_as_patient() or patient_id = app_patient_id())
    with check (not app_acting_as_patient() or patient_id = app_patient_id());
create policy appointments_booked_by_patient on appointments as restrictive for insert
    with check (not app_acting_as_patient() or booked_by_patient);
grant select, insert, update on appointments to hms_app;

-- The audit log names the patient of an appointment's events too.
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
    end
$$;
