-- Safe retries for the API's creating requests (issue 17): a tablet on
-- hospital Wi-Fi that sends "register this patient" again, because the
-- first answer never arrived, must not register them twice.
--
-- A client sends `Idempotency-Key` with a POST. The key is claimed in the
-- same transaction that creates the record, so the record and its key
-- commit together or not at all; a second request with the key waits on
-- the first's row lock and then finds what it made. Only the made record's
-- id is kept (the replay reads the record as it now is, audited as any
-- read): no second copy of anyone's details. Keys are per clinic and
-- caller, kept 24 hours.

create table api_idempotency_keys (
    clinic_id uuid not null references clinics (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    idempotency_key text not null,
    -- what was asked: SHA-256 of the method, the path and the body as JSON
    request_hash bytea not null,
    -- what it made (null only inside the claiming transaction)
    resource_id uuid,
    created_at timestamptz not null default now(),
    primary key (clinic_id, user_id, idempotency_key),
    constraint api_idempotency_keys_hash_length check (octet_length(request_hash) = 32),
    constraint api_idempotency_keys_key_length check (
        char_length(idempotency_key) between 1 and 255)
);
create index api_idempotency_keys_created_idx on api_idempotency_keys (created_at);

-- The caller's own keys in the clinic entered; the cleanup job's, in the
-- system scope.
alter table api_idempotency_keys enable row level security;
alter table api_idempotency_keys force row level security;
create policy api_idempotency_keys_own on api_idempotency_keys
    using (clinic_id = app_clinic_id() and user_id = app_user_id())
    with check (clinic_id = app_clinic_id() and user_id = app_user_id());
create policy api_idempotency_keys_cleanup on api_idempotency_keys
    using ((select app_system_scope()));
-- Patients make nothing through the API yet (self-booking, issue 18, will
-- open this to their own keys).
create policy api_idempotency_keys_not_patients on api_idempotency_keys as restrictive
    using (not app_acting_as_patient())
    with check (not app_acting_as_patient());
grant select, insert, update, delete on api_idempotency_keys to hms_app;
