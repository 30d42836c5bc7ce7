/**
 * MongoDB `transactions` → app.transactions, amounts in integer cents. Legacy amounts are Decimal128,
 * Double or string dollars, or Int32 cents (as the old billing code wrote them); dollars are
 * converted exactly from their decimal text, never through binary floating point.
 */
import { z } from 'zod'
import { defineBackfill } from '../../src/data/define-backfill.js'
import * as bz from '../../src/data/bson-zod.js'
import { transactions } from '../../schema/app/transactions.js'
import { DEFAULT_TENANT, ensureDefaultTenant, looseDate } from './_legacy.js'

/** Exact dollars text ('12.5', '7', '0.05') → cents; more than two decimals is refused. */
export function dollarsToCents(text: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?0*$/.exec(text.trim())
  if (!m) throw new TypeError(`not an amount in dollars: ${JSON.stringify(text)}`)
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'))
  return m[1] ? -cents : cents
}

const amount = z.union([
  z.custom<unknown>((v) => (v as { _bsontype?: string })?._bsontype === 'Int32' || (v as { _bsontype?: string })?._bsontype === 'Long').transform((v) => Number(String(v))),
  bz.decimal().transform(dollarsToCents),
  z.string().transform(dollarsToCents),
])

export default defineBackfill({
  name: 'transactions',
  collection: 'transactions',
  target: transactions,
  defaultTenant: DEFAULT_TENANT,
  prepare: ensureDefaultTenant,
  document: z.object({
    _id: bz.objectId(),
    user: bz.objectId(),
    stripeSessionId: z.string().nullish(),
    stripeCustomerId: z.string().nullish(),
    amount,
    currency: z.string().optional(),
    status: z.string(),
    type: z.string(),
    productId: z.string().nullish(),
    productName: z.string().nullish(),
    createdAt: looseDate(),
    updatedAt: looseDate().optional(),
  }),
  map: (d, ctx) => ({
    id: ctx.uuid('transactions', d._id),
    tenant_id: ctx.tenant,
    user_id: ctx.uuid('users', d.user),
    stripe_session_id: d.stripeSessionId ?? null,
    stripe_customer_id: d.stripeCustomerId ?? null,
    amount: d.amount,
    currency: (d.currency ?? 'usd').toLowerCase(),
    status: d.status,
    type: d.type,
    product_id: d.productId ?? null,
    product_name: d.productName ?? null,
    created_at: d.createdAt,
    updated_at: d.updatedAt ?? d.createdAt,
  }),
})
