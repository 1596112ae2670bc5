/**
 * The schema's versions, in order. Listed explicitly (not discovered from the folder) so that the same
 * set runs from the CLI, the tests and a bundled build alike.
 */
import type { Migration } from 'kysely';
import * as ingest from './0001_ingest.js';
import * as bulkLoad from './0002_bulk_load.js';
import * as link from './0003_link.js';
import * as reviewDecision from './0004_review_decision.js';
import * as incrementalLink from './0005_incremental_link.js';
import * as registry from './0006_registry.js';
import * as registryCheck from './0007_registry_check.js';
import * as outbox from './0008_outbox.js';
import * as jobs from './0009_jobs.js';
import * as access from './0010_access.js';
import * as communeHold from './0011_commune_hold.js';
import * as pushRun from './0012_push_run.js';
import * as auditCount from './0013_audit_count.js';
import * as reportFields from './0014_report_fields.js';
import * as guardian from './0015_guardian.js';
import * as corrections from './0016_corrections.js';
import * as police from './0017_police.js';
import * as linkKey from './0018_link_key.js';
import * as dosePlace from './0019_dose_place.js';
import * as linkBlock from './0020_link_block.js';
import * as linkKeyUnlogged from './0021_link_key_unlogged.js';

export const migrations: Record<string, Migration> = {
  '0001_ingest': ingest,
  '0002_bulk_load': bulkLoad,
  '0003_link': link,
  '0004_review_decision': reviewDecision,
  '0005_incremental_link': incrementalLink,
  '0006_registry': registry,
  '0007_registry_check': registryCheck,
  '0008_outbox': outbox,
  '0009_jobs': jobs,
  '0010_access': access,
  '0011_commune_hold': communeHold,
  '0012_push_run': pushRun,
  '0013_audit_count': auditCount,
  '0014_report_fields': reportFields,
  '0015_guardian': guardian,
  '0016_corrections': corrections,
  '0017_police': police,
  '0018_link_key': linkKey,
  '0019_dose_place': dosePlace,
  '0020_link_block': linkBlock,
  '0021_link_key_unlogged': linkKeyUnlogged,
};
