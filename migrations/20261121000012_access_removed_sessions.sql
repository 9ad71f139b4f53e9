-- A clinic admin deactivating or changing someone's membership ends that
-- person's sessions at once; the sign-in page then says why.
alter table user_sessions drop constraint user_sessions_end_reason_known;
alter table user_sessions add constraint user_sessions_end_reason_known check (end_reason in (
    'sign_out', 'idle', 'expired', 'account_disabled', 'signed_out_elsewhere', 'access_changed'
));
