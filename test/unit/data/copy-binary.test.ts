import { describe, expect, it } from 'vitest'
import { BinaryWriter, binaryEncoder } from '../../../src/data/copy-binary.js'
import { encodedColumn } from '../../../src/data/copy-format.js'

const HEADER = 11 + 4 + 4

/** The fields of the single tuple a writer holds (after the header): null or the raw bytes. */
function fields(data: Uint8Array): (Buffer | null)[] {
  const b = Buffer.from(data)
  let at = HEADER
  const n = b.readInt16BE(at)
  at += 2
  const out: (Buffer | null)[] = []
  for (let i = 0; i < n; i++) {
    const len = b.readInt32BE(at)
    at += 4
    out.push(len < 0 ? null : b.subarray(at, at + len))
    at += Math.max(0, len)
  }
  expect(b.readInt16BE(at)).toBe(-1)
  return out
}

describe('binary COPY encoding', () => {
  const cols = [
    ['id', 'uuid'], ['t', 'text'], ['n', 'integer'], ['s', 'smallint'], ['b', 'bigint'], ['ok', 'boolean'],
    ['at', 'timestamp with time zone'], ['d', 'date'], ['j', 'jsonb'], ['f', 'double precision'],
  ].map(([name, type]) => encodedColumn({ name: name!, type: type! }))
  const encode = binaryEncoder(cols)!

  it('writes each type in the form Postgres receives', () => {
    const w = new BinaryWriter(8)
    const ok = encode(
      {
        id: '0F8FAD5B-D9CB-469F-A165-70867728950E', t: 'tab\there é', n: -7, s: 300, b: 2n ** 40n, ok: true,
        at: new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999)), d: new Date(Date.UTC(2000, 0, 3)), j: { a: 1 }, f: null,
      },
      w,
    )
    expect(ok).toBe(true)
    const [id, t, n, s, b, flag, at, d, j, f] = fields(w.finish())
    expect(id!.toString('hex')).toBe('0f8fad5bd9cb469fa16570867728950e')
    expect(t!.toString('utf8')).toBe('tab\there é')
    expect(n!.readInt32BE(0)).toBe(-7)
    expect(s!.readInt16BE(0)).toBe(300)
    expect(b!.readBigInt64BE(0)).toBe(2n ** 40n)
    expect(flag![0]).toBe(1)
    expect(at!.readBigInt64BE(0)).toBe(-1000n) // one millisecond before 2000-01-01
    expect(d!.readInt32BE(0)).toBe(2)
    expect(j![0]).toBe(1)
    expect(j!.subarray(1).toString()).toBe('{"a":1}')
    expect(f).toBeNull()
  })

  it('answers false (and writes nothing) for values whose binary form would be a guess', () => {
    const w = new BinaryWriter()
    const before = w.length
    for (const row of [
      { at: '2021-01-01 00:00' }, // text timestamps: Postgres parses them
      { at: new Date(Date.UTC(1700, 0, 1)) }, // microseconds since 2000 past 2^53
      { id: 'not-a-uuid' },
      { n: 2 ** 31 },
      { s: 40000 },
      { b: 2 ** 60 },
      { ok: 'yes' },
    ]) {
      expect(encode(row, w), JSON.stringify(row)).toBe(false)
      expect(w.length).toBe(before)
    }
  })

  it('has no binary encoder for types it does not know (they load as text)', () => {
    expect(binaryEncoder([encodedColumn({ name: 'x', type: 'numeric(10,2)' })])).toBeUndefined()
    expect(binaryEncoder([encodedColumn({ name: 'x', type: 'text[]' })])).toBeUndefined()
    expect(binaryEncoder([encodedColumn({ name: 'x', type: 'app.message_role' })])).toBeUndefined()
  })
})
