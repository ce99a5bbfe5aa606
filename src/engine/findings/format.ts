/** The wording helpers live in src/shared/format.ts (the CLI prints with them too). */
export { rupiah, angka, tanggal, daftar, fillTemplate } from '../../shared/format';
