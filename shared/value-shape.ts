/**
 * What a value looks like, without the value: for validation messages, which reach logs and
 * senders and must never carry what a person sent ("a string of 17 characters", "an object").
 */
export function valueShape(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return `a string of ${v.length} characters`;
  if (typeof v === 'number') return Number.isInteger(v) ? 'a whole number' : 'a fractional number';
  if (typeof v === 'boolean') return 'true or false';
  if (Array.isArray(v)) return `an array of ${v.length} elements`;
  return `${typeof v === 'object' ? 'an object' : `a ${typeof v}`}`;
}
