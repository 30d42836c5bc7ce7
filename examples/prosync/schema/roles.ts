/**
 * The API's database role (NOLOGIN: the FastAPI service logs in as a member of it). It reads and
 * writes the application's tables, appends to the audit log and the staging area, and only reads
 * the reference tables and the schema version (seeded and changed by migrations).
 */
import { grant, role } from '../../../src/dsl/index.js'
import { auditLog, auditSchema } from './audit.js'
import { documentHistory, documents, documentsSchema, filetypeReference, storageReference } from './documents.js'
import { accessRoleReference, projectAccess, projectHistory, projects, projectsSchema, projectTag, tagReference } from './projects.js'
import { documentsIngest, stagingSchema } from './staging.js'
import { schemaVersion, systemSchema } from './system.js'
import { authSchema, sessions, users, usersSchema } from './users.js'

export const apiRole = role('prosync_api')

const readWrite = ['SELECT', 'INSERT', 'UPDATE', 'DELETE']

export const apiGrants = [
  ...[usersSchema, authSchema, projectsSchema, documentsSchema, stagingSchema, auditSchema, systemSchema].map((s) => grant(['USAGE'], { on: s, to: apiRole })),
  // soft deletes: users, projects and documents are updated, never deleted, by the API
  ...[users, projects, documents].map((t) => grant(['SELECT', 'INSERT', 'UPDATE'], { on: t, to: apiRole })),
  ...[sessions, projectAccess, projectTag, documentsIngest].map((t) => grant(readWrite, { on: t, to: apiRole })),
  ...[projectHistory, documentHistory, auditLog].map((t) => grant(['SELECT', 'INSERT'], { on: t, to: apiRole })),
  ...[accessRoleReference, tagReference, filetypeReference, storageReference, schemaVersion].map((t) => grant(['SELECT'], { on: t, to: apiRole })),
]
