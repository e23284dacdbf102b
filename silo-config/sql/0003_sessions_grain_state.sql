-- Orleans.Sessions schema 0003: the project's own grain storage (docs/operations.md, "Grain storage on PostgreSQL").
-- A grain's state is a head row plus one row per part (a user's sessions), so a sign-on writes its new session and
-- the head, not the user's whole ring; its events go into the log (0002) in the same write. Keys are compared byte
-- by byte (COLLATE "C"), as the storage orders them, whatever the database's collation.
-- Orleans' ADO.NET storage (orleans_grain_state, 0001) stays: silos choose with Sessions:Postgres:GrainStorage, and
-- this storage reads a grain from there while it has no row here yet.

CREATE TABLE sessions_grain_state (
    serviceid   text COLLATE "C" NOT NULL,
    state_key   text COLLATE "C" NOT NULL,
    version     bigint           NOT NULL,
    payload     bytea,
    modified_at timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (serviceid, state_key)
);

CREATE TABLE sessions_grain_state_parts (
    serviceid text COLLATE "C" NOT NULL,
    state_key text COLLATE "C" NOT NULL,
    part_key  text COLLATE "C" NOT NULL,
    payload   bytea            NOT NULL,
    PRIMARY KEY (serviceid, state_key, part_key)
);

-- One grain's write: the head if its version is p_expected (NULL: no row yet; a NULL payload clears it, keeping the
-- row's version), then its parts and events. Answers the new version, or NULL when the version was another — and
-- then changes nothing.
CREATE FUNCTION sessions_write_state(
    p_service               text,
    p_key                   text,
    p_expected              bigint,
    p_payload               bytea,
    p_parts_remove_all      boolean,
    p_parts_remove_before   text,
    p_part_keys             text[],
    p_part_payloads         bytea[],
    p_event_ids             text[],
    p_event_tenants         text[],
    p_event_users           text[],
    p_event_sessions        text[],
    p_event_types           text[],
    p_event_times           timestamptz[],
    p_event_payloads        bytea[])
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    stored bigint;
BEGIN
    IF p_expected IS NULL THEN
        INSERT INTO sessions_grain_state (serviceid, state_key, version, payload)
        VALUES (p_service, p_key, 1, p_payload)
        ON CONFLICT DO NOTHING
        RETURNING version INTO stored;
    ELSE
        UPDATE sessions_grain_state
           SET version = version + 1, payload = p_payload, modified_at = now()
         WHERE serviceid = p_service AND state_key = p_key AND version = p_expected
        RETURNING version INTO stored;
    END IF;

    IF stored IS NULL THEN
        RETURN NULL;
    END IF;

    IF p_payload IS NULL OR p_parts_remove_all THEN
        DELETE FROM sessions_grain_state_parts WHERE serviceid = p_service AND state_key = p_key;
    ELSIF p_parts_remove_before IS NOT NULL THEN
        DELETE FROM sessions_grain_state_parts
         WHERE serviceid = p_service AND state_key = p_key AND part_key < p_parts_remove_before COLLATE "C";
    END IF;

    IF cardinality(p_part_keys) > 0 THEN
        INSERT INTO sessions_grain_state_parts (serviceid, state_key, part_key, payload)
        SELECT p_service, p_key, part.key, part.payload FROM unnest(p_part_keys, p_part_payloads) AS part (key, payload)
        ON CONFLICT (serviceid, state_key, part_key) DO UPDATE SET payload = excluded.payload;
    END IF;

    IF cardinality(p_event_ids) > 0 THEN
        INSERT INTO sessions_event_log (serviceid, tenant, event_id, user_id, session_id, type, occurred_at, payload)
        SELECT p_service, e.tenant, e.id, e.user_id, e.session_id, e.type, e.occurred_at, e.payload
          FROM unnest(p_event_ids, p_event_tenants, p_event_users, p_event_sessions, p_event_types, p_event_times, p_event_payloads)
               AS e (id, tenant, user_id, session_id, type, occurred_at, payload)
        ON CONFLICT (serviceid, event_id) DO NOTHING;
    END IF;

    RETURN stored;
END
$$;
