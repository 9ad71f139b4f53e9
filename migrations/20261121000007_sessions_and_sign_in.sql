-- Signing in: the session store, the sessions people hold, and what stops
-- password guessing.

-- tower-sessions keeps its sessions here. The store's own `migrate()` would
-- need CREATE rights the application role does not have, so the table is made
-- here with the layout the store expects.
create schema tower_sessions;
create table tower_sessions.session (
    id text primary key not null,
    data bytea not null,
    expiry_date timestamptz not null
);
create index session_expiry_idx on tower_sessions.session (expiry_date);
grant usage on schema tower_sessions to hms_app;
grant select, insert, update, delete on tower_sessions.session to hms_app;

-- One row per sign-in. The cookie's session points here; ending a row ends the
-- session on its next request, which is how sign-out elsewhere and disabling
-- an account take effect at once.
create table user_sessions (
    id uuid primary key default uuid_generate_v7(),
    user_id uuid not null references users (id) on delete cascade,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    -- the absolute lifetime: no activity extends it
    expires_at timestamptz not null,
    idle_timeout_secs integer not null,
    client_addr inet,
    user_agent text,
    ended_at timestamptz,
    end_reason text,
    constraint user_sessions_idle_positive check (idle_timeout_secs > 0),
    constraint user_sessions_user_agent_length check (char_length(user_agent) <= 512),
    constraint user_sessions_end_reason_known check (end_reason in (
        'sign_out', 'idle', 'expired', 'account_disabled', 'signed_out_elsewhere'
    )),
    constraint user_sessions_end_consistent check ((ended_at is null) = (end_reason is null))
);
create index user_sessions_open_by_user_idx on user_sessions (user_id) where ended_at is null;
create index user_sessions_expiry_idx on user_sessions (expires_at);
grant select, insert, update, delete on user_sessions to hms_app;

-- Consecutive failed sign-ins lock the account for a while.
alter table users
    add column failed_sign_ins integer not null default 0,
    add column locked_until timestamptz;

-- Front-desk search by the start of a name or patient number, or the end of a
-- phone number (people say the last digits), whatever the database collation.
create index patients_clinic_family_prefix_idx on patients (clinic_id, lower(family_name) text_pattern_ops);
create index patients_clinic_given_prefix_idx on patients (clinic_id, lower(given_name) text_pattern_ops);
create index patients_clinic_number_prefix_idx on patients (clinic_id, lower(patient_number) text_pattern_ops);
create index patients_clinic_phone_suffix_idx on patients
    (clinic_id, reverse(regexp_replace(phone, '[^0-9]', '', 'g')) text_pattern_ops);
create index patients_clinic_registered_idx on patients (clinic_id, registered_at desc, id desc);
-- Superseded by the prefix indexes above.
drop index patients_clinic_name_idx;
drop index patients_clinic_phone_idx;
