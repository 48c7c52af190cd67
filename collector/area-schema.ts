import { alertSchemaStep } from './alerts/alert-schema.js';
import { driftSchemaStep } from './drift/drift-schema.js';
import { outboxStep } from './forwarding/outbox-schema.js';
import { feedbackSchemaStep } from './feedback/feedback-schema.js';
import { relationshipSchemaStep } from './relationships/relationship-schema.js';
import { retentionSchemaStep } from './retention/retention-schema.js';
import { restrictionSchemaStep } from './subjects/restriction-schema.js';
import type { Migration } from './storage/sqlite/migrations.js';
import { subjectSchemaStep } from './subjects/subject-schema.js';

/**
 * The schema steps of the areas that keep tables in the span database, in order, registered with
 * storage at open (storage runs its own span tables as step 1 first); `PRAGMA user_version`
 * records how many have run. To add tables for another area, define a Migration with the next
 * version number in that area's folder and append it here; never edit or reorder a released step.
 */
export const AREA_SCHEMA_STEPS: readonly Migration[] = [
  feedbackSchemaStep(2),
  alertSchemaStep(3),
  driftSchemaStep(4),
  outboxStep(5),
  relationshipSchemaStep(6),
  retentionSchemaStep(7),
  subjectSchemaStep(8),
  restrictionSchemaStep(9),
];
