/**
 * The domains `edgelite up` gives origins that have no local source: names under `.invalid`, which never
 * resolve (RFC 6761, section 6.4), so a request for them never leaves the machine, least of all for AWS.
 * The labels before {@link PLACEHOLDER_SUFFIX} spell the template's logical id the domain stands for
 * (`SiteApi1234.edgelite.invalid`), so the edge can name the `--origin` key that maps it.
 *
 * A leaf module: the iac room makes these names, the edge reads them.
 */

/** The zone every placeholder domain ends with. */
export const PLACEHOLDER_SUFFIX = "edgelite.invalid";

/** RFC 1035: a label is at most 63 octets, a name at most 253 in its text form. */
const MAX_LABEL = 63;
const MAX_NAME = 253;

/** Logical ids are alphanumeric (CloudFormation's rule), which is what a DNS label may hold as it is. */
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

/**
 * The placeholder domain for a logical id (split into labels of 63 characters), or the bare zone when the id
 * cannot be spelled as a domain (not alphanumeric, or too long).
 */
export function placeholderDomain(logicalId: string | undefined): string {
  if (logicalId === undefined || !LOGICAL_ID.test(logicalId)) return PLACEHOLDER_SUFFIX;
  const labels: string[] = [];
  for (let at = 0; at < logicalId.length; at += MAX_LABEL) labels.push(logicalId.slice(at, at + MAX_LABEL));
  const name = `${labels.join(".")}.${PLACEHOLDER_SUFFIX}`;
  return name.length <= MAX_NAME ? name : PLACEHOLDER_SUFFIX;
}

/** Whether a domain is under `.invalid` (any such name, ours or the template's). */
export function isInvalidDomain(domain: string): boolean {
  const name = domain.toLowerCase().replace(/\.$/, "");
  return name === "invalid" || name.endsWith(".invalid");
}

/** The logical id a placeholder domain spells, or undefined (the bare zone, or not one of ours). */
export function logicalIdOfPlaceholder(domain: string): string | undefined {
  const name = domain.replace(/\.$/, "");
  const suffix = `.${PLACEHOLDER_SUFFIX}`;
  if (!name.toLowerCase().endsWith(suffix)) return undefined;
  const id = name.slice(0, -suffix.length).split(".").join("");
  return LOGICAL_ID.test(id) ? id : undefined;
}
