import type { AlertStore } from '../alerts/alert-store.js';
import type { DriftSettings } from '../drift/drift-settings.js';
import type { ReferenceStore } from '../drift/drift-store.js';
import type { FeedbackStore } from '../feedback/feedback-store.js';
import type { ForwardingHold } from './forwarding-hold.js';
import type { Restrictions } from './restrictions.js';

/**
 * What the subject rights beyond erasure work on — restriction, objection, rectification and the
 * access export — built by the composition beside the stores they read: the restriction store and
 * forwarding's hold (the same objects the ingest listeners and read APIs use), and the drift,
 * feedback, alert and reference stores the inventory and rectification read or change.
 */
export interface SubjectControls {
  restrictions: Restrictions;
  forwardingHold: ForwardingHold;
  drift: { settings: DriftSettings; flush(): void };
  feedback: FeedbackStore;
  alerts: AlertStore;
  references: ReferenceStore;
}
