-- The session store kept each cookie's session id in the clear, so anyone
-- who could read the table (a backup, the app role with no context set)
-- could sign in as anyone with an open session (issue 14, finding 4). It
-- now keeps the SHA-256 of the id only (server::auth::session_store), like
-- every other bearer token HMS stores. Open sessions carry on: their rows
-- are re-keyed here.
update tower_sessions.session set id = encode(sha256(convert_to(id, 'UTF8')), 'hex');
alter table tower_sessions.session
    add constraint session_id_is_a_hash check (id ~ '^[0-9a-f]{64}$');
