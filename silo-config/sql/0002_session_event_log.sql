-- Orleans.Sessions schema 0002: the event log (docs/events.md, "The log") and the outbox in the grain state write.
-- A user grain's state carries the events of its changes ("pendingEvents"); the state write now inserts them into
-- the log in the same statement, so an event is stored exactly when its change is. An event whose id the log has
-- is skipped, so writing the same events again does no harm.

-- position numbers rows in insertion order; txid is the writing transaction's id. Readers take only rows below every
-- running transaction (pg_snapshot_xmin) in (txid, position) order, so no commit can land behind a position already
-- handed to a consumer.
CREATE TABLE sessions_event_log (
    position    bigint      GENERATED ALWAYS AS IDENTITY,
    serviceid   text        NOT NULL,
    tenant      text        NOT NULL,
    event_id    text        NOT NULL,
    user_id     text        NOT NULL,
    session_id  text        NOT NULL,
    type        text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    txid        xid8        NOT NULL DEFAULT pg_current_xact_id(),
    payload     bytea       NOT NULL,
    PRIMARY KEY (serviceid, event_id)
);

CREATE INDEX sessions_event_log_feed ON sessions_event_log (serviceid, tenant, txid, position);
CREATE INDEX sessions_event_log_age ON sessions_event_log (occurred_at);

-- The state write of 0001, which also commits the state's pending events into the log.
UPDATE orleansquery SET querytext = $q$
WITH updated AS (
    UPDATE orleans_grain_state
       SET payload = @PayloadBinary, version = version + 1, modified_at = now()
     WHERE @GrainStateVersion IS NOT NULL
       AND serviceid = @ServiceId AND statename = @GrainTypeString
       AND grainid_n0 = @GrainIdN0 AND grainid_n1 = @GrainIdN1
       AND grainid_ext = COALESCE(@GrainIdExtensionString, '')
       AND version = @GrainStateVersion
    RETURNING version),
inserted AS (
    INSERT INTO orleans_grain_state (serviceid, statename, grainid_n0, grainid_n1, grainid_ext, version, payload)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''), 1, @PayloadBinary
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version),
stored AS (
    SELECT version FROM updated UNION ALL SELECT version FROM inserted),
logged AS (
    INSERT INTO sessions_event_log (serviceid, tenant, event_id, user_id, session_id, type, occurred_at, payload)
    SELECT @ServiceId, e ->> 'tenant', e ->> 'id', e ->> 'userId', e ->> 'sessionId', 'session.' || (e ->> 'type'),
           (e ->> 'occurredAt')::timestamptz, convert_to(e::text, 'UTF8')
      FROM stored,
           jsonb_array_elements(CASE WHEN position(convert_to('"pendingEvents":[{', 'UTF8') IN @PayloadBinary) > 0
                                     THEN convert_from(@PayloadBinary, 'UTF8')::jsonb -> 'pendingEvents'
                                     ELSE '[]'::jsonb END) AS e
    ON CONFLICT (serviceid, event_id) DO NOTHING)
SELECT COALESCE((SELECT version FROM updated), (SELECT version FROM inserted), @GrainStateVersion) AS NewGrainStateVersion
$q$
 WHERE querykey = 'WriteToStorageKey';
