-- Visits (issue 16): a patient checked in to a department, with a token for
-- the day, moving through the queue. The database gives the token, holds
-- the state machine, and refuses a second active visit to the same
-- department on the same day.

create table patient_visits (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete restrict,
    patient_id uuid not null,
    department_id uuid not null,
    -- the doctor the visit is for; none: the department's next free doctor
    doctor_user_id uuid references users (id),
    visit_type text not null,
    reason text not null default '',
    priority text not null default 'normal',
    status text not null default 'waiting',
    -- the clinic's date at check-in, and the token of that day in the
    -- department (both set by patient_visits_numbered)
    visit_date date not null,
    token integer not null,
    checked_in_by uuid not null references users (id),
    checked_in_at timestamptz not null default now(),
    called_at timestamptz,
    consultation_started_at timestamptz,
    completed_at timestamptz,
    -- no show, cancelled, left without being seen
    ended_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint patient_visits_patient_same_clinic foreign key (patient_id, clinic_id)
        references patients (id, clinic_id),
    constraint patient_visits_department_same_clinic foreign key (department_id, clinic_id)
        references departments (id, clinic_id),
    constraint patient_visits_type_known check (visit_type in ('walk_in', 'appointment', 'follow_up', 'emergency')),
    constraint patient_visits_priority_known check (priority in ('normal', 'urgent', 'emergency')),
    constraint patient_visits_status_known check (status in (
        'waiting', 'called', 'in_consultation', 'completed', 'no_show', 'cancelled',
        'left_without_being_seen')),
    constraint patient_visits_reason_length check (char_length(reason) <= 500),
    constraint patient_visits_token_key unique (clinic_id, department_id, visit_date, token),
    constraint patient_visits_token_positive check (token > 0)
);
create trigger patient_visits_updated_at before update on patient_visits
    for each row execute function set_updated_at();

-- One active visit per patient, department and day.
create unique index patient_visits_one_active_key on patient_visits (patient_id, department_id, visit_date)
    where status in ('waiting', 'called', 'in_consultation');
-- The day's queues, by department, and a doctor's own.
create index patient_visits_day_idx on patient_visits (clinic_id, visit_date, department_id, status);
create index patient_visits_doctor_day_idx on patient_visits (clinic_id, doctor_user_id, visit_date)
    where doctor_user_id is not null;
-- Recent consultations' lengths, for the wait estimate.
create index patient_visits_completed_idx on patient_visits (clinic_id, department_id, completed_at desc)
    where status = 'completed';
-- A patient's visits, newest first.
create index patient_visits_patient_idx on patient_visits (patient_id, checked_in_at desc);

-- Tokens: per clinic, department and day, from 1; the counter row is locked
-- until the check-in commits, as patient numbers are.
create table visit_token_counters (
    clinic_id uuid not null references clinics (id) on delete cascade,
    department_id uuid not null references departments (id) on delete cascade,
    day date not null,
    last_token integer not null,
    primary key (clinic_id, department_id, day),
    constraint visit_token_counters_positive check (last_token > 0)
);
alter table visit_token_counters enable row level security;
alter table visit_token_counters force row level security;
create policy visit_token_counters_in_clinic on visit_token_counters
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
create policy visit_token_counters_not_patients on visit_token_counters as restrictive
    using (not app_acting_as_patient())
    with check (not app_acting_as_patient());
grant select on visit_token_counters to hms_app;

create function number_visit() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    -- Checked before the counter is touched (its key would name the
    -- counter's constraint instead).
    if not exists (select 1 from departments d
                   where d.id = new.department_id and d.clinic_id = new.clinic_id) then
        raise exception 'no such department in this clinic'
            using errcode = 'foreign_key_violation', constraint = 'patient_visits_department_same_clinic';
    end if;
    select (now() at time zone c.timezone)::date into new.visit_date
    from clinics c where c.id = new.clinic_id;
    insert into visit_token_counters as k (clinic_id, department_id, day, last_token)
    values (new.clinic_id, new.department_id, new.visit_date, 1)
    on conflict (clinic_id, department_id, day) do update set last_token = k.last_token + 1
    returning k.last_token into new.token;
    new.status := 'waiting';
    new.checked_in_at := now();
    -- The doctor must see patients in this department of this clinic.
    if new.doctor_user_id is not null and not exists (
        select 1 from memberships m
        where m.clinic_id = new.clinic_id and m.user_id = new.doctor_user_id and m.active
          and m.role in ('doctor', 'head_of_department') and m.department_id = new.department_id
    ) then
        raise exception 'the doctor does not see patients in this department'
            using errcode = 'check_violation', constraint = 'patient_visits_doctor_in_department';
    end if;
    return new;
end $$;
revoke all on function number_visit() from public;
create trigger patient_visits_numbered before insert on patient_visits
    for each row execute function number_visit();

-- The visit's state machine (src/domain/visits.rs, VisitStatus::can_become;
-- tests hold the two equal).
create function visit_transition_allowed(from_status text, to_status text) returns boolean
language sql immutable as $$
    select (from_status, to_status) in (
        ('waiting', 'called'), ('waiting', 'cancelled'), ('waiting', 'left_without_being_seen'),
        ('called', 'in_consultation'), ('called', 'no_show'), ('called', 'cancelled'),
        ('called', 'left_without_being_seen'),
        ('in_consultation', 'completed'))
$$;

create function move_visit() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if (new.clinic_id, new.patient_id, new.department_id, new.visit_date, new.token,
        new.checked_in_by, new.checked_in_at)
       is distinct from
       (old.clinic_id, old.patient_id, old.department_id, old.visit_date, old.token,
        old.checked_in_by, old.checked_in_at) then
        raise exception 'a visit''s patient, department, token and check-in do not change'
            using errcode = 'check_violation', constraint = 'patient_visits_fixed';
    end if;
    if new.status is distinct from old.status then
        if not visit_transition_allowed(old.status, new.status) then
            raise exception 'a visit cannot go from % to %', old.status, new.status
                using errcode = 'check_violation', constraint = 'patient_visits_transition';
        end if;
        case new.status
            when 'called' then new.called_at := now();
            when 'in_consultation' then new.consultation_started_at := now();
            when 'completed' then new.completed_at := now();
            else new.ended_at := now();
        end case;
    end if;
    if new.doctor_user_id is distinct from old.doctor_user_id and new.doctor_user_id is not null
       and not exists (
        select 1 from memberships m
        where m.clinic_id = new.clinic_id and m.user_id = new.doctor_user_id and m.active
          and m.role in ('doctor', 'head_of_department') and m.department_id = new.department_id
    ) then
        raise exception 'the doctor does not see patients in this department'
            using errcode = 'check_violation', constraint = 'patient_visits_doctor_in_department';
    end if;
    return new;
end $$;
revoke all on function move_visit() from public;
create trigger patient_visits_moved before update on patient_visits
    for each row execute function move_visit();

alter table patient_visits enable row level security;
alter table patient_visits force row level security;
create policy patient_visits_in_clinic on patient_visits
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
-- A patient sees their own visits and changes none.
create policy patient_visits_own on patient_visits as restrictive
    using (not app_acting_as_patient()
           or patient_id in (select id from patients where user_id = app_user_id()))
    with check (not app_acting_as_patient());
grant select, insert, update on patient_visits to hms_app;

-- The queue's order: emergencies first, then urgent, then the rest
-- (src/domain/visits.rs, Priority::rank).
create function visit_priority_rank(priority text) returns integer
language sql immutable as $$
    select case priority when 'emergency' then 0 when 'urgent' then 1 else 2 end
$$;

-- A department's pace for the wait estimate: the average length of its last
-- 20 consultations, and how many doctors have seen patients there on `day`.
-- Runs as the caller, under row-level security.
create function department_pace(department uuid, day date)
returns table (average_minutes float8, doctors bigint)
language sql stable as $$
    select (select avg(extract(epoch from r.completed_at - r.consultation_started_at) / 60)::float8
            from (select completed_at, consultation_started_at from patient_visits
                  where clinic_id = app_clinic_id() and department_id = department
                    and status = 'completed'
                  order by completed_at desc limit 20) r),
           (select count(distinct doctor_user_id) from patient_visits
            where clinic_id = app_clinic_id() and department_id = department and visit_date = day
              and status in ('called', 'in_consultation', 'completed'))
$$;
