-- The day's queues (issue 16, performance). A queue page took its 25 rows
-- by sorting all the day's visits and numbering each department's waiting
-- line with a window function: about 4 ms a page at 700 visits a clinic,
-- growing through the day. The queue's own order is now an index, so a
-- page reads its rows and stops; and the line ahead of each shown visit is
-- a range of the waiting visits' index, counted for that visit alone (the
-- token slip counts the same way). `visit_priority_rank` is immutable and
-- inlined, so these expressions match the queries' own.
create index patient_visits_active_order_idx on patient_visits
    (clinic_id, visit_date, visit_priority_rank(priority), token, id)
    where status in ('waiting', 'called', 'in_consultation');
create index patient_visits_waiting_line_idx on patient_visits
    (clinic_id, visit_date, department_id, visit_priority_rank(priority), token)
    where status = 'waiting';
