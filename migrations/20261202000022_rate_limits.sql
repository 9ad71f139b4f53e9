-- Sign-in and other guessing limits, kept here rather than in each server's
-- memory so that they hold across several server processes (issue 14,
-- finding 9). Counts per key and time bucket; the key is a SHA-256 of what
-- is counted (an account's address, a client address), so the table names
-- nobody. Old buckets are removed by the cleanup task.
create table rate_limit_hits (
    key_hash bytea not null,
    bucket timestamptz not null,
    hits integer not null,
    primary key (key_hash, bucket),
    constraint rate_limit_hits_key_is_a_hash check (octet_length(key_hash) = 32)
);
create index rate_limit_hits_bucket_idx on rate_limit_hits (bucket);
grant select, insert, update, delete on rate_limit_hits to hms_app;
