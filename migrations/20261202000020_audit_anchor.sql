-- The audit chain, anchored outside the database (issue 14, findings 2, 3
-- and 11).
--
-- Until now each insert took its chain's lock and linked the row with a
-- SHA-256 computed here. Two weaknesses followed: every audited read of a
-- clinic queued on that one lock, and anyone able to edit rows (a superuser,
-- or the owner with the append-only trigger switched off) could recompute
-- every later hash with the same function and leave a chain that verified.
--
-- Now rows are inserted unlinked, taking no lock. The server's linker
-- (server::audit::chain) links them in order with an HMAC under a key that
-- is not in the database (derived from HMS_SECRET_KEY), and writes a
-- checkpoint of each chain's head outside it. `hms audit verify` recomputes
-- the HMACs from the rows' raw columns and compares the checkpoints, so an
-- edit, a re-hash, a deletion and a removed tail are all found.

-- 1. The chains so far must verify before they are re-linked under the key:
--    re-linking a tampered chain would launder the tampering.
do $$
declare
    broken bigint;
begin
    select id into broken from (
        select e.id,
               e.prev_hash = coalesce(lag(e.hash) over w, audit_genesis(e.clinic_id)) as linked,
               e.hash = audit_event_digest(e.prev_hash, e) as intact
        from audit_events e
        window w as (partition by e.clinic_id order by e.chain_seq)
    ) checked
    where not (linked and intact)
    order by id
    limit 1;
    if broken is not null then
        raise exception 'audit event % does not verify: run `hms audit verify` with the previous release and investigate before upgrading', broken;
    end if;
end
$$;

drop trigger audit_events_link on audit_events;
drop function audit_events_link();

alter table audit_events
    alter column chain_seq drop not null,
    alter column prev_hash drop not null,
    alter column hash drop not null;

-- Several unlinked rows of one chain have no sequence yet.
drop index audit_events_chain_idx;
create unique index audit_events_chain_idx on audit_events (clinic_id, chain_seq)
    nulls not distinct where chain_seq is not null;
create index audit_events_pending_idx on audit_events (id) where hash is null;

-- 2. Every existing event waits for the linker, like a new one.
alter table audit_events disable trigger audit_events_no_update_or_delete;
update audit_events set chain_seq = null, prev_hash = null, hash = null;
alter table audit_events enable trigger audit_events_no_update_or_delete;

-- 3. An insert carries no link: whatever a writer puts there is dropped.
create function audit_events_arrive_unlinked() returns trigger
language plpgsql as $$
begin
    new.chain_seq := null;
    new.prev_hash := null;
    new.hash := null;
    return new;
end
$$;
create trigger audit_events_arrive_unlinked before insert on audit_events
    for each row execute function audit_events_arrive_unlinked();

-- 4. Still append-only, but for one write: the link of an unlinked row,
--    leaving its content as it was.
create or replace function audit_events_reject_change() returns trigger
language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        if old.hash is null and new.hash is not null and new.chain_seq is not null
           and (old.id, old.clinic_id, old.occurred_at, old.actor_user_id, old.actor_role,
                old.action, old.entity_type, old.entity_id, old.before_value, old.after_value,
                old.client_addr, old.user_agent, old.request_id, old.outcome)
               is not distinct from
               (new.id, new.clinic_id, new.occurred_at, new.actor_user_id, new.actor_role,
                new.action, new.entity_type, new.entity_id, new.before_value, new.after_value,
                new.client_addr, new.user_agent, new.request_id, new.outcome)
        then
            return new;
        end if;
    end if;
    raise exception 'audit events are append-only' using errcode = '42501';
end
$$;

-- 5. What the linker needs, and no more. It runs as the app role, which
--    must not read other clinics' events: it gets each pending event's
--    id, chain and a digest of its content, never the content itself.

-- SHA-256 over the event's content, fields separated by the unit separator
-- and nulls written as \N. `hms audit verify` computes the same in Rust from
-- the raw columns, so changing this function cannot hide an edit.
create function audit_event_content(e audit_events) returns bytea
language sql stable as $$
    select sha256(convert_to(concat_ws(E'\x1f',
        e.id::text,
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

-- The oldest unlinked events, in id order.
create function audit_pending(max_rows integer)
returns table (id bigint, clinic_id uuid, content bytea)
language sql stable security definer set search_path = public as $$
    select e.id, e.clinic_id, audit_event_content(e)
    from audit_events e
    where e.hash is null
    order by e.id
    limit max_rows
$$;

-- The last linked event of a chain (null: the platform's).
create function audit_head(chain uuid)
returns table (chain_seq bigint, hash bytea)
language plpgsql stable security definer set search_path = public as $$
begin
    if chain is null then
        return query select e.chain_seq, e.hash from audit_events e
            where e.clinic_id is null and e.chain_seq is not null
            order by e.chain_seq desc limit 1;
    else
        return query select e.chain_seq, e.hash from audit_events e
            where e.clinic_id = chain and e.chain_seq is not null
            order by e.chain_seq desc limit 1;
    end if;
end
$$;

-- Writes the links the linker computed; rows already linked are left alone.
create function audit_link(ids bigint[], seqs bigint[], prevs bytea[], hashes bytea[])
returns bigint
language sql volatile security definer set search_path = public as $$
    with linked as (
        update audit_events e
        set chain_seq = l.seq, prev_hash = l.prev, hash = l.hash
        from unnest(ids, seqs, prevs, hashes) as l(id, seq, prev, hash)
        where e.id = l.id and e.hash is null
        returning 1
    )
    select count(*) from linked
$$;

revoke all on function audit_pending(integer), audit_head(uuid),
    audit_link(bigint[], bigint[], bytea[], bytea[]) from public;
grant execute on function audit_pending(integer), audit_head(uuid),
    audit_link(bigint[], bigint[], bytea[], bytea[]) to hms_app;

-- The old digest and genesis served the in-database chain only.
drop function audit_event_digest(bytea, audit_events);
drop function audit_genesis(uuid);
