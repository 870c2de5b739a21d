/**
 * Bounds on what a template or a cloud assembly may make edgelite do. CloudFormation's own quotas are the
 * source where it has one (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html);
 * the others only keep a hostile file from exhausting memory or the stack, and are far above any real template.
 */

/** "Template body size in an Amazon S3 object: 1 MB" (CloudFormation quotas); read as 1 MiB, the looser reading. */
export const MAX_TEMPLATE_BYTES = 1_048_576;
/** "Resources: 500 resources" per template (CloudFormation quotas). */
export const MAX_RESOURCES = 500;
/** "Parameter value: 4,096 bytes" (CloudFormation quotas): longer `--parameter` values are refused. */
export const MAX_PARAMETER_VALUE_BYTES = 4_096;
/** A manifest.json or asset manifest is JSON that cdk synth writes; 16 MiB is room for thousands of artifacts. */
export const MAX_MANIFEST_BYTES = 16_777_216;
/** Objects and lists nested deeper than this in a template are refused (no source: real templates stay below 30). */
export const MAX_NESTING_DEPTH = 128;
/**
 * Values a YAML document may expand to, aliases included: a few `*alias` of `*alias` lists otherwise make
 * billions of nodes from a few hundred bytes ("billion laughs"). Without aliases a value takes at least two
 * bytes (`1,`), so this is twice what the largest template can hold.
 */
export const MAX_YAML_NODES = MAX_TEMPLATE_BYTES;
/** Intrinsic functions and condition references evaluated inside one another (no source; a chain of conditions counts). */
export const MAX_EVALUATION_DEPTH = 256;
/** Cloud assemblies inside cloud assemblies (CDK Stages) followed from the top manifest (no source). */
export const MAX_ASSEMBLY_DEPTH = 8;
/** Stacks in one cloud assembly, nested ones included ("Stacks: 2,000" per account in the quotas). */
export const MAX_STACKS = 2_000;
/** The strings a single Fn::Join, Fn::Sub or Fn::ToJsonString may produce (no source: ten times a template). */
export const MAX_STRING_BYTES = 10 * MAX_TEMPLATE_BYTES;
/** Fn::Cidr: "The number of CIDRs to generate. Valid range is between 1 and 256." */
export const MAX_CIDR_COUNT = 256;
