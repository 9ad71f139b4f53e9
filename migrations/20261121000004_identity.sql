-- People and their places in clinics.
--
-- users is the global identity (one person, one email, many clinics);
-- memberships say what a person is in one clinic; departments belong to a clinic.

create table users (
    id uuid primary key default uuid_generate_v7(),
    email text not null,
    display_name text not null,
    phone text not null default '',
    -- argon2id PHC string; null for accounts that sign in only through SSO
    password_hash text,
    status text not null default 'active',
    is_platform_admin boolean not null default false,
    last_login_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint users_email_format check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and char_length(email) <= 254),
    constraint users_display_name_length check (char_length(display_name) between 1 and 200),
    constraint users_status_known check (status in ('active', 'disabled'))
);
create unique index users_email_key on users (lower(email));
create trigger users_updated_at before update on users
    for each row execute function set_updated_at();

create table departments (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete restrict,
    name text not null,
    code text not null,
    head_user_id uuid references users (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint departments_clinic_code_key unique (clinic_id, code),
    -- lets memberships prove their department is in the same clinic
    constraint departments_id_clinic_key unique (id, clinic_id),
    constraint departments_code_format check (code ~ '^[A-Z0-9-]{2,16}$'),
    constraint departments_name_length check (char_length(name) between 1 and 100)
);
create unique index departments_clinic_name_key on departments (clinic_id, lower(name));
create trigger departments_updated_at before update on departments
    for each row execute function set_updated_at();

create table memberships (
    id uuid primary key default uuid_generate_v7(),
    clinic_id uuid not null references clinics (id) on delete restrict,
    user_id uuid not null references users (id) on delete cascade,
    role text not null,
    department_id uuid,
    active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint memberships_clinic_user_role_key unique (clinic_id, user_id, role),
    constraint memberships_role_known check (role in (
        'clinic_admin', 'doctor', 'head_of_department', 'receptionist',
        'lab_technician', 'nurse', 'patient'
    )),
    constraint memberships_department_same_clinic foreign key (department_id, clinic_id)
        references departments (id, clinic_id)
);
create index memberships_user_idx on memberships (user_id);
create index memberships_clinic_role_idx on memberships (clinic_id, role);
create trigger memberships_updated_at before update on memberships
    for each row execute function set_updated_at();

-- A patient's portal account, once invited.
alter table patients add column user_id uuid references users (id);
create unique index patients_clinic_user_key on patients (clinic_id, user_id) where user_id is not null;

grant select, insert, update on users, departments, memberships to hms_app;
