import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandInputs } from './expand-inputs';
import { sharedData } from '@meterline/testing';
import { tempDirForTests } from './test-support/temp-dir';

const tmp = tempDirForTests('expand');

/** A small tree: data/{b.csv,a.csv,.hidden.csv,notes.txt,nested/c.csv}, other/d.csv, link.csv → data/a.csv */
function tree(): string {
  const root = join(tmp(), 'tree');
  for (const dir of ['data/nested', 'other']) mkdirSync(join(root, dir), { recursive: true });
  for (const file of ['data/b.csv', 'data/a.csv', 'data/.hidden.csv', 'data/notes.txt', 'data/nested/c.csv', 'other/d.csv']) {
    writeFileSync(join(root, file), 'x\n');
  }
  symlinkSync(join(root, 'data/a.csv'), join(root, 'data/link.csv'));
  return root;
}

describe('expandInputs', () => {
  let root: string;
  beforeAll(() => {
    root = tree();
  });

  it('takes a file as itself', async () => {
    expect(await expandInputs(join(root, 'data/b.csv'))).toEqual([join(root, 'data/b.csv')]);
  });

  it('takes a directory as its visible files, sorted, without descending into subdirectories', async () => {
    expect(await expandInputs(join(root, 'data'))).toEqual(['a.csv', 'b.csv', 'link.csv', 'notes.txt'].map((f) => join(root, 'data', f)));
  });

  it('expands * and ? within a segment, in any segment, sorted', async () => {
    expect(await expandInputs(join(root, 'data/*.csv'))).toEqual(['a.csv', 'b.csv', 'link.csv'].map((f) => join(root, 'data', f)));
    expect(await expandInputs(join(root, '*/?.csv'))).toEqual([join(root, 'data/a.csv'), join(root, 'data/b.csv'), join(root, 'other/d.csv')]);
  });

  it('does not match hidden files with * unless the pattern starts with a dot', async () => {
    expect(await expandInputs(join(root, 'data/.*.csv'))).toEqual([join(root, 'data/.hidden.csv')]);
  });

  it('expands relative patterns relative to the working directory', async () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      expect(await expandInputs('data/?.csv')).toEqual(['data/a.csv', 'data/b.csv']);
    } finally {
      process.chdir(cwd);
    }
  });

  it('keeps the order of several inputs and names each file once', async () => {
    expect(await expandInputs([join(root, 'other'), join(root, 'data/b.csv'), join(root, 'other/d.csv')])).toEqual([
      join(root, 'other/d.csv'),
      join(root, 'data/b.csv'),
    ]);
  });

  it('reports every input that names nothing, all at once', async () => {
    const missing = join(root, 'missing.csv');
    const nothing = join(root, 'data/*.parquet');
    await expect(expandInputs([missing, join(root, 'data/a.csv'), nothing])).rejects.toMatchObject({
      kind: 'fatal',
      code: 'REPLAY_NO_INPUT',
      message: `nothing to read:\n  ${missing}: no such file or directory\n  ${nothing}: no file matches`,
    });
  });

  it('finds the ten NAB CloudWatch series', async () => {
    const files = await expandInputs(join(sharedData('nab', 'realAWSCloudwatch'), '*_cpu_utilization_*.csv'));
    expect(files.map((f) => f.split('/').pop())).toEqual([
      'ec2_cpu_utilization_24ae8d.csv',
      'ec2_cpu_utilization_53ea38.csv',
      'ec2_cpu_utilization_5f5533.csv',
      'ec2_cpu_utilization_77c1ca.csv',
      'ec2_cpu_utilization_825cc2.csv',
      'ec2_cpu_utilization_ac20cd.csv',
      'ec2_cpu_utilization_c6585a.csv',
      'ec2_cpu_utilization_fe7f93.csv',
      'rds_cpu_utilization_cc0c53.csv',
      'rds_cpu_utilization_e47b3b.csv',
    ]);
  });
});
