import type { EdgeTarget } from "./exchange.js";

/**
 * What the edge accepts in a distribution's config but does not do locally, said once per distribution and
 * config version (its ETag) through the edge's notice channel (`serve` and `dev` print it on stderr):
 * - ViewerProtocolPolicy `https-only` / `redirect-to-https`: the edge speaks HTTP only for now, so neither
 *   the redirect nor the refusal happens (CloudFront Developer Guide, "Require HTTPS for communication
 *   between viewers and CloudFront").
 * - LambdaFunctionAssociations: Lambda@Edge functions are not run locally; the configuration keeps them.
 */
export interface EdgeNotice {
  distributionId: string;
  kind: "viewer-protocol-policy" | "lambda-at-edge";
  message: string;
}

/** Versions remembered before the memory is cleared (a long session of updates says its notices again). */
const MAX_REMEMBERED = 10_000;

/** The distributions (id and ETag) whose notices were given. */
export class Notices {
  private readonly given = new Set<string>();

  constructor(private readonly report: ((notice: EdgeNotice) => void) | undefined) {}

  /** Gives the target's notices unless they were given for this version of its config. */
  check(target: EdgeTarget): void {
    if (!this.report) return;
    const version = `${target.view.id} ${target.view.etag}`;
    if (this.given.has(version)) return;
    if (this.given.size >= MAX_REMEMBERED) this.given.clear();
    this.given.add(version);
    for (const notice of noticesOf(target)) this.report(notice);
  }
}

/** A configured value as it goes into a log line: control characters (a line break) shown as `?`. */
const printable = (value: string) => value.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");

const patterns = (names: readonly string[]) => names.map((name) => `"${printable(name)}"`).join(", ");

/** A distribution's notices (none for most). */
export function noticesOf(target: EdgeTarget): EdgeNotice[] {
  const { id } = target.view;
  const { behaviours } = target.config;
  const notices: EdgeNotice[] = [];
  const https = behaviours.filter((b) => b.viewerProtocolPolicy === "https-only" || b.viewerProtocolPolicy === "redirect-to-https");
  if (https.length > 0) {
    const policies = [...new Set(https.map((b) => b.viewerProtocolPolicy))].join(" / ");
    notices.push({
      distributionId: id,
      kind: "viewer-protocol-policy",
      message: `distribution ${id}: ViewerProtocolPolicy ${policies} (behaviours ${patterns(https.map((b) => b.pathPattern))}) is not enforced: edgelite's edge serves plain HTTP for now (HTTPS comes later), so HTTP requests are answered instead of being ${policies.includes("redirect") ? "redirected" : "refused"}`,
    });
  }
  const lambdas = behaviours.flatMap((b) => b.lambdaFunctionAssociations.map((a) => `${printable(a.eventType)} ${printable(a.lambdaFunctionArn)} (behaviour "${printable(b.pathPattern)}")`));
  if (lambdas.length > 0) {
    notices.push({
      distributionId: id,
      kind: "lambda-at-edge",
      message: `distribution ${id}: Lambda@Edge is not run locally; these associations are kept in the configuration but skipped: ${lambdas.join("; ")}`,
    });
  }
  return notices;
}
