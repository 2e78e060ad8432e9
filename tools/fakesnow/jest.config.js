// The specs run the real snowflake-sdk against a real fakesnow process (started per spec file, seconds each); the first
// run on a machine also builds the Python venv, which the specs' beforeAll allows minutes for.
module.exports = { ...require('../../jest.preset.js'), displayName: 'fakesnow', rootDir: __dirname, testTimeout: 60_000 };
