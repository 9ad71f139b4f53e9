-- Waiting-room displays (issue 16): a clinic admin makes a link for a
-- screen, for one department or all; the screen shows the tokens being
-- served and the next ones, never a name, without anyone signing in. Only
-- the link's SHA-256 is stored; the link is shown once, when made.

create table queue_displays (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete restrict,
    department_id uuid,
    name text not null,
    token_hash bytea not null,
    created_by uuid not null references users (id),
    created_at timestamptz not null default now(),
    revoked_at timestamptz,
    constraint queue_displays_department_same_clinic foreign key (department_id, clinic_id)
        references departments (id, clinic_id),
    constraint queue_displays_token_key unique (token_hash),
    constraint queue_displays_token_length check (octet_length(token_hash) = 32),
    constraint queue_displays_name_length check (char_length(name) between 1 and 100)
);
create index queue_displays_clinic_idx on queue_displays (clinic_id, created_at desc);

alter table queue_displays enable row level security;
alter table queue_displays force row level security;
create policy queue_displays_in_clinic on queue_displays
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
create policy queue_displays_not_patients on queue_displays as restrictive
    using (not app_acting_as_patient())
    with check (not app_acting_as_patient());
grant select, insert, update on queue_displays to hms_app;

-- What a display link opens, read without a tenant context: the link's
-- clinic and department if it is live, else nothing.
create function queue_display_scope(key_hash bytea)
returns table (clinic_id uuid, department_id uuid, clinic_name text, display_name text, today date)
language sql stable security definer set search_path = public, pg_temp as $$
    select q.clinic_id, q.department_id, c.name, q.name, (now() at time zone c.timezone)::date
    from queue_displays q join clinics c on c.id = q.clinic_id
    where q.token_hash = key_hash and q.revoked_at is null and c.status = 'active'
$$;

-- The board of a live display link: today's tokens being served and the
-- next ones waiting, with where to go. Tokens, departments and doctors'
-- names only: never a patient's.
create function queue_board(key_hash bytea)
returns table (token integer, department text, doctor text, status text, place integer)
language sql stable security definer set search_path = public, pg_temp as $$
    select v.token, d.name, u.display_name, v.status,
           (row_number() over (order by v.status = 'waiting',
                                        visit_priority_rank(v.priority), v.token))::integer
    from queue_display_scope(key_hash) s
    join patient_visits v on v.clinic_id = s.clinic_id and v.visit_date = s.today
         and (s.department_id is null or v.department_id = s.department_id)
         and v.status in ('waiting', 'called', 'in_consultation')
    join departments d on d.id = v.department_id
    left join users u on u.id = v.doctor_user_id
    order by 5
    limit 60
$$;
revoke all on function queue_display_scope(bytea) from public;
revoke all on function queue_board(bytea) from public;
grant execute on function queue_display_scope(bytea) to hms_app;
grant execute on function queue_board(bytea) to hms_app;
