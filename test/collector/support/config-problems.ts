import { ConfigError } from '../../../shared/config.js';

/** The problems of the ConfigError `read` throws; none when it does not throw. Other errors propagate. */
export function configProblems(read: () => unknown): string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
