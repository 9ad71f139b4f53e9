-- Tokens for the public REST API (issue 17).
--
-- A token family is a session: `POST /api/v1/auth/token` signs in exactly
-- as the sign-in page does and opens a `user_sessions` row of kind 'api'.
-- So everything that ends sessions ends tokens too, with no second list to
-- keep in step: "Sign out other sessions", deactivation, a password reset,
-- a removed membership; and the account page lists API clients beside
-- browsers.
--
-- Tokens are opaque random values; only their SHA-256 is kept (they are
-- 256-bit random, so a plain hash cannot be reversed or guessed).
-- An access token lives 15 minutes; a refresh token 30 days and works once:
-- it is spent by the exchange that replaces it, and presenting a spent one
-- means someone holds a copy, so the whole family (the session) ends.

alter table user_sessions add column kind text not null default 'browser'
    constraint user_sessions_kind_known check (kind in ('browser', 'api'));

alter table user_sessions drop constraint user_sessions_end_reason_known;
alter table user_sessions add constraint user_sessions_end_reason_known check (end_reason in (
    'sign_out', 'idle', 'expired', 'account_disabled', 'signed_out_elsewhere', 'access_changed',
    'password_reset', 'token_reused'
));

create table api_tokens (
    token_hash bytea primary key,
    session_id uuid not null references user_sessions (id) on delete cascade,
    kind text not null,
    issued_at timestamptz not null default now(),
    expires_at timestamptz not null,
    -- refresh tokens: when exchanged for the next pair
    spent_at timestamptz,
    constraint api_tokens_hash_length check (octet_length(token_hash) = 32),
    constraint api_tokens_kind_known check (kind in ('access', 'refresh')),
    constraint api_tokens_only_refresh_spent check (kind = 'refresh' or spent_at is null),
    constraint api_tokens_expiry_after_issue check (expires_at > issued_at)
);
create index api_tokens_session_idx on api_tokens (session_id);
create index api_tokens_expiry_idx on api_tokens (expires_at);

-- The person's own (to issue and revoke them); the cleanup job, in the
-- system scope. Requests find their token by hash through the functions
-- below, before anyone is known.
alter table api_tokens enable row level security;
alter table api_tokens force row level security;
create policy api_tokens_self on api_tokens
    using (exists (select 1 from user_sessions s
                   where s.id = api_tokens.session_id and s.user_id = app_user_id()))
    with check (exists (select 1 from user_sessions s
                        where s.id = api_tokens.session_id and s.user_id = app_user_id()));
create policy api_tokens_cleanup on api_tokens
    using ((select app_system_scope()));
grant select, insert, update, delete on api_tokens to hms_app;

-- Every API request: the live session behind an unexpired access token,
-- touched as `session_touch` touches a browser's (at most every sixtieth of
-- its idle timeout). No row when the token is unknown, expired, or its
-- session or account has ended.
create function api_token_touch(token bytea)
returns table (session_id uuid, user_id uuid, email text, display_name text,
               is_platform_admin boolean, idle_timeout_secs integer, expires_at timestamptz)
language plpgsql volatile security definer set search_path = public, pg_temp as $$
#variable_conflict use_column
declare
    live record;
begin
    select s.id as session_id, s.last_seen_at, u.id, u.email, u.display_name,
           u.is_platform_admin, s.idle_timeout_secs, s.expires_at
    into live
    from api_tokens t
    join user_sessions s on s.id = t.session_id
    join users u on u.id = s.user_id
    where t.token_hash = token and t.kind = 'access' and t.expires_at > now()
      and s.kind = 'api'
      and s.ended_at is null
      and s.expires_at > now()
      and s.last_seen_at > now() - make_interval(secs => s.idle_timeout_secs)
      and u.status = 'active';
    if not found then
        return;
    end if;
    if live.last_seen_at < now() - make_interval(secs => greatest(1, live.idle_timeout_secs / 60.0)) then
        update user_sessions s set last_seen_at = now() where s.id = live.session_id;
    end if;
    return query select live.session_id, live.id, live.email, live.display_name,
                        live.is_platform_admin, live.idle_timeout_secs, live.expires_at;
end
$$;

-- A refresh: the presented token is spent and the next pair stored, in one
-- step under the token's row lock (two exchanges of one token cannot both
-- succeed). Outcomes:
--   'rotated'  the new pair is stored; the session's life runs 30 days on;
--   'reused'   the token was spent already: the session ends ('token_reused');
--   'invalid'  unknown, expired, or its session or account has ended.
-- The caller commits in every case (a reuse must end the family even though
-- the request fails) and audits 'reused'.
create function api_token_refresh(presented bytea, access bytea, refresh bytea,
                                  access_ttl_secs double precision,
                                  refresh_ttl_secs double precision)
returns table (outcome text, session_id uuid, user_id uuid)
language plpgsql volatile security definer set search_path = public, pg_temp as $$
#variable_conflict use_column
declare
    tok record;
    ses record;
begin
    select t.session_id, t.spent_at, t.expires_at into tok
    from api_tokens t
    where t.token_hash = presented and t.kind = 'refresh'
    for update;
    if not found then
        return query select 'invalid'::text, null::uuid, null::uuid;
        return;
    end if;
    select s.user_id, s.ended_at, s.expires_at, u.status into ses
    from user_sessions s join users u on u.id = s.user_id
    where s.id = tok.session_id
    for update of s;
    if tok.spent_at is not null then
        update user_sessions s set ended_at = now(), end_reason = 'token_reused'
        where s.id = tok.session_id and s.ended_at is null;
        return query select 'reused'::text, tok.session_id, ses.user_id;
        return;
    end if;
    if tok.expires_at <= now() or ses.ended_at is not null or ses.expires_at <= now()
       or ses.status <> 'active' then
        return query select 'invalid'::text, null::uuid, null::uuid;
        return;
    end if;
    update api_tokens t set spent_at = now() where t.token_hash = presented;
    insert into api_tokens (token_hash, session_id, kind, expires_at) values
        (access, tok.session_id, 'access', now() + make_interval(secs => access_ttl_secs)),
        (refresh, tok.session_id, 'refresh', now() + make_interval(secs => refresh_ttl_secs));
    update user_sessions s
    set last_seen_at = now(),
        expires_at = greatest(s.expires_at, now() + make_interval(secs => refresh_ttl_secs))
    where s.id = tok.session_id;
    return query select 'rotated'::text, tok.session_id, ses.user_id;
end
$$;

revoke all on function api_token_touch(bytea) from public;
revoke all on function api_token_refresh(bytea, bytea, bytea, double precision, double precision)
    from public;
grant execute on function api_token_touch(bytea) to hms_app;
grant execute on function api_token_refresh(bytea, bytea, bytea, double precision, double precision)
    to hms_app;
