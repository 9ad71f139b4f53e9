-- A dashboard's "Recently viewed" reads the person's newest VIEW events in
-- this index's order, stopping at the 200th. Without the event's kind and
-- entity in the index, each entry meant a visit to the table, and once the
-- planner's estimate of a person's events fell behind (a busy day's VIEW
-- events outrun the statistics) it chose to fetch every event the person
-- ever wrote and sort them: a doctor with 800 views paid 1.3 ms on every
-- dashboard, growing with every record opened. With them included, the
-- newest 200 are read in the index's order whatever the statistics say,
-- from the index alone once the visibility map covers their pages.
-- Nothing else reads this index, and it stays one index per insert.
drop index audit_events_actor_idx;
create index audit_events_actor_idx on audit_events (clinic_id, actor_user_id, occurred_at desc)
  include (action, entity_type, entity_id);
