// Opt-in for projects with integration tests (*.int.spec.ts), spread into a project's jest.config.js:
//   module.exports = { ...require('../../jest.preset.js'), ...require('../../libs/testing/jest-int.js'), displayName, rootDir: __dirname };
// Before any test file runs, the global setup makes sure the local stack (Kafka + Apicurio Registry) is up and puts
// KAFKA_BROKERS and SCHEMA_REGISTRY_URL into the environment the test workers inherit; the teardown gives the stack
// back (stopping it only if this run started it and no other run still uses it). Jest transpiles both TypeScript files
// with the preset's transform.
const path = require('node:path');

module.exports = {
  globalSetup: path.join(__dirname, 'src', 'global-setup.ts'),
  globalTeardown: path.join(__dirname, 'src', 'global-teardown.ts'),
  // Real brokers and a real registry: consumer-group joins and first fetches take seconds, not milliseconds.
  testTimeout: 60_000,
};
