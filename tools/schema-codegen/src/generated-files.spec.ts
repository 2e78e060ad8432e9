import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staleGeneratedFiles, writeGeneratedFiles } from './generated-files';

let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'generated-')), 'generated');
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

const files = [
  { path: 'index.ts', content: "export * from './reading';\n" },
  { path: 'reading.ts', content: 'export interface Reading {}\n' },
];

describe('generated files', () => {
  it('are all stale before the first generation', () => {
    expect(staleGeneratedFiles(dir, files)).toEqual(['index.ts', 'reading.ts']);
  });

  it('are fresh right after being written', () => {
    expect(writeGeneratedFiles(dir, files)).toEqual(['index.ts', 'reading.ts']);
    expect(staleGeneratedFiles(dir, files)).toEqual([]);
    expect(readFileSync(join(dir, 'reading.ts'), 'utf8')).toBe('export interface Reading {}\n');
  });

  it('count a hand edit, a deleted file and a file of a removed schema as stale, and fix only those', () => {
    writeGeneratedFiles(dir, files);
    writeFileSync(join(dir, 'reading.ts'), 'export interface Reading { edited: true }\n');
    rmSync(join(dir, 'index.ts'));
    writeFileSync(join(dir, 'old-schema.ts'), 'export type Old = string;\n');
    expect(staleGeneratedFiles(dir, files)).toEqual(['index.ts', 'old-schema.ts', 'reading.ts']);

    expect(writeGeneratedFiles(dir, files)).toEqual(['index.ts', 'old-schema.ts', 'reading.ts']);
    expect(readdirSync(dir).sort()).toEqual(['index.ts', 'reading.ts']);
    expect(writeGeneratedFiles(dir, files)).toEqual([]);
  });
});
