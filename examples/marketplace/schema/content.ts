/** Content (articles, portfolios, pages, …) and media files, with their full-text search indexes and a size check. */
import { check, index, integer, jsonb, serial, sql, table, text, uniqueIndex } from '../../../src/dsl/index.js'
import { ContentStatus, ContentType } from './enums.js'
import { createdAt, dateTime, required, updatedAt } from './helpers.js'
import { Account, Tenant, User } from './tenancy.js'

export const Content = table(
  'Content',
  {
    id: serial().primaryKey(),
    tenantId: integer().notNull().references(() => Tenant.id, required),
    accountId: integer().notNull().references(() => Account.id, required),
    userId: integer().notNull().references(() => User.id, required),
    type: ContentType().notNull(),
    title: text().notNull(),
    slug: text().notNull(),
    description: text(),
    body: text().comment('Rich text content'),
    featuredImage: text(),
    metaTitle: text(),
    metaDescription: text(),
    keywords: text().array().notNull(),
    status: ContentStatus().notNull().default('DRAFT'),
    publishedAt: dateTime(),
    expiresAt: dateTime(),
    tags: text().array().notNull(),
    views: integer().notNull().default(0),
    likes: integer().notNull().default(0),
    shares: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: dateTime(),
  },
  (t) => [
    uniqueIndex('Content_tenantId_slug_key').on(t.tenantId, t.slug),
    index('Content_tenantId_accountId_idx').on(t.tenantId, t.accountId),
    index('Content_tenantId_status_idx').on(t.tenantId, t.status),
    index('Content_publishedAt_idx').on(t.publishedAt),
    index('idx_content_tenant_status_published').on(t.tenantId, t.status, t.publishedAt),
    index('idx_content_search').using('gin', sql`to_tsvector('english'::regconfig, ((${t.title} || ' '::text) || ${t.description}))`),
  ],
)

export const MediaFile = table(
  'MediaFile',
  {
    id: serial().primaryKey(),
    tenantId: integer().notNull().references(() => Tenant.id, required),
    uploaderId: integer().notNull().references(() => User.id, required),
    filename: text().notNull(),
    mimetype: text().notNull(),
    size: integer().notNull().comment('bytes'),
    url: text().notNull(),
    thumbnailUrl: text(),
    title: text(),
    alt: text(),
    caption: text(),
    metadata: jsonb().comment('EXIF, dimensions, duration, etc.'),
    folder: text(),
    tags: text().array().notNull(),
    usageCount: integer().notNull().default(0),
    lastUsedAt: dateTime(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('check_file_size', sql`${t.size} > 0`),
    index('MediaFile_tenantId_idx').on(t.tenantId),
    index('MediaFile_uploaderId_idx').on(t.uploaderId),
    index('MediaFile_folder_idx').on(t.folder),
  ],
)
