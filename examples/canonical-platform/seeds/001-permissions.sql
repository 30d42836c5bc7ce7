-- The permission catalog: every action on every resource the API checks, shared by all tenants.
-- Idempotent: a changed file runs again; new pairs are added, descriptions brought up to date.
INSERT INTO platform.permissions (action, resource, description)
SELECT a.action, r.resource, initcap(a.action) || ' ' || replace(r.resource, '_', ' ')
  FROM (VALUES ('read'), ('create'), ('update'), ('delete')) AS a(action)
 CROSS JOIN (VALUES ('tenant_configs'), ('users'), ('roles'), ('memberships'), ('datasets'), ('records'), ('documents'), ('attachments'), ('jobs')) AS r(resource)
ON CONFLICT (action, resource) DO UPDATE
   SET description = EXCLUDED.description, updated_at = now()
 WHERE platform.permissions.description IS DISTINCT FROM EXCLUDED.description;

INSERT INTO platform.permissions (action, resource, description)
VALUES ('read', 'audit_logs', 'Read the audit log'), ('manage', 'tenant', 'Manage the tenant itself')
ON CONFLICT (action, resource) DO UPDATE
   SET description = EXCLUDED.description, updated_at = now()
 WHERE platform.permissions.description IS DISTINCT FROM EXCLUDED.description;
