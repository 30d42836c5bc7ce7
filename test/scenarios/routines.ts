/**
 * Scenarios for routines and what depends on them: functions made again under another signature
 * with the policies, defaults, checks and indexes that call them; parameter defaults removed;
 * view, materialized view and trigger text that must read back as itself. Same format as cases.ts.
 */
import type { AggregateDef, DomainDef, FunctionDef, GrantDef, TableDef, TriggerDef, ViewDef } from '../../src/model/types.js'
import { createRole } from '../../src/sqlgen/ddl.js'
import { col, model, table } from '../unit/plan/build.js'
import type { Scenario } from './cases.js'

const app = { kind: 'schema' as const, name: 'app' }
const fn = (name: string, args: string, body: string, extra: Partial<FunctionDef> = {}): FunctionDef => ({
  kind: 'function',
  schema: 'app',
  name,
  args,
  isProcedure: false,
  definition: `CREATE OR REPLACE FUNCTION app.${name}(${args})\n RETURNS integer\n LANGUAGE sql\n IMMUTABLE\nAS $function$ ${body} $function$`,
  ...extra,
})

/** A function called by a policy, a default, a CHECK and an index of one table. */
function callerScenarios(): Scenario[] {
  const score = (arg: string) => fn('score', `${arg} integer`, `SELECT ${arg} * 2`)
  const docs = (): TableDef =>
    table('app', 'docs', [col('id', 'integer', { notNull: true }), col('n', 'integer', { default: 'app.score(1)' })], {
      checks: [{ name: 'docs_n_check', expression: '(app.score(n) < 1000)', comment: 'bounded' }],
      indexes: [{ name: 'docs_score', unique: false, method: 'btree', keys: [{ expression: 'app.score(n)' }], include: [], with: {} }],
      rls: { enabled: true, forced: false },
      policies: [{ name: 'docs_small', permissive: true, command: 'select', roles: ['public'], using: '(app.score(n) < 10)' }],
    })
  const valid = (arg: string): FunctionDef => ({
    ...fn('valid', `${arg} text`, ''),
    definition: `CREATE OR REPLACE FUNCTION app.valid(${arg} text)\n RETURNS boolean\n LANGUAGE sql\n IMMUTABLE\nAS $function$ SELECT ${arg} <> '' $function$`,
  })
  const slug: DomainDef = { kind: 'domain', schema: 'app', name: 'slug', type: 'text', notNull: false, checks: [{ name: 'slug_check', expression: 'app.valid(VALUE)', comment: 'not empty' }] }
  const pages = table('app', 'pages', [col('s', 'app.slug')])
  return [
    {
      name: 'function-renamed-parameter-with-a-domain-check',
      before: model({ functions: [valid('v')], domains: [slug], tables: [pages] }),
      after: model({ functions: [valid('val')], domains: [slug], tables: [pages] }),
      sql: [
        'ALTER DOMAIN app.slug DROP CONSTRAINT slug_check',
        'DROP FUNCTION app.valid(v text)',
        valid('val').definition,
        'ALTER DOMAIN app.slug ADD CONSTRAINT slug_check CHECK (app.valid(VALUE)) NOT VALID',
        'ALTER DOMAIN app.slug VALIDATE CONSTRAINT slug_check',
        "COMMENT ON CONSTRAINT slug_check ON DOMAIN app.slug IS 'not empty'",
      ],
    },
    {
      name: 'function-renamed-parameter-with-callers',
      before: model({ functions: [score('v')], tables: [docs()] }),
      after: model({ functions: [score('val')], tables: [docs()] }),
      // the policy, CHECK, index and default calling it go before the DROP and come back after the CREATE
      sql: [
        'DROP POLICY docs_small ON app.docs',
        'ALTER TABLE app.docs DROP CONSTRAINT docs_n_check',
        'DROP INDEX CONCURRENTLY app.docs_score',
        'ALTER TABLE app.docs ALTER COLUMN n DROP DEFAULT',
        'DROP FUNCTION app.score(v integer)',
        score('val').definition,
        'ALTER TABLE app.docs ALTER COLUMN n SET DEFAULT app.score(1)',
        'ALTER TABLE app.docs ADD CONSTRAINT docs_n_check CHECK ((app.score(n) < 1000)) NOT VALID',
        'ALTER TABLE app.docs VALIDATE CONSTRAINT docs_n_check',
        'CREATE INDEX CONCURRENTLY docs_score ON app.docs USING btree ((app.score(n)))',
        'CREATE POLICY docs_small ON app.docs FOR SELECT TO PUBLIC USING ((app.score(n) < 10))',
        "COMMENT ON CONSTRAINT docs_n_check ON app.docs IS 'bounded'",
      ],
    },
  ]
}

/** Parameter defaults: CREATE OR REPLACE may add one, never remove one. */
function defaultScenarios(): Scenario[] {
  const pad = (def: string) =>
    fn('pad', 's text, n integer', '', {
      definition: `CREATE OR REPLACE FUNCTION app.pad(s text, n integer${def})\n RETURNS text\n LANGUAGE sql\n IMMUTABLE\nAS $function$ SELECT lpad(s, n, '0') $function$`,
    })
  return [
    { name: 'function-parameter-default-added', before: model({ schemas: [app], functions: [pad('')] }), after: model({ schemas: [app], functions: [pad(' DEFAULT 8')] }), sql: [pad(' DEFAULT 8').definition] },
    {
      name: 'function-parameter-default-removed',
      before: model({ schemas: [app], functions: [pad(' DEFAULT 8')] }),
      after: model({ schemas: [app], functions: [pad('')] }),
      sql: ['DROP FUNCTION app.pad(s text, n integer)', pad('').definition],
    },
  ]
}

/** `x IN ('a', 'b')` over varchar in a view, a materialized view and a trigger's WHEN. */
function inListScenarios(engine: string): Scenario[] {
  const q = engine === 'postgres' ? 'tickets.' : ''
  const tickets = table('app', 'tickets', [col('id', 'integer'), col('status', 'character varying(20)')])
  const inList = `((${q}status)::text = ANY ((ARRAY['open'::character varying, 'held'::character varying])::text[]))`
  const stable = `SELECT ${q}id,\n    ${q}status\n   FROM app.tickets\n  WHERE ((${q}status)::text = ANY (ARRAY['open'::character varying, 'held'::character varying]))`
  const view = (name: string, materialized: boolean): ViewDef => ({
    kind: 'view',
    schema: 'app',
    name,
    materialized,
    definition: `SELECT ${q}id,\n    ${q}status\n   FROM app.tickets\n  WHERE ${inList}`,
    with: {},
    indexes: [],
  })
  const touch: FunctionDef = {
    kind: 'function',
    schema: 'app',
    name: 'touch',
    args: '',
    isProcedure: false,
    definition: 'CREATE OR REPLACE FUNCTION app.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$ BEGIN RETURN NEW; END $function$',
  }
  const trigger: TriggerDef = {
    kind: 'trigger',
    schema: 'app',
    table: 'tickets',
    name: 'tickets_open',
    definition:
      "CREATE TRIGGER tickets_open BEFORE UPDATE ON app.tickets FOR EACH ROW WHEN (((new.status)::text = ANY ((ARRAY['open'::character varying, 'held'::character varying])::text[]))) EXECUTE FUNCTION app.touch()",
  }
  return [
    {
      name: 'in-list-over-varchar-in-views-and-trigger',
      before: model({ functions: [touch], tables: [tickets] }),
      after: model({ functions: [touch], tables: [tickets], views: [view('open_tickets', false), view('open_tickets_mv', true)], triggers: [trigger] }),
      // written without the array's cast, which the operator then adds back as it did the first time
      sql: [
        `CREATE VIEW app.open_tickets AS\n${stable}`,
        `CREATE MATERIALIZED VIEW app.open_tickets_mv AS\n${stable}`,
        "CREATE TRIGGER tickets_open BEFORE UPDATE ON app.tickets FOR EACH ROW WHEN (((new.status)::text = ANY (ARRAY['open'::character varying, 'held'::character varying]))) EXECUTE FUNCTION app.touch()",
      ],
    },
  ]
}

/** A trigger naming a column (UPDATE OF, WHEN) is made again around the column's type change. */
function triggerColumnScenarios(): Scenario[] {
  const touch: FunctionDef = {
    kind: 'function',
    schema: 'app',
    name: 'touch',
    args: '',
    isProcedure: false,
    definition: 'CREATE OR REPLACE FUNCTION app.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$ BEGIN RETURN NEW; END $function$',
  }
  const counters = (type: string) => table('app', 'counters', [col('id', 'integer'), col('v', type), col('note', 'text')])
  const onV: TriggerDef = {
    kind: 'trigger',
    schema: 'app',
    table: 'counters',
    name: 'counters_v',
    definition: 'CREATE TRIGGER counters_v BEFORE UPDATE OF v ON app.counters FOR EACH ROW WHEN ((old.v IS DISTINCT FROM new.v)) EXECUTE FUNCTION app.touch()',
    comment: 'on v',
  }
  const onAll: TriggerDef = {
    kind: 'trigger',
    schema: 'app',
    table: 'counters',
    name: 'counters_any',
    definition: 'CREATE TRIGGER counters_any BEFORE INSERT ON app.counters FOR EACH ROW EXECUTE FUNCTION app.touch()',
  }
  return [
    {
      name: 'trigger-naming-a-retyped-column',
      before: model({ functions: [touch], tables: [counters('integer')], triggers: [onV, onAll] }),
      after: model({ functions: [touch], tables: [counters('bigint')], triggers: [onV, onAll] }),
      // the trigger that does not name v stays
      sql: [
        'DROP TRIGGER counters_v ON app.counters',
        'ALTER TABLE app.counters ALTER COLUMN v TYPE bigint',
        onV.definition,
        "COMMENT ON TRIGGER counters_v ON app.counters IS 'on v'",
      ],
    },
  ]
}

/** A new enum value that a SQL function's body compares with: the ADD VALUE is committed first. */
function enumInBodyScenarios(): Scenario[] {
  const color = (values: string[]) => ({ kind: 'enum' as const, schema: 'app', name: 'color', values })
  const warm = (list: string) =>
    fn('is_warm', 'c app.color', '', {
      definition: `CREATE OR REPLACE FUNCTION app.is_warm(c app.color)\n RETURNS boolean\n LANGUAGE sql\n IMMUTABLE\nAS $function$ SELECT c IN (${list}) $function$`,
    })
  return [
    {
      name: 'enum-value-used-in-a-sql-function-body',
      before: model({ enums: [color(['red', 'green'])], functions: [warm("'red'")] }),
      after: model({ enums: [color(['red', 'orange', 'green'])], functions: [warm("'red', 'orange'")] }),
      sql: ["ALTER TYPE app.color ADD VALUE 'orange' AFTER 'red'", warm("'red', 'orange'").definition],
      options: { noDown: true },
    },
  ]
}

/** Comments on policies and on the columns of views and materialized views, kept when a view is made again. */
function commentScenarios(engine: string): Scenario[] {
  const q = engine === 'postgres' ? 'people.' : ''
  const people = (policyComment?: string): TableDef =>
    table('app', 'people', [col('id', 'integer'), col('name', 'text'), col('email', 'text')], {
      rls: { enabled: true, forced: false },
      policies: [{ name: 'people_read', permissive: true, command: 'select', roles: ['public'], using: 'true', ...(policyComment ? { comment: policyComment } : {}) }],
    })
  const view = (columns: string[], comments: Record<string, string> | undefined, materialized = false): ViewDef => ({
    kind: 'view',
    schema: 'app',
    name: materialized ? 'people_mv' : 'people_v',
    materialized,
    definition: `SELECT ${columns.map((c) => `${q}${c}`).join(',\n    ')}\n   FROM app.people`,
    with: {},
    indexes: [],
    ...(comments ? { columnComments: comments } : {}),
  })
  return [
    {
      name: 'policy-and-view-column-comments-set-changed-removed',
      before: model({ tables: [people()], views: [view(['id', 'name'], { id: 'the id', name: 'old' }), view(['id'], undefined, true)] }),
      after: model({ tables: [people('readers see all')], views: [view(['id', 'name'], { name: 'full name' }), view(['id'], { id: 'snapshot id' }, true)] }),
      sql: [
        "COMMENT ON POLICY people_read ON app.people IS 'readers see all'",
        "COMMENT ON COLUMN app.people_mv.id IS 'snapshot id'",
        'COMMENT ON COLUMN app.people_v.id IS NULL',
        "COMMENT ON COLUMN app.people_v.name IS 'full name'",
      ],
    },
    {
      name: 'view-column-comments-kept-across-recreate',
      before: model({ tables: [people()], views: [view(['id', 'name', 'email'], { name: 'full name' })] }),
      after: model({ tables: [people()], views: [view(['id', 'name'], { name: 'full name' })] }),
      sql: ['DROP VIEW app.people_v', `CREATE VIEW app.people_v AS\n${view(['id', 'name'], undefined).definition}`, "COMMENT ON COLUMN app.people_v.name IS 'full name'"],
    },
  ]
}

/** Grants on aggregates: named like functions (ROUTINE with the argument types). */
function aggregateGrantScenarios(): Scenario[] {
  const reader = { kind: 'role' as const, name: 'cairn_scenario_reader', login: false, inherit: true, bypassRls: false, memberOf: [] }
  const max: AggregateDef = { kind: 'aggregate', schema: 'app', name: 'my_max', args: 'integer', sfunc: 'int4larger', stype: 'integer' }
  const grants: GrantDef[] = [
    { kind: 'grant', on: 'function', schema: 'app', name: 'my_max', args: 'integer', role: 'public', privileges: ['EXECUTE'], withGrantOption: false, revoke: true },
    { kind: 'grant', on: 'function', schema: 'app', name: 'my_max', args: 'integer', role: reader.name, privileges: ['EXECUTE'], withGrantOption: false },
  ]
  return [
    {
      name: 'aggregate-execute-revoked-from-public-and-granted',
      before: model({ schemas: [app], aggregates: [max] }),
      after: model({ schemas: [app], roles: [reader], aggregates: [max], grants }),
      sql: [
        createRole(reader),
        'REVOKE EXECUTE ON ROUTINE app.my_max(integer) FROM PUBLIC',
        'GRANT EXECUTE ON ROUTINE app.my_max(integer) TO cairn_scenario_reader',
      ],
    },
    {
      name: 'aggregate-created-with-its-grants',
      before: model({ schemas: [app] }),
      after: model({ schemas: [app], roles: [reader], aggregates: [max], grants }),
      sql: [
        createRole(reader),
        'CREATE AGGREGATE app.my_max(integer) (\n  SFUNC = int4larger,\n  STYPE = integer\n)',
        'REVOKE EXECUTE ON ROUTINE app.my_max(integer) FROM PUBLIC',
        'GRANT EXECUTE ON ROUTINE app.my_max(integer) TO cairn_scenario_reader',
      ],
    },
  ]
}

/** A policy whose subquery reads another table's column is made again around that column's type change. */
function policyReadScenarios(): Scenario[] {
  const members = (org: string) => table('app', 'members', [col('uid', 'integer'), col('org', org)])
  const docs = table('app', 'docs', [col('id', 'integer'), col('org', 'integer')], {
    rls: { enabled: true, forced: false },
    policies: [{ name: 'same_org', permissive: true, command: 'all', roles: ['public'], using: '(org IN ( SELECT members.org\n   FROM app.members\n  WHERE (members.uid = 1)))', comment: 'members only' }],
  })
  return [
    {
      name: 'policy-reading-another-tables-retyped-column',
      before: model({ tables: [members('integer'), docs] }),
      after: model({ tables: [members('bigint'), docs] }),
      sql: [
        'DROP POLICY same_org ON app.docs',
        'ALTER TABLE app.members ALTER COLUMN org TYPE bigint',
        'CREATE POLICY same_org ON app.docs TO PUBLIC USING ((org IN ( SELECT members.org\n   FROM app.members\n  WHERE (members.uid = 1))))',
        "COMMENT ON POLICY same_org ON app.docs IS 'members only'",
      ],
    },
  ]
}

/** A function returning a view's rows is dropped before the view is made again, and created after it. */
function viewRowTypeScenarios(engine: string): Scenario[] {
  const q = engine === 'postgres' ? 'items.' : ''
  const items = table('app', 'items', [col('id', 'integer'), col('price', 'integer')])
  const view = (where: string): ViewDef => ({
    kind: 'view',
    schema: 'app',
    name: 'priced',
    materialized: false,
    definition: `SELECT ${q}id,\n    ${q}price\n   FROM app.items${where}`,
    with: {},
    indexes: [],
  })
  const rows: FunctionDef = {
    kind: 'function',
    schema: 'app',
    name: 'priced_rows',
    args: '',
    isProcedure: false,
    definition: 'CREATE OR REPLACE FUNCTION app.priced_rows()\n RETURNS SETOF app.priced\n LANGUAGE sql\n STABLE\nAS $function$ SELECT * FROM app.priced $function$',
    comment: 'all priced rows',
  }
  const cheap = view(`\n  WHERE (${q}price < 10)`)
  return [
    {
      name: 'function-returning-a-recreated-views-rows',
      before: model({ tables: [items], views: [view('')], functions: [rows] }),
      after: model({ tables: [items], views: [cheap], functions: [rows] }),
      sql: [
        'DROP FUNCTION app.priced_rows()',
        'DROP VIEW app.priced',
        `CREATE VIEW app.priced AS\n${cheap.definition}`,
        rows.definition,
        "COMMENT ON FUNCTION app.priced_rows() IS 'all priced rows'",
      ],
    },
  ]
}

/** A domain's base type changes while table columns use it: a new domain, the columns moved to it. */
function domainRetypeScenarios(): Scenario[] {
  const qty = (type: string): DomainDef => ({
    kind: 'domain', schema: 'app', name: 'qty', type, notNull: false, checks: [{ name: 'qty_positive', expression: '(VALUE > 0)', comment: 'positive' }], comment: 'a quantity',
  })
  const lines = table('app', 'lines', [col('id', 'integer'), col('n', 'app.qty')])
  return [
    {
      name: 'domain-base-type-change-while-columns-use-it',
      before: model({ domains: [qty('integer')], tables: [lines] }),
      after: model({ domains: [qty('bigint')], tables: [lines] }),
      sql: [
        'ALTER DOMAIN app.qty RENAME TO qty__old',
        'CREATE DOMAIN app.qty AS bigint CONSTRAINT qty_positive CHECK ((VALUE > 0))',
        'ALTER TABLE app.lines ALTER COLUMN n TYPE app.qty USING n::app.qty',
        'DROP DOMAIN app.qty__old',
        "COMMENT ON DOMAIN app.qty IS 'a quantity'",
        "COMMENT ON CONSTRAINT qty_positive ON DOMAIN app.qty IS 'positive'",
      ],
      options: { seed: 'INSERT INTO app.lines VALUES (1, 5), (2, 7)', noDown: true },
    },
  ]
}

/** An enum losing a value is made again: a function taking it is dropped before and created after. */
function enumRecreateScenarios(): Scenario[] {
  const st = (values: string[]) => ({ kind: 'enum' as const, schema: 'app', name: 'st', values })
  const isA: FunctionDef = {
    ...fn('is_a', 's app.st', ''),
    definition: "CREATE OR REPLACE FUNCTION app.is_a(s app.st)\n RETURNS boolean\n LANGUAGE sql\n IMMUTABLE\nAS $function$ SELECT s = 'a' $function$",
    comment: 'first state',
  }
  const items = table('app', 'items', [col('id', 'integer'), col('s', 'app.st')])
  return [
    {
      name: 'enum-recreated-with-a-function-taking-it',
      before: model({ enums: [st(['a', 'b', 'c'])], functions: [isA], tables: [items] }),
      after: model({ enums: [st(['a', 'c'])], functions: [isA], tables: [items] }),
      sql: [
        'DROP FUNCTION app.is_a(s app.st)',
        'ALTER TYPE app.st RENAME TO st__old',
        "CREATE TYPE app.st AS ENUM ('a', 'c')",
        'ALTER TABLE app.items ALTER COLUMN s TYPE app.st USING s::text::app.st',
        'DROP TYPE app.st__old',
        isA.definition,
        "COMMENT ON FUNCTION app.is_a(s app.st) IS 'first state'",
      ],
      options: { seed: "INSERT INTO app.items VALUES (1, 'a'), (2, 'c')", noDown: true },
    },
  ]
}

/** An index of a materialized view calling a function that is made again goes before it and comes back after. */
function matviewIndexScenarios(engine: string): Scenario[] {
  const q = engine === 'postgres' ? 'nums.' : ''
  const nums = table('app', 'nums', [col('a', 'integer')])
  const f = (arg: string) => fn('ident', `${arg} integer`, `SELECT ${arg}`)
  const mv: ViewDef = {
    kind: 'view',
    schema: 'app',
    name: 'nums_mv',
    materialized: true,
    definition: `SELECT ${q}a\n   FROM app.nums`,
    with: {},
    indexes: [{ name: 'nums_mv_ident', unique: false, method: 'btree', keys: [{ expression: 'app.ident(a)' }], include: [], with: {}, comment: 'by ident' }],
  }
  return [
    {
      name: 'matview-index-calling-a-recreated-function',
      before: model({ tables: [nums], functions: [f('x')], views: [mv] }),
      after: model({ tables: [nums], functions: [f('y')], views: [mv] }),
      sql: [
        'DROP INDEX CONCURRENTLY app.nums_mv_ident',
        'DROP FUNCTION app.ident(x integer)',
        f('y').definition,
        'CREATE INDEX CONCURRENTLY nums_mv_ident ON app.nums_mv USING btree ((app.ident(a)))',
        "COMMENT ON INDEX app.nums_mv_ident IS 'by ident'",
      ],
    },
  ]
}

export function routineScenarios(engine: string): Scenario[] {
  return [
    ...callerScenarios(),
    ...defaultScenarios(),
    ...inListScenarios(engine),
    ...triggerColumnScenarios(),
    ...enumInBodyScenarios(),
    ...commentScenarios(engine),
    ...aggregateGrantScenarios(),
    ...policyReadScenarios(),
    ...viewRowTypeScenarios(engine),
    ...domainRetypeScenarios(),
    ...enumRecreateScenarios(),
    ...matviewIndexScenarios(engine),
  ]
}
