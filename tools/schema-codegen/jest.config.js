module.exports = { ...require('../../jest.preset.js'), displayName: 'schema-codegen', rootDir: __dirname };
