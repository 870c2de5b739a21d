/** The types the converter, its tables and the generated API model share. */

/** One shape of the CloudFront API model (botocore's service-2.json), as much as the converter reads. */
export type ApiShape =
  | { readonly type: "structure"; readonly members: Readonly<Record<string, string>>; readonly required?: readonly string[] }
  | { readonly type: "list"; readonly member: string }
  | { readonly type: "string"; readonly enum?: readonly string[] }
  | { readonly type: "integer" | "long" | "float" | "double" | "boolean" | "timestamp" | "blob" };

export type ApiStructure = Extract<ApiShape, { type: "structure" }>;

/** A value in the API's shape: what `@aws-sdk/client-cloudfront` takes for the shape it was converted to. */
export type ApiValue = string | number | boolean | Uint8Array | ApiValue[] | ApiObject;
export interface ApiObject {
  [member: string]: ApiValue;
}

/** Where a value is, for messages: the resource (`Stack/LogicalId (AWS::CloudFront::Type)`) and the property path. */
export interface ConvertAt {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly path: string;
}
