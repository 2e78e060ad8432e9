// Module boundaries are the architecture: apps wire libs, libs never reach into apps, and the pure libs
// (stream, schemas) stay free of I/O so their logic is testable with plain objects.
import nx from '@nx/eslint-plugin';

// I/O packages that the pure libs must never import.
const ioPackages = ['kafkajs', '@kafkajs/*', 'express', 'prom-client', 'pino', '@duckdb/*', 'snowflake-sdk'];

// Nx's bannedExternalImports only sees npm packages, so Node's I/O built-ins are banned by path instead.
const pureLibSources = ['libs/stream/src/**/*.ts', 'libs/schemas/src/**/*.ts', 'libs/windows/src/**/*.ts'];
const nodeIoModules = ['fs', 'fs/*', 'http', 'https', 'http2', 'net', 'dgram', 'child_process', 'worker_threads', 'cluster']
  .flatMap((m) => [m, `node:${m}`]);

// Kafka and the registry client are reached only through libs/kafka, so that serdes, partitioning and
// error classification live in one place.
const kafkaOnlyInLibsKafka = {
  paths: [
    { name: 'kafkajs', message: 'Use @meterline/kafka: it is the only importer of kafkajs.' },
    { name: '@kafkajs/confluent-schema-registry', message: 'Use @meterline/kafka (Avro codec).' },
  ],
};

const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:pure', 'type:io'] },
  { sourceTag: 'type:io', onlyDependOnLibsWithTags: ['type:pure', 'type:io'] },
  { sourceTag: 'type:pure', onlyDependOnLibsWithTags: ['type:pure'], bannedExternalImports: ioPackages },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:pure', 'type:io', 'type:tool'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:pure', 'type:io', 'type:tool'] },
];

// Specs may additionally use the test harness (libs/testing) and read fixtures from disk; production code does neither.
const specDepConstraints = depConstraints.map(({ bannedExternalImports: _ignored, ...c }) => ({
  ...c,
  onlyDependOnLibsWithTags: [...new Set([...c.onlyDependOnLibsWithTags, 'type:testing', 'type:tool'])],
}));

const boundaries = (constraints) => [
  'error',
  { enforceBuildableLibDependency: false, allow: [], depConstraints: constraints, banTransitiveDependencies: true },
];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/.cache', '**/tmp', '**/coverage', '**/.nx'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(depConstraints),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      'no-restricted-imports': ['error', kafkaOnlyInLibsKafka],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.spec.ts', '**/test-support/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(specDepConstraints) },
  },
  {
    files: pureLibSources,
    ignores: ['**/*.spec.ts', '**/test-support/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { ...kafkaOnlyInLibsKafka, patterns: [{ group: nodeIoModules, message: 'Pure libs do no I/O: pass data in.' }] },
      ],
    },
  },
  {
    // The one home of kafkajs and the registry client; benchmarks and the stack harness measure them directly.
    files: ['libs/kafka/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // CLIs print their tables and progress to the terminal by design.
    files: ['tools/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
];
