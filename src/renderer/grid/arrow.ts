// The decoder is shared with the CLI (src/shared/arrow.ts).
export { decodeArrow, type Row } from '../../shared/arrow';
