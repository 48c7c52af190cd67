/**
 * The exit status of every `infertrace` command, one meaning each (numbers above 1 follow BSD
 * sysexits.h). docs/errors.md lists them. A command returns one of these; none picks a number of its own.
 */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** Nothing stored matches: no such trace or request, no drift data to compare (as grep's 1: "no match"). */
  notFound: 1,
  /** `drift --fail-on-drift` found drift. */
  drift: 4,
  /** EX_USAGE: the command line is wrong (unknown command or flag, missing or malformed argument). */
  usage: 64,
  /** EX_UNAVAILABLE: something the command needs cannot be reached: the collector (client commands), the address to listen on (servers). */
  unavailable: 69,
  /** EX_SOFTWARE: an unexpected failure (an uncaught error, a shutdown that did not complete). */
  internal: 70,
  /** EX_CANTCREAT: an output file cannot be written. */
  cannotWrite: 73,
  /** EX_PROTOCOL: the collector answered with an error, or the URL is not an infertrace collector. */
  collectorError: 76,
  /** EX_CONFIG: a flag's or environment variable's value is wrong; the message names both. */
  config: 78,
  /** A second Ctrl-C: stop now (128 + SIGINT). */
  interrupted: 130,
} as const;
