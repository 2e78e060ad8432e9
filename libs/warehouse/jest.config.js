// A real embedded DuckDB on temp files, no local stack: file-backed writes and a child process killed mid-load take seconds.
module.exports = { ...require('../../jest.preset.js'), displayName: 'warehouse', rootDir: __dirname, testTimeout: 60_000 };
