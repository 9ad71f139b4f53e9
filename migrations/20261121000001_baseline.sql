-- Baseline: shared helpers and the tenant table.
--
-- Every table that belongs to a clinic carries clinic_id (not null, foreign key
-- to clinics) so that row-level security can scope it by tenant.

-- Time-ordered UUIDs (RFC 9562 version 7): index-friendly primary keys.
-- PostgreSQL 15 has no built-in generator; the application usually supplies
-- the id, this default covers rows written by hand or by SQL.
create function uuid_generate_v7() returns uuid
language plpgsql volatile parallel safe as $$
declare
    ms bytea := substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3);
    b bytea := uuid_send(gen_random_uuid());
begin
    b := overlay(b placing ms from 1 for 6);
    -- version nibble 0111; the variant bits from gen_random_uuid are already RFC 4122
    b := set_byte(b, 6, (get_byte(b, 6) & 15) | 112);
    return encode(b, 'hex')::uuid;
end
$$;

-- Keeps updated_at honest whoever writes the row.
create function set_updated_at() returns trigger
language plpgsql as $$
begin
    new.updated_at := now();
    return new;
end
$$;

create table clinics (
    id uuid primary key default uuid_generate_v7(),
    slug text not null,
    name text not null,
    address text not null default '',
    phone text not null default '',
    email text not null default '',
    timezone text not null default 'UTC',
    status text not null default 'active',
    settings jsonb not null default '{}',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint clinics_slug_key unique (slug),
    constraint clinics_slug_format check (slug ~ '^[a-z0-9][a-z0-9-]{0,46}[a-z0-9]$'),
    constraint clinics_name_length check (char_length(name) between 1 and 200),
    constraint clinics_status_known check (status in ('active', 'suspended', 'closed')),
    constraint clinics_settings_object check (jsonb_typeof(settings) = 'object')
);

create trigger clinics_updated_at before update on clinics
    for each row execute function set_updated_at();

-- The public directory lists active clinics by name.
create index clinics_active_name_idx on clinics (lower(name)) where status = 'active';
