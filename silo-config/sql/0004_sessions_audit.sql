-- Orleans.Sessions schema 0004: the audit history (docs/audit.md). Every ending of a session (sign-out, revoke,
-- revoke-all, eviction, expiry) is entered by a trigger on the event log, in the transaction that stores the ending's
-- event — so an acknowledged ending always has its entry, whichever grain storage wrote it (0002's query or 0003's
-- function), and entries are written in the same batches as the state. Administrative changes are inserted by the
-- silos before they are answered. Entries are kept for Sessions:Audit:Retention, apart from the event log's retention.

-- position orders a tenant's history; pages go newest first (below a position), so an entry committed late never
-- falls behind a page already read unless it was not there when the reading began.
CREATE TABLE sessions_audit (
    position    bigint      GENERATED ALWAYS AS IDENTITY,
    serviceid   text        NOT NULL,
    tenant      text        NOT NULL,
    entry_id    text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    kind        text        NOT NULL,
    actor       text        NOT NULL,
    user_id     text,
    session_id  text,
    reason      text,
    operation   text,
    target      text,
    PRIMARY KEY (serviceid, entry_id)
);

CREATE INDEX sessions_audit_by_tenant ON sessions_audit (serviceid, tenant, position);
CREATE INDEX sessions_audit_by_user ON sessions_audit (serviceid, tenant, user_id, position);
CREATE INDEX sessions_audit_age ON sessions_audit (occurred_at);

CREATE FUNCTION sessions_audit_ending() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE
    session jsonb := convert_from(NEW.payload, 'UTF8')::jsonb -> 'data';
    ending jsonb := session -> 'end';
BEGIN
    INSERT INTO sessions_audit (serviceid, tenant, entry_id, occurred_at, kind, actor, user_id, session_id, reason)
    VALUES (NEW.serviceid, NEW.tenant, NEW.event_id, NEW.occurred_at,
            CASE NEW.type WHEN 'session.ended' THEN 'sign-out'
                          WHEN 'session.revoked' THEN COALESCE(ending ->> 'operation', 'revoke')
                          WHEN 'session.evicted' THEN 'eviction'
                          ELSE 'expiry' END,
            COALESCE(ending ->> 'by', 'system'), NEW.user_id, NEW.session_id,
            -- An expiry has no end: its reason is which expiry came first.
            CASE WHEN NEW.type <> 'session.expired' THEN ending ->> 'reason'
                 WHEN session ->> 'endedAt' = session ->> 'expiresAt' THEN 'lifetime'
                 ELSE 'idle-timeout' END)
    ON CONFLICT (serviceid, entry_id) DO NOTHING;
    RETURN NULL;
END
$f$;

CREATE TRIGGER sessions_audit_endings AFTER INSERT ON sessions_event_log
    FOR EACH ROW WHEN (NEW.type IN ('session.ended', 'session.revoked', 'session.evicted', 'session.expired'))
    EXECUTE FUNCTION sessions_audit_ending();
