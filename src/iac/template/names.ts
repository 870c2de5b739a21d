/**
 * The names of CloudFormation's intrinsic functions and pseudo parameters `edgelite up` evaluates: one home
 * for the evaluator, the YAML short forms and the docs. Sources: the intrinsic function reference
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html)
 * and the pseudo parameter reference
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html).
 */

/** The functions a property value may use (Fn::Length, Fn::ToJsonString: the AWS::LanguageExtensions transform's). */
export const VALUE_FUNCTIONS = [
  "Ref",
  "Fn::GetAtt",
  "Fn::Sub",
  "Fn::Join",
  "Fn::Select",
  "Fn::Split",
  "Fn::If",
  "Fn::FindInMap",
  "Fn::Base64",
  "Fn::GetAZs",
  "Fn::ImportValue",
  "Fn::Cidr",
  "Fn::Length",
  "Fn::ToJsonString",
] as const;

/** The condition functions (the Conditions section, and inside one another). `Condition` names another condition. */
export const CONDITION_FUNCTIONS = ["Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition"] as const;

/** Every intrinsic function evaluated, for the docs. */
export const SUPPORTED_INTRINSICS: readonly string[] = [...VALUE_FUNCTIONS, ...CONDITION_FUNCTIONS];

/** The pseudo parameters `Ref` and `${…}` in Fn::Sub resolve. */
export const PSEUDO_PARAMETERS = [
  "AWS::AccountId",
  "AWS::NotificationARNs",
  "AWS::NoValue",
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
] as const;

/**
 * YAML short forms: `!Name` stands for `{"Fn::Name": …}`, except `!Ref` and `!Condition` (no `Fn::`).
 * `!Contains`, `!EachMemberEquals`, `!EachMemberIn`, `!RefAll`, `!ValueOf` and `!ValueOfAll` belong to the
 * Rules section, which `up` reads but does not evaluate; they are known so a template using them still loads.
 */
export const YAML_SHORT_FORMS: ReadonlyMap<string, string> = new Map([
  ...[...VALUE_FUNCTIONS, ...CONDITION_FUNCTIONS].map((name) => [name.replace(/^Fn::/, ""), name] as const),
  ...["Contains", "EachMemberEquals", "EachMemberIn", "RefAll", "ValueOf", "ValueOfAll", "Transform"].map((name) => [name, `Fn::${name}`] as const),
]);
