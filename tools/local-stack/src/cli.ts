import { isMeterlineError } from '@meterline/stream';
import { formatStatus } from './format-status';
import { parseRunArgs, RUN_USAGE } from './run-args';
import { runWithStack } from './run-command';
import { stackDown, stackStatus, stackUp } from './stack';

const USAGE = `usage: tsx --tsconfig tools/local-stack/tsconfig.json tools/local-stack/src/cli.ts <command>
  up        start Kafka and Apicurio Registry (downloads on first use; a no-op when they already run)
  down      stop the processes the stack started
  status    what runs: pids, ports, URLs, memory
${RUN_USAGE}`;

const log = (line: string): void => console.error(`local-stack: ${line}`);

async function main(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'up': {
      const { alreadyRunning, status } = await stackUp({ log });
      if (alreadyRunning) log('already running; nothing to do');
      if (status.startedBy === 'lease') log('note: a test run started this stack, and it stops when that run ends');
      formatStatus(status).forEach((line) => console.log(line));
      return status.running ? 0 : 1;
    }
    case 'down': {
      const result = await stackDown({ log });
      if (!result) console.log('no stack recorded; nothing to stop');
      else console.log(`kafka: ${result.kafka}, registry: ${result.registry}`);
      return 0;
    }
    case 'status':
      formatStatus(await stackStatus({ log })).forEach((line) => console.log(line));
      return 0;
    case 'run': {
      const { env, command } = parseRunArgs(rest);
      return runWithStack({ command, env, log });
    }
    default:
      console.error(USAGE);
      return sub === undefined || sub === 'help' || sub === '--help' ? 0 : 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      // Expected failures (missing JDK, busy port, a component that did not start) carry a message written for the
      // reader; anything else is a bug and keeps its stack trace.
      console.error(isMeterlineError(err) ? `local-stack: ${err.message}` : err);
      process.exitCode = 1;
    },
  );
}
