-- The identity tables had no row-level security: with no context set, the
-- application role read every account with its password hash, every
-- session, every password reset and every hospital's registration (issue
-- 14, finding 4). Now each shows a transaction what its context allows:
--
--   users                 the person acted as; members of the clinic the
--                         transaction is inside; the account it names by
--                         email (signing in, accepting an invitation)
--   user_sessions         the person's own; those of the clinic's members
--                         (ending them when access changes); the system
--                         scope (cleanup)
--   password_resets       the person's own; the one whose token it names
--   clinic_registrations  the one whose token or admin email it names; the
--                         platform scope
--   tower_sessions        only through the functions below, by cookie key;
--                         the system scope (cleanup)
--
-- A name is a transaction-local setting that src/server/tenancy.rs puts
-- there (hms.account_email, hms.link_token). Naming a row needs its email or
-- its token, which the client brought; a transaction that names nothing
-- sees nothing.

create function app_named_account() returns text
language sql stable as $$ select nullif(current_setting('hms.account_email', true), '') $$;

create function app_named_token() returns bytea
language sql stable as $$
    select case when current_setting('hms.link_token', true) ~ '^[0-9a-f]{64}$'
                then decode(current_setting('hms.link_token', true), 'hex') end
$$;

-- users
alter table users enable row level security;
alter table users force row level security;
create policy users_self on users
    using (id = app_user_id()) with check (id = app_user_id());
create policy users_named on users
    using (lower(email) = app_named_account()) with check (lower(email) = app_named_account());
create policy users_clinic_members on users for select
    using (exists (select 1 from memberships m where m.user_id = users.id and m.clinic_id = app_clinic_id()));
create policy users_platform on users
    using ((select app_platform_scope())) with check ((select app_platform_scope()));

-- user_sessions
alter table user_sessions enable row level security;
alter table user_sessions force row level security;
create policy user_sessions_self on user_sessions
    using (user_id = app_user_id()) with check (user_id = app_user_id());
create policy user_sessions_clinic_members_read on user_sessions for select
    using (user_id in (select m.user_id from memberships m where m.clinic_id = app_clinic_id()));
create policy user_sessions_clinic_members_end on user_sessions for update
    using (user_id in (select m.user_id from memberships m where m.clinic_id = app_clinic_id()));
create policy user_sessions_cleanup on user_sessions
    using ((select app_system_scope()));

-- Every request checks its session before anyone is known: these two run as
-- the owner, for the one session whose id the cookie session holds (ids are
-- random and no one can list them).
create function session_touch(session uuid)
returns table (user_id uuid, email text, display_name text, is_platform_admin boolean,
               idle_timeout_secs integer, expires_at timestamptz)
language sql volatile security definer set search_path = public, pg_temp as $$
    update user_sessions s set last_seen_at = now()
    from users u
    where s.id = session and u.id = s.user_id
      and s.ended_at is null
      and s.expires_at > now()
      and s.last_seen_at > now() - make_interval(secs => s.idle_timeout_secs)
      and u.status = 'active'
    returning u.id, u.email, u.display_name, u.is_platform_admin, s.idle_timeout_secs, s.expires_at
$$;

create function session_end_dead(session uuid) returns text
language sql volatile security definer set search_path = public, pg_temp as $$
    with ended as (
        update user_sessions s set ended_at = now(), end_reason = case
            when u.status <> 'active' then 'account_disabled'
            when s.expires_at <= now() then 'expired'
            else 'idle' end
        from users u
        where s.id = session and u.id = s.user_id and s.ended_at is null
        returning s.end_reason
    )
    select end_reason from ended
    union all
    select end_reason from user_sessions where id = session and ended_at is not null
    limit 1
$$;

-- password_resets
alter table password_resets enable row level security;
alter table password_resets force row level security;
create policy password_resets_self on password_resets
    using (user_id = app_user_id()) with check (user_id = app_user_id());
create policy password_resets_named on password_resets
    using (token_hash = app_named_token());

-- clinic_registrations: anyone may ask to register, naming the request by
-- its token (to read back what was written) and its admin's email.
alter table clinic_registrations enable row level security;
alter table clinic_registrations force row level security;
create policy clinic_registrations_named on clinic_registrations
    using (token_hash = app_named_token() or lower(admin_email) = app_named_account())
    with check (true);
create policy clinic_registrations_platform on clinic_registrations
    using ((select app_platform_scope())) with check ((select app_platform_scope()));

-- tower_sessions.session: the store reads and writes one row by its key
-- (the SHA-256 of the cookie's id, src/server/auth/session_store.rs), and
-- nothing else; the cleanup job deletes expired rows in the system scope.
alter table tower_sessions.session enable row level security;
alter table tower_sessions.session force row level security;
create policy session_cleanup on tower_sessions.session
    using ((select app_system_scope()));
revoke insert, update on tower_sessions.session from hms_app;

create function session_store_load(key text) returns bytea
language sql stable security definer set search_path = pg_temp as $$
    select data from tower_sessions.session where id = key and expiry_date > now()
$$;

create function session_store_create(key text, record bytea, expires timestamptz) returns boolean
language sql volatile security definer set search_path = pg_temp as $$
    with inserted as (
        insert into tower_sessions.session (id, data, expiry_date) values (key, record, expires)
        on conflict (id) do nothing
        returning 1
    )
    select exists (select 1 from inserted)
$$;

create function session_store_save(key text, record bytea, expires timestamptz) returns void
language sql volatile security definer set search_path = pg_temp as $$
    insert into tower_sessions.session (id, data, expiry_date) values (key, record, expires)
    on conflict (id) do update set data = excluded.data, expiry_date = excluded.expiry_date
$$;

create function session_store_forget(key text) returns void
language sql volatile security definer set search_path = pg_temp as $$
    delete from tower_sessions.session where id = key
$$;

revoke execute on function session_touch(uuid), session_end_dead(uuid),
    session_store_load(text), session_store_create(text, bytea, timestamptz),
    session_store_save(text, bytea, timestamptz), session_store_forget(text)
    from public;
grant execute on function session_touch(uuid), session_end_dead(uuid),
    session_store_load(text), session_store_create(text, bytea, timestamptz),
    session_store_save(text, bytea, timestamptz), session_store_forget(text)
    to hms_app;

-- Registrations are confirmed and decided by platform admins, whom a
-- confirmed request notifies before anyone is signed in: their addresses
-- only, through this function.
create function platform_admin_contacts() returns table (email text, display_name text)
language sql stable security definer set search_path = public, pg_temp as $$
    select email, display_name from users
    where is_platform_admin and status = 'active'
    order by email limit 20
$$;
revoke execute on function platform_admin_contacts() from public;
grant execute on function platform_admin_contacts() to hms_app;
