/** A clear, specific input problem (CLI exit 3). Messages are Indonesian first, English in parentheses. */
export class ImportError extends Error {
  override name = 'ImportError';
  constructor(message: string, public readonly file: string, public readonly line?: number, public readonly column?: string,
    public readonly cancelled = false) {
    super(message);
  }
}
