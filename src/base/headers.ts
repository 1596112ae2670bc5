/**
 * Finds the columns of a file by their headers: each field is named by its contract name or one of its
 * aliases (Vietnamese, usually), compared through a key that folds case, accents and punctuation. The record
 * import and the registry extract both read their header rows this way.
 */

/** Which column holds each field found, and which columns name no field. */
export interface HeaderMatch<F extends string> {
  /** Field → index of its column. */
  readonly columns: Partial<Record<F, number>>;
  /** Indices of the columns whose header names no field. */
  readonly unmatched: readonly number[];
}

/**
 * A matcher for one contract's headers. Aliases are in priority order: when two columns name the same field,
 * the one named by the earlier alias wins (`họ và tên` over `tên`), whatever the order of the columns.
 * Two fields claiming one key is a bug in the alias lists, refused at load.
 */
export function headerMatcher<F extends string>(
  aliases: Readonly<Record<F, readonly string[]>>,
  key: (header: string) => string,
): (headers: readonly string[]) => HeaderMatch<F> {
  const index = new Map<string, readonly [F, number]>();
  for (const field of Object.keys(aliases) as F[]) {
    aliases[field].forEach((alias, priority) => {
      const k = key(alias);
      const other = index.get(k);
      if (other && other[0] !== field) throw new Error(`header aliases: "${alias}" names both ${other[0]} and ${field}`);
      if (!other) index.set(k, [field, priority]);
    });
  }
  return (headers) => {
    const columns: Partial<Record<F, number>> = {};
    const chosenPriority = new Map<F, number>();
    const unmatched: number[] = [];
    headers.forEach((header, column) => {
      const hit = index.get(key(header));
      if (!hit) {
        unmatched.push(column);
        return;
      }
      const [field, priority] = hit;
      const previous = chosenPriority.get(field);
      if (previous === undefined || priority < previous) {
        columns[field] = column;
        chosenPriority.set(field, priority);
      }
    });
    return { columns, unmatched };
  };
}
