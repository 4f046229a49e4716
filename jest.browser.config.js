/**
 * The browser tests (`npm run test:e2e`): the app listening on a loopback port and
 * Debian's Chromium driven by playwright-core. Kept out of `npm test` so that the
 * unit and HTTP tests need no browser; .ci/run runs both.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  testTimeout: 120000,
  // One Chromium at a time: each is heavy, and these files are few.
  maxWorkers: 1,
};
