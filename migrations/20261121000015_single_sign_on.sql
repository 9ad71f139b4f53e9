-- Single sign-on: a clinic signs its staff in through its own OpenID Connect
-- provider (Google Workspace, Microsoft Entra, Keycloak...).

create table clinic_sso_settings (
    clinic_id uuid primary key references clinics (id) on delete cascade,
    -- shown on the button: "Sign in with <display_name>"
    display_name text not null,
    issuer_url text not null,
    client_id text not null,
    -- AES-256-GCM under the server's HMS_SSO_SECRET_KEY: a 12-byte nonce, then
    -- the ciphertext and tag; the clinic id is the associated data, so a
    -- secret copied to another clinic's row does not open.
    client_secret_sealed bytea not null,
    -- lower-case domains; an email (and Google's `hd`) must be in one of them
    allowed_domains text[] not null,
    -- what happens to someone from an allowed domain who is not yet staff here
    new_users text not null,
    provision_role text,
    enabled boolean not null default true,
    updated_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint clinic_sso_display_name_length check (char_length(display_name) between 1 and 60),
    constraint clinic_sso_issuer_url_format check (
        issuer_url ~ '^https?://[^\s]+$' and char_length(issuer_url) <= 500
    ),
    constraint clinic_sso_client_id_length check (char_length(client_id) between 1 and 255),
    constraint clinic_sso_secret_size check (octet_length(client_secret_sealed) between 29 and 2100),
    constraint clinic_sso_domains_count check (cardinality(allowed_domains) between 1 and 20),
    constraint clinic_sso_new_users_known check (new_users in ('provision', 'approval')),
    -- roles that need no department (src/domain/sso.rs PROVISION_ROLES)
    constraint clinic_sso_provision_role_known check (
        provision_role in ('receptionist', 'lab_technician', 'nurse')
    ),
    constraint clinic_sso_provision_role_when_provisioning check (
        (new_users = 'provision') = (provision_role is not null)
    )
);
create trigger clinic_sso_settings_updated_at before update on clinic_sso_settings
    for each row execute function set_updated_at();

alter table clinic_sso_settings enable row level security;
alter table clinic_sso_settings force row level security;
create policy clinic_sso_settings_in_clinic on clinic_sso_settings
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
grant select, insert, update, delete on clinic_sso_settings to hms_app;

-- The provider's account (issuer and subject, which never change) linked to
-- an HMS account, per clinic.
create table sso_identities (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    issuer text not null,
    subject text not null,
    email text not null,
    created_at timestamptz not null default now(),
    last_sign_in_at timestamptz,
    constraint sso_identities_subject_key unique (clinic_id, issuer, subject),
    constraint sso_identities_user_key unique (clinic_id, user_id, issuer),
    constraint sso_identities_subject_length check (char_length(subject) between 1 and 255),
    constraint sso_identities_issuer_length check (char_length(issuer) between 1 and 500)
);
create index sso_identities_user_idx on sso_identities (user_id);

alter table sso_identities enable row level security;
alter table sso_identities force row level security;
create policy sso_identities_in_clinic on sso_identities
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
grant select, insert, update, delete on sso_identities to hms_app;

-- Someone the provider vouched for, waiting for a clinic admin to let them in.
create table sso_access_requests (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete cascade,
    issuer text not null,
    subject text not null,
    email text not null,
    display_name text not null,
    created_at timestamptz not null default now(),
    last_requested_at timestamptz not null default now(),
    request_count integer not null default 1,
    decided_at timestamptz,
    decided_by uuid references users (id) on delete set null,
    decision text,
    decision_reason text,
    constraint sso_access_requests_decision_known check (decision in ('approved', 'rejected')),
    constraint sso_access_requests_decided_consistent check ((decided_at is null) = (decision is null)),
    constraint sso_access_requests_reason_length check (char_length(decision_reason) <= 500),
    constraint sso_access_requests_display_name_length check (char_length(display_name) between 1 and 200),
    constraint sso_access_requests_email_format check (
        email = lower(email) and email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and char_length(email) <= 254
    )
);
create unique index sso_access_requests_open_key on sso_access_requests (clinic_id, issuer, subject)
    where decided_at is null;
create index sso_access_requests_open_idx on sso_access_requests (clinic_id, last_requested_at desc, id desc)
    where decided_at is null;

alter table sso_access_requests enable row level security;
alter table sso_access_requests force row level security;
create policy sso_access_requests_in_clinic on sso_access_requests
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
grant select, insert, update on sso_access_requests to hms_app;

-- Which clinics offer single sign-on to people of an email domain (or the
-- clinic with this slug), for the sign-in page, which nobody is signed in
-- to. Reveals only what the sign-in button shows.
create index clinic_sso_settings_domains_idx on clinic_sso_settings using gin (allowed_domains);
create function sso_sign_in_options(p_slug text, p_domain text)
returns table (slug text, clinic_name text, display_name text)
language sql stable security definer set search_path = public, pg_temp as $$
    select c.slug, c.name, s.display_name
    from clinic_sso_settings s join clinics c on c.id = s.clinic_id
    where s.enabled and c.status = 'active'
      and ((p_slug is not null and c.slug = p_slug)
           or (p_domain is not null and s.allowed_domains @> array[lower(p_domain)]))
    order by lower(c.name)
    limit 20
$$;
revoke all on function sso_sign_in_options(text, text) from public;
grant execute on function sso_sign_in_options(text, text) to hms_app;
