/**
 * TEST DOUBLE — NOT A DATABASE. A small in-process server speaking the MongoDB wire protocol
 * (OP_QUERY handshake, OP_MSG commands) over in-memory collections, so the official `mongodb`
 * driver can be exercised unmodified where no mongod exists. It answers only what cairn's live
 * source uses: hello/isMaster/buildInfo/ping, listCollections, find (filter on `_id` with
 * $gt/$gte/$lt/$lte/$eq, sort on `_id`, batchSize, limit, skip), getMore, killCursors, count,
 * aggregate ($match/$skip/$limit/$group count, as countDocuments sends) and endSessions. Documents
 * are kept as the BSON bytes they were inserted with and sent back byte-for-byte. Anything else is
 * refused with a CommandNotFound / BadValue error, so an unsupported use fails loudly.
 */
import net from 'node:net'
import { BSON, Long, type Document } from 'bson'
import { compareIds } from '../../src/data/source.js'
import { DESERIALIZE_OPTIONS } from '../../src/data/raw-batch.js'

const OP_REPLY = 1
const OP_QUERY = 2004
const OP_MSG = 2013
const MAX_BATCH_BYTES = 16 * 1024 * 1024

interface Stored {
  readonly raw: Buffer
  readonly id: unknown
}

interface Cursor {
  readonly ns: string
  readonly docs: Stored[]
  pos: number
}

/** A running test double. */
export interface MongoWireServer {
  /** `mongodb://127.0.0.1:<port>/<database>?directConnection=true` */
  readonly uri: string
  readonly port: number
  /** Names of the commands received, in order (handshakes included). */
  readonly commands: string[]
  /** Adds documents (or raw BSON documents) to a collection, in natural order. */
  insert(collection: string, docs: readonly (Document | Uint8Array)[], database?: string): void
  /** Number of cursors still open on the server. */
  openCursors(): number
  close(): Promise<void>
}

class CommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
  ) {
    super(message)
  }
}

// Minimal BSON element builders, so stored documents are embedded without re-encoding.
const cstr = (s: string): Buffer => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])])
function doc(elements: readonly Buffer[]): Buffer {
  const body = Buffer.concat([...elements, Buffer.from([0])])
  const len = Buffer.alloc(4)
  len.writeInt32LE(body.length + 4)
  return Buffer.concat([len, body])
}
const el = (type: number, name: string, value: Buffer): Buffer => Buffer.concat([Buffer.from([type]), cstr(name), value])
function strValue(s: string): Buffer {
  const b = cstr(s)
  const len = Buffer.alloc(4)
  len.writeInt32LE(b.length)
  return Buffer.concat([len, b])
}
function longValue(n: bigint): Buffer {
  const b = Buffer.alloc(8)
  b.writeBigInt64LE(n)
  return b
}
function doubleValue(n: number): Buffer {
  const b = Buffer.alloc(8)
  b.writeDoubleLE(n)
  return b
}
const arrayOf = (docs: readonly Buffer[]): Buffer => doc(docs.map((d, i) => el(0x03, String(i), d)))

function cursorReply(id: bigint, ns: string, field: 'firstBatch' | 'nextBatch', docs: readonly Buffer[]): Buffer {
  const cursor = doc([el(0x12, 'id', longValue(id)), el(0x02, 'ns', strValue(ns)), el(0x04, field, arrayOf(docs))])
  return doc([el(0x03, 'cursor', cursor), el(0x01, 'ok', doubleValue(1))])
}

function matches(stored: Stored, filter: Document | undefined): boolean {
  if (!filter) return true
  for (const [key, cond] of Object.entries(filter)) {
    if (key !== '_id') throw new CommandError(2, 'BadValue', `test double: only _id filters are supported, not "${key}"`)
    const isOps = cond && typeof cond === 'object' && !('_bsontype' in cond) && Object.keys(cond).every((k) => k.startsWith('$'))
    if (!isOps) {
      if (compareIds(stored.id, cond) !== 0) return false
      continue
    }
    for (const [op, value] of Object.entries(cond as Document)) {
      const c = compareIds(stored.id, value)
      const ok = op === '$gt' ? c > 0 : op === '$gte' ? c >= 0 : op === '$lt' ? c < 0 : op === '$lte' ? c <= 0 : op === '$eq' ? c === 0 : undefined
      if (ok === undefined) throw new CommandError(2, 'BadValue', `test double: unsupported operator ${op}`)
      if (!ok) return false
    }
  }
  return true
}

function sortDocs(docs: Stored[], sort: Document | undefined): Stored[] {
  if (!sort || !Object.keys(sort).length) return docs
  const keys = Object.keys(sort)
  if (keys.length !== 1 || keys[0] !== '_id') throw new CommandError(2, 'BadValue', 'test double: only a sort on _id is supported')
  const dir = Number(sort._id) < 0 ? -1 : 1
  return [...docs].sort((a, b) => dir * compareIds(a.id, b.id))
}

const num = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : Number(typeof v === 'object' ? (v as { valueOf(): unknown }).valueOf() : v))

/** Starts the test double on an ephemeral localhost port. */
export async function startMongoWireServer(
  options: { database?: string; collections?: Record<string, readonly (Document | Uint8Array)[]> } = {},
): Promise<MongoWireServer> {
  const database = options.database ?? 'legacy'
  const data = new Map<string, Stored[]>()
  const cursors = new Map<bigint, Cursor>()
  const commands: string[] = []
  const sockets = new Set<net.Socket>()
  let nextCursor = 1000n
  let connectionId = 0

  const coll = (db: string, name: string): Stored[] => data.get(`${db}.${name}`) ?? []
  const insert = (collection: string, docs: readonly (Document | Uint8Array)[], db = database): void => {
    const key = `${db}.${collection}`
    const list = data.get(key) ?? []
    for (const d of docs) {
      const raw = d instanceof Uint8Array ? Buffer.from(d) : Buffer.from(BSON.serialize(d))
      list.push({ raw, id: BSON.deserialize(raw, DESERIALIZE_OPTIONS)._id })
    }
    data.set(key, list)
  }
  for (const [name, docs] of Object.entries(options.collections ?? {})) insert(name, docs)

  const batchOf = (c: Cursor, size: number | undefined): Buffer[] => {
    const out: Buffer[] = []
    let bytes = 0
    while (c.pos < c.docs.length && (size === undefined || size <= 0 || out.length < size)) {
      const raw = c.docs[c.pos]!.raw
      if (out.length && bytes + raw.length > MAX_BATCH_BYTES) break
      out.push(raw)
      bytes += raw.length
      c.pos++
    }
    return out
  }

  const hello = (): Document => ({
    helloOk: true,
    ismaster: true,
    isWritablePrimary: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ++connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  })

  const run = (cmd: Document): Buffer => {
    const name = Object.keys(cmd)[0] ?? ''
    commands.push(name)
    const db = String(cmd.$db ?? 'admin')
    switch (name.toLowerCase()) {
      case 'hello':
      case 'ismaster':
        return Buffer.from(BSON.serialize(hello()))
      case 'buildinfo':
        return Buffer.from(BSON.serialize({ version: '7.0.0-test-double', versionArray: [7, 0, 0, 0], maxBsonObjectSize: 16 * 1024 * 1024, ok: 1 }))
      case 'ping':
      case 'endsessions':
        return Buffer.from(BSON.serialize({ ok: 1 }))
      case 'listcollections': {
        const filter = (cmd.filter ?? {}) as Document
        const names = [...data.keys()].filter((k) => k.startsWith(`${db}.`)).map((k) => k.slice(db.length + 1)).sort()
        const list = names.filter((n) => filter.name === undefined || filter.name === n)
        const docs = list.map((n) => Buffer.from(BSON.serialize({ name: n, type: 'collection', options: {}, info: { readOnly: false } })))
        return cursorReply(0n, `${db}.$cmd.listCollections`, 'firstBatch', docs)
      }
      case 'find': {
        const ns = `${db}.${cmd.find}`
        let docs = sortDocs(coll(db, String(cmd.find)).filter((d) => matches(d, cmd.filter as Document)), cmd.sort as Document)
        const skip = num(cmd.skip) ?? 0
        const limit = Math.abs(num(cmd.limit) ?? 0)
        docs = docs.slice(skip, limit > 0 ? skip + limit : undefined)
        const cursor: Cursor = { ns, docs, pos: 0 }
        const first = batchOf(cursor, cmd.singleBatch ? undefined : (num(cmd.batchSize) ?? 101))
        let id = 0n
        if (cursor.pos < docs.length && !cmd.singleBatch) {
          id = nextCursor++
          cursors.set(id, cursor)
        }
        return cursorReply(id, ns, 'firstBatch', first)
      }
      case 'getmore': {
        const id = BigInt(String(cmd.getMore))
        const cursor = cursors.get(id)
        if (!cursor) throw new CommandError(43, 'CursorNotFound', `cursor id ${id} not found`)
        const next = batchOf(cursor, num(cmd.batchSize))
        const done = cursor.pos >= cursor.docs.length
        if (done) cursors.delete(id)
        return cursorReply(done ? 0n : id, cursor.ns, 'nextBatch', next)
      }
      case 'killcursors': {
        const ids = ((cmd.cursors ?? []) as unknown[]).map((c) => BigInt(String(c)))
        const killed = ids.filter((id) => cursors.delete(id))
        const notFound = ids.filter((id) => !killed.includes(id))
        return Buffer.from(BSON.serialize({
          cursorsKilled: killed.map((id) => Long.fromBigInt(id)),
          cursorsNotFound: notFound.map((id) => Long.fromBigInt(id)),
          cursorsAlive: [],
          cursorsUnknown: [],
          ok: 1,
        }))
      }
      case 'count': {
        const n = coll(db, String(cmd.count)).filter((d) => matches(d, cmd.query as Document)).length
        return Buffer.from(BSON.serialize({ n, ok: 1 }))
      }
      case 'aggregate': {
        let docs = coll(db, String(cmd.aggregate))
        let grouped: Document[] | undefined
        for (const stage of (cmd.pipeline ?? []) as Document[]) {
          const [op] = Object.keys(stage)
          const arg = stage[op!]
          if (grouped) throw new CommandError(2, 'BadValue', 'test double: no stages after $group')
          if (op === '$match') docs = docs.filter((d) => matches(d, arg as Document))
          else if (op === '$skip') docs = docs.slice(num(arg) ?? 0)
          else if (op === '$limit') docs = docs.slice(0, num(arg) ?? docs.length)
          else if (op === '$group') {
            const spec = arg as Document
            const out: Document = { _id: spec._id }
            for (const [k, v] of Object.entries(spec)) {
              if (k === '_id') continue
              if (!v || num((v as Document).$sum) !== 1) throw new CommandError(2, 'BadValue', 'test double: $group supports only {$sum: 1}')
              out[k] = docs.length
            }
            grouped = docs.length ? [out] : []
          } else throw new CommandError(2, 'BadValue', `test double: unsupported stage ${op}`)
        }
        const batch = grouped ? grouped.map((d) => Buffer.from(BSON.serialize(d))) : docs.map((d) => d.raw)
        return cursorReply(0n, `${db}.${cmd.aggregate}`, 'firstBatch', batch)
      }
      default:
        throw new CommandError(59, 'CommandNotFound', `no such command: '${name}' (test double)`)
    }
  }

  const safeRun = (cmd: Document): Buffer => {
    try {
      return run(cmd)
    } catch (e) {
      const err = e instanceof CommandError ? e : new CommandError(1, 'InternalError', e instanceof Error ? e.message : String(e))
      return Buffer.from(BSON.serialize({ ok: 0, errmsg: err.message, code: err.code, codeName: err.codeName }))
    }
  }

  const header = (length: number, requestId: number, responseTo: number, opCode: number): Buffer => {
    const h = Buffer.alloc(16)
    h.writeInt32LE(length, 0)
    h.writeInt32LE(requestId, 4)
    h.writeInt32LE(responseTo, 8)
    h.writeInt32LE(opCode, 12)
    return h
  }
  let requestIds = 1

  const handle = (msg: Buffer): Buffer | undefined => {
    const requestId = msg.readInt32LE(4)
    const opCode = msg.readInt32LE(12)
    if (opCode === OP_QUERY) {
      let p = 20
      while (msg[p] !== 0) p++
      p += 1 + 8
      const len = msg.readInt32LE(p)
      const query = BSON.deserialize(msg.subarray(p, p + len))
      const cmd = (query.$query as Document | undefined) ?? query
      const reply = safeRun(cmd)
      const body = Buffer.alloc(20)
      body.writeInt32LE(0, 0)
      body.writeBigInt64LE(0n, 4)
      body.writeInt32LE(0, 12)
      body.writeInt32LE(1, 16)
      return Buffer.concat([header(16 + 20 + reply.length, requestIds++, requestId, OP_REPLY), body, reply])
    }
    if (opCode === OP_MSG) {
      const flags = msg.readUInt32LE(16)
      const end = flags & 1 ? msg.length - 4 : msg.length
      let p = 20
      let body: Document | undefined
      const sequences: Record<string, Document[]> = {}
      while (p < end) {
        const kind = msg[p++]
        const len = msg.readInt32LE(p)
        if (kind === 0) {
          body = BSON.deserialize(msg.subarray(p, p + len), DESERIALIZE_OPTIONS)
          p += len
        } else {
          const stop = p + len
          let q = p + 4
          let nameEnd = q
          while (msg[nameEnd] !== 0) nameEnd++
          const ident = msg.toString('utf8', q, nameEnd)
          q = nameEnd + 1
          const docs: Document[] = []
          while (q < stop) {
            const dl = msg.readInt32LE(q)
            docs.push(BSON.deserialize(msg.subarray(q, q + dl), DESERIALIZE_OPTIONS))
            q += dl
          }
          sequences[ident] = docs
          p = stop
        }
      }
      const cmd = { ...body, ...sequences }
      const reply = safeRun(cmd)
      if (flags & 2) return undefined // moreToCome: the client expects no reply
      const head = Buffer.alloc(5)
      head.writeUInt32LE(0, 0)
      head[4] = 0
      return Buffer.concat([header(16 + 5 + reply.length, requestIds++, requestId, OP_MSG), head, reply])
    }
    return undefined
  }

  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    let pending: Buffer = Buffer.alloc(0)
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk
      while (pending.length >= 4) {
        const len = pending.readInt32LE(0)
        if (pending.length < len) break
        const reply = handle(pending.subarray(0, len))
        pending = pending.subarray(len)
        if (reply) socket.write(reply)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return {
    uri: `mongodb://127.0.0.1:${port}/${database}?directConnection=true`,
    port,
    commands,
    insert,
    openCursors: () => cursors.size,
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
