/** How a CSV file is laid out; the mapping file carries these, so a dataset's shape is described in one place. */
export interface CsvOptions {
  /** The first record names the columns (default true). */
  readonly header?: boolean;
  /**
   * Column names. Without a header they name the columns in order; with a header they replace its names (the header
   * is then skipped). Headerless files without names get their 0-based positions as names: "0", "1", ...
   */
  readonly columns?: readonly string[];
  /** One character (default `,`); `\t` for TSV. */
  readonly delimiter?: string;
}
