import { CloudFrontError } from "./errors.js";

export interface Page<T> {
  items: T[];
  maxItems: number;
  /** The Id of the last item, when more follow it: the next request's Marker. */
  nextMarker?: string;
}

/**
 * One page of a List… reply over resources in their listing order: the items after the one whose Id is
 * `marker` (all of them without one), at most `maxItems`. A marker that names none of them is InvalidArgument,
 * saying which operation's NextMarker to pass.
 */
export function pageAfterId<T extends { id: string }>(ordered: readonly T[], marker: string | undefined, maxItems: number, operation: string): Page<T> {
  let start = 0;
  if (marker !== undefined) {
    start = ordered.findIndex((item) => item.id === marker) + 1;
    if (start === 0) throw new CloudFrontError("InvalidArgument", `The Marker "${marker.slice(0, 64)}" is not valid. Pass the NextMarker of a previous ${operation} response.`);
  }
  const items = ordered.slice(start, start + maxItems);
  const last = items[items.length - 1];
  return start + maxItems < ordered.length && last ? { items, maxItems, nextMarker: last.id } : { items, maxItems };
}
