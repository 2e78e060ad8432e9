module.exports = {
  ...require('../../jest.preset.js'),
  ...require('./jest-int.js'),
  displayName: 'testing',
  rootDir: __dirname,
};
