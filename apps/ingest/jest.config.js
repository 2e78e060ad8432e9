module.exports = { ...require('../../jest.preset.js'), ...require('../../libs/testing/jest-int.js'), displayName: 'ingest', rootDir: __dirname };
