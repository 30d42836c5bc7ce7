/**
 * Seed 001's built-in vector search: chunks of uploaded files with their OpenAI embedding
 * (`vector(1536)`, pgvector) and an IVFFlat index for similarity search, on the tables they hang
 * from (tenants, users, files). The reference model at the top of the repository holds the same
 * tables without the embedding, so that it migrates on servers without pgvector; this project
 * holds the parts that need the extension.
 */
export * from './app.js'
export * from './tenancy.js'
export * from './files.js'
export * from './chunks.js'
