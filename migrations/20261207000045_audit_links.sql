-- Audit links in a table of their own, and a queue of what waits for them.
--
-- Until now the linker wrote each event's place in its chain into the
-- event's own row. That update changed indexed columns (the chain index,
-- and the pending index's predicate), so PostgreSQL could never make it a
-- heap-only update: every event was written twice, with its seven index
-- entries, and left a dead row behind (0 of 121,703 updates in a bench run
-- were HOT). The pages of the newest events lost their all-visible bit
-- until vacuum came round, so reads meant to come from an index alone
-- (a dashboard's recently viewed patients, from the actor index) went to
-- the table for every entry.
--
-- Now an event row is written once and never touched again. Inserting it
-- queues its id (`audit_unlinked`, ids only); the linker adds the link to
-- `audit_links` and takes the id off the queue. Both tables are the
-- linker's and the owner's: the app role reaches them only through the
-- functions below. `hms audit verify` walks the links and the events
-- together, so an event deleted from under its link is named.

create table audit_links (
    event_id bigint primary key,
    -- the chain: the event's clinic, null for the platform's
    clinic_id uuid,
    chain_seq bigint not null,
    prev_hash bytea not null,
    hash bytea not null
);
create unique index audit_links_chain_idx on audit_links (clinic_id, chain_seq) nulls not distinct;

create table audit_unlinked (
    event_id bigint primary key
);

-- What was linked keeps its link; what was not waits in the queue.
insert into audit_links (event_id, clinic_id, chain_seq, prev_hash, hash)
select id, clinic_id, chain_seq, prev_hash, hash from audit_events where hash is not null;
insert into audit_unlinked (event_id)
select id from audit_events where hash is null;

-- Append-only again for every column: nothing updates an event any more.
create or replace function audit_events_reject_change() returns trigger
language plpgsql as $$
begin
    raise exception 'audit events are append-only' using errcode = '42501';
end
$$;
create trigger audit_links_no_update_or_delete before update or delete on audit_links
    for each row execute function audit_events_reject_change();
create trigger audit_links_no_truncate before truncate on audit_links
    for each statement execute function audit_events_reject_change();

drop trigger audit_events_arrive_unlinked on audit_events;
drop function audit_events_arrive_unlinked();
drop index audit_events_chain_idx;
drop index audit_events_pending_idx;
alter table audit_events
    drop column chain_seq,
    drop column prev_hash,
    drop column hash;

-- Every new event waits for the linker, whoever wrote it and however
-- (COPY too). Security definer: the app role has no grant on the queue.
create function audit_events_enqueue() returns trigger
language plpgsql security definer set search_path = public as $$
begin
    insert into audit_unlinked (event_id) values (new.id);
    return null;
end
$$;
create trigger audit_events_enqueue after insert on audit_events
    for each row execute function audit_events_enqueue();

-- Closed to everyone but the owner (who bypasses row-level security) and
-- the functions that run as the owner.
alter table audit_links enable row level security;
alter table audit_links force row level security;
alter table audit_unlinked enable row level security;
alter table audit_unlinked force row level security;
revoke all on audit_links, audit_unlinked from public;

-- The oldest queued events, in id order (what the linker reads).
create or replace function audit_pending(max_rows integer)
returns table (id bigint, clinic_id uuid, content bytea)
language sql stable security definer set search_path = public as $$
    select e.id, e.clinic_id, audit_event_content(e)
    from audit_unlinked q
    join audit_events e on e.id = q.event_id
    order by q.event_id
    limit max_rows
$$;

-- The last link of a chain (null: the platform's).
create or replace function audit_head(chain uuid)
returns table (chain_seq bigint, hash bytea)
language plpgsql stable security definer set search_path = public as $$
begin
    if chain is null then
        return query select l.chain_seq, l.hash from audit_links l
            where l.clinic_id is null
            order by l.chain_seq desc limit 1;
    else
        return query select l.chain_seq, l.hash from audit_links l
            where l.clinic_id = chain
            order by l.chain_seq desc limit 1;
    end if;
end
$$;

-- Writes the links the linker computed, for queued events only, and takes
-- them off the queue; an event already linked, or not queued, is left
-- alone. The chain is the event's own clinic, whatever the caller thinks.
create or replace function audit_link(ids bigint[], seqs bigint[], prevs bytea[], hashes bytea[])
returns bigint
language sql volatile security definer set search_path = public as $$
    with linked as (
        insert into audit_links (event_id, clinic_id, chain_seq, prev_hash, hash)
        select l.id, e.clinic_id, l.seq, l.prev, l.hash
        from unnest(ids, seqs, prevs, hashes) as l(id, seq, prev, hash)
        join audit_unlinked q on q.event_id = l.id
        join audit_events e on e.id = l.id
        on conflict do nothing
        returning event_id
    ), dequeued as (
        delete from audit_unlinked q using linked where q.event_id = linked.event_id
    )
    select count(*) from linked
$$;

-- Vacuum sets the visibility map's bits on the newest events every 10,000
-- rather than once the table has grown a fifth, so that reads meant to
-- come from an index alone do.
alter table audit_events set (
    autovacuum_vacuum_insert_threshold = 10000,
    autovacuum_vacuum_insert_scale_factor = 0
);
