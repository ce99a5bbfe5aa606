/** Engine modules the service calls (one place, so the service reads as the contract → module map). */
import * as checks from '../checks';
import * as demo from '../demo';
import * as findings from '../findings';
import * as ingest from '../ingest';
import * as reports from '../reports';
import * as rules from '../rules/rules';
import * as tools from '../tools';
import * as sqlquery from '../sqlquery';
import * as remove from '../ingest/remove';

export const modules = {
  tools: () => tools,
  rules: () => rules,
  ingest: () => ingest,
  checks: () => checks,
  findings: () => findings,
  reports: () => reports,
  demo: () => demo,
  sqlquery: () => sqlquery,
  remove: () => remove,
};
