/** Seed 000, `workspaces` schema: workspaces, their members and teams. */
import { index, jsonb, pgSchema, text, timestamptz, unique, uuid, varchar } from '../src/dsl/index.js'

export const workspacesSchema = pgSchema('workspaces', { comment: 'Workspaces, teams, memberships' })

export const workspaces = workspacesSchema.table('workspaces', {
  id: uuid().primaryKey().defaultRandom(),
  name: varchar(255).notNull(),
  slug: varchar(255).unique().notNull(),
  description: text(),
  logo_url: varchar(500),
  settings: jsonb<Record<string, unknown>>().default({}),
  plan: varchar(50).default('free'),
  owner_id: uuid().notNull(),
  created_at: timestamptz().defaultNow(),
  updated_at: timestamptz().defaultNow(),
})

export const members = workspacesSchema.table(
  'members',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspace_id: uuid().references(() => workspaces.id, { onDelete: 'cascade' }),
    user_id: uuid().notNull(),
    role: varchar(50).notNull().default('member'),
    permissions: jsonb<Record<string, unknown>>().default({}),
    invited_by: uuid(),
    joined_at: timestamptz().defaultNow(),
  },
  (t) => [
    unique().on(t.workspace_id, t.user_id),
    index('idx_members_user').on(t.user_id),
    index('idx_members_workspace').on(t.workspace_id),
  ],
)

export const teams = workspacesSchema.table('teams', {
  id: uuid().primaryKey().defaultRandom(),
  workspace_id: uuid().references(() => workspaces.id, { onDelete: 'cascade' }),
  name: varchar(255).notNull(),
  description: text(),
  created_at: timestamptz().defaultNow(),
})
