// `npm run deploy:generate [-- --check]`: writes deploy/kafka/create-topics.sh from the topic catalog.
// With --check it writes nothing and exits 1 when the file is stale (the deploy-check specs fail then too).
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { topicDeclarations } from '@meterline/schemas';
import { REGENERATE_COMMAND, renderCreateTopicsScript } from './create-topics-script';
import { DEPLOY_FILES, repoPath } from './repo';

function main(argv: readonly string[]): number {
  const file = repoPath(DEPLOY_FILES.createTopics);
  const expected = renderCreateTopicsScript(topicDeclarations());
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (argv.includes('--check')) {
    if (current === expected) return 0;
    console.error(`${DEPLOY_FILES.createTopics} is stale — run ${REGENERATE_COMMAND}`);
    return 1;
  }
  if (current !== expected) writeFileSync(file, expected);
  chmodSync(file, 0o755);
  console.log(`${DEPLOY_FILES.createTopics}: ${current === expected ? 'already up to date' : 'updated'}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
