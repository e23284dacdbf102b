-- Orleans.Sessions schema 0001: tables and stored queries for Orleans' ADO.NET clustering and grain
-- storage providers (Microsoft.Orleans.Clustering.AdoNet / Persistence.AdoNet 10.x, invariant "Npgsql").
-- The providers read their SQL from orleansquery by key, bind parameters by name (@Name) and read result
-- columns by name; identifiers are unquoted so that the providers' unquoted names resolve.
-- Applied once by `Orleans.Sessions.Silo migrate`, inside a transaction, under an advisory lock.

-- The query table the providers load at start-up.
CREATE TABLE orleansquery (
    querykey  text PRIMARY KEY,
    querytext text NOT NULL
);

-- Membership: one version row per cluster (the optimistic-concurrency counter every membership change
-- bumps) and one row per silo incarnation.
CREATE TABLE orleans_membership_version (
    deploymentid text        PRIMARY KEY,
    version      integer     NOT NULL DEFAULT 0 CHECK (version >= 0),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orleans_membership (
    deploymentid text        NOT NULL REFERENCES orleans_membership_version (deploymentid) ON DELETE CASCADE,
    address      text        NOT NULL,
    port         integer     NOT NULL,
    generation   integer     NOT NULL,
    siloname     text        NOT NULL,
    hostname     text        NOT NULL,
    status       integer     NOT NULL,
    proxyport    integer     NOT NULL DEFAULT 0,
    suspecttimes text,
    starttime    timestamptz NOT NULL,
    iamalivetime timestamptz NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- Grain state: the primary key is the grain's identity, so a write touches exactly one row through the
-- key and two first writes of the same grain cannot both insert. A NULL key extension is stored as ''
-- (string-keyed grains carry their whole key there, so it is never empty for them).
CREATE TABLE orleans_grain_state (
    serviceid   text        NOT NULL,
    statename   text        NOT NULL,
    grainid_n0  bigint      NOT NULL,
    grainid_n1  bigint      NOT NULL,
    grainid_ext text        NOT NULL,
    version     integer     NOT NULL CHECK (version > 0),
    payload     bytea,
    modified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (serviceid, statename, grainid_n0, grainid_n1, grainid_ext)
) WITH (fillfactor = 80);

-- A state is rewritten whole on every durable change: the free space left in each page (fillfactor)
-- lets those updates stay on the page (HOT updates) without touching the primary-key index.

-- ---------------------------------------------------------------------------------------------------
-- Clustering queries. Boolean answers are one row with one integer column (1 done, 0 not done).

INSERT INTO orleansquery (querykey, querytext) VALUES
('InsertMembershipVersionKey', $q$
WITH inserted AS (
    INSERT INTO orleans_membership_version (deploymentid) VALUES (@DeploymentId)
    ON CONFLICT (deploymentid) DO NOTHING
    RETURNING 1)
SELECT count(*)::integer FROM inserted
$q$),

-- A silo joins: only if the table is still at the version the silo read and the row is new; the version
-- moves on in the same statement, so a concurrent change makes exactly one of the two succeed.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version
       SET version = version + 1, updated_at = now()
     WHERE deploymentid = @DeploymentId AND version = @Version
       AND NOT EXISTS (SELECT 1 FROM orleans_membership
                        WHERE deploymentid = @DeploymentId AND address = @Address
                          AND port = @Port AND generation = @Generation)
    RETURNING deploymentid),
inserted AS (
    INSERT INTO orleans_membership
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
    SELECT deploymentid, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
      FROM bumped
    ON CONFLICT DO NOTHING
    RETURNING 1)
SELECT count(*)::integer FROM inserted
$q$),

-- Status changes and suspicion votes: same optimistic check on the table version.
('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version
       SET version = version + 1, updated_at = now()
     WHERE deploymentid = @DeploymentId AND version = @Version
       AND EXISTS (SELECT 1 FROM orleans_membership
                    WHERE deploymentid = @DeploymentId AND address = @Address
                      AND port = @Port AND generation = @Generation)
    RETURNING deploymentid),
updated AS (
    UPDATE orleans_membership m
       SET status = @Status, suspecttimes = @SuspectTimes, iamalivetime = @IAmAliveTime
      FROM bumped
     WHERE m.deploymentid = bumped.deploymentid AND m.address = @Address
       AND m.port = @Port AND m.generation = @Generation
    RETURNING 1)
SELECT count(*)::integer FROM updated
$q$),

-- Heartbeat: no version check, no version change.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership
   SET iamalivetime = @IAmAliveTime
 WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),

-- Reads start from the version row so that it comes back even with no silo rows (StartTime NULL).
('MembershipReadAllKey', $q$
SELECT v.version AS Version, m.address AS Address, m.port AS Port, m.generation AS Generation,
       m.siloname AS SiloName, m.hostname AS HostName, m.status AS Status, m.proxyport AS ProxyPort,
       m.suspecttimes AS SuspectTimes, m.starttime AS StartTime, m.iamalivetime AS IAmAliveTime
  FROM orleans_membership_version v
  LEFT JOIN orleans_membership m ON m.deploymentid = v.deploymentid
 WHERE v.deploymentid = @DeploymentId
$q$),

('MembershipReadRowKey', $q$
SELECT v.version AS Version, m.address AS Address, m.port AS Port, m.generation AS Generation,
       m.siloname AS SiloName, m.hostname AS HostName, m.status AS Status, m.proxyport AS ProxyPort,
       m.suspecttimes AS SuspectTimes, m.starttime AS StartTime, m.iamalivetime AS IAmAliveTime
  FROM orleans_membership_version v
  LEFT JOIN orleans_membership m
         ON m.deploymentid = v.deploymentid AND m.address = @Address
        AND m.port = @Port AND m.generation = @Generation
 WHERE v.deploymentid = @DeploymentId
$q$),

-- The gateways a client may connect to: active silos that listen for clients.
('GatewaysQueryKey', $q$
SELECT address AS Address, proxyport AS ProxyPort, generation AS Generation
  FROM orleans_membership
 WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0
$q$),

-- Removes the cluster's whole membership (its silo rows go with the version row).
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership_version WHERE deploymentid = @DeploymentId
$q$),

-- Forgets silos that are dead (status 6) and silent since before the cut-off.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
 WHERE deploymentid = @DeploymentId AND iamalivetime < @IAmAliveTime AND status = 6
$q$),

-- ---------------------------------------------------------------------------------------------------
-- Grain storage queries. A write answers NewGrainStateVersion: the new version on success; the version it
-- was given (stale update) or NULL (lost insert race) on a conflict, which the provider reports as an
-- InconsistentStateException. The state name is the provider's GrainTypeString.

('ReadFromStorageKey', $q$
SELECT payload AS PayloadBinary, version AS Version
  FROM orleans_grain_state
 WHERE serviceid = @ServiceId AND statename = @GrainTypeString
   AND grainid_n0 = @GrainIdN0 AND grainid_n1 = @GrainIdN1
   AND grainid_ext = COALESCE(@GrainIdExtensionString, '')
$q$),

('WriteToStorageKey', $q$
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
    RETURNING version)
SELECT COALESCE((SELECT version FROM updated), (SELECT version FROM inserted), @GrainStateVersion) AS NewGrainStateVersion
$q$),

-- Clearing keeps the row (payload NULL) and moves its version on, so a stale activation still conflicts.
('ClearStorageKey', $q$
WITH cleared AS (
    UPDATE orleans_grain_state
       SET payload = NULL, version = version + 1, modified_at = now()
     WHERE @GrainStateVersion IS NOT NULL
       AND serviceid = @ServiceId AND statename = @GrainTypeString
       AND grainid_n0 = @GrainIdN0 AND grainid_n1 = @GrainIdN1
       AND grainid_ext = COALESCE(@GrainIdExtensionString, '')
       AND version = @GrainStateVersion
    RETURNING version),
inserted AS (
    INSERT INTO orleans_grain_state (serviceid, statename, grainid_n0, grainid_n1, grainid_ext, version, payload)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''), 1, NULL
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version)
SELECT COALESCE((SELECT version FROM cleared), (SELECT version FROM inserted), @GrainStateVersion) AS NewGrainStateVersion
$q$),

-- Used only with DeleteStateOnClear: removes the row if the version matches.
('DeleteStorageKey', $q$
WITH deleted AS (
    DELETE FROM orleans_grain_state
     WHERE serviceid = @ServiceId AND statename = @GrainTypeString
       AND grainid_n0 = @GrainIdN0 AND grainid_n1 = @GrainIdN1
       AND grainid_ext = COALESCE(@GrainIdExtensionString, '')
       AND version = @GrainStateVersion
    RETURNING version)
SELECT COALESCE((SELECT version + 1 FROM deleted), @GrainStateVersion) AS NewGrainStateVersion
$q$)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
