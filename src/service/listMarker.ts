import { FUNCTION_NAME_PATTERN } from "../limits.js";
import type { Stage } from "../store/types.js";
import { CloudFrontError } from "./errors.js";

/**
 * ListFunctions markers. AWS's format is undocumented and opaque; ours is `<name>:<STAGE>` for the last
 * entry returned (':' cannot occur in a function name). A bare name is accepted too and means "after
 * every entry of that function".
 */
export interface ListPosition {
  name: string;
  stage?: Stage;
}

export function encodeListMarker(position: Required<ListPosition>): string {
  return `${position.name}:${position.stage}`;
}

export function decodeListMarker(marker: string): ListPosition {
  const [name = "", stage, ...rest] = marker.split(":");
  const validStage = stage === undefined || stage === "DEVELOPMENT" || stage === "LIVE";
  if (!FUNCTION_NAME_PATTERN.test(name) || !validStage || rest.length > 0) {
    throw new CloudFrontError(
      "InvalidArgument",
      `The Marker "${marker}" is not valid. Pass the NextMarker value from a previous ListFunctions response.`,
    );
  }
  return stage === undefined ? { name } : { name, stage: stage as Stage };
}
