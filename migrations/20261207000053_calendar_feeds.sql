-- A doctor's private calendar feed (issue 18): a link their calendar app
-- subscribes to, listing their appointments as busy times ("Appointment"
-- and the slot, never a patient's name, department or reason). The link's
-- key is kept only as its SHA-256; the page shows the link once. A doctor
-- has at most one live link per clinic; revoking it (or making a new one)
-- stops the old at once, and so does leaving the clinic.
create table calendar_feeds (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete cascade,
    doctor_user_id uuid not null references users (id) on delete cascade,
    token_hash bytea not null,
    created_at timestamptz not null default now(),
    revoked_at timestamptz,
    constraint calendar_feeds_token_key unique (token_hash),
    constraint calendar_feeds_token_length check (octet_length(token_hash) = 32)
);
create unique index calendar_feeds_one_live on calendar_feeds (clinic_id, doctor_user_id)
    where revoked_at is null;

-- Revoked once, and nothing else about a link changes; the database says when.
create function revoke_calendar_feed() returns trigger
language plpgsql as $$
begin
    if old.revoked_at is not null
       or (new.clinic_id, new.doctor_user_id, new.token_hash, new.created_at)
          is distinct from (old.clinic_id, old.doctor_user_id, old.token_hash, old.created_at) then
        raise exception 'a calendar link is only revoked, once'
            using errcode = 'check_violation', constraint = 'calendar_feeds_revoke_once';
    end if;
    new.revoked_at := now();
    return new;
end $$;
create trigger calendar_feeds_revoke before update on calendar_feeds
    for each row execute function revoke_calendar_feed();

-- Each doctor makes, reads and revokes only their own; patients nothing.
alter table calendar_feeds enable row level security;
alter table calendar_feeds force row level security;
create policy calendar_feeds_own on calendar_feeds
    using (clinic_id = app_clinic_id() and doctor_user_id = app_user_id())
    with check (clinic_id = app_clinic_id() and doctor_user_id = app_user_id());
create policy calendar_feeds_not_patients on calendar_feeds as restrictive
    using (not app_acting_as_patient())
    with check (not app_acting_as_patient());
grant select, insert on calendar_feeds to hms_app;
grant update (revoked_at) on calendar_feeds to hms_app;

-- The feed by its key alone (a calendar app has no session): the clinic,
-- and the doctor's appointments overlapping [from_at, to_at) that still
-- hold their time. One row with no appointment when there are none; no
-- row for a key that opens nothing (unknown, revoked, the doctor no longer
-- a doctor there or disabled, the clinic suspended).
create function calendar_feed_events(key_hash bytea, from_at timestamptz, to_at timestamptz)
returns table (clinic_name text, appointment_id uuid, revision integer,
               starts timestamptz, ends timestamptz)
language sql stable security definer set search_path = public, pg_temp as $$
    select c.name, a.id, a.revision, lower(a.during), upper(a.during)
    from calendar_feeds f
    join clinics c on c.id = f.clinic_id and c.status = 'active'
    join users u on u.id = f.doctor_user_id and u.status = 'active'
    left join appointments a
        on a.clinic_id = f.clinic_id and a.doctor_user_id = f.doctor_user_id
       and a.during && tstzrange(from_at, to_at)
       and a.status in ('booked', 'checked_in', 'completed')
    where f.token_hash = key_hash and f.revoked_at is null
      and exists (select 1 from memberships m
                  where m.user_id = f.doctor_user_id and m.clinic_id = f.clinic_id and m.active
                    and m.role in ('doctor', 'head_of_department'))
    order by lower(a.during) nulls first
    limit 5001
$$;
revoke all on function calendar_feed_events(bytea, timestamptz, timestamptz) from public;
grant execute on function calendar_feed_events(bytea, timestamptz, timestamptz) to hms_app;
