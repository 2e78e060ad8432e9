module.exports = { ...require('../../jest.preset.js'), ...require('../../libs/testing/jest-int.js'), displayName: 'kafka', rootDir: __dirname };
