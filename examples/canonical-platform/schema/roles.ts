/**
 * The application's database role: NOLOGIN, NOBYPASSRLS (the API and the workers log in as
 * members of it and set `app.current_tenant_id` per transaction). It reads and writes the
 * tenant-scoped tables, appends to the audit log, and only reads tenants and the permission catalog
 * (provisioning tenants and seeding permissions is the owner's job).
 */
import { grant, role } from '../../../src/dsl/index.js'
import { attachments, datasets, documents, records } from './domain.js'
import { memberships, permissions, rolePermissions, roles, users } from './identity.js'
import { eventLogs, jobs, pipelineCheckpoints, auditLogs } from './operations.js'
import { platform, tenantConfigs, tenants } from './tenancy.js'

export const platformApp = role('platform_app')

export const platformGrants = [
  grant(['USAGE'], { on: platform, to: platformApp }),
  grant(['SELECT'], { on: tenants, to: platformApp }),
  grant(['SELECT'], { on: permissions, to: platformApp }),
  ...[tenantConfigs, users, roles, rolePermissions, memberships, datasets, records, documents, attachments, jobs, pipelineCheckpoints, eventLogs].map((t) =>
    grant(['SELECT', 'INSERT', 'UPDATE', 'DELETE'], { on: t, to: platformApp }),
  ),
  grant(['SELECT', 'INSERT'], { on: auditLogs, to: platformApp }),
]
