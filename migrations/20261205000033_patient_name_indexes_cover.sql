-- A search by one name (issue 16, performance) counts its matches, up to the
-- count's cap, from the name indexes alone, and orders the given names'
-- matches from their index entries. That needs an index-only scan, which
-- needs every column the query and the row-level policies read in the
-- index: the clinic and the keys were there; the record's id and the
-- portal account (`user_id`, read by `patients_own_record`) are added, and
-- the given-name index carries the family key it is ordered by. Each
-- replaces the index of the same role from migration 9.
create index patients_clinic_family_key_cover_idx on patients
    (clinic_id, family_key text_pattern_ops, given_key text_pattern_ops) include (id, user_id);
create index patients_clinic_given_key_cover_idx on patients
    (clinic_id, given_key text_pattern_ops) include (family_key, id, user_id);
drop index patients_clinic_family_key_idx;
drop index patients_clinic_given_key_idx;
