-- Tenant isolation in the database itself.
--
-- Each transaction the server opens carries who is acting and where, as
-- transaction-local settings put there by src/server/tenancy.rs (never by hand):
--   hms.clinic_id  the clinic the request is inside
--   hms.user_id    the signed-in person
--   hms.role       their role in that clinic
--   hms.scope      'clinic', or 'platform' for the audited platform-admin path
-- Without them a clinic-owned table shows no rows to the application role.

create function app_clinic_id() returns uuid
language sql stable as $$ select nullif(current_setting('hms.clinic_id', true), '')::uuid $$;

create function app_user_id() returns uuid
language sql stable as $$ select nullif(current_setting('hms.user_id', true), '')::uuid $$;

create function app_platform_scope() returns boolean
language sql stable as $$ select coalesce(current_setting('hms.scope', true), '') = 'platform' $$;

alter table patients enable row level security;
alter table patients force row level security;
create policy patients_in_clinic on patients
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());

alter table departments enable row level security;
alter table departments force row level security;
create policy departments_in_clinic on departments
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());

-- People also see their own memberships in every clinic, to choose one after signing in.
alter table memberships enable row level security;
alter table memberships force row level security;
create policy memberships_in_clinic on memberships
    using (clinic_id = app_clinic_id() or user_id = app_user_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id());
