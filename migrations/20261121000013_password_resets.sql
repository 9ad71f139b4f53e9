-- Password reset by email. A request writes a row and an email in one
-- transaction; the link's token is stored only as its SHA-256, works once
-- and for 30 minutes, and using it ends every session of the account.
create table password_resets (
    id uuid primary key default uuid_generate_v7(),
    user_id uuid not null references users (id) on delete cascade,
    token_hash bytea not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz,
    requested_from inet,
    constraint password_resets_token_hash_key unique (token_hash),
    constraint password_resets_token_hash_size check (octet_length(token_hash) = 32),
    constraint password_resets_expiry_after_creation check (expires_at > created_at)
);
create index password_resets_user_idx on password_resets (user_id, created_at desc);
create index password_resets_expiry_idx on password_resets (expires_at);
grant select, insert, update on password_resets to hms_app;

alter table user_sessions drop constraint user_sessions_end_reason_known;
alter table user_sessions add constraint user_sessions_end_reason_known check (end_reason in (
    'sign_out', 'idle', 'expired', 'account_disabled', 'signed_out_elsewhere', 'access_changed',
    'password_reset'
));
