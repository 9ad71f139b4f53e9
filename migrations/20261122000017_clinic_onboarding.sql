-- Hospitals register themselves; a platform admin approves or rejects each
-- request. A clinic carries a plan whose limits the database enforces.

alter table clinics
    add column plan text not null default 'professional',
    add column max_doctors integer not null default 100,
    add column max_patients integer not null default 250000,
    add column registration_number text not null default '',
    add column tax_id text not null default '',
    add column trial_ends_at timestamptz,
    add constraint clinics_plan_known check (plan in ('trial', 'basic', 'professional')),
    add constraint clinics_limits_positive check (max_doctors > 0 and max_patients > 0),
    add constraint clinics_trial_has_end check ((plan = 'trial') = (trial_ends_at is not null));

-- A registration request: written unverified, pending once its admin email
-- is confirmed through the emailed link (token stored as SHA-256, 24 hours),
-- then approved (a clinic and an invitation for its first admin are made)
-- or rejected with a reason. Unconfirmed requests are worth nothing.
create table clinic_registrations (
    id uuid primary key default uuid_generate_v7(),
    hospital_name text not null,
    address text not null,
    phone text not null,
    email text not null,
    registration_number text not null,
    tax_id text not null,
    admin_name text not null,
    admin_email text not null,
    plan text not null,
    status text not null default 'unverified',
    token_hash bytea,
    verify_by timestamptz not null,
    verified_at timestamptz,
    decided_at timestamptz,
    decided_by uuid references users (id) on delete set null,
    rejection_reason text,
    clinic_id uuid references clinics (id) on delete set null,
    requested_from inet,
    created_at timestamptz not null default now(),
    constraint clinic_registrations_status_known check (status in ('unverified', 'pending', 'approved', 'rejected')),
    constraint clinic_registrations_plan_known check (plan in ('trial', 'basic', 'professional')),
    constraint clinic_registrations_token_hash_key unique (token_hash),
    constraint clinic_registrations_token_size check (token_hash is null or octet_length(token_hash) = 32),
    constraint clinic_registrations_lengths check (
        char_length(hospital_name) between 1 and 200 and char_length(address) between 1 and 500
        and char_length(phone) between 1 and 40 and char_length(email) between 3 and 254
        and char_length(registration_number) between 1 and 64 and char_length(tax_id) between 1 and 64
        and char_length(admin_name) between 1 and 200 and char_length(admin_email) between 3 and 254
        and char_length(coalesce(rejection_reason, '')) <= 1000
    ),
    constraint clinic_registrations_emails_lower check (email = lower(email) and admin_email = lower(admin_email)),
    constraint clinic_registrations_rejected_has_reason check ((status = 'rejected') = (rejection_reason is not null)),
    constraint clinic_registrations_approved_has_clinic check (status <> 'approved' or clinic_id is not null),
    constraint clinic_registrations_decided check ((status in ('approved', 'rejected')) = (decided_at is not null))
);
-- One open request per admin address.
create unique index clinic_registrations_open_admin_key on clinic_registrations (admin_email)
    where status in ('unverified', 'pending');
create index clinic_registrations_pending_idx on clinic_registrations (created_at, id)
    where status = 'pending';
create index clinic_registrations_verify_by_idx on clinic_registrations (verify_by)
    where status = 'unverified';
grant select, insert, update on clinic_registrations to hms_app;

-- Approving: the app role cannot create clinics; this function does, for a
-- platform admin acting in platform scope, from a pending request, with the
-- plan's limits. Returns the new clinic's id.
create function approve_clinic_registration(
    registration uuid, new_slug text, doctors integer, patient_limit integer, trial_days integer
) returns uuid
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    r clinic_registrations%rowtype;
    new_id uuid;
begin
    if not app_platform_scope() or not exists (
        select 1 from users where id = app_user_id() and is_platform_admin and status = 'active')
    then
        raise exception 'only a platform admin approves registrations' using errcode = 'insufficient_privilege';
    end if;
    select * into r from clinic_registrations where id = registration and status = 'pending' for update;
    if not found then
        return null;
    end if;
    insert into clinics (slug, name, address, phone, email, plan, max_doctors, max_patients,
                         registration_number, tax_id, trial_ends_at)
    values (new_slug, r.hospital_name, r.address, r.phone, r.email, r.plan, doctors, patient_limit,
            r.registration_number, r.tax_id,
            case when r.plan = 'trial' then now() + make_interval(days => trial_days) end)
    returning id into new_id;
    insert into clinic_patient_counts (clinic_id, patients) values (new_id, 0);
    insert into departments (clinic_id, code, name)
    values (new_id, 'GEN', 'General medicine');
    update clinic_registrations
       set status = 'approved', decided_at = now(), decided_by = app_user_id(), clinic_id = new_id,
           token_hash = null
     where id = registration;
    return new_id;
end $$;
revoke all on function approve_clinic_registration(uuid, text, integer, integer, integer) from public;
grant execute on function approve_clinic_registration(uuid, text, integer, integer, integer) to hms_app;

-- Plan limits, whatever path adds the row: a statement adding doctors or
-- patients beyond the clinic's limit fails as a whole.
create function enforce_doctor_limit() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if new.active and new.role in ('doctor', 'head_of_department') and (
        select count(*) from memberships m
        where m.clinic_id = new.clinic_id and m.active and m.role in ('doctor', 'head_of_department')
    ) > (select max_doctors from clinics where id = new.clinic_id) then
        raise exception 'the clinic''s plan allows no more doctors'
            using errcode = 'check_violation', constraint = 'clinic_doctor_limit';
    end if;
    return null;
end $$;
revoke all on function enforce_doctor_limit() from public;
create trigger memberships_within_plan after insert or update of role, active on memberships
    for each row execute function enforce_doctor_limit();

create function enforce_patient_limit() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    -- Runs after patients_counted_on_insert (triggers fire in name order).
    if exists (
        select 1 from clinic_patient_counts k join clinics c on c.id = k.clinic_id
        where k.clinic_id in (select distinct clinic_id from new_rows) and k.patients > c.max_patients
    ) then
        raise exception 'the clinic''s plan allows no more patients'
            using errcode = 'check_violation', constraint = 'clinic_patient_limit';
    end if;
    return null;
end $$;
revoke all on function enforce_patient_limit() from public;
create trigger patients_within_plan_on_insert after insert on patients
    referencing new table as new_rows
    for each statement execute function enforce_patient_limit();
