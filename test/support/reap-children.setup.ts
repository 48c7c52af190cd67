import { afterAll } from 'vitest';
import { reapTestChildren } from './child-processes.js';

// After each test file: whatever its tests started and did not stop (a failure, a timeout) ends here.
afterAll(reapTestChildren);
