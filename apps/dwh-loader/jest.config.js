module.exports = { ...require('../../jest.preset.js'), ...require('../../libs/testing/jest-int.js'), displayName: 'dwh-loader', rootDir: __dirname };
