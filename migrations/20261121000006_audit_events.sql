-- The audit trail: append-only and tamper-evident.
--
-- Each clinic's events (and the platform's, clinic_id null) form a hash chain:
-- every row stores the previous row's hash and SHA-256 over that and its own
-- canonical content. `hms audit verify` recomputes the chains; an edited or
-- deleted row breaks the link after it.

create table audit_events (
    id bigint generated always as identity primary key,
    -- position in its chain, given under the chain's lock (ids can commit out of order)
    chain_seq bigint not null,
    -- null for platform-level events: platform admins, sign-ins of unknown accounts
    clinic_id uuid references clinics (id) on delete restrict,
    occurred_at timestamptz not null default now(),
    actor_user_id uuid references users (id),
    actor_role text,
    action text not null,
    entity_type text,
    entity_id text,
    before_value jsonb,
    after_value jsonb,
    client_addr inet,
    user_agent text,
    request_id text,
    outcome text not null default 'success',
    prev_hash bytea not null,
    hash bytea not null,
    constraint audit_events_action_known check (action in (
        'CREATE', 'UPDATE', 'DELETE', 'VIEW', 'LOGIN', 'LOGIN_FAILED', 'LOGOUT',
        'ACCESS_DENIED', 'EXPORT'
    )),
    constraint audit_events_outcome_known check (outcome in ('success', 'failure', 'denied')),
    constraint audit_events_user_agent_length check (char_length(user_agent) <= 512),
    constraint audit_events_request_id_length check (char_length(request_id) <= 64)
);
create unique index audit_events_chain_idx on audit_events (clinic_id, chain_seq) nulls not distinct;
create index audit_events_clinic_time_idx on audit_events (clinic_id, occurred_at desc);
create index audit_events_actor_idx on audit_events (clinic_id, actor_user_id, occurred_at desc);
create index audit_events_entity_idx on audit_events (clinic_id, entity_type, entity_id);

-- The first link of a chain: a fixed value per chain.
create function audit_genesis(clinic uuid) returns bytea
language sql immutable as $$
    select sha256(convert_to('hms-audit-genesis:' || coalesce(clinic::text, 'platform'), 'UTF8'))
$$;

-- SHA-256 over the previous hash and the row's content, fields separated by
-- the unit separator and nulls written as \N so that no two rows collide.
create function audit_event_digest(prev bytea, e audit_events) returns bytea
language sql stable as $$
    select sha256(prev || convert_to(concat_ws(E'\x1f',
        e.id::text,
        e.chain_seq::text,
        coalesce(e.clinic_id::text, E'\\N'),
        to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        coalesce(e.actor_user_id::text, E'\\N'),
        coalesce(e.actor_role, E'\\N'),
        e.action,
        coalesce(e.entity_type, E'\\N'),
        coalesce(e.entity_id, E'\\N'),
        coalesce(e.before_value::text, E'\\N'),
        coalesce(e.after_value::text, E'\\N'),
        coalesce(host(e.client_addr), E'\\N'),
        coalesce(e.user_agent, E'\\N'),
        coalesce(e.request_id, E'\\N'),
        e.outcome
    ), 'UTF8'))
$$;

-- Links each new row to its chain. Security definer (runs as the owner, who
-- sees every row) so the previous hash is found whatever the writer may see;
-- the advisory lock orders concurrent writers of one chain.
create function audit_events_link() returns trigger
language plpgsql security definer set search_path = public as $$
declare
    last_hash bytea;
    last_seq bigint;
begin
    if current_setting('transaction_isolation') <> 'read committed' then
        raise exception 'audit events must be written in read committed transactions';
    end if;
    perform pg_advisory_xact_lock(hashtextextended('hms.audit.' || coalesce(new.clinic_id::text, 'platform'), 0));
    select hash, chain_seq into last_hash, last_seq from audit_events
    where clinic_id is not distinct from new.clinic_id
    order by chain_seq desc limit 1;
    new.chain_seq := coalesce(last_seq, 0) + 1;
    new.prev_hash := coalesce(last_hash, audit_genesis(new.clinic_id));
    new.hash := audit_event_digest(new.prev_hash, new);
    return new;
end
$$;
create trigger audit_events_link before insert on audit_events
    for each row execute function audit_events_link();

-- Append-only for everyone, the owner included. (A superuser can still
-- switch triggers off; the hash chain is what shows that afterwards.)
create function audit_events_reject_change() returns trigger
language plpgsql as $$
begin
    raise exception 'audit events are append-only' using errcode = '42501';
end
$$;
create trigger audit_events_no_update_or_delete before update or delete on audit_events
    for each row execute function audit_events_reject_change();
create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_reject_change();

alter table audit_events enable row level security;
alter table audit_events force row level security;
create policy audit_events_in_clinic on audit_events
    using (clinic_id = app_clinic_id() or app_platform_scope())
    with check (clinic_id = app_clinic_id() or clinic_id is null);

revoke all on audit_events from public;
grant select, insert on audit_events to hms_app;
