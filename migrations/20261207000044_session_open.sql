-- Every signed-in request began with two round trips to the database, one
-- after the other: the session store loaded the cookie's record, and only
-- then could the sign-in it names be checked (session_touch). Each is a
-- pool checkout, a round trip, and a check of the connection as it goes
-- back; on two cores the waits between them were a part of every page's
-- time.
--
-- A stored session now notes the sign-in it carries (written by the store
-- from the record it saves), and session_store_open() loads the record and
-- checks that sign-in in one call. A row saved before this has no note;
-- its request checks the sign-in on its own, as before, and the next save
-- notes it.
alter table tower_sessions.session add column auth_session uuid;

create function session_store_create(key text, record bytea, expires timestamptz, signed_in uuid)
returns boolean
language sql volatile security definer set search_path = pg_temp as $$
    with inserted as (
        insert into tower_sessions.session (id, data, expiry_date, auth_session)
        values (key, record, expires, signed_in)
        on conflict (id) do nothing
        returning 1
    )
    select exists (select 1 from inserted)
$$;

create function session_store_save(key text, record bytea, expires timestamptz, signed_in uuid)
returns void
language sql volatile security definer set search_path = pg_temp as $$
    insert into tower_sessions.session (id, data, expiry_date, auth_session)
    values (key, record, expires, signed_in)
    on conflict (id) do update
        set data = excluded.data, expiry_date = excluded.expiry_date,
            auth_session = excluded.auth_session
$$;

-- The record, the sign-in it notes when it was checked (`checked_session`)
-- and, if that sign-in is live, the person's columns as session_touch
-- returns them (null when it has ended). PL/pgSQL, which keeps its plans
-- for the connection.
create function session_store_open(key text)
returns table (data bytea, checked_session uuid, user_id uuid, email text, display_name text,
               is_platform_admin boolean, idle_timeout_secs integer, expires_at timestamptz)
language plpgsql volatile security definer set search_path = public, pg_temp as $$
#variable_conflict use_column
declare
    stored record;
begin
    select s.data, s.auth_session into stored
    from tower_sessions.session s
    where s.id = key and s.expiry_date > now();
    if not found then
        return;
    end if;
    if stored.auth_session is null then
        return query select stored.data, null::uuid, null::uuid, null::text, null::text,
                            null::boolean, null::integer, null::timestamptz;
        return;
    end if;
    return query
        select stored.data, stored.auth_session, t.user_id, t.email, t.display_name, t.is_platform_admin,
               t.idle_timeout_secs, t.expires_at
        from (select 1) one
        left join session_touch(stored.auth_session) t on true;
end
$$;

drop function session_store_create(text, bytea, timestamptz);
drop function session_store_save(text, bytea, timestamptz);
drop function session_store_load(text);

revoke execute on function session_store_create(text, bytea, timestamptz, uuid),
    session_store_save(text, bytea, timestamptz, uuid), session_store_open(text)
    from public;
grant execute on function session_store_create(text, bytea, timestamptz, uuid),
    session_store_save(text, bytea, timestamptz, uuid), session_store_open(text)
    to hms_app;
