/**
 * Worker threads that prepare raw batches off the main thread, so that the thread talking to
 * Postgres only streams COPY data and commits: the database never waits for the next batch while
 * JavaScript validates and maps. Results come back in submission order.
 */
import os from 'node:os'
import { Worker } from 'node:worker_threads'
import { CairnError, type ErrorCode, type ExitCode } from '../errors.js'
import type { BackfillJob } from './define-backfill.js'
import type { PreparedGroups } from './prepare.js'
import type { PrepareWorkerData, WorkerFailure } from './prepare-worker.js'
import type { RawBatch } from './raw-batch.js'

/** Default worker count: the cores left once the main thread has one (at least 1, at most 4). */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1))
}

function errorOf(f: WorkerFailure): Error {
  if (f.code && f.cairn) {
    const c = f.cairn as { hint?: string; file?: string; object?: string; exitCode?: ExitCode; meta?: Record<string, unknown> }
    return new CairnError(f.code as ErrorCode, f.message, {
      ...(c.hint ? { hint: c.hint } : {}),
      ...(c.file ? { file: c.file } : {}),
      ...(c.object ? { object: c.object } : {}),
      ...(c.exitCode ? { exitCode: c.exitCode } : {}),
      ...(c.meta ? { meta: c.meta } : {}),
    })
  }
  const e = new Error(f.message)
  if (f.stack) e.stack = f.stack
  return e
}

// The worker entry next to this module: compiled JavaScript, or TypeScript (tests, tsx) loaded
// through tsx's hooks registered in the worker first.
function spawn(data: PrepareWorkerData): Worker {
  const self = import.meta.url
  if (self.endsWith('.js')) return new Worker(new URL('./prepare-worker.js', self), { workerData: data })
  const entry = new URL('./prepare-worker.ts', self).href
  const code = `import('tsx/esm/api').then((m) => m.register()).then(() => import(${JSON.stringify(entry)}))`
  return new Worker(code, { eval: true, workerData: data })
}

/** A pool of prepare workers for one job. */
export class PreparePool {
  private readonly waiting = new Map<number, { resolve: (r: PreparedGroups) => void; reject: (e: Error) => void }>()
  private next = 0
  private failed?: Error
  private closed = false

  private constructor(
    private readonly workers: readonly Worker[],
    readonly job: string,
  ) {
    for (const w of workers) {
      w.on('message', (m: { id: number; result?: PreparedGroups; error?: WorkerFailure }) => this.settle(m))
      w.on('error', (e) => this.fail(e))
      w.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`a prepare worker of backfill ${job} exited with code ${code}`))
      })
    }
  }

  /** Starts `size` workers for `job` (which must have an origin) and waits until each has loaded it. */
  static async open(job: BackfillJob, size: number): Promise<PreparePool> {
    if (!job.origin) throw new CairnError('backfill_no_origin', `backfill ${job.name} has no module file for worker threads`)
    const data: PrepareWorkerData = { origin: job.origin, job: job.name }
    const workers = Array.from({ length: Math.max(1, size) }, () => spawn(data))
    const cleanups: (() => void)[] = []
    try {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              const onMessage = (m: { id: number; ready?: boolean; error?: WorkerFailure }) => {
                if (m.id !== -1) return
                if (m.ready) resolve()
                else reject(errorOf(m.error ?? { message: 'worker failed to start' }))
              }
              const onExit = (code: number) => reject(new Error(`a prepare worker of backfill ${job.name} exited with code ${code} while starting`))
              w.on('message', onMessage)
              w.on('error', reject)
              w.on('exit', onExit)
              cleanups.push(() => {
                w.off('message', onMessage)
                w.off('error', reject)
                w.off('exit', onExit)
              })
            }),
        ),
      )
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()))
      throw e
    } finally {
      for (const c of cleanups) c()
    }
    return new PreparePool(workers, job.name)
  }

  get size(): number {
    return this.workers.length
  }

  /** Prepares a batch on the next worker (round robin); the batch's bytes are copied, not moved. */
  prepare(batch: RawBatch): Promise<PreparedGroups> {
    if (this.failed) return Promise.reject(this.failed)
    const id = this.next++
    const w = this.workers[id % this.workers.length]!
    return new Promise<PreparedGroups>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      w.postMessage({ id, batch })
    })
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all(this.workers.map((w) => w.terminate()))
    this.fail(new Error('the prepare pool is closed'))
  }

  private settle(m: { id: number; result?: PreparedGroups; error?: WorkerFailure }): void {
    const p = this.waiting.get(m.id)
    if (!p) return
    this.waiting.delete(m.id)
    if (m.error) p.reject(errorOf(m.error))
    else p.resolve(m.result!)
  }

  private fail(e: Error): void {
    this.failed ??= e
    for (const p of this.waiting.values()) p.reject(this.failed)
    this.waiting.clear()
  }
}
