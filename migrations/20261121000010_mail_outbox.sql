-- Outgoing email. A message is written here in the same transaction as what
-- causes it (an invitation, a password reset), so it exists exactly when its
-- cause does; the server's sender delivers it afterwards (src/server/mail).
--
-- Life of a message:
--   pending  waiting for its next attempt (next_attempt_at)
--   sending  claimed by one sender until lease_until; the attempt is counted
--   sent     the SMTP server accepted it
--   failed   refused for good, or too many attempts: a platform admin may retry
--   unknown  the sender stopped mid-attempt (a crash): it may have been
--            delivered, so it is never sent again by itself
create table outbox_emails (
    id uuid primary key default uuid_generate_v7(),
    -- One message per cause: enqueueing the same key again adds nothing.
    idempotency_key text not null,
    clinic_id uuid references clinics (id) on delete set null,
    kind text not null,
    to_address text not null,
    to_name text not null default '',
    subject text not null,
    body_text text not null,
    body_html text not null,
    status text not null default 'pending',
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    lease_until timestamptz,
    last_error text,
    created_at timestamptz not null default now(),
    sent_at timestamptz,
    constraint outbox_emails_idempotency_key_unique unique (idempotency_key),
    constraint outbox_emails_status_known check (status in ('pending', 'sending', 'sent', 'failed', 'unknown')),
    constraint outbox_emails_key_length check (char_length(idempotency_key) between 1 and 200),
    constraint outbox_emails_kind_length check (char_length(kind) between 1 and 50),
    constraint outbox_emails_to_length check (char_length(to_address) between 3 and 254),
    constraint outbox_emails_to_name_length check (char_length(to_name) <= 200),
    constraint outbox_emails_subject_length check (char_length(subject) between 1 and 200),
    constraint outbox_emails_body_size check (octet_length(body_text) <= 100000 and octet_length(body_html) <= 200000),
    constraint outbox_emails_error_length check (char_length(last_error) <= 500),
    constraint outbox_emails_attempts_not_negative check (attempts >= 0),
    constraint outbox_emails_lease_while_sending check ((status = 'sending') = (lease_until is not null)),
    constraint outbox_emails_sent_at check ((status = 'sent') = (sent_at is not null))
);
create index outbox_emails_due_idx on outbox_emails (next_attempt_at) where status = 'pending';
create index outbox_emails_lease_idx on outbox_emails (lease_until) where status = 'sending';
create index outbox_emails_created_idx on outbox_emails (created_at desc, id desc);
create index outbox_emails_status_created_idx on outbox_emails (status, created_at desc, id desc);

-- The server's own background work (the mail sender) runs in transactions
-- with hms.scope = 'system': it sees the outbox and no clinic's data.
create function app_system_scope() returns boolean
language sql stable as $$ select coalesce(current_setting('hms.scope', true), '') = 'system' $$;

-- Anyone may enqueue (a password reset has no clinic), but a clinic's mail
-- only from inside that clinic. Only the sender and platform admins read or
-- change messages; nobody deletes them.
alter table outbox_emails enable row level security;
alter table outbox_emails force row level security;
create policy outbox_emails_enqueue on outbox_emails for insert
    with check (clinic_id is null or clinic_id = app_clinic_id());
create policy outbox_emails_read on outbox_emails for select
    using (app_system_scope() or app_platform_scope());
create policy outbox_emails_deliver on outbox_emails for update
    using (app_system_scope() or app_platform_scope());

grant select, insert, update on outbox_emails to hms_app;

-- Wakes the sender when a message is committed (it also polls).
create function outbox_emails_notify() returns trigger
language plpgsql as $$
begin
    perform pg_notify('hms_outbox', '');
    return null;
end
$$;
create trigger outbox_emails_notify after insert on outbox_emails
    for each statement execute function outbox_emails_notify();
