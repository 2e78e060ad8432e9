module.exports = { ...require('../../jest.preset.js'), displayName: 'windows', rootDir: __dirname };
