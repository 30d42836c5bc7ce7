import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineBackfill } from '../../../src/data/define-backfill.js'
import { orderJobs } from '../../../src/data/job-order.js'
import { isCairnError } from '../../../src/errors.js'
import { messageFiles, messages, table, users } from './fixtures.js'

const job = (name: string, target: Parameters<typeof defineBackfill>[0]['target'], extra: Record<string, typeof users> = {}, dependsOn?: string[]) =>
  defineBackfill({ name, collection: name, target, extraTargets: extra, document: z.any(), map: () => null, ...(dependsOn ? { dependsOn } : {}) })

describe('job order', () => {
  it('puts referenced tables first, whatever the given order', () => {
    const conversations = table('app', 'conversations', [['id', 'uuid'], ['user_id', 'uuid']], ['id'], { fks: [{ columns: ['user_id'], refSchema: 'app', refTable: 'users', refColumns: ['id'] }] })
    const msgs = { ...messages, foreignKeys: [...messages.foreignKeys, { name: 'm_c_fkey', columns: ['c'], refSchema: 'app', refTable: 'conversations', refColumns: ['id'], onDelete: 'no action' as const, onUpdate: 'no action' as const }] }
    const order = orderJobs([job('messages', msgs, { files: messageFiles }), job('conversations', conversations), job('users', users), job('audit', table('app', 'audit', [['id', 'uuid']], ['id']), {}, ['messages'])])
    expect(order.map((j) => j.name)).toEqual(['users', 'conversations', 'messages', 'audit'])
  })
  it('ignores self references and reports cycles clearly', () => {
    expect(orderJobs([job('messages', messages)]).map((j) => j.name)).toEqual(['messages'])
    const a = table('app', 'a', [['id', 'uuid'], ['b_id', 'uuid']], ['id'], { fks: [{ columns: ['b_id'], refSchema: 'app', refTable: 'b', refColumns: ['id'] }] })
    const b = table('app', 'b', [['id', 'uuid'], ['a_id', 'uuid']], ['id'], { fks: [{ columns: ['a_id'], refSchema: 'app', refTable: 'a', refColumns: ['id'] }] })
    let err: unknown
    try {
      orderJobs([job('ja', a), job('jb', b)])
    } catch (e) {
      err = e
    }
    expect(isCairnError(err)).toBe(true)
    expect((err as Error).message).toBe('backfill jobs depend on each other in a cycle: ja → jb → ja')
    expect((err as { code: string }).code).toBe('backfill_dependency_cycle')
    expect(() => orderJobs([job('x', users, {}, ['ghost'])])).toThrow(/unknown job "ghost"/)
  })
})
