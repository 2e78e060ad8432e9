// Shared Jest settings. TypeScript is transpiled by SWC (type checking is the `typecheck` target's job),
// and `@meterline/*` imports resolve to each lib's public index.ts via tsconfig.base.json paths.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([name, [target]]) => [`^${name}$`, path.join(__dirname, target)]),
);

// ESM-only packages: Jest runs CommonJS, so these are transpiled like our own sources (Node itself can require them).
const esmOnly = ['hyparquet', 'hyparquet-compressors', 'hysnappy'];

module.exports = {
  testEnvironment: 'node',
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  transform: {
    '^.+\\.(ts|js)$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' }, sourceMaps: 'inline' },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  clearMocks: true,
};
