/**
 * The scenario cases: before → after → the exact statements expected. Expressions are written the
 * way Postgres prints them so that the inspected databases agree with the models.
 */
import type { ColumnDef, EnumDef, ForeignKeyDef, FunctionDef, IndexDef, Model, TableDef, TriggerDef, ViewDef } from '../../src/model/types.js'
import type { ScenarioOptions } from '../helpers/expect-migration.js'
import { col, model, table } from '../unit/plan/build.js'
import { objectKindScenarios } from './object-kinds.js'
import { columnStorageScenarios } from './column-storage.js'
import { eventTriggerScenarios } from './event-triggers.js'
import { repartitionScenarios } from './repartition.js'
import { routineScenarios } from './routines.js'
import { tableDependencyScenarios } from './table-dependencies.js'

/** One scenario. */
export interface Scenario {
  readonly name: string
  readonly before: Model
  readonly after: Model
  readonly sql: readonly string[]
  readonly options?: ScenarioOptions
}

const id = col('id', 'bigint', { notNull: true, identity: 'always' })
const pk = (t: string) => ({ name: `${t}_pkey`, columns: ['id'] })
const fk = (name: string, columns: string[], refSchema: string, refTable: string, extra: Partial<ForeignKeyDef> = {}): ForeignKeyDef => ({
  name,
  columns,
  refSchema,
  refTable,
  refColumns: ['id'],
  onDelete: 'no action',
  onUpdate: 'no action',
  ...extra,
})
const ix = (name: string, columns: string[], extra: Partial<IndexDef> = {}): IndexDef => ({
  name,
  unique: false,
  method: 'btree',
  keys: columns.map((column) => ({ column })),
  include: [],
  with: {},
  ...extra,
})

const userCols: ColumnDef[] = [id, col('email', 'text', { notNull: true }), col('name', 'character varying(50)'), col('age', 'integer')]
const users = (patch: Partial<TableDef> = {}, cols: ColumnDef[] = userCols) => table('app', 'users', cols, { primaryKey: pk('users'), ...patch })
const posts = (patch: Partial<TableDef> = {}) =>
  table('app', 'posts', [id, col('author_id', 'bigint'), col('title', 'text', { notNull: true })], {
    primaryKey: pk('posts'),
    foreignKeys: [fk('posts_author_id_fkey', ['author_id'], 'app', 'users')],
    ...patch,
  })
const base = (...tables: TableDef[]) => model({ tables })
const withCol = (cols: ColumnDef[], name: string, patch: Partial<ColumnDef> | null, add?: ColumnDef): ColumnDef[] => {
  const out = cols.flatMap((c) => (c.name === name ? (patch === null ? [] : [{ ...c, ...patch }]) : [c]))
  return add ? [...out, add] : out
}
const roleEnum = (values: string[]): EnumDef => ({ kind: 'enum', schema: 'app', name: 'role', values })

/** How each engine prints a simple view over app.users (PostgreSQL 15 qualifies columns, 18 does not). */
function emailsView(engine: string): ViewDef {
  const q = engine === 'postgres' ? 'users.' : ''
  return {
    kind: 'view',
    schema: 'app',
    name: 'user_emails',
    materialized: false,
    definition: `SELECT ${q}id,\n    ${q}email\n   FROM app.users`,
    with: {},
    indexes: [],
  }
}

const events = (patch: Partial<TableDef> = {}) =>
  table('app', 'events', [col('id', 'bigint', { notNull: true }), col('kind', 'text', { notNull: true }), col('created_on', 'date', { notNull: true })], {
    partitionBy: { strategy: 'range', key: '(created_on)' },
    ...patch,
  })
const partition = (name: string, bound: string) =>
  table('app', name, [...events().columns], { partitionOf: { parentSchema: 'app', parent: 'events', bound } })

const touchFn: FunctionDef = {
  kind: 'function',
  schema: 'app',
  name: 'touch',
  args: '',
  isProcedure: false,
  definition:
    'CREATE OR REPLACE FUNCTION app.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$\nBEGIN\n  NEW.age := coalesce(NEW.age, 0);\n  RETURN NEW;\nEND;\n$function$',
}
const touchTrigger: TriggerDef = {
  kind: 'trigger',
  schema: 'app',
  table: 'users',
  name: 'users_touch',
  definition: 'CREATE TRIGGER users_touch BEFORE INSERT OR UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch()',
}

/** Every scenario, for the given engine name ('pglite' | 'postgres' | 'pure'). */
export function scenarios(engine: string): Scenario[] {
  const U = 'app.users'
  return [
    {
      name: 'add-table',
      before: base(users()),
      after: base(users(), posts()),
      sql: [
        'CREATE TABLE app.posts (\n  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,\n  author_id bigint,\n  title text NOT NULL,\n  CONSTRAINT posts_pkey PRIMARY KEY (id)\n)',
        'ALTER TABLE app.posts ADD CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES app.users (id)',
      ],
    },
    {
      name: 'drop-table',
      before: base(users(), posts()),
      after: base(users()),
      sql: ['ALTER TABLE app.posts DROP CONSTRAINT posts_author_id_fkey', 'DROP TABLE app.posts'],
    },
    {
      name: 'rename-table',
      before: base(users(), posts()),
      after: base(users(), { ...posts({ primaryKey: pk('articles') }), name: 'articles', renamedFrom: 'posts' }),
      sql: ['ALTER TABLE app.posts RENAME TO articles', 'ALTER TABLE app.articles RENAME CONSTRAINT posts_pkey TO articles_pkey'],
    },
    {
      name: 'add-column',
      before: base(users()),
      after: base(users({}, [...userCols, col('bio', 'text'), col('active', 'boolean', { notNull: true, default: 'true' })])),
      sql: [`ALTER TABLE ${U} ADD COLUMN bio text`, `ALTER TABLE ${U} ADD COLUMN active boolean DEFAULT true NOT NULL`],
    },
    {
      name: 'drop-column',
      before: base(users()),
      after: base(users({}, withCol(userCols, 'age', null))),
      sql: [`ALTER TABLE ${U} DROP COLUMN age`],
    },
    {
      name: 'rename-column',
      before: base(users()),
      after: base(users({}, withCol(userCols, 'name', { name: 'full_name', renamedFrom: 'name' }))),
      sql: [`ALTER TABLE ${U} RENAME COLUMN name TO full_name`],
    },
    {
      name: 'type-widen-varchar',
      before: base(users()),
      after: base(users({}, withCol(userCols, 'name', { type: 'character varying(100)' }))),
      sql: [`ALTER TABLE ${U} ALTER COLUMN name TYPE character varying(100)`],
    },
    {
      name: 'type-narrow-varchar',
      before: base(users()),
      after: base(users({}, withCol(userCols, 'name', { type: 'character varying(20)' }))),
      sql: [`ALTER TABLE ${U} ALTER COLUMN name TYPE character varying(20)`],
    },
    {
      name: 'type-int-to-bigint',
      before: base(users()),
      after: base(users({}, withCol(userCols, 'age', { type: 'bigint' }))),
      sql: [`ALTER TABLE ${U} ALTER COLUMN age TYPE bigint`],
    },
    {
      name: 'type-text-to-integer-using',
      before: base(users({}, withCol(userCols, 'age', { type: 'text', default: "'0'::text" }))),
      after: base(users({}, withCol(userCols, 'age', { type: 'integer', default: '0' }))),
      sql: [
        `ALTER TABLE ${U} ALTER COLUMN age DROP DEFAULT`,
        `ALTER TABLE ${U} ALTER COLUMN age TYPE integer USING age::integer`,
        `ALTER TABLE ${U} ALTER COLUMN age SET DEFAULT 0`,
      ],
      options: { seed: `INSERT INTO app.users (email, age) VALUES ('a@x', '42')` },
    },
    {
      name: 'defaults',
      before: base(users({}, withCol(userCols, 'age', { default: '18' }))),
      after: base(users({}, withCol(withCol(userCols, 'age', { default: '21' }), 'name', { default: "'anon'::character varying" }))),
      sql: [`ALTER TABLE ${U} ALTER COLUMN name SET DEFAULT 'anon'::character varying`, `ALTER TABLE ${U} ALTER COLUMN age SET DEFAULT 21`],
    },
    {
      name: 'drop-default',
      before: base(users({}, withCol(userCols, 'age', { default: '18' }))),
      after: base(users()),
      sql: [`ALTER TABLE ${U} ALTER COLUMN age DROP DEFAULT`],
    },
    {
      name: 'set-not-null',
      before: base(users()),
      after: base(users({}, withCol(userCols, 'age', { notNull: true }))),
      sql: [
        `ALTER TABLE ${U} ADD CONSTRAINT users_age_not_null_check CHECK (age IS NOT NULL) NOT VALID`,
        `ALTER TABLE ${U} VALIDATE CONSTRAINT users_age_not_null_check`,
        `ALTER TABLE ${U} ALTER COLUMN age SET NOT NULL`,
        `ALTER TABLE ${U} DROP CONSTRAINT users_age_not_null_check`,
      ],
      options: { seed: `INSERT INTO app.users (email, age) VALUES ('a@x', 1)` },
    },
    {
      name: 'drop-not-null',
      before: base(users()),
      after: base(users({}, withCol(userCols, 'email', { notNull: false }))),
      sql: [`ALTER TABLE ${U} ALTER COLUMN email DROP NOT NULL`],
    },
    {
      name: 'add-primary-key',
      before: base(users({ primaryKey: undefined })),
      after: base(users()),
      sql: [
        'CREATE UNIQUE INDEX CONCURRENTLY users_pkey ON app.users USING btree (id)',
        `ALTER TABLE ${U} ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey`,
      ],
    },
    {
      name: 'drop-primary-key',
      before: base(users()),
      after: base(users({ primaryKey: undefined })),
      sql: [`ALTER TABLE ${U} DROP CONSTRAINT users_pkey`],
    },
    {
      name: 'add-unique',
      before: base(users()),
      after: base(users({ uniques: [{ name: 'users_email_key', columns: ['email'] }] })),
      sql: [
        'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON app.users USING btree (email)',
        `ALTER TABLE ${U} ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key`,
      ],
    },
    {
      name: 'drop-unique',
      before: base(users({ uniques: [{ name: 'users_email_key', columns: ['email'] }] })),
      after: base(users()),
      sql: [`ALTER TABLE ${U} DROP CONSTRAINT users_email_key`],
    },
    {
      name: 'add-foreign-key',
      before: base(users(), posts({ foreignKeys: [] })),
      after: base(users(), posts({ foreignKeys: [fk('posts_author_id_fkey', ['author_id'], 'app', 'users', { onDelete: 'cascade' })] })),
      sql: [
        'ALTER TABLE app.posts ADD CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES app.users (id) ON DELETE CASCADE NOT VALID',
        'ALTER TABLE app.posts VALIDATE CONSTRAINT posts_author_id_fkey',
      ],
    },
    {
      name: 'drop-foreign-key',
      before: base(users(), posts()),
      after: base(users(), posts({ foreignKeys: [] })),
      sql: ['ALTER TABLE app.posts DROP CONSTRAINT posts_author_id_fkey'],
    },
    {
      name: 'add-check',
      before: base(users()),
      after: base(users({ checks: [{ name: 'users_age_check', expression: '(age >= 0)' }] })),
      sql: [`ALTER TABLE ${U} ADD CONSTRAINT users_age_check CHECK ((age >= 0)) NOT VALID`, `ALTER TABLE ${U} VALIDATE CONSTRAINT users_age_check`],
    },
    {
      name: 'drop-check',
      before: base(users({ checks: [{ name: 'users_age_check', expression: '(age >= 0)' }] })),
      after: base(users()),
      sql: [`ALTER TABLE ${U} DROP CONSTRAINT users_age_check`],
    },
    {
      name: 'add-index',
      before: base(users()),
      after: base(users({ indexes: [ix('users_lower_email_idx', [], { unique: true, keys: [{ expression: 'lower(email)' }] }), ix('users_name_idx', ['name'], { where: '(age > 18)' })] })),
      sql: [
        'CREATE UNIQUE INDEX CONCURRENTLY users_lower_email_idx ON app.users USING btree ((lower(email)))',
        'CREATE INDEX CONCURRENTLY users_name_idx ON app.users USING btree (name) WHERE (age > 18)',
      ],
    },
    {
      name: 'change-and-drop-index',
      before: base(users({ indexes: [ix('users_name_idx', ['name']), ix('users_age_idx', ['age'])] })),
      after: base(users({ indexes: [ix('users_name_idx', ['name', 'age'], { with: { fillfactor: '80' } })] })),
      sql: [
        'DROP INDEX CONCURRENTLY app.users_age_idx',
        'DROP INDEX CONCURRENTLY app.users_name_idx',
        'CREATE INDEX CONCURRENTLY users_name_idx ON app.users USING btree (name, age) WITH (fillfactor=80)',
      ],
    },
    {
      name: 'enum-add-value',
      before: model({ enums: [roleEnum(['member', 'admin'])], tables: [users({}, [...userCols, col('role', 'app.role', { notNull: true, default: "'member'::app.role" })])] }),
      after: model({ enums: [roleEnum(['guest', 'member', 'editor', 'admin', 'owner'])], tables: [users({}, [...userCols, col('role', 'app.role', { notNull: true, default: "'member'::app.role" })])] }),
      sql: [
        "ALTER TYPE app.role ADD VALUE 'guest' BEFORE 'member'",
        "ALTER TYPE app.role ADD VALUE 'editor' AFTER 'member'",
        "ALTER TYPE app.role ADD VALUE 'owner' AFTER 'admin'",
      ],
      options: { noDown: true },
    },
    {
      name: 'enum-value-used-in-same-migration',
      before: model({ enums: [roleEnum(['member'])], tables: [users()] }),
      after: model({ enums: [roleEnum(['member', 'guest'])], tables: [users({}, [...userCols, col('role', 'app.role', { notNull: true, default: "'guest'::app.role" })])] }),
      sql: ["ALTER TYPE app.role ADD VALUE 'guest' AFTER 'member'", `ALTER TABLE ${U} ADD COLUMN role app.role DEFAULT 'guest'::app.role NOT NULL`],
      options: { noDown: true },
    },
    {
      name: 'cross-schema-fk',
      before: base(users()),
      after: model({
        tables: [
          users(),
          table('billing', 'invoices', [id, col('user_id', 'bigint', { notNull: true }), col('total', 'numeric(12,2)', { notNull: true })], {
            primaryKey: pk('invoices'),
            foreignKeys: [fk('invoices_user_id_fkey', ['user_id'], 'app', 'users', { onDelete: 'restrict' })],
            checks: [{ name: 'invoices_total_check', expression: '(total >= (0)::numeric)' }],
            indexes: [ix('invoices_user_id_idx', ['user_id'])],
          }),
        ],
      }),
      sql: [
        'CREATE SCHEMA billing',
        'CREATE TABLE billing.invoices (\n  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,\n  user_id bigint NOT NULL,\n  total numeric(12,2) NOT NULL,\n  CONSTRAINT invoices_pkey PRIMARY KEY (id),\n  CONSTRAINT invoices_total_check CHECK ((total >= (0)::numeric))\n)',
        'ALTER TABLE billing.invoices ADD CONSTRAINT invoices_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users (id) ON DELETE RESTRICT',
        'CREATE INDEX invoices_user_id_idx ON billing.invoices USING btree (user_id)',
      ],
    },
    {
      name: 'self-reference',
      before: base(users()),
      after: base(users({ foreignKeys: [fk('users_manager_id_fkey', ['manager_id'], 'app', 'users', { onDelete: 'set null' })] }, [...userCols, col('manager_id', 'bigint')])),
      sql: [
        `ALTER TABLE ${U} ADD COLUMN manager_id bigint`,
        `ALTER TABLE ${U} ADD CONSTRAINT users_manager_id_fkey FOREIGN KEY (manager_id) REFERENCES app.users (id) ON DELETE SET NULL NOT VALID`,
        `ALTER TABLE ${U} VALIDATE CONSTRAINT users_manager_id_fkey`,
      ],
    },
    {
      name: 'storage-params',
      before: base(users({ with: { fillfactor: '90', autovacuum_enabled: 'false' } })),
      after: base(users({ with: { fillfactor: '70', autovacuum_vacuum_scale_factor: '0.05' } })),
      sql: [`ALTER TABLE ${U} SET (autovacuum_vacuum_scale_factor=0.05, fillfactor=70)`, `ALTER TABLE ${U} RESET (autovacuum_enabled)`],
    },
    {
      name: 'comments',
      before: base(users({ comment: 'people' })),
      after: base(users({ comment: "people who sign in, incl. 'guests'" }, withCol(userCols, 'email', { comment: 'lower-case' }))),
      sql: [`COMMENT ON TABLE ${U} IS 'people who sign in, incl. ''guests'''`, `COMMENT ON COLUMN ${U}.email IS 'lower-case'`],
    },
    {
      name: 'policies',
      before: base(users({ rls: { enabled: true, forced: false }, policies: [{ name: 'adults', permissive: true, command: 'select', roles: ['public'], using: '(age >= 18)' }] })),
      after: base(
        users({
          rls: { enabled: true, forced: true },
          policies: [
            { name: 'adults', permissive: true, command: 'select', roles: ['public'], using: '(age >= 21)' },
            { name: 'no_minors', permissive: false, command: 'insert', roles: ['public'], withCheck: '(age >= 18)' },
          ],
        }),
      ),
      sql: [
        `ALTER TABLE ${U} FORCE ROW LEVEL SECURITY`,
        `ALTER POLICY adults ON ${U} TO PUBLIC USING ((age >= 21))`,
        `CREATE POLICY no_minors ON ${U} AS RESTRICTIVE FOR INSERT TO PUBLIC WITH CHECK ((age >= 18))`,
      ],
    },
    {
      name: 'view-depends-on-changed-column',
      before: model({ tables: [users()], views: [emailsView(engine)] }),
      after: model({ tables: [users({}, withCol(userCols, 'email', { type: 'character varying(320)' }))], views: [emailsView(engine)] }),
      sql: [
        'DROP VIEW app.user_emails',
        `ALTER TABLE ${U} ALTER COLUMN email TYPE character varying(320)`,
        `CREATE VIEW app.user_emails AS\n${emailsView(engine).definition}`,
      ],
    },

    {
      name: 'add-required-column',
      before: base(users()),
      after: base(users({}, [...userCols, col('tenant_id', 'bigint', { notNull: true })])),
      sql: [`ALTER TABLE ${U} ADD COLUMN tenant_id bigint NOT NULL`],
    },
    {
      name: 'unsafe-by-policy',
      before: base(users(), posts({ foreignKeys: [] })),
      after: base(
        users({ indexes: [ix('users_name_idx', ['name'])], checks: [{ name: 'users_age_check', expression: '(age >= 0)' }] }, withCol(userCols, 'age', { notNull: true })),
        posts(),
      ),
      sql: [
        `ALTER TABLE ${U} ALTER COLUMN age SET NOT NULL`,
        `ALTER TABLE ${U} ADD CONSTRAINT users_age_check CHECK ((age >= 0))`,
        'ALTER TABLE app.posts ADD CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES app.users (id)',
        'CREATE INDEX users_name_idx ON app.users USING btree (name)',
      ],
      options: { policy: { concurrentIndexes: false, notValidConstraints: false, safeNotNull: false } },
    },
    {
      name: 'partitions',
      before: model({ tables: [events(), partition('events_2025q1', "FOR VALUES FROM ('2025-01-01') TO ('2025-04-01')")] }),
      after: model({
        tables: [
          events({ indexes: [ix('events_kind_idx', ['kind'])] }),
          partition('events_2025q2', "FOR VALUES FROM ('2025-04-01') TO ('2025-07-01')"),
        ],
      }),
      sql: [
        'DROP TABLE app.events_2025q1',
        "CREATE TABLE app.events_2025q2 PARTITION OF app.events FOR VALUES FROM ('2025-04-01') TO ('2025-07-01')",
        'CREATE INDEX events_kind_idx ON app.events USING btree (kind)',
      ],
    },
    {
      name: 'partitioned-table-column',
      before: model({ tables: [events(), partition('events_2025q1', "FOR VALUES FROM ('2025-01-01') TO ('2025-04-01')")] }),
      after: model({
        tables: [
          events({ columns: [...events().columns, col('source', 'text')] }),
          table('app', 'events_2025q1', [...events().columns, col('source', 'text')], {
            partitionOf: { parentSchema: 'app', parent: 'events', bound: "FOR VALUES FROM ('2025-01-01') TO ('2025-04-01')" },
          }),
        ],
      }),
      // the parent's ALTER reaches every partition; Postgres refuses it on a partition directly
      sql: ['ALTER TABLE app.events ADD COLUMN source text'],
    },
    {
      name: 'generated-and-identity',
      before: base(users({}, [...withCol(userCols, 'id', { identity: 'always' }), col('age_next', 'integer', { generated: '(age + 1)' })])),
      after: base(users({}, [...withCol(userCols, 'id', { identity: 'by default' }), col('age_next', 'integer', { generated: '(age + 2)' })])),
      sql: [
        `ALTER TABLE ${U} DROP COLUMN age_next`,
        `ALTER TABLE ${U} ADD COLUMN age_next integer GENERATED ALWAYS AS ((age + 2)) STORED`,
        `ALTER TABLE ${U} ALTER COLUMN id SET GENERATED BY DEFAULT`,
      ],
    },
    {
      name: 'materialized-view-index',
      before: model({ tables: [users()], views: [{ ...emailsView(engine), name: 'user_emails_mv', materialized: true }] }),
      after: model({ tables: [users()], views: [{ ...emailsView(engine), name: 'user_emails_mv', materialized: true, indexes: [ix('user_emails_mv_email_idx', ['email'])] }] }),
      sql: ['CREATE INDEX CONCURRENTLY user_emails_mv_email_idx ON app.user_emails_mv USING btree (email)'],
    },
    {
      name: 'function-and-trigger',
      before: base(users()),
      after: model({ tables: [users()], functions: [touchFn], triggers: [touchTrigger] }),
      sql: [touchFn.definition, touchTrigger.definition],
    },

    {
      name: 'serial-column-and-sequence',
      before: base(users()),
      after: model({
        tables: [users({}, [...userCols, col('seq_no', 'integer', { notNull: true, default: "nextval('app.users_seq_no_seq'::regclass)" })])],
        sequences: [{ kind: 'sequence', schema: 'app', name: 'users_seq_no_seq', type: 'integer', start: '1', increment: '1', min: '1', max: '2147483647', cache: '1', cycle: false, ownedBy: { table: 'users', column: 'seq_no' } }],
      }),
      sql: [
        'CREATE SEQUENCE app.users_seq_no_seq AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE',
        `ALTER TABLE ${U} ADD COLUMN seq_no integer DEFAULT nextval('app.users_seq_no_seq'::regclass) NOT NULL`,
        'ALTER SEQUENCE app.users_seq_no_seq OWNED BY app.users.seq_no',
      ],
    },
    {
      name: 'grants-to-public',
      before: model({ tables: [users()], grants: [{ kind: 'grant', on: 'table', schema: 'app', name: 'users', role: 'public', privileges: ['SELECT', 'UPDATE'], withGrantOption: false }] }),
      after: model({ tables: [users()], grants: [{ kind: 'grant', on: 'table', schema: 'app', name: 'users', role: 'public', privileges: ['INSERT', 'SELECT'], withGrantOption: false }] }),
      sql: ['REVOKE UPDATE ON TABLE app.users FROM PUBLIC', 'GRANT INSERT ON TABLE app.users TO PUBLIC'],
    },
    {
      name: 'rename-enum-and-schema-comment',
      before: model({ schemas: [{ kind: 'schema', name: 'app' }], enums: [roleEnum(['a', 'b'])] }),
      after: model({ schemas: [{ kind: 'schema', name: 'app', comment: 'the application' }], enums: [{ ...roleEnum(['a', 'b']), name: 'kind', renamedFrom: 'role' }] }),
      sql: ['ALTER TYPE app.role RENAME TO kind', "COMMENT ON SCHEMA app IS 'the application'"],
    },
    {
      name: 'function-return-type-change',
      before: model({ tables: [users()], functions: [touchFn], triggers: [touchTrigger] }),
      after: model({ tables: [users()], functions: [{ ...touchFn, definition: touchFn.definition.replace('coalesce(NEW.age, 0)', 'coalesce(NEW.age, 1)') }], triggers: [touchTrigger] }),
      sql: [touchFn.definition.replace('coalesce(NEW.age, 0)', 'coalesce(NEW.age, 1)')],
    },

    {
      name: 'policy-uses-retyped-column',
      before: base(users({ rls: { enabled: true, forced: false }, policies: [{ name: 'adults', permissive: true, command: 'select', roles: ['public'], using: '(age >= 18)' }] })),
      after: base(users({ rls: { enabled: true, forced: false }, policies: [{ name: 'adults', permissive: true, command: 'select', roles: ['public'], using: '(age >= 18)' }] }, withCol(userCols, 'age', { type: 'bigint' }))),
      sql: [
        `DROP POLICY adults ON ${U}`,
        `ALTER TABLE ${U} ALTER COLUMN age TYPE bigint`,
        `CREATE POLICY adults ON ${U} FOR SELECT TO PUBLIC USING ((age >= 18))`,
      ],
    },
    ...objectKindScenarios(engine),
    ...columnStorageScenarios(),
    ...eventTriggerScenarios(),
    ...repartitionScenarios(),
    ...routineScenarios(engine),
    ...tableDependencyScenarios(),
  ]
}
