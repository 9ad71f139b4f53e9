-- Clinic admins invite staff by email. The link carries a random token; only
-- its SHA-256 is stored, so a copy of the database cannot be used to join.
create table invitations (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete cascade,
    email text not null,
    display_name text not null,
    role text not null,
    department_id uuid,
    token_hash bytea not null,
    invited_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    -- a resend replaces the token and starts the time again
    expires_at timestamptz not null,
    sent_count integer not null default 1,
    accepted_at timestamptz,
    accepted_by uuid references users (id) on delete set null,
    revoked_at timestamptz,
    constraint invitations_token_hash_key unique (token_hash),
    constraint invitations_token_hash_size check (octet_length(token_hash) = 32),
    -- what a clinic admin may give (src/domain/invitation.rs GRANTABLE_ROLES)
    constraint invitations_role_grantable check (role in (
        'clinic_admin', 'doctor', 'head_of_department', 'receptionist', 'lab_technician', 'nurse'
    )),
    constraint invitations_email_format check (
        email = lower(email) and email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and char_length(email) <= 254
    ),
    constraint invitations_display_name_length check (char_length(display_name) between 1 and 200),
    constraint invitations_department_same_clinic foreign key (department_id, clinic_id)
        references departments (id, clinic_id),
    constraint invitations_one_outcome check (accepted_at is null or revoked_at is null),
    constraint invitations_sent_count_positive check (sent_count >= 1)
);
-- One open invitation per person and clinic.
create unique index invitations_open_email_key on invitations (clinic_id, email)
    where accepted_at is null and revoked_at is null;
create index invitations_open_created_idx on invitations (clinic_id, created_at desc, id desc)
    where accepted_at is null and revoked_at is null;

alter table invitations enable row level security;
alter table invitations force row level security;
create policy invitations_in_clinic on invitations
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
grant select, insert, update on invitations to hms_app;

-- The one way in from outside a clinic: the clinic of the invitation whose
-- token hashes to this, so the server can open that clinic's transaction
-- for the person accepting. Nothing else about any invitation is revealed.
create function invitation_clinic(hash bytea) returns uuid
language sql stable security definer set search_path = public, pg_temp as $$
    select clinic_id from invitations where token_hash = hash
$$;
revoke all on function invitation_clinic(bytea) from public;
grant execute on function invitation_clinic(bytea) to hms_app;
