-- The schema a deployed StarSync has before its migrations were generated: `dotnet ef migrations script` of the
-- hand-written InitialSchema, SyncSchedule and BuildSpecPolicy (ProductVersion 10.0.0, as they recorded it). A fixture
-- of OrchestratorSchemaTests: never regenerate it, it stands for databases that exist.
CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" character varying(150) NOT NULL,
    "ProductVersion" character varying(32) NOT NULL,
    CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY ("MigrationId")
);

START TRANSACTION;
CREATE TABLE mirrors (
    correlation_id uuid NOT NULL,
    current_state character varying(64) NOT NULL,
    version integer NOT NULL,
    github_id bigint NOT NULL,
    owner character varying(100) NOT NULL,
    name character varying(100) NOT NULL,
    full_name character varying(201) NOT NULL,
    clone_url character varying(2048) NOT NULL,
    html_url character varying(2048) NOT NULL,
    default_branch character varying(255) NOT NULL,
    private boolean NOT NULL,
    size_kb bigint NOT NULL,
    description text,
    starred boolean NOT NULL,
    starred_at timestamp with time zone,
    onedev_project_id bigint,
    onedev_project_path character varying(1024),
    onedev_git_url character varying(2048),
    status text NOT NULL,
    attempt integer NOT NULL,
    retry_count integer NOT NULL,
    redrive_count integer NOT NULL,
    last_error text,
    last_synced_at timestamp with time zone,
    last_worker character varying(255),
    step_started_at timestamp with time zone,
    next_retry_at timestamp with time zone,
    deadline_at timestamp with time zone,
    due_at timestamp with time zone,
    recent_deliveries text[] NOT NULL,
    trace_parent character varying(128),
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_mirrors" PRIMARY KEY (correlation_id)
);

CREATE TABLE sync_history (
    id bigint GENERATED ALWAYS AS IDENTITY,
    mirror_id uuid NOT NULL,
    attempt integer NOT NULL,
    event character varying(32) NOT NULL,
    outcome character varying(32) NOT NULL,
    detail text,
    delivery_id character varying(64),
    duration_ms bigint,
    recorded_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_sync_history" PRIMARY KEY (id),
    CONSTRAINT "FK_sync_history_mirrors_mirror_id" FOREIGN KEY (mirror_id) REFERENCES mirrors (correlation_id) ON DELETE CASCADE
);

CREATE INDEX ix_mirrors_current_state ON mirrors (current_state);

CREATE INDEX ix_mirrors_due_at ON mirrors (due_at) WHERE due_at IS NOT NULL;

CREATE UNIQUE INDEX ix_mirrors_github_id ON mirrors (github_id);

CREATE INDEX ix_sync_history_mirror_id ON sync_history (mirror_id, id);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261121000000_InitialSchema', '10.0.0');

COMMIT;

START TRANSACTION;
ALTER TABLE mirrors ADD sync_interval_seconds integer;

ALTER TABLE mirrors ADD next_sync_at timestamp with time zone;

ALTER TABLE mirrors ADD resync_requested boolean NOT NULL DEFAULT FALSE;

ALTER TABLE mirrors ADD retired_action character varying(32);

ALTER TABLE mirrors ADD upstream_gone_reason character varying(64);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261122000000_SyncSchedule', '10.0.0');

COMMIT;

START TRANSACTION;
ALTER TABLE mirrors ADD build_spec_policy character varying(16);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261202000000_BuildSpecPolicy', '10.0.0');

COMMIT;


-- The star poller's tables as the Ingress created them on first use (Stars/StarStore.cs, CREATE TABLE IF NOT EXISTS),
-- in a database whose poller had run. OrchestratorSchemaTests applies this part only for that case.
-- ingress-tables
CREATE TABLE IF NOT EXISTS ingress_star_state (
    id smallint PRIMARY KEY CHECK (id = 1),
    page1_etag text NULL,
    watermark timestamptz NULL,
    backfill_requested boolean NOT NULL DEFAULT false,
    backfill_publishes boolean NOT NULL DEFAULT true,
    backfill_requested_at timestamptz NULL,
    backfill_next_page integer NULL,
    backfill_completed_at timestamptz NULL,
    last_polled_at timestamptz NULL,
    last_reconciled_at timestamptz NULL,
    reconcile_requested boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS ingress_starred (
    github_id bigint PRIMARY KEY,
    full_name text NOT NULL,
    starred_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    private boolean NOT NULL DEFAULT false
);
