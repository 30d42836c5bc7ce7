/**
 * Scenarios for column STORAGE and COMPRESSION: set by their own ALTER after CREATE TABLE and ADD
 * COLUMN (CREATE TABLE takes STORAGE only from PostgreSQL 16), changed and reset in place, and set
 * again after a type change (the new type brings its own storage). Same format as cases.ts.
 */
import { col, model, table } from '../unit/plan/build.js'
import type { Scenario } from './cases.js'

/** Every scenario of this file. */
export function columnStorageScenarios(): Scenario[] {
  const docs = (extra: Parameters<typeof col>[2] = {}, body = 'text') =>
    table('app', 'docs', [col('id', 'integer', { notNull: true }), col('body', body, extra)])
  return [
    {
      name: 'column-storage-and-compression-created',
      before: model({ schemas: [{ kind: 'schema', name: 'app' }] }),
      after: model({ tables: [docs({ storage: 'external', compression: 'pglz' })] }),
      sql: [
        'CREATE TABLE app.docs (\n  id integer NOT NULL,\n  body text COMPRESSION pglz\n)',
        'ALTER TABLE app.docs ALTER COLUMN body SET STORAGE EXTERNAL',
      ],
    },
    {
      name: 'column-storage-and-compression-changed-and-reset',
      before: model({ tables: [docs({ storage: 'external' })] }),
      after: model({ tables: [docs({ storage: 'main', compression: 'pglz' })] }),
      sql: ['ALTER TABLE app.docs ALTER COLUMN body SET STORAGE MAIN', 'ALTER TABLE app.docs ALTER COLUMN body SET COMPRESSION pglz'],
    },
    {
      name: 'column-storage-reset-to-the-type',
      before: model({ tables: [docs({ storage: 'main', compression: 'pglz' })] }),
      after: model({ tables: [docs()] }),
      sql: ['ALTER TABLE app.docs ALTER COLUMN body SET STORAGE EXTENDED', 'ALTER TABLE app.docs ALTER COLUMN body SET COMPRESSION DEFAULT'],
    },
    {
      name: 'column-storage-kept-across-a-type-change',
      before: model({ tables: [docs({ storage: 'external' }, 'character varying(20)')] }),
      after: model({ tables: [docs({ storage: 'external' })] }),
      sql: ['ALTER TABLE app.docs ALTER COLUMN body TYPE text', 'ALTER TABLE app.docs ALTER COLUMN body SET STORAGE EXTERNAL'],
    },
    {
      name: 'column-with-storage-added',
      before: model({ tables: [table('app', 'docs', [col('id', 'integer', { notNull: true })])] }),
      after: model({ tables: [docs({ storage: 'main' })] }),
      sql: ['ALTER TABLE app.docs ADD COLUMN body text', 'ALTER TABLE app.docs ALTER COLUMN body SET STORAGE MAIN'],
    },
  ]
}
