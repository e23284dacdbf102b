-- Orleans.Sessions schema 0005: a session a revoke-by-query job ended (docs/jobs.md) is entered in the audit history
-- (0004) with its job as the target, jobs/{jobId}; its kind is the end's operation, revoke-by-query.
CREATE OR REPLACE FUNCTION sessions_audit_ending() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE
    session jsonb := convert_from(NEW.payload, 'UTF8')::jsonb -> 'data';
    ending jsonb := session -> 'end';
BEGIN
    INSERT INTO sessions_audit (serviceid, tenant, entry_id, occurred_at, kind, actor, user_id, session_id, reason, target)
    VALUES (NEW.serviceid, NEW.tenant, NEW.event_id, NEW.occurred_at,
            CASE NEW.type WHEN 'session.ended' THEN 'sign-out'
                          WHEN 'session.revoked' THEN COALESCE(ending ->> 'operation', 'revoke')
                          WHEN 'session.evicted' THEN 'eviction'
                          ELSE 'expiry' END,
            COALESCE(ending ->> 'by', 'system'), NEW.user_id, NEW.session_id,
            -- An expiry has no end: its reason is which expiry came first.
            CASE WHEN NEW.type <> 'session.expired' THEN ending ->> 'reason'
                 WHEN session ->> 'endedAt' = session ->> 'expiresAt' THEN 'lifetime'
                 ELSE 'idle-timeout' END,
            'jobs/' || (ending ->> 'jobId'))
    ON CONFLICT (serviceid, entry_id) DO NOTHING;
    RETURN NULL;
END
$f$;
