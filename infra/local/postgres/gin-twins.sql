-- Installed by @lto/local-runtime in the `ferretdb` database before FerretDB starts.
-- FerretDB 1.24 pushes an equality filter down as `_jsonb -> 'field' @> value`, which the btree
-- indexes it creates cannot serve, so every lookup scans. This trigger gives every btree index
-- FerretDB creates a GIN jsonb_path_ops twin on the expression of its leading field, which serves
-- `@>`. FerretDB knows nothing of the twins; they live only in this local runtime (production runs
-- MongoDB). Idempotent: safe to run on every start.
CREATE OR REPLACE FUNCTION lto_gin_twin() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  cmd record;
  ix record;
  lead text;
BEGIN
  FOR cmd IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' LOOP
    SELECT i.indrelid::regclass AS rel, c.relname AS name, am.amname AS method,
           pg_get_indexdef(i.indexrelid, 1, true) AS first_column
      INTO ix
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indexrelid
      JOIN pg_am am ON am.oid = c.relam
     WHERE i.indexrelid = cmd.objid;
    CONTINUE WHEN NOT FOUND OR ix.method <> 'btree' OR ix.first_column NOT LIKE '%_jsonb -> %';
    lead := ix.first_column;
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin ((%s) jsonb_path_ops)',
                   left(ix.name, 58) || '_gin', ix.rel, lead);
  END LOOP;
END
$$;

DROP EVENT TRIGGER IF EXISTS lto_gin_twin;
CREATE EVENT TRIGGER lto_gin_twin ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION lto_gin_twin();

-- Generic plans would hide the literal from `@>` and keep the GIN index unused.
ALTER DATABASE ferretdb SET plan_cache_mode = force_custom_plan;
