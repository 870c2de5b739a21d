/**
 * CloudFront's cache-behaviour path patterns (DownloadDistValuesPathPattern in the CloudFront Developer Guide):
 * `*` matches any run of characters, `/` included; `?` matches exactly one character; everything else matches
 * itself, case-sensitively; a leading `/` in the pattern or the path makes no difference.
 *
 * Matched by the greedy two-pointer wildcard algorithm, never by a regular expression: a pattern such as
 * `*a*a*a*a…!` made a backtracking regex take exponential time on the main thread. Here the work is at most
 * (pattern length + 1) × (path length + 1) steps, whatever the input.
 */

const STAR = 42; // "*"
const ONE = 63; // "?"

/** The match and the number of steps it took (the step count is what the tests bound). */
export function matchPathPatternCounted(pattern: string, path: string): { matched: boolean; steps: number } {
  const p = pattern.charCodeAt(0) === 47 ? 1 : 0;
  const s = path.charCodeAt(0) === 47 ? 1 : 0;
  let pi = p;
  let si = s;
  // Where the last `*` was and where in the path it started matching: on a mismatch, that star takes one more character.
  let starAt = -1;
  let starFrom = 0;
  let steps = 0;
  while (si < path.length) {
    steps++;
    const want = pi < pattern.length ? pattern.charCodeAt(pi) : -1;
    if (want === STAR) {
      starAt = pi++;
      starFrom = si;
    } else if (want !== -1 && (want === ONE || want === path.charCodeAt(si))) {
      pi++;
      si++;
    } else if (starAt !== -1) {
      pi = starAt + 1;
      si = ++starFrom;
    } else {
      return { matched: false, steps };
    }
  }
  while (pi < pattern.length && pattern.charCodeAt(pi) === STAR) {
    pi++;
    steps++;
  }
  return { matched: pi === pattern.length, steps };
}

export function matchesPathPattern(pattern: string, path: string): boolean {
  return matchPathPatternCounted(pattern, path).matched;
}

/** The first behaviour whose pattern matches the path; the default behaviour (`*`, always last) otherwise. */
export function pickBehaviour<T extends { pathPattern: string }>(behaviours: readonly T[], path: string): T {
  for (const behaviour of behaviours) {
    if (behaviour.pathPattern === "*" || matchesPathPattern(behaviour.pathPattern, path)) return behaviour;
  }
  return behaviours[behaviours.length - 1]!;
}
