import type { Exchange } from "./exchange.js";

/**
 * The viewer's country, per request. CloudFront finds it from the viewer's IP address (CloudFront Developer
 * Guide, "Restrict the geographic distribution of your content"); locally there is nothing to look up, so it
 * is the edge's `--viewer-country` (US by default) unless the request names another in this header. The
 * header is edgelite's own: it is taken off the request before anything else reads it (the event, the
 * functions, the origin and the log never see it).
 */
export const VIEWER_COUNTRY_HEADER = "x-edgelite-viewer-country";

const COUNTRY = /^[A-Za-z]{2}$/;

/**
 * Step: takes X-Edgelite-Viewer-Country off the request and sets `x.viewerCountry`. One line of two letters
 * (either case; upper-cased, as ISO 3166-1 alpha-2 and CloudFront-Viewer-Country write them) is used; any
 * other value, or more than one line, is ignored (the edge's country stands) and the request's log entry
 * says so.
 */
export function takeViewerCountry(x: Exchange): undefined {
  const { req } = x;
  const raw = req.rawHeaders;
  const values: string[] = [];
  let kept = 0;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === VIEWER_COUNTRY_HEADER) {
      values.push(raw[i + 1]!);
      continue;
    }
    raw[kept++] = raw[i]!;
    raw[kept++] = raw[i + 1]!;
  }
  if (values.length === 0) return undefined;
  raw.length = kept;
  delete req.headers[VIEWER_COUNTRY_HEADER];
  const value = values[0]!.trim();
  if (values.length === 1 && COUNTRY.test(value)) x.viewerCountry = value.toUpperCase();
  else x.notes.push(`X-Edgelite-Viewer-Country ignored (${values.length === 1 ? "expected two letters such as FR" : "sent more than once"}); the viewer's country is ${x.viewerCountry}`);
  return undefined;
}
