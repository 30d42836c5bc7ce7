import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default on a 2-core machine is one worker; much of the suite waits on the server or
    // on child processes, and every file opens its own databases, so two files run side by side
    maxWorkers: 2,
    minWorkers: 1,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
})
