import type { App } from "../../compose.js";
import { CloudFrontError } from "../../service/errors.js";
import { KvsError } from "../../service/kvsErrors.js";
import type { Paint } from "../format.js";
import type { DevLine } from "./outcome.js";

/**
 * Loads a saved `--kvs` file into the dev key value store: one new version holding exactly the file's keys
 * (keys no longer in the file are deleted). A file that is not a valid import file changes nothing and
 * is reported with the position of the mistake.
 */
export async function reloadKeyValueStore(app: App, arn: string, file: string, content: Buffer, paint: Paint): Promise<DevLine> {
  try {
    const { itemCount, puts, deletes } = await app.reloadKeyValueStore(arn, content.toString("utf8"), file);
    const change = puts === 0 && deletes === 0 ? "no key changed" : `${puts} written, ${deletes} deleted`;
    return { text: `${paint.cyan("reloaded")} ${file} ${paint.dim(`(${itemCount} ${itemCount === 1 ? "key" : "keys"}; ${change})`)}`, msg: "reloaded", fields: { file, keys: itemCount, written: puts, deleted: deletes } };
  } catch (error) {
    const reason = error instanceof CloudFrontError || error instanceof KvsError ? error.message : String(error);
    return { text: `${paint.red("cannot reload")} ${file}: ${reason} ${paint.dim("(the previous keys are kept)")}`, msg: "cannot reload", fields: { file, error: reason } };
  }
}
