-- The platform and system scopes open every clinic's rows (platform) and the
-- outbox with its emailed sign-in links (system). Until now a transaction
-- entered them by setting hms.scope itself, so any statement run as the
-- application role could (issue 14, finding 4). Now a scope holds only with
-- a proof that enter_scope() puts beside it, and enter_scope() asks for a
-- token derived from the server's secret key (src/server/tenancy.rs), which
-- the database never holds: it keeps the token's SHA-256 where the
-- application role cannot read it.
--
-- Clinic and personal contexts stay plain settings: they keep a statement
-- that forgot its filter to one clinic's rows, and every server function
-- enters them only after checking the person's membership.

create table scope_keys (
    only_row boolean primary key default true,
    digest bytea not null,
    installed_at timestamptz not null default now(),
    constraint scope_keys_one_row check (only_row),
    constraint scope_keys_digest_is_sha256 check (length(digest) = 32)
);
-- No grants: the application role neither reads nor writes it. The owner
-- installs the digest when it migrates (tenancy::install_scope_token).

-- The proof of `scope` for this transaction: bound to the backend and to the
-- transaction's start, keyed with the digest the application role cannot
-- read. A proof copied out of one transaction fits no other.
create function scope_proof(scope text) returns text
language sql stable security definer set search_path = public, pg_temp as $$
    select encode(sha256(k.digest || convert_to(
        scope || ':' || pg_backend_pid() || ':' || extract(epoch from transaction_timestamp()),
        'UTF8')), 'hex')
    from scope_keys k
$$;
revoke execute on function scope_proof(text) from public;

-- Enters `scope` for the rest of the transaction if `token` is the server's
-- and, for the platform scope, the person the transaction acts as is an
-- active platform admin. False otherwise, changing nothing.
create function enter_scope(token bytea, scope text) returns boolean
language plpgsql volatile security definer set search_path = public, pg_temp as $$
begin
    if scope not in ('platform', 'system') then
        raise exception 'unknown scope %', scope using errcode = 'invalid_parameter_value';
    end if;
    if not exists (select 1 from scope_keys where digest = sha256(token)) then
        return false;
    end if;
    if scope = 'platform' and not exists (
        select 1 from users where id = app_user_id() and is_platform_admin and status = 'active')
    then
        return false;
    end if;
    perform set_config('hms.scope', scope, true);
    perform set_config('hms.scope_proof', scope_proof(scope), true);
    return true;
end
$$;
revoke execute on function enter_scope(bytea, text) from public;
grant execute on function enter_scope(bytea, text) to hms_app;

-- Whether the server's token is the one installed: a server started with
-- another HMS_SECRET_KEY says so rather than failing on every platform page.
create function scope_token_installed(token bytea) returns boolean
language sql stable security definer set search_path = public, pg_temp as $$
    select exists (select 1 from scope_keys where digest = sha256(token))
$$;
revoke execute on function scope_token_installed(bytea) from public;
grant execute on function scope_token_installed(bytea) to hms_app;

create or replace function app_platform_scope() returns boolean
language sql stable security definer set search_path = public, pg_temp as $$
    select coalesce(current_setting('hms.scope', true) = 'platform'
                    and current_setting('hms.scope_proof', true) = scope_proof('platform'), false)
$$;

create or replace function app_system_scope() returns boolean
language sql stable security definer set search_path = public, pg_temp as $$
    select coalesce(current_setting('hms.scope', true) = 'system'
                    and current_setting('hms.scope_proof', true) = scope_proof('system'), false)
$$;

-- Checking a proof reads a table, so the functions above can no longer be
-- inlined into the policies that call them. Written as a sub-select, each
-- is evaluated once per statement (an InitPlan) rather than once per row.
do $$
declare
    p record;
    fn text;
    fixed_qual text;
    fixed_check text;
begin
    for p in
        select pol.polname, c.relname, n.nspname,
               pg_get_expr(pol.polqual, pol.polrelid) as qual,
               pg_get_expr(pol.polwithcheck, pol.polrelid) as with_check
        from pg_policy pol
        join pg_class c on c.oid = pol.polrelid
        join pg_namespace n on n.oid = c.relnamespace
    loop
        fixed_qual := p.qual;
        fixed_check := p.with_check;
        foreach fn in array array['app_platform_scope', 'app_system_scope'] loop
            fixed_qual := replace(fixed_qual, fn || '()', '(select ' || fn || '())');
            fixed_check := replace(fixed_check, fn || '()', '(select ' || fn || '())');
        end loop;
        if fixed_qual is distinct from p.qual then
            execute format('alter policy %I on %I.%I using (%s)', p.polname, p.nspname, p.relname, fixed_qual);
        end if;
        if fixed_check is distinct from p.with_check then
            execute format('alter policy %I on %I.%I with check (%s)', p.polname, p.nspname, p.relname, fixed_check);
        end if;
    end loop;
end
$$;
