/**
 * The domains `edgelite up` gives origins that have no local source: names under `.invalid`, which never
 * resolve (RFC 6761, section 6.4), so a request for them never leaves the machine. The labels before the
 * zone spell the `--origin` key that maps the origin, so the edge can name it in its 502 log line:
 *
 * - `<LogicalId>.edgelite.invalid`: the resource (not emulated) the origin's domain came from; a logical id
 *   longer than a label is split into labels of 63;
 * - `<domain>.by-domain.edgelite.invalid`: the domain the template gave the origin (no label of a logical
 *   id can be `by-domain`: logical ids are alphanumeric);
 * - `edgelite.invalid`: neither fits in a domain name; the origin's Id is the key.
 *
 * A leaf module: the iac room makes these names, the edge reads them.
 */

/** The zone every placeholder domain ends with. */
export const PLACEHOLDER_SUFFIX = "edgelite.invalid";
const BY_DOMAIN = `by-domain.${PLACEHOLDER_SUFFIX}`;

/** RFC 1035: a label is at most 63 octets, a name at most 253 in its text form. */
const MAX_LABEL = 63;
const MAX_NAME = 253;

/** Logical ids are alphanumeric (CloudFormation's rule), which is what a DNS label may hold as it is. */
const LOGICAL_ID = /^[A-Za-z0-9]+$/;
/** Letters, digits and hyphens in labels of 1 to 63 characters. */
const HOST_NAME = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/;

const within = (name: string) => (name.length <= MAX_NAME ? name : PLACEHOLDER_SUFFIX);

/** The placeholder for the resource a logical id names. */
export function placeholderForLogicalId(logicalId: string): string {
  if (!LOGICAL_ID.test(logicalId)) return PLACEHOLDER_SUFFIX;
  const labels: string[] = [];
  for (let at = 0; at < logicalId.length; at += MAX_LABEL) labels.push(logicalId.slice(at, at + MAX_LABEL));
  return within(`${labels.join(".")}.${PLACEHOLDER_SUFFIX}`);
}

/** The placeholder standing in for a domain the template gave an origin. */
export function placeholderForDomain(domain: string): string {
  const name = domain.replace(/\.$/, "");
  return HOST_NAME.test(name) ? within(`${name}.${BY_DOMAIN}`) : PLACEHOLDER_SUFFIX;
}

/** Whether a domain is under `.invalid` (any such name, ours or the template's). */
export function isInvalidDomain(domain: string): boolean {
  const name = domain.toLowerCase().replace(/\.$/, "");
  return name === "invalid" || name.endsWith(".invalid");
}

/** What a placeholder domain spells: the logical id or the domain, or undefined (the bare zone, or not ours). */
export function placeholderKey(domain: string): { logicalId: string } | { domain: string } | undefined {
  const name = domain.replace(/\.$/, "");
  const lower = name.toLowerCase();
  if (lower.endsWith(`.${BY_DOMAIN}`)) return { domain: name.slice(0, -BY_DOMAIN.length - 1) };
  if (!lower.endsWith(`.${PLACEHOLDER_SUFFIX}`)) return undefined;
  const id = name.slice(0, -PLACEHOLDER_SUFFIX.length - 1).split(".").join("");
  return LOGICAL_ID.test(id) ? { logicalId: id } : undefined;
}
