-- Every statement's row-level security asks whether the transaction is in
-- the platform or the system scope, through app_platform_scope() and
-- app_system_scope(). Since the scopes need a proof (migration 23) those
-- are SQL functions that run as their owner, which PostgreSQL never
-- inlines and parses and plans afresh at every call; session_store_load(),
-- called on every request, is the same kind. Profiling the doctor's
-- dashboard under load put these calls at about a tenth of the database's
-- CPU per page.
--
-- Almost no transaction claims a scope, so the check now reads the setting
-- first, in an expression the planner inlines into each (cached) plan, and
-- only a transaction that claims a scope pays for proving it: the proof is
-- checked exactly as before, by scope_proven(), as the owner. Names are
-- schema-qualified because an inlined body is resolved with the caller's
-- search_path.

create function scope_proven(scope text) returns boolean
language sql stable security definer set search_path = public, pg_temp as $$
    select coalesce(current_setting('hms.scope_proof', true) = scope_proof(scope), false)
$$;
revoke execute on function scope_proven(text) from public;
grant execute on function scope_proven(text) to hms_app;

create or replace function app_platform_scope() returns boolean
language sql stable as $$
    select coalesce(pg_catalog.current_setting('hms.scope', true) operator(pg_catalog.=) 'platform', false)
           and public.scope_proven('platform')
$$;

create or replace function app_system_scope() returns boolean
language sql stable as $$
    select coalesce(pg_catalog.current_setting('hms.scope', true) operator(pg_catalog.=) 'system', false)
           and public.scope_proven('system')
$$;

-- PL/pgSQL keeps the plan of its statement for the connection's life.
create or replace function session_store_load(key text) returns bytea
language plpgsql stable security definer set search_path = pg_temp as $$
begin
    return (select s.data from tower_sessions.session s where s.id = key and s.expiry_date > now());
end
$$;
