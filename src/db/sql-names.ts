/** SQL text the backends build from names: checked identifiers and the COPY statement of a table. */
export function assertIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain SQL identifier: ${name}`);
  return name;
}

export function copyStatement(table: string, columns: readonly string[], from: 'stdin' | "'/dev/blob'", format: 'text' | 'binary' = 'text'): string {
  return `copy ${assertIdentifier(table)} (${columns.map(assertIdentifier).join(', ')}) from ${from}${format === 'binary' ? ' with (format binary)' : ''}`;
}
