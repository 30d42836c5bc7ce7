-- The platform's permission catalog, named tier.resource.action. Idempotent: a changed file runs again.
INSERT INTO "Permission" (name, description)
VALUES
  ('platform.tenants.manage', 'Create, suspend and configure tenants'),
  ('tenant.users.manage', 'Invite, update and remove users of the tenant'),
  ('tenant.roles.manage', 'Define the tenant''s roles and their permissions'),
  ('account.content.publish', 'Publish content of the account'),
  ('account.listings.manage', 'Create and update listings of the account'),
  ('account.applications.review', 'Review applications to the account''s listings'),
  ('user.bookings.manage', 'Accept and cancel one''s own bookings'),
  ('user.profile.update', 'Edit one''s own profile')
ON CONFLICT (name) DO UPDATE
   SET description = EXCLUDED.description
 WHERE "Permission".description IS DISTINCT FROM EXCLUDED.description;
