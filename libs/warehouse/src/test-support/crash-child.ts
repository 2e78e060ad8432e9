/**
 * A loader process that dies at a chosen point of its second batch: run by atomicity.spec.ts as
 *   node --import tsx crash-child.ts <database file> <SQL prefix to die at> <rows in the second batch>
 * It writes a first batch (committed), then starts a second one and SIGKILLs itself just before the first
 * statement starting with the prefix runs: the process ends with the transaction open, as in a crash.
 */
import { DuckDBConnection } from '@duckdb/node-api';
import { openDuckDbWarehouse } from '../duckdb/duckdb-warehouse';
import { ENRICHED_TOPIC, enriched, factRecord } from './records';

async function main(): Promise<void> {
  const [path, crashAt, rows] = process.argv.slice(2);
  if (path === undefined || crashAt === undefined || rows === undefined) throw new Error('usage: crash-child <file> <sql prefix> <rows>');
  const warehouse = await openDuckDbWarehouse({ path });
  await warehouse.ensureTables();
  const value = enriched();
  const commitTo = (next: number) => ({ group: 'dwh-loader', offsets: [{ topic: ENRICHED_TOPIC, partition: 0, nextOffset: String(next) }] });

  await warehouse.writeBatch({ table: 'fact_node_metric', records: Array.from({ length: 100 }, (_, i) => factRecord(i, value)) }, commitTo(100));

  const run = DuckDBConnection.prototype.run;
  DuckDBConnection.prototype.run = function (this: DuckDBConnection, sql: string, ...rest) {
    if (sql.trimStart().startsWith(crashAt)) process.kill(process.pid, 'SIGKILL');
    return run.call(this, sql, ...rest);
  } as typeof run;
  const second = Array.from({ length: Number(rows) }, (_, i) => factRecord(100 + i, value));
  await warehouse.writeBatch({ table: 'fact_node_metric', records: second }, commitTo(100 + second.length));
  process.stdout.write('the second batch was committed: the crash point was never reached\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
