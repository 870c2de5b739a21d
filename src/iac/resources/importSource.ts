import { CloudFrontError } from "../../service/errors.js";
import { readImportFile } from "../../service/importFile.js";
import { parseImportFile } from "../../service/importFormat.js";
import type { ApplyContext, TemplateValue } from "../types.js";
import type { ResourceAt } from "./call.js";
import { describe, isTemplateObject, propertyError } from "./convert.js";
import { atProperty, checkKnown } from "./properties.js";

/**
 * A key value store's ImportSource ({ SourceType: S3, SourceArn: arn:<partition>:s3:::bucket/key }, the
 * CloudFormation Template Reference's AWS::CloudFront::KeyValueStore ImportSource): the local file that stands
 * for the object (context.s3Objects: `--s3` folders, CDK assets), read and parsed as CreateKeyValueStore's
 * import reads one (CloudFront's import format, at most 5 MB).
 */

const S3_OBJECT_ARN = /^arn:aws(?:-cn|-us-gov)?:s3:::([^/]+)\/(.+)$/s;

export async function importSourceKeys(context: ApplyContext, where: ResourceAt, source: TemplateValue): Promise<Array<[string, string]>> {
  const at = atProperty(where, "ImportSource");
  if (!isTemplateObject(source)) throw propertyError(at, `must be an object { SourceType, SourceArn } (it is ${describe(source)}).`);
  checkKnown(source, ["SourceType", "SourceArn"], { ...where, type: `${where.type} ImportSource` });
  if (source.SourceType !== "S3") throw propertyError(atProperty(where, "ImportSource.SourceType"), `must be S3 (it is ${describe(source.SourceType)}).`);
  const arn = source.SourceArn;
  const match = typeof arn === "string" ? S3_OBJECT_ARN.exec(arn) : null;
  if (!match) throw propertyError(atProperty(where, "ImportSource.SourceArn"), `must be an S3 object's ARN, arn:aws:s3:::<bucket>/<key> (it is ${describe(arn)}).`);
  const [, bucket, key] = match as unknown as [string, string, string];
  const local = context.s3Objects.locate(bucket, key);
  if (!local) {
    throw propertyError(
      atProperty(where, "ImportSource.SourceArn"),
      `names s3://${bucket}/${key}, which nothing on this machine stands for: add --s3 ${bucket}=<folder> with the file at <folder>/${key}.`,
    );
  }
  if (local.packaging !== "file") {
    throw propertyError(atProperty(where, "ImportSource.SourceArn"), `names s3://${bucket}/${key}, which is a zip (${local.path}); an import source is one JSON file.`);
  }
  const label = `s3://${bucket}/${key} (${local.path})`;
  try {
    return parseImportFile(await readImportFile(local.path, label), label);
  } catch (error) {
    if (error instanceof CloudFrontError) throw propertyError(atProperty(where, "ImportSource"), `cannot be loaded: ${error.message}`);
    throw error;
  }
}
