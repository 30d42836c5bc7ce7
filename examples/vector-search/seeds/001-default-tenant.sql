-- The default tenant: every row of the single-tenant legacy MongoDB data is backfilled into it.
-- The same tenant as the reference model's seed.
INSERT INTO app.tenants (id, name, subdomain, plan, status)
VALUES ('00000000-0000-4000-8000-000000000001', 'Default (migrated from MongoDB)', 'default', 'free', 'active')
ON CONFLICT (id) DO UPDATE
   SET name = EXCLUDED.name,
       subdomain = EXCLUDED.subdomain,
       updated_at = now()
 WHERE (app.tenants.name, app.tenants.subdomain) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.subdomain);
