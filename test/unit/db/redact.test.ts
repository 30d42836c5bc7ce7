import { describe, expect, it } from 'vitest'
import { maskSecrets, redactSecrets, secretsOf } from '../../../src/db/redact.js'

describe('redactSecrets', () => {
  it.each([
    ['userinfo', 'postgres://app:s3cret@db.example.com:5432/prod', 'postgres://app:***@db.example.com:5432/prod'],
    ['userinfo with @ and / in the password', 'postgres://app:p@ss/w@db/prod', 'postgres://app:***@db/prod'],
    ['unescaped space in the password', 'postgres://u:pa ss@h/db', 'postgres://u:***@h/db'],
    ['percent-encoded password, IPv6 host', 'postgres://u:p%40ss@[::1]:5432/db', 'postgres://u:***@[::1]:5432/db'],
    ['query password', 'postgres://app@db/prod?sslmode=require&password=s3cret&application_name=x', 'postgres://app@db/prod?sslmode=require&password=***&application_name=x'],
    ['query sslpassword, sslkey kept', 'postgres://app@db/prod?sslpassword=k3y&sslkey=/etc/key.pem&sslcert=/c.pem', 'postgres://app@db/prod?sslpassword=***&sslkey=/etc/key.pem&sslcert=/c.pem'],
    ['both', 'postgresql://a:b@h/d?password=c', 'postgresql://a:***@h/d?password=***'],
    ['scheme typo', 'postgress://user:pw@host/db', 'postgress://user:***@host/db'],
    ['mysql', 'mysql://root:hunter2@localhost/db', 'mysql://root:***@localhost/db'],
    ['mongodb seed list', 'mongodb://app:s3cret@h1:27017,h2/db?authSource=admin', 'mongodb://app:***@h1:27017,h2/db?authSource=admin'],
    ['mongodb+srv', 'mongodb+srv://app:pw@cluster.example.net/x', 'mongodb+srv://app:***@cluster.example.net/x'],
    ['keyword string', 'host=x password=y dbname=z', 'host=x password=*** dbname=z'],
    ['keyword string, quoted with spaces and escapes', "host=x password = 'a b\\'c' user=me", 'host=x password = *** user=me'],
    ['keyword string, sslpassword', 'host=x sslkey=/k.pem sslpassword=zz', 'host=x sslkey=/k.pem sslpassword=***'],
    ['jdbc query', 'jdbc:postgresql://host:5432/db?user=u&password=p4ss&ssl=true', 'jdbc:postgresql://host:5432/db?user=u&password=***&ssl=true'],
    ['jdbc properties', 'jdbc:sqlserver://h;user=u;password=p4ss;database=d', 'jdbc:sqlserver://h;user=u;password=***;database=d'],
    ['no scheme', 'u:secret@localhost/db', 'u:***@localhost/db'],
    ['inside a quoted message', 'unsupported database URL "host=x password=y"', 'unsupported database URL "host=x password=***"'],
    ['inside JSON text', '{"target": "postgres://h/db?password=x", "n": 1}', '{"target": "postgres://h/db?password=***", "n": 1}'],
    ['environment style', 'PGPASSWORD=abc psql', 'PGPASSWORD=*** psql'],
    ['several in one message', 'from postgres://a:1@h/x to mysql://b:2@h/y', 'from postgres://a:***@h/x to mysql://b:***@h/y'],
  ])('%s', (_, input, expected) => {
    expect(redactSecrets(input)).toBe(expected)
  })

  it.each([
    'postgres://h:5432/db',
    'connect to postgres://h/db as a@b',
    'postgres://host then user@example',
    'postgres://user@h:5432/db?sslmode=verify-full&sslrootcert=/etc/ca.pem',
    'pglite:.cairn/dev',
    'pglite:memory',
    'error: relation "x" does not exist',
    'C:\\Users\\me\\project',
    'column users.password_hash is not null',
    '--rename app.users.email=mail',
    '',
  ])('leaves %j alone', (text) => {
    expect(redactSecrets(text)).toBe(text)
  })
})

describe('secretsOf and maskSecrets', () => {
  it('finds the passwords of a target, raw and decoded', () => {
    expect(secretsOf('postgres://u:p%40ss@h/db?password=q&sslpassword=r&sslkey=/k')).toEqual(expect.arrayContaining(['p%40ss', 'p@ss', 'q', 'r']))
    expect(secretsOf("host=h password='a b'")).toEqual(['a b'])
    expect(secretsOf('postgres://u@h/db')).toEqual([])
    expect(secretsOf(undefined)).toEqual([])
  })

  it('masks a known secret wherever it appears; short ones only as a word', () => {
    expect(maskSecrets('auth failed with hunter2 for hunter2x', ['hunter2'])).toBe('auth failed with *** for ***x')
    expect(maskSecrets('pw is pw, not pwd', ['pw'])).toBe('*** is ***, not pwd')
    expect(maskSecrets('nothing here', [])).toBe('nothing here')
  })
})
