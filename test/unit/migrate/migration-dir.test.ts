import { describe, expect, it } from 'vitest'
import { computeSum, verifySum } from '../../../src/migrate/sum.js'
import {
  hashMigrationDir,
  migrationTimestamp,
  readMigrationDir,
  slugify,
  verifyMigrationDir,
  writeMigration,
} from '../../../src/migrate/migration-dir.js'
import { memoryFs } from './fixtures.js'

const files = [
  { path: '20240101000000_a/up.sql', content: 'CREATE TABLE a (id int);\n' },
  { path: '20240101000000_a/down.sql', content: 'DROP TABLE a;\n' },
  { path: '20240102000000_b/up.sql', content: 'CREATE TABLE b (id int);\n' },
]

describe('cairn.sum', () => {
  it('is deterministic, sorted, and chained', () => {
    const sum = computeSum(files)
    expect(computeSum([...files].reverse())).toBe(sum)
    const lines = sum.trimEnd().split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/^h1:[A-Za-z0-9+/]{43}=$/)
    expect(lines.slice(1).map((l) => l.split(' ')[0])).toEqual([
      '20240101000000_a/down.sql',
      '20240101000000_a/up.sql',
      '20240102000000_b/up.sql',
    ])
    // chaining: changing the first file changes every later line, not just its own
    const edited = computeSum([{ ...files[1], content: 'DROP TABLE a CASCADE;\n' }, files[0], files[2]]).trimEnd().split('\n')
    expect(edited[1]).not.toBe(lines[1])
    expect(edited[2]).not.toBe(lines[2])
    expect(edited[3]).not.toBe(lines[3])
  })

  it('verifies the files it was computed from', () => {
    expect(() => verifySum(files, computeSum(files))).not.toThrow()
    expect(() => verifySum([], undefined)).not.toThrow()
  })

  it('names an edited file and says how to fix it', () => {
    const sum = computeSum(files)
    const edited = files.map((f) => (f.path === '20240101000000_a/up.sql' ? { ...f, content: 'CREATE TABLE a (id bigint);\n' } : f))
    let err: any
    try {
      verifySum(edited, sum)
    } catch (e) {
      err = e
    }
    expect(err.code).toBe('checksum_mismatch')
    expect(err.message).toContain('migrations/20240101000000_a/up.sql does not match its checksum')
    expect(err.hint).toContain('cairn migrate hash')
  })

  it('detects removed, added and out-of-order files', () => {
    const sum = computeSum(files)
    expect(() => verifySum(files.slice(0, 2), sum)).toThrow(/20240102000000_b\/up.sql is recorded .* missing/)
    expect(() => verifySum([...files, { path: '20231231000000_z/up.sql', content: 'x' }], sum)).toThrow(
      /20231231000000_z\/up.sql is not recorded/,
    )
  })

  it('detects a hand-edited sum file and a missing one', () => {
    const sum = computeSum(files)
    const tampered = sum.replace(/(20240102000000_b\/up.sql h1:)./, (_m, p) => p + (sum.includes(p + 'A') ? 'B' : 'A'))
    expect(() => verifySum(files, tampered)).toThrow(/edited by hand/)
    expect(() => verifySum(files, undefined)).toThrow(expect.objectContaining({ code: 'checksum_missing' }))
  })
})

describe('migration directory', () => {
  it('writes migrations with UTC timestamps, slugs and an up-to-date sum', async () => {
    const fs = memoryFs()
    const a = await writeMigration({ fs, dir: 'migrations', name: 'Add Users!', up: 'CREATE TABLE u (id int);\n', down: 'DROP TABLE u;\n', now: new Date('2024-03-05T07:08:09Z') })
    expect(a.name).toBe('20240305070809_add_users')
    // a clock behind the newest migration still sorts the new one last
    const b = await writeMigration({ fs, dir: 'migrations', name: 'second', up: 'SELECT 1;\n', now: new Date('2024-03-05T07:00:00Z') })
    expect(b.name).toBe('20240305070810_second')
    const d = await readMigrationDir(fs, 'migrations')
    expect(d.migrations.map((m) => [m.name, m.down !== undefined])).toEqual([
      ['20240305070809_add_users', true],
      ['20240305070810_second', false],
    ])
    expect(() => verifyMigrationDir(d)).not.toThrow()
    expect(fs.files.get('migrations/cairn.sum')).toBe(computeSum([
      { path: '20240305070809_add_users/up.sql', content: 'CREATE TABLE u (id int);\n' },
      { path: '20240305070809_add_users/down.sql', content: 'DROP TABLE u;\n' },
      { path: '20240305070810_second/up.sql', content: 'SELECT 1;\n' },
    ]))
  })

  it('ignores migrations/data and other entries', async () => {
    const fs = memoryFs(new Map([
      ['migrations/data/users.json', '{}'],
      ['migrations/README.md', '# notes'],
      ['migrations/20240101000000_init/up.sql', 'SELECT 1;'],
    ]))
    const d = await readMigrationDir(fs, 'migrations')
    expect(d.migrations.map((m) => m.name)).toEqual(['20240101000000_init'])
    expect(d.sum).toBeUndefined()
    expect(() => verifyMigrationDir(d)).toThrow(expect.objectContaining({ code: 'checksum_missing' }))
    const r = await hashMigrationDir(fs, 'migrations')
    expect(r).toMatchObject({ changed: true, files: 1 })
    expect(() => verifyMigrationDir({ ...d, sum: r.sum })).not.toThrow()
    expect((await hashMigrationDir(fs, 'migrations')).changed).toBe(false)
  })

  it('refuses to write on top of a tampered directory', async () => {
    const fs = memoryFs()
    await writeMigration({ fs, dir: 'm', name: 'a', up: 'SELECT 1;', now: new Date('2024-01-01T00:00:00Z') })
    fs.files.set('m/20240101000000_a/up.sql', 'SELECT 2;')
    await expect(writeMigration({ fs, dir: 'm', name: 'b', up: 'SELECT 3;', now: new Date('2024-01-02T00:00:00Z') })).rejects.toMatchObject({
      code: 'checksum_mismatch',
    })
  })

  it('rejects a migration folder without up.sql', async () => {
    const fs = memoryFs(new Map([['m/20240101000000_a/down.sql', 'SELECT 1;']]))
    await expect(readMigrationDir(fs, 'm')).rejects.toMatchObject({ code: 'bad_migration_dir' })
  })

  it('rejects a misnamed migration folder instead of skipping it', async () => {
    const fs = memoryFs(new Map([['m/2024_01_01_init/up.sql', 'SELECT 1;']]))
    await expect(readMigrationDir(fs, 'm')).rejects.toMatchObject({ code: 'bad_migration_dir', file: 'm/2024_01_01_init' })
  })

  it('formats timestamps and slugs', () => {
    expect(migrationTimestamp(new Date('1999-12-31T23:59:58Z'))).toBe('19991231235958')
    expect(slugify('  ++ ')).toBe('migration')
    expect(slugify('Users: add email_verified')).toBe('users_add_email_verified')
  })
})
