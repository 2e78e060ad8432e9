module.exports = { ...require('../../jest.preset.js'), displayName: 'enrichment', rootDir: __dirname };
