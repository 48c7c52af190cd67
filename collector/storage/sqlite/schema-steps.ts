import { alertSchemaStep } from '../../alerts/alert-schema.js';
import { driftSchemaStep } from '../../drift/drift-schema.js';
import { outboxStep } from '../../forwarding/outbox-schema.js';
import { feedbackSchemaStep } from '../../feedback/feedback-schema.js';
import { relationshipSchemaStep } from '../../relationships/relationship-schema.js';
import type { Migration } from './migrations.js';
import { spanTablesV1 } from './schema-v1.js';

/**
 * Every schema step of the collector's database, in order; `PRAGMA user_version` records how many
 * have run. To add tables for another area (drift summaries, export outbox, privacy audit log),
 * define a Migration with the next version number in that area's folder and append it here.
 */
export const SCHEMA_STEPS: readonly Migration[] = [
  spanTablesV1,
  feedbackSchemaStep(2),
  alertSchemaStep(3),
  driftSchemaStep(4),
  outboxStep(5),
  relationshipSchemaStep(6),
];
