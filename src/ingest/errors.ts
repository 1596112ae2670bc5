/** An import that cannot go on. The message names the file and, where known, the row and the column. */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly where: { readonly row?: number; readonly column?: string } = {},
  ) {
    const place = [
      file,
      where.row !== undefined ? `row ${where.row}` : null,
      where.column !== undefined ? `column "${where.column}"` : null,
    ]
      .filter(Boolean)
      .join(', ');
    super(`${place}: ${problem}`);
    this.name = 'ImportError';
  }
}
