-- Two-factor sign-in with an authenticator app (TOTP, RFC 6238).
--
-- The authenticator key is sealed with AES-256-GCM under HMS_SECRET_KEY (the
-- database alone does not reveal it). `last_used_step` is the 30-second step
-- of the last accepted code: a code is accepted only for a later step, so an
-- observed code cannot be used again (RFC 6238, section 5.2).
create table user_totp (
    user_id uuid primary key references users (id) on delete cascade,
    sealed_secret bytea not null,
    created_at timestamptz not null default now(),
    -- null while the person is still setting it up
    confirmed_at timestamptz,
    last_used_step bigint not null default 0,
    constraint user_totp_sealed_size check (octet_length(sealed_secret) between 29 and 128),
    constraint user_totp_step_positive check (last_used_step >= 0)
);
grant select, insert, update, delete on user_totp to hms_app;

-- Ten one-time recovery codes per person, kept as SHA-256 of the account id
-- and the code (60 random bits each), usable once.
create table recovery_codes (
    id bigint generated always as identity primary key,
    user_id uuid not null references users (id) on delete cascade,
    code_hash bytea not null,
    created_at timestamptz not null default now(),
    used_at timestamptz,
    constraint recovery_codes_hash_size check (octet_length(code_hash) = 32),
    constraint recovery_codes_user_hash_key unique (user_id, code_hash)
);
grant select, insert, update, delete on recovery_codes to hms_app;

-- "Do not ask again on this device for 30 days": the device's cookie holds a
-- random token, stored here as its SHA-256. One device may be trusted by
-- several people (a shared ward tablet), each for themselves.
create table trusted_devices (
    id uuid primary key default uuid_generate_v7(),
    user_id uuid not null references users (id) on delete cascade,
    token_hash bytea not null,
    user_agent text,
    created_at timestamptz not null default now(),
    last_used_at timestamptz not null default now(),
    expires_at timestamptz not null,
    constraint trusted_devices_hash_size check (octet_length(token_hash) = 32),
    constraint trusted_devices_user_token_key unique (user_id, token_hash),
    constraint trusted_devices_user_agent_length check (char_length(user_agent) <= 512),
    constraint trusted_devices_expiry_after_creation check (expires_at > created_at)
);
create index trusted_devices_expiry_idx on trusted_devices (expires_at);
grant select, insert, update, delete on trusted_devices to hms_app;

-- Each person reaches only their own second-factor rows; platform work (none
-- yet) would say so with its scope.
alter table user_totp enable row level security;
alter table user_totp force row level security;
create policy user_totp_own on user_totp
    using (user_id = app_user_id() or app_platform_scope())
    with check (user_id = app_user_id() or app_platform_scope());
alter table recovery_codes enable row level security;
alter table recovery_codes force row level security;
create policy recovery_codes_own on recovery_codes
    using (user_id = app_user_id() or app_platform_scope())
    with check (user_id = app_user_id() or app_platform_scope());
alter table trusted_devices enable row level security;
alter table trusted_devices force row level security;
create policy trusted_devices_own on trusted_devices
    using (user_id = app_user_id() or app_platform_scope())
    with check (user_id = app_user_id() or app_platform_scope());

-- A clinic admin may require two-factor sign-in of all the clinic's staff.
-- The app role cannot update clinics; this function changes only the clinic
-- in the transaction's context, and only for its active admin.
alter table clinics add column require_two_factor boolean not null default false;
create function set_clinic_require_two_factor(required boolean) returns boolean
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if app_clinic_id() is null or not exists (
        select 1 from memberships m
        where m.clinic_id = app_clinic_id() and m.user_id = app_user_id()
          and m.role = 'clinic_admin' and m.active)
    then
        return false;
    end if;
    update clinics set require_two_factor = required where id = app_clinic_id();
    return found;
end $$;
revoke all on function set_clinic_require_two_factor(boolean) from public;
grant execute on function set_clinic_require_two_factor(boolean) to hms_app;

-- A clinic admin resets the two-factor sign-in of a member who lost their
-- phone: the authenticator, recovery codes and trusted devices go, and the
-- member's sessions end (the phone may be in someone else's hands). Only
-- the admin of the clinic in the transaction's context, only for a staff
-- member of that clinic who is not a platform admin and belongs to no other
-- clinic (whose admins answer for them there). Returns 'reset',
-- 'not_set_up' or 'refused'.
create function clinic_reset_two_factor(target uuid) returns text
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if app_clinic_id() is null
       or target = app_user_id()
       or not exists (
           select 1 from memberships m
           where m.clinic_id = app_clinic_id() and m.user_id = app_user_id()
             and m.role = 'clinic_admin' and m.active)
       or not exists (
           select 1 from memberships m
           where m.clinic_id = app_clinic_id() and m.user_id = target and m.role <> 'patient')
       or exists (select 1 from users u where u.id = target and u.is_platform_admin)
       or exists (
           select 1 from memberships m
           where m.user_id = target and m.clinic_id <> app_clinic_id())
    then
        return 'refused';
    end if;
    delete from user_totp where user_id = target;
    if not found then
        return 'not_set_up';
    end if;
    delete from recovery_codes where user_id = target;
    delete from trusted_devices where user_id = target;
    update user_sessions set ended_at = now(), end_reason = 'access_changed'
     where user_id = target and ended_at is null;
    return 'reset';
end $$;
revoke all on function clinic_reset_two_factor(uuid) from public;
grant execute on function clinic_reset_two_factor(uuid) to hms_app;
