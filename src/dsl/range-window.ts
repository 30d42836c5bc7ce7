/**
 * The calendar of a rolling window of RANGE partitions: slots of a day, an ISO week (Monday to
 * Monday), a month, a quarter or a year, all in UTC, numbered by an ordinal so that arithmetic on
 * them is plain integer arithmetic; naming; retention. Pure: `rangePartitions()` builds the
 * declared window with it, `cairn partitions` plans the partitions ahead and behind with it, and
 * diff recognises the partitions it manages with it.
 */

/** How long one partition of a window is. */
export type RangeInterval = 'day' | 'week' | 'month' | 'quarter' | 'year'

export const RANGE_INTERVALS: readonly RangeInterval[] = ['day', 'week', 'month', 'quarter', 'year']

/** The adjective used in reports: daily, weekly, monthly, quarterly, yearly. */
export const INTERVAL_ADJECTIVE: Readonly<Record<RangeInterval, string>> = {
  day: 'daily', week: 'weekly', month: 'monthly', quarter: 'quarterly', year: 'yearly',
}

/** One slot of a window, as the `name` option of rangePartitions() sees it. */
export interface RangeSlot {
  /** First day, `YYYY-MM-DD` (inclusive). */
  readonly from: string
  /** First day after, `YYYY-MM-DD` (exclusive). */
  readonly to: string
  readonly year: number
  /** 1–12, the slot's first month. */
  readonly month: number
  /** 1–4. */
  readonly quarter: number
  /** 1–31, the slot's first day of its month. */
  readonly day: number
  /** ISO 8601 week number (1–53) of the slot's first day, and the year that week belongs to. */
  readonly week: number
  readonly isoYear: number
  /** Position relative to the first declared slot (negative before it). */
  readonly index: number
}

const DAY_MS = 86_400_000
const pad = (n: number, w = 2) => String(n).padStart(w, '0')
const floorDiv = (a: number, b: number) => Math.floor(a / b)

/** Days since 1970-01-01 of a UTC date. */
function epochDay(d: Date): number {
  return floorDiv(d.getTime(), DAY_MS)
}

/** The ordinal of the slot holding instant `d` (UTC). */
export function slotOrdinal(every: RangeInterval, d: Date): number {
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth()
  switch (every) {
    case 'day':
      return epochDay(d)
    case 'week':
      // 1970-01-01 was a Thursday: the week of ordinal 0 starts on Monday 1969-12-29 (day -3)
      return floorDiv(epochDay(d) + 3, 7)
    case 'month':
      return y * 12 + m
    case 'quarter':
      return floorDiv(y * 12 + m, 3)
    case 'year':
      return y
  }
}

/** UTC midnight of a calendar day (years 0–99 too, which Date.UTC reads as 1900–1999). */
function utcDay(year: number, month0: number, day: number): Date {
  const d = new Date(0)
  d.setUTCFullYear(year, month0, day)
  return d
}

/** The first instant (UTC midnight) of slot `ordinal`. */
export function slotStart(every: RangeInterval, ordinal: number): Date {
  switch (every) {
    case 'day':
      return new Date(ordinal * DAY_MS)
    case 'week':
      return new Date((ordinal * 7 - 3) * DAY_MS)
    case 'month':
      return utcDay(floorDiv(ordinal, 12), ((ordinal % 12) + 12) % 12, 1)
    case 'quarter':
      return utcDay(floorDiv(ordinal * 3, 12), (((ordinal * 3) % 12) + 12) % 12, 1)
    case 'year':
      return utcDay(ordinal, 0, 1)
  }
}

/** `YYYY-MM-DD` of a UTC date. */
export function isoDay(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

/** ISO 8601 week and week-year of a UTC date. */
function isoWeek(d: Date): { week: number; isoYear: number } {
  const day = (d.getUTCDay() + 6) % 7 // Monday 0
  const thursday = new Date(d.getTime() + (3 - day) * DAY_MS)
  const isoYear = thursday.getUTCFullYear()
  const jan1 = utcDay(isoYear, 0, 1).getTime()
  return { week: 1 + floorDiv(thursday.getTime() - jan1, 7 * DAY_MS), isoYear }
}

/** The slot `ordinal`, its index counted from `first`. */
export function slotAt(every: RangeInterval, ordinal: number, first: number): RangeSlot {
  const start = slotStart(every, ordinal)
  const { week, isoYear } = isoWeek(start)
  return {
    from: isoDay(start),
    to: isoDay(slotStart(every, ordinal + 1)),
    year: start.getUTCFullYear(),
    month: start.getUTCMonth() + 1,
    quarter: floorDiv(start.getUTCMonth(), 3) + 1,
    day: start.getUTCDate(),
    week,
    isoYear,
    index: ordinal - first,
  }
}

/** Parses `YYYY-MM-DD` (or `YYYY-MM`, the first of the month) as a UTC date; undefined when invalid. */
export function parseDay(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(text)
  if (!m) return undefined
  const d = utcDay(Number(m[1]), Number(m[2]) - 1, Number(m[3] ?? '1'))
  return isoDay(d) === `${m[1]}-${m[2]}-${m[3] ?? '01'}` ? d : undefined
}

/** The ordinal of the slot starting exactly at `text` (`YYYY-MM-DD` or `YYYY-MM`), or a reason why there is none. */
export function ordinalStartingAt(every: RangeInterval, text: string): number | string {
  const d = parseDay(text)
  if (!d) return `'${text}' is not a date (YYYY-MM-DD, or YYYY-MM for the first of a month)`
  const o = slotOrdinal(every, d)
  if (slotStart(every, o).getTime() !== d.getTime()) {
    const what = { day: 'a day', week: 'a week starts on a Monday', month: 'a month starts on its first day', quarter: 'a quarter starts on January, April, July or October 1', year: 'a year starts on January 1' }[every]
    return `'${text}' does not start a ${every}: ${what}, e.g. ${isoDay(slotStart(every, o + 1))}`
  }
  return o
}

/** A retention period: `12 months`, `90 days`, `2 years`, or a number of intervals. */
export interface Retention {
  readonly amount: number
  readonly unit: RangeInterval
}

/** Parses `'12 months'`-style text (or a number of the window's intervals); a string says why not. */
export function parseRetention(value: string | number, every: RangeInterval): Retention | string {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value > 0 ? { amount: value, unit: every } : `retention must be a positive whole number of ${every}s, not ${value}`
  }
  const m = /^\s*(\d+)\s*(day|week|month|quarter|year)s?\s*$/i.exec(value)
  if (!m || Number(m[1]) < 1) return `retention '${value}' is not a period: write e.g. '12 months', '90 days', '8 weeks', '2 years'`
  return { amount: Number(m[1]), unit: m[2].toLowerCase() as RangeInterval }
}

/** `12 months`. */
export function retentionText(r: Retention): string {
  return `${r.amount} ${r.unit}${r.amount === 1 ? '' : 's'}`
}

/** `now` minus a retention period, in calendar terms (UTC; a month back from March 31 is February 28/29). */
export function subtractRetention(now: Date, r: Retention): Date {
  if (r.unit === 'day' || r.unit === 'week') return new Date(now.getTime() - r.amount * (r.unit === 'week' ? 7 : 1) * DAY_MS)
  const months = r.amount * (r.unit === 'year' ? 12 : r.unit === 'quarter' ? 3 : 1)
  const total = now.getUTCFullYear() * 12 + now.getUTCMonth() - months
  const y = floorDiv(total, 12)
  const m = total - y * 12
  const last = utcDay(y, m + 1, 0).getUTCDate()
  const out = new Date(now.getTime())
  out.setUTCFullYear(y, m, Math.min(now.getUTCDate(), last))
  return out
}

/** The default name of a slot's partition: `<parent>_2026_07_14`, `_2026_w29`, `_2026_07`, `_2026_q3`, `_2026`. */
export function defaultSlotName(parent: string, every: RangeInterval, s: RangeSlot): string {
  switch (every) {
    case 'day':
      return `${parent}_${s.year}_${pad(s.month)}_${pad(s.day)}`
    case 'week':
      return `${parent}_${s.isoYear}_w${pad(s.week)}`
    case 'month':
      return `${parent}_${s.year}_${pad(s.month)}`
    case 'quarter':
      return `${parent}_${s.year}_q${s.quarter}`
    case 'year':
      return `${parent}_${s.year}`
  }
}

/**
 * A naming template: `{parent}`, `{yyyy}`, `{mm}`, `{dd}`, `{q}`, `{ww}` (ISO week), `{iyyy}` (its
 * year) are replaced, e.g. `'{parent}_p{yyyy}{mm}{dd}'`.
 */
export function templateName(template: string, parent: string, s: RangeSlot): string {
  return template.replace(/\{(parent|yyyy|mm|dd|q|ww|iyyy)\}/g, (_m, k: string) => {
    switch (k) {
      case 'parent':
        return parent
      case 'yyyy':
        return String(s.year)
      case 'mm':
        return pad(s.month)
      case 'dd':
        return pad(s.day)
      case 'q':
        return String(s.quarter)
      case 'ww':
        return pad(s.week)
      default:
        return String(s.isoYear)
    }
  })
}
