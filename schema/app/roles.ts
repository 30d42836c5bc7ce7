/**
 * The application's database role, least privilege: USAGE on `app`, reads and writes on the
 * tenant-scoped tables, SELECT and UPDATE (no INSERT, no DELETE) on `tenants`, and nothing on any
 * other schema — `cairn` included. NOLOGIN and NOBYPASSRLS: the application logs in as its own role,
 * a member of this one (`CREATE ROLE web LOGIN PASSWORD '…' IN ROLE cairn_app`), and sets the tenant
 * per transaction: `SELECT set_config('app.current_tenant_id', $1, true)`.
 */
import { grant, role } from '../../src/dsl/index.js'
import { agents } from './agents.js'
import { conversations } from './conversations.js'
import { documentChunks } from './document-chunks.js'
import { files } from './files.js'
import { memories } from './memories.js'
import { messageFiles } from './message-files.js'
import { messages } from './messages.js'
import { modules } from './modules.js'
import { courses } from './courses.js'
import { app } from './schema.js'
import { tenants } from './tenants.js'
import { transactions } from './transactions.js'
import { recordings } from './recordings.js'
import { users } from './users.js'

export const appRole = role('cairn_app')

/** The tables scoped to one tenant (RLS policy `tenant_isolation` on `tenant_id`). */
export const tenantTables = [users, conversations, messages, messageFiles, agents, files, documentChunks, memories, courses, modules, transactions, recordings] as const

export const appGrants = [
  grant(['USAGE'], { on: app, to: appRole }),
  // provisioning and removing tenants (ON DELETE CASCADE empties every table) is the owner's job
  grant(['SELECT', 'UPDATE'], { on: tenants, to: appRole }),
  ...tenantTables.map((t) => grant(['SELECT', 'INSERT', 'UPDATE', 'DELETE'], { on: t, to: appRole })),
]
