/** Prisma's column conventions, as functions (nothing here is a database object). */
import { sql, timestamp } from '../../../src/dsl/index.js'

/** DateTime: TIMESTAMP(3) without time zone. */
export const dateTime = () => timestamp({ precision: 3 })
/** DateTime @default(now()). */
export const createdAt = () => dateTime().notNull().default(sql`CURRENT_TIMESTAMP`)
/** DateTime @updatedAt: NOT NULL, set by the Prisma client on every write. */
export const updatedAt = () => dateTime().notNull()
/** A required relation: ON DELETE RESTRICT ON UPDATE CASCADE. */
export const required = { onDelete: 'restrict', onUpdate: 'cascade' } as const
/** An optional relation: ON DELETE SET NULL ON UPDATE CASCADE. */
export const optional = { onDelete: 'set null', onUpdate: 'cascade' } as const
