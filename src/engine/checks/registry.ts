/** The check catalogue (DOMAIN.md "Analysis catalog — the contract"): one import per check, in report order. */
import type { CheckDefinition } from './types';
import { nikInvalid } from './identity/nik_invalid/definition';
import { notInRegistry } from './identity/not_in_registry/definition';
import { deceased } from './ghost/deceased/definition';
import { duplicatePayment } from './duplicate/duplicate_payment/definition';
import { householdDuplicate } from './duplicate/household_duplicate/definition';
import { civilServant } from './ghost/civil_servant/definition';
import { ineligibleDesil } from './eligibility/ineligible_desil/definition';
import { programOverlap } from './eligibility/program_overlap/definition';
import { sharedAccount } from './duplicate/shared_account/definition';
import { identityDuplicate } from './identity/identity_duplicate/definition';
import { nameMismatch } from './identity/name_mismatch/definition';
import { undistributed } from './distribution/undistributed/definition';
import { overpayment } from './distribution/overpayment/definition';
import { underpayment } from './distribution/underpayment/definition';
import { registryDuplicateNik } from './registry/registry_duplicate_nik/definition';
import { nikAttributeMismatch } from './registry/nik_attribute_mismatch/definition';
import { realizationMismatch } from './budget/realization_mismatch/definition';
import { flaggedRecipient } from './eligibility/flagged_recipient/definition';

export const CHECKS: readonly CheckDefinition[] = [
  nikInvalid,
  notInRegistry,
  deceased,
  duplicatePayment,
  householdDuplicate,
  civilServant,
  ineligibleDesil,
  programOverlap,
  sharedAccount,
  identityDuplicate,
  nameMismatch,
  undistributed,
  overpayment,
  underpayment,
  flaggedRecipient,
  registryDuplicateNik,
  nikAttributeMismatch,
  realizationMismatch,
];

export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);

/** DOMAIN.md: potential loss = union of the paid records flagged by these checks, each record once. */
export const POTENTIAL_LOSS_CHECKS: readonly string[] = CHECKS.filter((c) => c.potentialLoss).map((c) => c.id);

export function getCheck(id: string): CheckDefinition | undefined {
  return CHECKS.find((c) => c.id === id);
}
