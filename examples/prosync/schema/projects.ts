/** Steps 2 and 3: projects, their history, who may access them (roles from a reference table), and tags. */
import {
  bigint, boolean, check, index, jsonb, pgSchema, primaryKey, smallint, softDelete, sql, text, timestamps, timestamptz, unique, uuid, varchar,
} from '../../../src/dsl/index.js'
import { users } from './users.js'

export const projectsSchema = pgSchema('projects', { comment: 'Projects, access control and classification' })

/** Role definitions (owner, editor, viewer, …), kept apart from the grants for normalisation. */
export const accessRoleReference = projectsSchema.table('access_role_reference', {
  id: smallint().primaryKey().generatedByDefaultAsIdentity(),
  code: varchar(50).notNull().unique(),
  name: varchar(100).notNull(),
  description: text(),
  can_edit: boolean().notNull().default(false),
  can_manage_access: boolean().notNull().default(false),
})

export const projects = projectsSchema.table(
  'projects',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: varchar(200).notNull(),
    description: text(),
    owner_id: uuid().notNull().references(() => users.id),
    ...timestamps(),
    updated_by: uuid().references(() => users.id, { onDelete: 'set null' }),
    ...softDelete(),
  },
  (t) => [
    check('projects_name_check', sql`length(btrim((${t.name})::text)) > 0`),
    index('idx_projects_owner').on(t.owner_id).where(sql`${t.deleted_at} IS NULL`),
  ],
  { comment: 'Project metadata and ownership; deleted_at marks a soft delete' },
)

/** One row per change of a project: the operation, who made it, and the row before and after. */
export const projectHistory = projectsSchema.table(
  'project_history',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    project_id: uuid().notNull().references(() => projects.id, { onDelete: 'cascade' }),
    operation: varchar(10).notNull(),
    changed_by: uuid().references(() => users.id, { onDelete: 'set null' }),
    changed_at: timestamptz().notNull().defaultNow(),
    old_data: jsonb<Record<string, unknown>>(),
    new_data: jsonb<Record<string, unknown>>(),
  },
  (t) => [
    check('project_history_operation_check', sql`(${t.operation})::text IN ('insert', 'update', 'delete', 'restore')`),
    index('idx_project_history_project').on(t.project_id, t.changed_at.desc()),
  ],
  { comment: 'Change tracking for projects' },
)

export const projectAccess = projectsSchema.table(
  'project_access',
  {
    project_id: uuid().notNull().references(() => projects.id, { onDelete: 'cascade' }),
    user_id: uuid().notNull().references(() => users.id, { onDelete: 'cascade' }),
    role_id: smallint().notNull().references(() => accessRoleReference.id),
    granted_by: uuid().references(() => users.id, { onDelete: 'set null' }),
    granted_at: timestamptz().notNull().defaultNow(),
    revoked_at: timestamptz(),
  },
  (t) => [
    primaryKey({ columns: [t.project_id, t.user_id] }),
    index('idx_project_access_user_role').on(t.user_id, t.role_id),
  ],
  { comment: 'User-to-project mapping with a role' },
)

export const tagReference = projectsSchema.table(
  'tag_reference',
  {
    id: bigint().primaryKey().generatedByDefaultAsIdentity(),
    name: varchar(100).notNull(),
    category: varchar(50).notNull().default('general').comment('Groups tags for filtering and UI segmentation'),
    created_at: timestamptz().notNull().defaultNow(),
  },
  (t) => [unique('tag_reference_category_name_key').on(t.category, t.name)],
  { comment: 'Semantic tags, normalised for reuse' },
)

export const projectTag = projectsSchema.table(
  'project_tag',
  {
    project_id: uuid().notNull().references(() => projects.id, { onDelete: 'cascade' }),
    tag_id: bigint().notNull().references(() => tagReference.id, { onDelete: 'cascade' }),
    tagged_at: timestamptz().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.project_id, t.tag_id] }), index('idx_project_tag_tag').on(t.tag_id)],
  { comment: 'Projects ↔ tags' },
)
