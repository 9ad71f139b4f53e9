-- API tokens through a signed-in browser (issue 17): the OAuth 2.0 device
-- authorization grant, RFC 8628. Accounts that sign in only through single
-- sign-on have no password to send to `POST /api/v1/auth/token`; a device
-- asks for a code pair instead, the person types the short user code at
-- `/device` in a browser where they are signed in, and the device's polls
-- with the long device code get the token pair once they allow it.
--
-- Approving opens the token family (a `user_sessions` row of kind 'api', as
-- a password sign-in does) and stores it here; the first poll after that
-- issues the pair into it and spends the grant. So ending sessions ends
-- these tokens too, and the account page lists the device.
--
-- The device code is a secret of 32 random bytes: only its SHA-256 is kept.
-- The user code is short (8 of 20 letters) and lives ten minutes; it is
-- kept as it is, because the page must find it, and guessing at the page is
-- limited per person and address.

create table api_device_grants (
    device_code_hash bytea primary key,
    user_code text not null unique,
    client_name text not null,
    client_addr inet,
    user_agent text,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    poll_interval_secs integer not null,
    last_polled_at timestamptz,
    decision text,
    decided_by uuid references users (id) on delete cascade,
    decided_at timestamptz,
    -- the token family an allowed grant opened
    session_id uuid references user_sessions (id) on delete cascade,
    -- when the device got its tokens (a grant gives them once)
    consumed_at timestamptz,
    constraint api_device_grants_hash_length check (octet_length(device_code_hash) = 32),
    constraint api_device_grants_user_code_letters
        check (user_code ~ '^[BCDFGHJKLMNPQRSTVWXZ]{8}$'),
    constraint api_device_grants_client_name_length
        check (char_length(client_name) between 1 and 100),
    constraint api_device_grants_user_agent_length check (char_length(user_agent) <= 512),
    constraint api_device_grants_expiry_after_creation check (expires_at > created_at),
    constraint api_device_grants_interval_positive check (poll_interval_secs between 1 and 60),
    constraint api_device_grants_decision_known check (decision in ('allow', 'deny')),
    constraint api_device_grants_decided_together check (
        (decision is null) = (decided_by is null) and (decision is null) = (decided_at is null)),
    constraint api_device_grants_allowed_opens_a_session check (
        (session_id is not null) = (decision is not distinct from 'allow')),
    constraint api_device_grants_only_allowed_consumed check (
        consumed_at is null or decision = 'allow')
);
create index api_device_grants_expiry_idx on api_device_grants (expires_at);
create index api_device_grants_decided_by_idx on api_device_grants (decided_by);
create index api_device_grants_session_idx on api_device_grants (session_id);

-- Nobody is known when a device asks or polls, so the app role reaches rows
-- only through the functions below, by a code; it can list none. The
-- cleanup job deletes expired grants in the system scope.
alter table api_device_grants enable row level security;
alter table api_device_grants force row level security;
create policy api_device_grants_cleanup on api_device_grants
    using ((select app_system_scope()));
grant select, delete on api_device_grants to hms_app;

-- A device's request. False when the user code is taken (the caller draws
-- another).
create function api_device_grant_start(device bytea, code text, name text, addr inet,
                                       agent text, ttl_secs double precision,
                                       interval_secs integer)
returns boolean
language plpgsql volatile security definer set search_path = public, pg_temp as $$
begin
    insert into api_device_grants (device_code_hash, user_code, client_name, client_addr,
                                   user_agent, expires_at, poll_interval_secs)
    values (device, code, name, addr, agent, now() + make_interval(secs => ttl_secs),
            interval_secs)
    on conflict do nothing;
    return found;
end
$$;

-- The waiting grant a person typed the code of, for the approval page: only
-- inside a transaction acting as someone, and only while undecided and
-- unexpired.
create function api_device_grant_waiting(code text)
returns table (user_code text, client_name text, created_at timestamptz,
               expires_at timestamptz, client_addr inet, user_agent text)
language sql stable security definer set search_path = public, pg_temp as $$
    select g.user_code, g.client_name, g.created_at, g.expires_at, g.client_addr, g.user_agent
    from api_device_grants g
    where g.user_code = code and g.decision is null and g.expires_at > now()
      and app_user_id() is not null
$$;

-- The person's answer, as the person the transaction acts as. Allowing
-- names the token family the caller opened for it (one of the person's
-- own, of kind 'api', live); denying names none. False when the grant is
-- no longer waiting (decided meanwhile, or expired): the row lock makes two
-- answers to one grant take turns, and the second finds it decided.
create function api_device_grant_decide(code text, allow boolean, session uuid)
returns boolean
language plpgsql volatile security definer set search_path = public, pg_temp as $$
begin
    if app_user_id() is null then
        raise exception 'a device grant is decided by someone' using errcode = '42501';
    end if;
    if allow <> (session is not null) then
        raise exception 'an allowed device grant names its session, a denied one none'
            using errcode = '22023';
    end if;
    if session is not null and not exists (
        select 1 from user_sessions s
        where s.id = session and s.user_id = app_user_id() and s.kind = 'api'
          and s.ended_at is null) then
        raise exception 'not a live API session of this person' using errcode = '42501';
    end if;
    update api_device_grants g
    set decision = case when allow then 'allow' else 'deny' end,
        decided_by = app_user_id(),
        decided_at = now(),
        session_id = session
    where g.user_code = code and g.decision is null and g.expires_at > now();
    return found;
end
$$;

-- A device's poll, under the grant's row lock. Outcomes:
--   'pending'    not answered yet;
--   'slow_down'  polled sooner than its interval, which grows by 5 s (to 60);
--   'denied'     the person refused it;
--   'expired'    not answered in time;
--   'invalid'    unknown, already used, or its token family has ended;
--   'approved'   the pair (`access`, `refresh`) is stored in the family the
--                approval opened, and the grant is spent.
-- Every outcome returns the interval to wait before the next poll.
create function api_device_grant_poll(device bytea, access bytea, refresh bytea,
                                      access_ttl_secs double precision,
                                      refresh_ttl_secs double precision)
returns table (outcome text, interval_secs integer, session_id uuid, user_id uuid)
language plpgsql volatile security definer set search_path = public, pg_temp as $$
#variable_conflict use_column
declare
    g record;
    ses record;
begin
    select * into g from api_device_grants where device_code_hash = device for update;
    if not found or g.consumed_at is not null then
        return query select 'invalid'::text, null::integer, null::uuid, null::uuid;
        return;
    end if;
    -- An allowed device must also fetch its tokens in time: the cleanup
    -- ends the families of grants never fetched.
    if g.expires_at <= now() then
        return query select 'expired'::text, g.poll_interval_secs, null::uuid, null::uuid;
        return;
    end if;
    if g.decision = 'deny' then
        return query select 'denied'::text, g.poll_interval_secs, null::uuid, null::uuid;
        return;
    end if;
    if g.decision is null then
        -- A fifth of the interval's grace, for timers that fire a little early.
        if g.last_polled_at > now() - make_interval(secs => g.poll_interval_secs * 0.8) then
            update api_device_grants d
            set poll_interval_secs = least(d.poll_interval_secs + 5, 60), last_polled_at = now()
            where d.device_code_hash = device
            returning d.poll_interval_secs into g.poll_interval_secs;
            return query select 'slow_down'::text, g.poll_interval_secs, null::uuid, null::uuid;
            return;
        end if;
        update api_device_grants d set last_polled_at = now() where d.device_code_hash = device;
        return query select 'pending'::text, g.poll_interval_secs, null::uuid, null::uuid;
        return;
    end if;
    select s.user_id, s.ended_at, s.expires_at, u.status into ses
    from user_sessions s join users u on u.id = s.user_id
    where s.id = g.session_id
    for update of s;
    if not found or ses.ended_at is not null or ses.expires_at <= now()
       or ses.status <> 'active' then
        update api_device_grants d set consumed_at = now() where d.device_code_hash = device;
        return query select 'invalid'::text, null::integer, null::uuid, null::uuid;
        return;
    end if;
    insert into api_tokens (token_hash, session_id, kind, expires_at) values
        (access, g.session_id, 'access', now() + make_interval(secs => access_ttl_secs)),
        (refresh, g.session_id, 'refresh', now() + make_interval(secs => refresh_ttl_secs));
    update user_sessions s set last_seen_at = now() where s.id = g.session_id;
    update api_device_grants d set consumed_at = now() where d.device_code_hash = device;
    return query select 'approved'::text, g.poll_interval_secs, g.session_id, ses.user_id;
end
$$;

revoke all on function api_device_grant_start(bytea, text, text, inet, text, double precision,
                                             integer) from public;
revoke all on function api_device_grant_waiting(text) from public;
revoke all on function api_device_grant_decide(text, boolean, uuid) from public;
revoke all on function api_device_grant_poll(bytea, bytea, bytea, double precision,
                                            double precision) from public;
grant execute on function api_device_grant_start(bytea, text, text, inet, text, double precision,
                                                integer) to hms_app;
grant execute on function api_device_grant_waiting(text) to hms_app;
grant execute on function api_device_grant_decide(text, boolean, uuid) to hms_app;
grant execute on function api_device_grant_poll(bytea, bytea, bytea, double precision,
                                               double precision) to hms_app;
