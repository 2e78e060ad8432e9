module.exports = { ...require('../../jest.preset.js'), ...require('../../libs/testing/jest-int.js'), displayName: 'services-e2e', rootDir: __dirname };
