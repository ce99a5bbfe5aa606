/**
 * How many runs a property test makes: a fixed, modest number in `npm test` (it must hold on a busy 2-core machine),
 * the thorough number under TELISIK_SLOW=1. Seeds stay fixed (TELISIK_PROP_SEED overrides), so a failure replays.
 */
export function propRuns(normal: number, slow: number): number {
  return process.env.TELISIK_SLOW === '1' ? slow : normal;
}
