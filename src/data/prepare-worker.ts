/**
 * Worker thread entry of the prepare pool: loads one job from its module file, then prepares the
 * raw batches it is sent (validate, map, encode, hash) and sends back COPY data, transferred.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { isCairnError } from '../errors.js'
import { importJobModule, jobsOfModule } from './load-jobs.js'
import { sinkTargets } from './pg-sink.js'
import { prepareGroups } from './prepare.js'
import type { RawBatch } from './raw-batch.js'

/** What the pool hands a worker at start. */
export interface PrepareWorkerData {
  readonly origin: string
  readonly job: string
}

/** A failure crossing back to the pool. */
export interface WorkerFailure {
  readonly message: string
  readonly code?: string
  readonly cairn?: Record<string, unknown>
  readonly stack?: string
}

function failureOf(e: unknown): WorkerFailure {
  if (isCairnError(e)) return { message: e.message, code: e.code, cairn: { hint: e.hint, file: e.file, object: e.object, exitCode: e.exitCode, meta: e.meta } }
  const err = e instanceof Error ? e : new Error(String(e))
  return { message: err.message, ...(err.stack ? { stack: err.stack } : {}) }
}

async function main(): Promise<void> {
  const port = parentPort!
  const { origin, job: name } = workerData as PrepareWorkerData
  let ready
  try {
    const job = jobsOfModule(await importJobModule(origin)).find((j) => j.name === name)
    if (!job) throw new Error(`${origin} no longer defines backfill job ${name}`)
    ready = { job, targets: sinkTargets(job.table, job.extraTables) }
  } catch (e) {
    port.postMessage({ id: -1, error: failureOf(e) })
    return
  }
  port.on('message', (msg: { id: number; batch: RawBatch }) => {
    prepareGroups(ready.job, ready.targets, msg.batch).then(
      (result) => port.postMessage({ id: msg.id, result }, result.groups.map((g) => g.data.buffer as ArrayBuffer)),
      (e: unknown) => port.postMessage({ id: msg.id, error: failureOf(e) }),
    )
  })
  port.postMessage({ id: -1, ready: true })
}

void main()
