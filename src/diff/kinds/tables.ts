/**
 * Tables with what lives on them: columns, constraints, indexes, storage, persistence, row-level
 * security, policies, partitions. Creates, drops and alterations go after the comments, foreign
 * key drops first and foreign key adds last. Facts: ctx.touchedColumns, ctx.droppedColumns.
 */
import type { CheckDef, ColumnDef, IndexDef, PolicyDef, PrimaryKeyDef, TableDef } from '../../model/types.js'
import { qname } from '../../sqlgen/quote.js'
import { typeStorage } from '../../model/normalize.js'
import type { Change, TableRef } from '../changes.js'
import { baseOf, usingFor as usingForIn, type DiffKind } from '../context.js'
import { byKey, k2, mentions, same, stableJson, usesIdentifier, without } from '../keyed.js'
import { classifyTypeChange } from '../type-change.js'
import { callsGoneFunction } from './functions.js'

export const tables: DiffKind = {
  name: 'tables',
  diff(ctx) {
    const { from, to, comment, touchedColumns, droppedColumns, recreatedEnums, enumTypes } = ctx
    const usingFor = (column: string, fromType: string, toType: string) => usingForIn(ctx, column, fromType, toType)
    const fromTables = byKey(from.tables, (t) => k2(t.schema, t.name))
    const toTables = byKey(to.tables, (t) => k2(t.schema, t.name))

    // a default that calls a sequence being dropped is dropped first, and the new one set after
    const toSequences = new Set(to.sequences.map((s) => k2(s.schema, s.name)))
    const droppedSequences = from.sequences.filter((s) => !toSequences.has(k2(s.schema, s.name)))
    const onDroppedSequence = (d: string | undefined) => d !== undefined && droppedSequences.some((s) => mentions(d, s.schema, s.name))

    // a function dropped (or dropped to be created again) cannot be dropped while a default, check,
    // exclusion, index or generated column calls it: those are dropped before and made again after
    const callsGone = callsGoneFunction(ctx)

    const tableChanges: Change[] = []
    const fkDrops: Change[] = []
    const fkAdds: Change[] = []
    for (const t of to.tables) {
      let f = fromTables.get(k2(t.schema, t.name))
      const how = f && !same(f.partitionBy, t.partitionBy) ? repartitionable(f, t) : undefined
      if (f && how) {
        // made again with the other partitioning: a destructive drop (its rows go), refused unless allowed
        tableChanges.push({ kind: 'drop_table', table: f, repartitioned: how })
        f = undefined
      }
      if (!f) {
        tableChanges.push({ kind: 'create_table', table: t })
        for (const c of t.checks) if (c.notValid) tableChanges.push({ kind: 'add_check', table: { schema: t.schema, name: t.name }, check: c, ...(t.partitionBy ? { partitioned: true } : {}) })
        if (t.partitionOf) partitionOverrides(t)
        for (const fk of t.foreignKeys) fkAdds.push({ kind: 'add_foreign_key', table: { schema: t.schema, name: t.name }, foreignKey: fk, ...(t.partitionBy ? { partitioned: true } : {}) })
        comment({ on: 'table', schema: t.schema, name: t.name }, undefined, t.comment)
        for (const c of t.columns) comment({ on: 'column', schema: t.schema, table: t.name, name: c.name }, undefined, c.comment)
        for (const ix of t.indexes) comment({ on: 'index', schema: t.schema, name: ix.name }, undefined, ix.comment)
        for (const k of constraintsOf(t)) comment({ on: 'constraint', schema: t.schema, table: t.name, name: k.name }, undefined, k.comment)
        for (const [name, text] of Object.entries(t.keyIndexComments ?? {})) comment({ on: 'index', schema: t.schema, name }, undefined, text)
        for (const p of t.policies) comment({ on: 'policy', schema: t.schema, table: t.name, name: p.name }, undefined, p.comment)
        continue
      }
      diffTable(f, t)
    }
    for (const f of from.tables) {
      if (toTables.has(k2(f.schema, f.name))) continue
      for (const fk of f.foreignKeys) fkDrops.push({ kind: 'drop_foreign_key', table: { schema: f.schema, name: f.name }, foreignKey: fk })
      tableChanges.push({ kind: 'drop_table', table: f })
    }

    /** A new partition copies its parent's columns: its own defaults and NOT NULLs are set after. */
    function partitionOverrides(t: TableDef): void {
      const p = t.partitionOf && toTables.get(k2(t.partitionOf.parentSchema, t.partitionOf.parent))
      if (!p) return
      const ref: TableRef = { schema: t.schema, name: t.name }
      for (const c of t.columns) {
        const pc = p.columns.find((x) => x.name === c.name)
        if (!pc) continue
        if (c.default !== undefined && c.default !== pc.default) {
          tableChanges.push({ kind: 'alter_column_default', table: ref, column: c.name, ...(pc.default !== undefined ? { from: pc.default } : {}), to: c.default })
        }
        if (c.notNull && !pc.notNull) tableChanges.push({ kind: 'alter_column_nullability', table: ref, column: c.name, notNull: true })
      }
    }

    /**
     * How a table whose partitioning changes can be dropped and created again, or undefined when
     * something else holds on to it (foreign keys into it, views, triggers, grants, partitions kept):
     * then the change stays unsupported, with the manual fix.
     */
    function repartitionable(f: TableDef, t: TableDef): string | undefined {
      const key = k2(f.schema, f.name)
      // a foreign key into it that the new model drops anyway does not hold it
      const kept = (x: TableDef, name: string) => toTables.get(k2(x.schema, x.name))?.foreignKeys.some((fk) => fk.name === name) === true
      const held =
        from.tables.some((x) => x !== f && x.foreignKeys.some((fk) => k2(fk.refSchema, fk.refTable) === key && kept(x, fk.name))) ||
        from.tables.some((x) => x.partitionOf && k2(x.partitionOf.parentSchema, x.partitionOf.parent) === key && toTables.has(k2(x.schema, x.name))) ||
        from.views.some((v) => mentions(v.definition, f.schema, f.name)) ||
        from.triggers.some((x) => x.schema === f.schema && x.table === f.name) ||
        from.grants.some((g) => g.on === 'table' && g.schema === f.schema && g.name === f.name) ||
        f.partitionOf !== undefined || t.partitionOf !== undefined
      if (held) return undefined
      return !t.partitionBy ? 'made again as a plain table' : !f.partitionBy
        ? `made again partitioned by ${t.partitionBy.strategy} ${t.partitionBy.key}`
        : `made again with the partition key ${t.partitionBy.strategy} ${t.partitionBy.key}`
    }

    function diffTable(f: TableDef, t: TableDef): void {
      const ref: TableRef = { schema: t.schema, name: t.name }
      const name = `${t.schema}.${t.name}`
      comment({ on: 'table', schema: t.schema, name: t.name }, f.comment, t.comment)
      if (!same(f.partitionBy, t.partitionBy)) {
        const what = !f.partitionBy
          ? 'a plain table cannot become a partitioned one'
          : !t.partitionBy
            ? 'a partitioned table cannot become a plain one'
            : `its partition key changes from ${f.partitionBy.strategy} ${f.partitionBy.key} to ${t.partitionBy.strategy} ${t.partitionBy.key}`
        tableChanges.push({
          kind: 'unsupported',
          object: name,
          objectKind: 'table',
          message: `table ${qname(t.schema, t.name)}: ${what}`,
          hint: `write the migration by hand: create the new table ${t.partitionBy ? `with PARTITION BY ${t.partitionBy.strategy.toUpperCase()} ${t.partitionBy.key} ` : ''}under a new name, copy the rows (INSERT … SELECT), swap the names with ALTER TABLE … RENAME, then drop the old table`,
        })
      }
      if (!same(f.partitionOf, t.partitionOf)) {
        if (f.partitionOf) tableChanges.push({ kind: 'detach_partition', table: f })
        if (t.partitionOf) tableChanges.push({ kind: 'attach_partition', table: t })
      }
      // columns; a partition's columns follow its parent's, and Postgres propagates the parent's
      // ADD/DROP/ALTER COLUMN to every partition (and refuses them on a partition directly)
      const fc = byKey(f.columns, (c) => c.name)
      const tc = byKey(t.columns, (c) => c.name)
      const follows = followsParent(f, t)
      // a generated column reading a column that is dropped or retyped is dropped (and added again) first
      const changing = new Set(f.columns.filter((c) => !tc.has(c.name) || tc.get(c.name)!.type !== c.type || tc.get(c.name)!.collation !== c.collation).map((c) => c.name))
      const readsChanging = (o: ColumnDef) => o.generated !== undefined && [...changing].some((x) => x !== o.name && usesIdentifier(o.generated!, x))
      const firstDrop = tableChanges.length
      for (const c of f.columns) {
        if (!tc.has(c.name) && follows(c.name)) continue
        if (!tc.has(c.name)) {
          tableChanges.push({ kind: 'drop_column', table: ref, column: c })
          touchedColumns.push({ table: ref, column: c.name })
          droppedColumns.add(`${name}.${c.name}`)
        }
      }
      const afterDrops = tableChanges.length
      for (const c of t.columns) {
        const o = fc.get(c.name)
        if (!o && follows(c.name)) continue
        if (!o) {
          tableChanges.push({ kind: 'add_column', table: ref, column: c })
        } else if (!follows(c.name)) {
          diffColumn(ref, o, c, readsChanging(o))
        }
        const recreated = o && tableChanges.some((x) => x.kind === 'add_column' && x.regenerated && x.table === ref && x.column.name === c.name)
        comment({ on: 'column', schema: t.schema, table: t.name, name: c.name }, recreated ? undefined : o?.comment, c.comment)
      }
      // a generated column dropped to be added again goes before the columns dropped for good, which it may read
      if (afterDrops > firstDrop) {
        const regeneratedDrops = tableChanges.slice(afterDrops).filter((x) => x.kind === 'drop_column' && x.regenerated)
        if (regeneratedDrops.length) {
          const rest = tableChanges.splice(afterDrops).filter((x) => !regeneratedDrops.includes(x))
          tableChanges.splice(firstDrop, 0, ...regeneratedDrops)
          tableChanges.push(...rest)
        }
      }
      // a column dropped and added again (its generation changes) takes every index and constraint
      // on it along: those are dropped before and made again after, though their definitions stay
      const regenerated = tableChanges
        .filter((x) => x.kind === 'add_column' && x.regenerated && x.table === ref)
        .map((x) => (x.kind === 'add_column' ? x.column.name : ''))
      const onRegenerated = (x: object): boolean => (regenerated.length > 0 && regenerated.some((c) => usesColumn(x, c))) || callsGoneIn(x)
      const callsGoneIn = (x: object): boolean => {
        const o = x as { keys?: readonly { expression?: string }[]; expression?: string; where?: string; definition?: string }
        return [o.expression, o.where, o.definition, ...(o.keys ?? []).map((k) => k.expression)].some(callsGone)
      }
      // constraints and indexes: changed = drop + add; same definition under a new name = rename
      const pair = <T extends { name: string }>(
        kind: 'primary_key' | 'unique' | 'foreign_key' | 'check' | 'exclusion' | 'index',
        a: readonly T[],
        b: readonly T[],
        drop: (x: T) => Change,
        add: (x: T) => Change,
        dropsTo: Change[] = tableChanges,
        addsTo: Change[] = tableChanges,
      ) => {
        const bm = byKey(b, (x) => x.name)
        const am = byKey(a, (x) => x.name)
        // a constraint or index naming a recreated enum is made again over the new type
        const onRecreated = (x: T) => (recreatedEnums.size > 0 && [...recreatedEnums].some((q) => stableJson(x).includes(`::${q}`))) || onRegenerated(x)
        // a NOT VALID check or foreign key that only becomes valid is validated where it stands
        const validated = new Set<string>()
        if (kind === 'check' || kind === 'foreign_key') {
          for (const x of b) {
            const o = am.get(x.name) as (T & { notValid?: true }) | undefined
            if (!o || !o.notValid || (x as { notValid?: true }).notValid || onRecreated(o)) continue
            if (!same(without(o, 'comment', 'notValid'), without(x, 'comment', 'notValid'))) continue
            validated.add(x.name)
            ;(kind === 'check' ? tableChanges : fkAdds).push({ kind: 'validate_constraint', table: ref, constraint: kind, from: o as unknown as CheckDef })
          }
        }
        const drops = a.filter((x) => !validated.has(x.name) && (!bm.has(x.name) || !same(without(x, 'comment'), without(bm.get(x.name) as T, 'comment')) || onRecreated(x)))
        const adds = b.filter((x) => !validated.has(x.name) && (!am.has(x.name) || !same(without(x, 'comment'), without(am.get(x.name) as T, 'comment')) || onRecreated(am.get(x.name) as T)))
        for (const d of [...drops]) {
          const body = stableJson(without(d, 'name', 'comment'))
          const match = adds.find((x) => !am.has(x.name) && !bm.has(d.name) && stableJson(without(x, 'name', 'comment')) === body)
          if (match) {
            tableChanges.push({ kind: 'rename_constraint', table: ref, constraint: kind, from: d.name, to: match.name })
            drops.splice(drops.indexOf(d), 1)
            adds.splice(adds.indexOf(match), 1)
          }
        }
        for (const d of drops) dropsTo.push(drop(d))
        for (const x of adds) addsTo.push(add(x))
      }
      const partitioned = t.partitionBy !== undefined
      const pt = partitioned ? { partitioned } : {}
      // a key whose index's storage parameters alone change keeps its index: ALTER INDEX … SET (…)
      const keyStorage = <T extends { name: string; with?: Readonly<Record<string, string>> }>(a: readonly T[], b: readonly T[]): Set<string> => {
        const names = new Set<string>()
        for (const x of b) {
          const o = a.find((y) => y.name === x.name)
          if (!o || same(o.with ?? {}, x.with ?? {}) || !same(without(o, 'comment', 'with'), without(x, 'comment', 'with'))) continue
          tableChanges.push({ kind: 'alter_storage', table: ref, from: o.with ?? {}, to: x.with ?? {}, index: x.name })
          names.add(x.name)
        }
        return names
      }
      const pkStorage = keyStorage(f.primaryKey ? [f.primaryKey] : [], t.primaryKey ? [t.primaryKey] : [])
      const uniqueStorage = keyStorage(f.uniques, t.uniques)
      const plainKey = (k: PrimaryKeyDef | undefined) => (k && !pkStorage.has(k.name) ? [k] : [])
      pair('primary_key', plainKey(f.primaryKey), plainKey(t.primaryKey),
        (x) => ({ kind: 'drop_primary_key', table: ref, primaryKey: x }), (x) => ({ kind: 'add_primary_key', table: ref, primaryKey: x, ...pt }))
      pair('unique', f.uniques.filter((u) => !uniqueStorage.has(u.name)), t.uniques.filter((u) => !uniqueStorage.has(u.name)),
        (x) => ({ kind: 'drop_unique', table: ref, unique: x }), (x) => ({ kind: 'add_unique', table: ref, unique: x, ...pt }))
      pair('check', f.checks, t.checks,
        (x) => ({ kind: 'drop_check', table: ref, check: x }), (x) => ({ kind: 'add_check', table: ref, check: x, ...pt }))
      pair('exclusion', f.exclusions ?? [], t.exclusions ?? [],
        (x) => ({ kind: 'drop_exclusion', table: ref, exclusion: x }), (x) => ({ kind: 'add_exclusion', table: ref, exclusion: x }))
      pair('foreign_key', f.foreignKeys, t.foreignKeys,
        (x) => ({ kind: 'drop_foreign_key', table: ref, foreignKey: x }), (x) => ({ kind: 'add_foreign_key', table: ref, foreignKey: x, ...pt }),
        fkDrops, fkAdds)
      // an index whose storage parameters alone change is altered in place (they apply to new pages)
      const storageOnly = t.indexes.filter((ix) => {
        const o = f.indexes.find((x) => x.name === ix.name)
        return o !== undefined && !same(o.with, ix.with) && same(without(o, 'comment', 'with'), without(ix, 'comment', 'with'))
      })
      for (const ix of storageOnly) {
        const o = f.indexes.find((x) => x.name === ix.name) as IndexDef
        tableChanges.push({ kind: 'alter_storage', table: ref, from: o.with, to: ix.with, index: ix.name })
      }
      const viaStorage = new Set(storageOnly.map((ix) => ix.name))
      pair('index', f.indexes.filter((x) => !viaStorage.has(x.name)), t.indexes.filter((x) => !viaStorage.has(x.name)),
        (x) => ({ kind: 'drop_index', table: ref, index: x, ...(partitioned ? { partitioned } : {}) }),
        (x) => ({ kind: 'create_index', table: ref, index: x, ...(partitioned ? { partitioned } : {}) }))
      for (const ix of t.indexes) {
        const o = f.indexes.find((x) => x.name === ix.name)
        const kept = o && !onRegenerated(o) && (viaStorage.has(ix.name) || same(without(o, 'comment'), without(ix, 'comment')))
        comment({ on: 'index', schema: t.schema, name: ix.name }, kept ? o.comment : undefined, ix.comment)
      }
      // a constraint made again loses its comment; one kept keeps it
      const fk = constraintsOf(f)
      for (const k of constraintsOf(t)) {
        const o = fk.find((x) => x.name === k.name)
        // validated in place (NOT VALID → valid) it keeps its comment too
        const validatedInPlace = o && 'notValid' in o && !('notValid' in k) && same(without(o, 'comment', 'notValid'), without(k, 'comment'))
        const kept = o && !onRegenerated(o) && (same(without(o, 'comment'), without(k, 'comment')) || validatedInPlace)
        comment({ on: 'constraint', schema: t.schema, table: t.name, name: k.name }, kept ? o.comment : undefined, k.comment)
        // the comment on a key's index: gone with an index made again, kept with one kept
        if (t.primaryKey?.name === k.name || t.uniques.some((u) => u.name === k.name)) {
          comment({ on: 'index', schema: t.schema, name: k.name }, kept ? f.keyIndexComments?.[k.name] : undefined, t.keyIndexComments?.[k.name])
        }
      }
      if (!same(f.with, t.with)) tableChanges.push({ kind: 'alter_storage', table: ref, from: f.with, to: t.with })
      if ((f.unlogged ?? false) !== (t.unlogged ?? false)) tableChanges.push({ kind: 'alter_persistence', table: ref, unlogged: t.unlogged === true })
      const rf = { enabled: f.rls?.enabled ?? false, forced: f.rls?.forced ?? false }
      const rt = { enabled: t.rls?.enabled ?? false, forced: t.rls?.forced ?? false }
      if (!same(rf, rt)) tableChanges.push({ kind: 'alter_rls', table: ref, from: rf, to: rt })
      const fp = byKey(f.policies, (p) => p.name)
      const tp = byKey(t.policies, (p) => p.name)
      // Postgres refuses to retype or drop a column that a policy uses: such policies are recreated
      const retyped = touchedColumns.filter((tc) => tc.table.schema === t.schema && tc.table.name === t.name).map((tc) => tc.column)
      const usesRetyped = (p: PolicyDef) =>
        retyped.some((c) => usesIdentifier(`${p.using ?? ''} ${p.withCheck ?? ''}`, c)) || callsGone(p.using) || callsGone(p.withCheck)
      for (const p of f.policies) if (!tp.has(p.name)) tableChanges.push({ kind: 'drop_policy', table: ref, policy: p })
      for (const p of t.policies) {
        const o = fp.get(p.name)
        if (!o) tableChanges.push({ kind: 'create_policy', table: ref, policy: p })
        else if (usesRetyped(o)) {
          tableChanges.push({ kind: 'drop_policy', table: ref, policy: o })
          tableChanges.push({ kind: 'create_policy', table: ref, policy: p })
        } else if (!same(without(o, 'comment'), without(p, 'comment'))) {
          if (o.permissive === p.permissive && o.command === p.command && alterablePolicy(o, p)) {
            tableChanges.push({ kind: 'alter_policy', table: ref, from: o, to: p })
          } else {
            tableChanges.push({ kind: 'drop_policy', table: ref, policy: o })
            tableChanges.push({ kind: 'create_policy', table: ref, policy: p })
          }
        }
        const made = tableChanges.some((c) => c.kind === 'create_policy' && c.policy === p)
        comment({ on: 'policy', schema: t.schema, table: t.name, name: p.name }, made ? undefined : o?.comment, p.comment)
      }
    }

    /**
     * For a partition attached to the same parent before and after: whether column `name` changes
     * exactly as the parent's column does (then the parent's change covers it).
     */
    function followsParent(f: TableDef, t: TableDef): (name: string) => boolean {
      if (!f.partitionOf || !t.partitionOf || !same(f.partitionOf, t.partitionOf)) return () => false
      const pf = fromTables.get(k2(f.partitionOf.parentSchema, f.partitionOf.parent))
      const pt = toTables.get(k2(t.partitionOf.parentSchema, t.partitionOf.parent))
      if (!pf || !pt) return () => false
      const shape = (c: ColumnDef | undefined) => (c ? { type: c.type, notNull: c.notNull, default: c.default, collation: c.collation, generated: c.generated } : undefined)
      return (name) =>
        same(shape(f.columns.find((c) => c.name === name)), shape(pf.columns.find((c) => c.name === name))) &&
        same(shape(t.columns.find((c) => c.name === name)), shape(pt.columns.find((c) => c.name === name)))
    }

    function diffColumn(ref: TableRef, o: ColumnDef, c: ColumnDef, readsChanging = false): void {
      const push = (x: Change) => tableChanges.push(x)
      const regenerate =
        (o.generated !== c.generated && c.generated !== undefined) ||
        (o.generated !== undefined && c.generated !== undefined && (o.type !== c.type || callsGone(o.generated) || readsChanging))
      if (regenerate) {
        push({ kind: 'drop_column', table: ref, column: o, regenerated: true })
        push({ kind: 'add_column', table: ref, column: c, regenerated: true, ...(readsChanging ? { afterRetype: true as const } : {}) })
        touchedColumns.push({ table: ref, column: c.name })
        return
      }
      if (o.generated !== undefined && c.generated === undefined) push({ kind: 'drop_column_expression', table: ref, column: c })
      if (o.identity && o.identity !== c.identity) {
        push({
          kind: 'alter_column_identity', table: ref, column: c.name, from: o.identity, ...(c.identity ? { to: c.identity } : {}),
          ...(o.identityOptions ? { fromOptions: o.identityOptions } : {}),
        })
      }
      if (o.identity && c.identity && !same(o.identityOptions, c.identityOptions)) {
        push({
          kind: 'alter_identity_options', table: ref, column: c.name, type: c.type,
          ...(o.identityOptions ? { from: o.identityOptions } : {}), ...(c.identityOptions ? { to: c.identityOptions } : {}),
        })
      }
      // a column of a recreated enum keeps its type's name but moves to the new type
      const onRecreated = o.type === c.type && recreatedEnums.has(baseOf(c.type))
      const typeChanged = o.type !== c.type || o.collation !== c.collation || onRecreated
      const info = typeChanged ? (onRecreated ? { needsUsing: true, safety: 'rewrite' as const } : classifyTypeChange(o.type, c.type)) : undefined
      const resetDefault =
        (!!info?.needsUsing && o.default !== undefined) || (o.default !== c.default && onDroppedSequence(o.default)) || callsGone(o.default)
      // a default that cannot be cast along with the column is dropped first and set again after
      if (o.default !== undefined && (c.default === undefined || resetDefault)) {
        push({ kind: 'alter_column_default', table: ref, column: c.name, from: o.default })
      }
      if (typeChanged && info) {
        push({
          kind: 'alter_column_type',
          table: ref,
          from: o,
          to: c,
          ...(info.needsUsing ? { using: usingFor(c.name, o.type, c.type) } : {}),
          ...(enumTypes.has(baseOf(o.type)) || enumTypes.has(baseOf(c.type)) ? { reverseUsing: usingFor(c.name, c.type, o.type) } : {}),
          safety: o.type === c.type ? 'rewrite' : info.safety,
        })
        touchedColumns.push({ table: ref, column: c.name })
      }
      if (c.default !== undefined && (c.default !== o.default || resetDefault)) {
        push({ kind: 'alter_column_default', table: ref, column: c.name, ...(o.default !== undefined && !resetDefault ? { from: o.default } : {}), to: c.default })
      }
      if (c.notNull && !o.notNull) push({ kind: 'alter_column_nullability', table: ref, column: c.name, notNull: true })
      if (c.identity && o.identity !== c.identity && !o.identity) {
        push({ kind: 'alter_column_identity', table: ref, column: c.name, to: c.identity, ...(c.identityOptions ? { options: c.identityOptions } : {}) })
      }
      if (!c.notNull && o.notNull) push({ kind: 'alter_column_nullability', table: ref, column: c.name, notNull: false })
      // a new type brings its own storage: a column's own is set again after the type change
      if (o.storage !== c.storage || o.compression !== c.compression || (typeChanged && c.storage !== undefined)) {
        // ALTER COLUMN … TYPE leaves the new type's own storage
        const fromStorage = typeChanged ? typeStorage(c.type) : (o.storage ?? typeStorage(o.type))
        const toStorage = c.storage ?? typeStorage(c.type)
        if (fromStorage === undefined || toStorage === undefined) {
          push({
            kind: 'unsupported',
            object: `${ref.schema}.${ref.name}.${c.name}`,
            objectKind: 'column',
            message: `the storage of column ${ref.schema}.${ref.name}.${c.name} goes back to its type's own, which cairn cannot tell for type ${o.storage === undefined ? o.type : c.type}`,
            hint: 'give the column its storage explicitly (.storage(\'extended\'), …)',
          })
        } else {
          push({
            kind: 'alter_column_storage', table: ref, column: c.name,
            from: { storage: fromStorage, ...(o.compression ? { compression: o.compression } : {}) },
            to: { storage: toStorage, ...(c.compression ? { compression: c.compression } : {}) },
            ...(typeChanged ? { retyped: true as const } : {}),
          })
        }
      }
    }

    // foreign keys that rely on a primary key or unique constraint being dropped must be dropped first
    const droppedKeys = new Set<string>()
    for (const ch of tableChanges) {
      if (ch.kind === 'drop_primary_key') droppedKeys.add(`${ch.table.schema}.${ch.table.name}(${ch.primaryKey.columns.join(',')})`)
      if (ch.kind === 'drop_unique') droppedKeys.add(`${ch.table.schema}.${ch.table.name}(${ch.unique.columns.join(',')})`)
      if (ch.kind === 'drop_index' && ch.index.unique) {
        const cols = ch.index.keys.map((k) => k.column ?? '')
        droppedKeys.add(`${ch.table.schema}.${ch.table.name}(${cols.join(',')})`)
      }
    }
    if (droppedKeys.size) {
      for (const t of to.tables) {
        const f = fromTables.get(k2(t.schema, t.name))
        if (!f) continue
        for (const fk of t.foreignKeys) {
          const o = f.foreignKeys.find((x) => x.name === fk.name)
          if (!o || !same(o, fk)) continue
          if (!droppedKeys.has(`${o.refSchema}.${o.refTable}(${o.refColumns.join(',')})`)) continue
          fkDrops.push({ kind: 'drop_foreign_key', table: { schema: t.schema, name: t.name }, foreignKey: o })
          fkAdds.push({ kind: 'add_foreign_key', table: { schema: t.schema, name: t.name }, foreignKey: fk, ...(t.partitionBy ? { partitioned: true } : {}) })
        }
      }
    }

    spreadPartitionDefaults()
    ctx.out.push(...fkDrops, ...tableChanges, ...fkAdds)

    /**
     * SET/DROP DEFAULT on a partitioned table reaches every partition, overwriting a partition's own
     * default: the parent's change is made with ONLY, and each partition that follows the parent's
     * default (or is new, and so was created with the parent's old one) gets the change of its own.
     */
    function spreadPartitionDefaults(): void {
      const spread = (ch: Extract<Change, { kind: 'alter_column_default' }>): Change[] => {
        const t = toTables.get(k2(ch.table.schema, ch.table.name))
        if (!t?.partitionBy || !fromTables.has(k2(t.schema, t.name))) return [ch]
        const out: Change[] = [{ ...ch, only: true }]
        const parentDefault = t.columns.find((c) => c.name === ch.column)?.default
        const parentBefore = fromTables.get(k2(t.schema, t.name))?.columns.find((c) => c.name === ch.column)?.default
        for (const p of to.tables) {
          if (!p.partitionOf || p.partitionOf.parentSchema !== t.schema || p.partitionOf.parent !== t.name) continue
          const pc = p.columns.find((c) => c.name === ch.column)
          if (!pc || pc.default !== parentDefault) continue
          const fp = fromTables.get(k2(p.schema, p.name))
          const attached = fp !== undefined && same(fp.partitionOf, p.partitionOf)
          // an attached partition whose own default differed is diffed on its own
          if (attached && fp.columns.find((c) => c.name === ch.column)?.default !== parentBefore) continue
          if (!attached && ch.to === undefined) continue
          out.push(...spread({ ...ch, table: { schema: p.schema, name: p.name }, ...(attached ? {} : { from: undefined }) }))
        }
        return out
      }
      for (let i = tableChanges.length - 1; i >= 0; i--) {
        const ch = tableChanges[i]!
        if (ch.kind === 'alter_column_default') tableChanges.splice(i, 1, ...spread(ch))
      }
    }
  },
}

/** ALTER POLICY cannot remove a USING or WITH CHECK clause, only set one. */
function alterablePolicy(a: PolicyDef, b: PolicyDef): boolean {
  return !(a.using !== undefined && b.using === undefined) && !(a.withCheck !== undefined && b.withCheck === undefined)
}

/** Every named constraint of a table (the kinds that can carry a comment). */
export function constraintsOf(t: TableDef): readonly { readonly name: string; readonly comment?: string }[] {
  return [...(t.primaryKey ? [t.primaryKey] : []), ...t.uniques, ...t.checks, ...t.foreignKeys, ...(t.exclusions ?? [])]
}

/**
 * True when a constraint or index of a table uses its column `column`: as a key, an included
 * column, or in an expression, predicate or definition (foreign keys: their own columns).
 */
function usesColumn(x: object, column: string): boolean {
  const o = x as {
    columns?: readonly string[]
    include?: readonly string[]
    keys?: readonly { column?: string; expression?: string }[]
    expression?: string
    where?: string
    definition?: string
  }
  return (
    (o.columns ?? []).includes(column) ||
    (o.include ?? []).includes(column) ||
    (o.keys ?? []).some((k) => k.column === column || (k.expression !== undefined && usesIdentifier(k.expression, column))) ||
    [o.expression, o.where, o.definition].some((e) => e !== undefined && usesIdentifier(e, column))
  )
}

/** True when the index is unique over plain columns (it can back a UNIQUE constraint). */
export function isPlainUniqueIndex(ix: IndexDef): boolean {
  return ix.unique && ix.keys.every((k) => k.column !== undefined) && ix.where === undefined
}
