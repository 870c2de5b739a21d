/**
 * The If-Match request header: the ETag a conditional write names (CloudFront's Update/Delete/Publish/Test
 * operations and the KeyValueStore data plane's PutKey/DeleteKey/UpdateKeys). Undefined when absent; the
 * service decides whether it is required. A repeated header counts by its first value.
 */
export function ifMatchHeader(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const value = headers["if-match"];
  return Array.isArray(value) ? value[0] : value;
}
