/**
 * NestJS 12, PGlite, nodemailer and smtp-server ship as ES modules, and Jest on Node 20
 * cannot require() them, so the tests run as native ES modules (hence
 * NODE_OPTIONS=--experimental-vm-modules in `npm test`); the build stays CommonJS.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '.',
  // Each test file loads the whole app as ES modules again, and a process that runs them
  // all in a row grows by ~60 MB a file until collecting garbage is most of its work (a
  // CI lane took twice as long). Workers are recycled past the limit instead, and there
  // are at least two, since one would run the files in the main process, never recycled.
  maxWorkers: Math.max(2, require('node:os').availableParallelism() - 1),
  workerIdleMemoryLimit: '700MB',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'es6' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // --shard as .ci/run's lanes need it: server-only files on the server's shard, sizes balanced.
  testSequencer: '<rootDir>/jest.sequencer.js',
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // Generous: a timeout is for a hung test, and a new user's busy 2-core machine is slow.
  testTimeout: 90000,
};
