/**
 * Rolling windows of RANGE partitions (`rangePartitions()` with `premake`), found among the
 * definitions' exports and checked against the model: a single date, timestamp or timestamptz key
 * column, one window per parent, an archive schema that is declared, names Postgres keeps whole.
 */
import type { Issue } from '../errors.js'
import type { Model } from '../model/types.js'
import type { DefinedAt } from '../dsl/location.js'
import { formatLocation } from '../dsl/location.js'
import { byteLength, MAX_IDENTIFIER_BYTES } from '../dsl/names.js'
import type { RangeWindowDeclaration } from '../dsl/partition.js'
import { slotAt, slotOrdinal } from '../dsl/range-window.js'
import { dslKind, tableState } from '../dsl/table.js'
import type { AnyTable } from '../dsl/table.js'
import type { TableState } from '../dsl/table-state.js'
import { collectObjects } from './build-model.js'

/** A rolling window with its parent resolved: what `cairn partitions` maintains. */
export interface RangeWindow extends RangeWindowDeclaration {
  readonly parentSchema: string
  readonly parent: string
  /** The key column (SQL name). */
  readonly key: string
  /** Its type as the model spells it: `date`, `timestamp without time zone`, `timestamp with time zone`. */
  readonly keyType: string
}

const KEY_TYPES = new Set(['date', 'timestamp without time zone', 'timestamp with time zone'])

/** The rolling windows among `exports`, checked against `model` (issues as the loader reports them). */
export function collectRangeWindows(exports: Record<string, unknown>, model: Model, root: string): { windows: RangeWindow[]; issues: Issue[] } {
  const issues: Issue[] = []
  const issue = (code: string, message: string, at: DefinedAt, object: string, hint: string) => {
    const file = formatLocation(at, root)
    issues.push({ code, message, hint, object, ...(file ? { file } : {}) })
  }
  const found = new Map<RangeWindowDeclaration, TableState>()
  for (const t of collectObjects(exports).tables) {
    if (dslKind(t) !== 'table') continue
    const p = tableState(t as AnyTable)?.partition
    if (p?.window && !found.has(p.window)) found.set(p.window, p.parent)
  }
  const windows: RangeWindow[] = []
  const byParent = new Map<string, RangeWindow>()
  const schemas = new Set(['public', ...model.schemas.map((s) => s.name)])
  for (const [w, parentState] of found) {
    const obj = `${parentState.schema}.${parentState.name}`
    const parent = model.tables.find((t) => t.schema === parentState.schema && t.name === parentState.name)
    if (!parent) continue // the loader reports a partition of an unexported parent
    const by = parent.partitionBy
    const m = by ? /^\(("?)([^",()]+)\1\)$/.exec(by.key) : null
    const key = m?.[2]
    const keyType = key ? parent.columns.find((c) => c.name === key)?.type : undefined
    if (!by || by.strategy !== 'range' || !key || !keyType || !KEY_TYPES.has(keyType)) {
      issue('invalid_partition_window', `the rolling window of ${obj} needs RANGE partitioning on one date, timestamp or timestamptz column${by ? `, not ${by.strategy.toUpperCase()} ${by.key}${keyType ? ` (${keyType})` : ''}` : ''}`, w.at, obj,
        "partition the parent with partitionBy: { strategy: 'range', key: ['created_at'] } on a date or timestamp column, or drop premake")
      continue
    }
    if (byParent.has(obj)) {
      issue('invalid_partition_window', `${obj} has two rolling windows`, w.at, obj, 'declare one rangePartitions() with premake per partitioned table')
      continue
    }
    if (w.archiveSchema !== undefined && !schemas.has(w.archiveSchema)) {
      issue('undeclared_schema', `the archive schema "${w.archiveSchema}" of ${obj}'s rolling window is not declared`, w.at, obj,
        `export const archive = pgSchema('${w.archiveSchema}') from a module that schema/index.ts re-exports (cairn generate creates it)`)
      continue
    }
    // the names of the slots maintenance will create must survive Postgres' 63-byte limit
    const first = slotOrdinal(w.every, new Date(`${w.first}T00:00:00Z`))
    const probe = [0, w.count + w.premake, w.count + w.premake + 400].map((i) => w.name(slotAt(w.every, first + i, first)))
    const long = probe.find((n) => byteLength(n) > MAX_IDENTIFIER_BYTES)
    if (long) {
      issue('identifier_too_long', `partition name "${long}" of ${obj}'s rolling window is longer than 63 bytes`, w.at, obj, 'use a shorter name pattern (name: option)')
      continue
    }
    const window: RangeWindow = { ...w, parentSchema: parentState.schema, parent: parentState.name, key, keyType }
    byParent.set(obj, window)
    windows.push(window)
  }
  windows.sort((a, b) => (a.parentSchema === b.parentSchema ? (a.parent < b.parent ? -1 : a.parent > b.parent ? 1 : 0) : a.parentSchema < b.parentSchema ? -1 : 1))
  return { windows, issues }
}
