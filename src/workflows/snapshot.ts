/**
 * The checked-in model snapshot, `migrations/cairn.model.json`: what the migration history
 * produces, so a fresh clone (a CI runner) does not replay every migration in an embedded database
 * to learn it. `generate` writes it with each migration (it already knows the model the new history
 * produces: the desired one). It is authenticated by `cairn.sum`: it records the sum's first line
 * (a hash over every migration file) and is used only while that line is unchanged; an edited
 * migration, a `migrate hash` or a merge of two branches makes it stale and the history is replayed.
 *
 * It also records the hash of the definitions it was generated from and the canonical spelling of
 * their SQL expressions, so the definitions of a fresh clone are canonicalised without a database.
 * `generate --verify-snapshot` (and `--no-cache`) replays the history and canonicalises the
 * definitions through the database instead, and fails when the snapshot disagrees.
 */
import path from 'node:path'
import type { DirFs } from '../migrate/migration-dir.js'
import { MODEL_VERSION } from '../model/types.js'
import type { Model } from '../model/types.js'

/** The snapshot's file name inside the migration directory, beside cairn.sum. */
export const SNAPSHOT_FILE = 'cairn.model.json'

/** The content of `cairn.model.json`. */
export interface ModelSnapshot {
  /** What the file is, for a reader who opens it. */
  readonly about: string
  /** The first line of the cairn.sum the model was produced from. */
  readonly sum: string
  /** Hash of the definitions (normalised, hints removed) whose canonical form `model` is. */
  readonly definitions?: string
  /** The schema the history produces (MODEL_VERSION of the writer). */
  readonly model: Model
  /** Canonical spelling of each expression site of the definitions (see model-cache.ts). */
  readonly expressions?: Readonly<Record<string, string>>
  /** Tables whose canonical form substitution does not reproduce. */
  readonly unreliable?: readonly string[]
}

const ABOUT = 'cairn model snapshot: written by `cairn generate`, authenticated by cairn.sum; do not edit (`cairn generate --verify-snapshot` checks it)'

/** The first line of a cairn.sum text (its hash over every migration file). */
export function sumHeader(sum: string | undefined): string {
  return (sum ?? '').replace(/\r\n/g, '\n').split('\n')[0].trim()
}

/** Reads the snapshot; undefined when missing, unreadable or written for another model version. */
export async function readSnapshot(fs: DirFs, dir: string): Promise<ModelSnapshot | undefined> {
  let text: string | undefined
  try {
    text = await fs.readFile(path.join(dir, SNAPSHOT_FILE))
  } catch {
    return undefined
  }
  if (text === undefined) return undefined
  try {
    const s = JSON.parse(text) as ModelSnapshot
    if (typeof s?.sum !== 'string' || s.model?.version !== MODEL_VERSION) return undefined
    return s
  } catch {
    return undefined
  }
}

/** The snapshot, when it was produced from exactly this cairn.sum. */
export function matchingSnapshot(s: ModelSnapshot | undefined, sum: string | undefined): ModelSnapshot | undefined {
  return s && sum !== undefined && s.sum === sumHeader(sum) ? s : undefined
}

/** Writes the snapshot for the history whose cairn.sum is `sum`. */
export async function writeSnapshot(fs: DirFs, dir: string, s: Omit<ModelSnapshot, 'about' | 'sum'> & { sum: string }): Promise<void> {
  const out: ModelSnapshot = { about: ABOUT, ...s, sum: sumHeader(s.sum) }
  await fs.writeFile(path.join(dir, SNAPSHOT_FILE), JSON.stringify(out, null, 1) + '\n')
}
