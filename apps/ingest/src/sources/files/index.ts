// Reading replay datasets: files, directories and globs; Parquet, CSV and NDJSON, plain or gzip, detected by content.
export type { CsvOptions } from './csv-options';
export { expandInputs } from './expand-inputs';
export { DEFAULT_MAX_LINE_LENGTH } from './line-splitter';
export { openFile, type FileFormat, type OpenedFile, type OpenOptions, type ReadProgress } from './open-file';
export { readFile } from './read-file';
export { RowProblemCode, type RowPosition, type RowProblem, type SourceRow } from './source-row';
