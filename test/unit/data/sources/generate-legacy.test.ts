import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BSONRegExp, Decimal128, EJSON, Long, Timestamp, UUID, type Document } from 'bson'
import { generateLegacyDataset, legacyCounts, legacyDocuments, LEGACY_COLLECTIONS, LegacyIds, messageDocuments } from '../../../fixtures/generate-legacy.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-legacy-gen-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const all = (c: (typeof LEGACY_COLLECTIONS)[number], seed = 1): Document[] => [...legacyDocuments(c, { scale: 2, seed })]

describe('legacy dataset generator', () => {
  it('is deterministic: same seed, same bytes; another seed, other data', async () => {
    const a = await generateLegacyDataset(path.join(dir, 'a'), { scale: 1, seed: 9 })
    const b = await generateLegacyDataset(path.join(dir, 'b'), { scale: 1, seed: 9 })
    for (const c of LEGACY_COLLECTIONS) {
      for (const [x, y] of [[a.dump, b.dump], [a.ejson, b.ejson]] as const) {
        const f = fs.readdirSync(x).find((n) => n.startsWith(`${c}.`) && !n.includes('metadata'))!
        expect(fs.readFileSync(path.join(x, f)).equals(fs.readFileSync(path.join(y, f))), `${c} ${f}`).toBe(true)
      }
    }
    expect(EJSON.stringify(all('users', 1))).not.toBe(EJSON.stringify(all('users', 2)))
    expect(a.counts).toEqual(legacyCounts(1))
  })

  it('has the dirt a legacy database has', () => {
    const users = all('users')
    const emails = users.map((u) => (u.email as string | undefined)?.toLowerCase()).filter(Boolean)
    expect(new Set(emails).size).toBeLessThan(emails.length) // duplicate emails
    expect(users.some((u) => !('email' in u))).toBe(true) // missing field
    expect(users.some((u) => u.preferences === null) && users.some((u) => !('preferences' in u))).toBe(true) // null vs missing
    expect(users.some((u) => typeof u.emailVerified === 'string')).toBe(true) // wrong type
    expect(users.some((u) => typeof u.updatedAt === 'string')).toBe(true)
    expect(users.some((u) => u.legacyId instanceof Long) && users.some((u) => u.externalId instanceof UUID)).toBe(true)
    const userIds = new Set(users.map((u) => u._id.toHexString()))
    const convs = all('conversations')
    expect(convs.some((c) => !userIds.has(c.user.toHexString()))).toBe(true) // dangling reference
    expect(convs.some((c) => typeof c.temperature === 'string')).toBe(true)
    const tx = all('transactions')
    expect(tx.some((t) => t.amount instanceof Decimal128) && tx.some((t) => typeof t.amount === 'string')).toBe(true)
    expect(tx.every((t) => t.opTime instanceof Timestamp)).toBe(true)
    expect(all('modules').every((m) => m.slugPattern instanceof BSONRegExp)).toBe(true)
    expect(all('files').some((f) => typeof f.bytes === 'string')).toBe(true)
  })

  it('builds a reply tree of messages whose parents exist in the same conversation', () => {
    const msgs = all('messages')
    const byId = new Map(msgs.map((m) => [m.messageId as string, m]))
    const roots = msgs.filter((m) => m.parentMessageId === '00000000-0000-0000-0000-000000000000')
    expect(roots.length).toBeGreaterThan(10)
    const replies = msgs.filter((m) => m.parentMessageId !== '00000000-0000-0000-0000-000000000000')
    expect(replies.every((m) => byId.has(m.parentMessageId))).toBe(true)
    expect(msgs.some((m) => Array.isArray(m.files) && m.files.length > 0)).toBe(true)
    const convIds = new Set(all('conversations').map((c) => c.conversationId))
    expect(msgs.filter((m) => convIds.has(m.conversationId)).length).toBeGreaterThan(msgs.length * 0.9)
  })

  it('references resolve through deterministic ids and natural order differs from _id order only where asked', () => {
    const ids = new LegacyIds({ scale: 2, seed: 1 })
    expect(ids.oid('users', 7).equals(all('users')[7]!._id)).toBe(true)
    const hex = (d: Document[]): string[] => d.map((x) => x._id.toHexString())
    const sorted = (xs: string[]): string[] => [...xs].sort()
    expect(hex(all('users'))).toEqual(sorted(hex(all('users'))))
    expect(hex(all('messages'))).not.toEqual(sorted(hex(all('messages'))))
    const plain = hex([...messageDocuments(2000)])
    expect(plain).toEqual(sorted(plain))
    expect(new Set(plain).size).toBe(2000)
  })
})
