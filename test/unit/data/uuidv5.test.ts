import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { CAIRN_UUID_NAMESPACE, uuidv5 } from '../../../src/data/uuidv5.js'

/** RFC 4122 §4.3 straight from node:crypto, the reference the hand-written SHA-1 must match. */
function reference(name: string, namespace = CAIRN_UUID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex')
  const h = createHash('sha1').update(Buffer.concat([ns, Buffer.from(name, 'utf8')])).digest()
  h[6] = (h[6]! & 0x0f) | 0x50
  h[8] = (h[8]! & 0x3f) | 0x80
  const x = h.subarray(0, 16).toString('hex')
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`
}

describe('uuidv5', () => {
  it('matches the RFC 4122 example and a pinned cairn id', () => {
    expect(uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2')
    // Ids written by earlier runs must stay the same forever.
    expect(uuidv5('users/65a1b2c3d4e5f60718293a4b')).toBe('988e4ef7-8414-56e6-a3eb-6f966f80493a')
  })

  it('matches node:crypto for every length across the block boundaries', () => {
    let name = ''
    for (let n = 0; n <= 300; n++) {
      expect(uuidv5(name), `length ${n}`).toBe(reference(name))
      name += String.fromCharCode(33 + ((n * 7) % 90))
    }
  })

  it('matches node:crypto for non-ASCII names (multi-byte, astral, lone surrogates) and other namespaces', () => {
    const names = ['users/é', 'conversations/日本語のタイトル', 'x/😀😀😀', 'lone \ud800 half', 'ünïcödé'.repeat(20), 'a'.repeat(40) + 'ß']
    for (const n of names) expect(uuidv5(n), n).toBe(reference(n))
    const dns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8'
    for (const n of ['python.org', 'a'.repeat(100)]) expect(uuidv5(n, dns)).toBe(reference(n, dns))
  })

  it('matches node:crypto on random names', () => {
    let seed = 42
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff)
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(rnd() * 120)
      let s = ''
      for (let j = 0; j < len; j++) s += String.fromCharCode(rnd() < 0.9 ? 32 + Math.floor(rnd() * 95) : 0xa0 + Math.floor(rnd() * 0x3000))
      expect(uuidv5(s)).toBe(reference(s))
    }
  })

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidv5('x', 'not-a-uuid')).toThrow(/not a UUID/)
  })
})
