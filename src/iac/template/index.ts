/** Reading CloudFormation templates and CDK cloud assemblies, and evaluating them (`edgelite up`). */
export { loadStacks, type LoadedStacks, type LoadOptions } from "./load.js";
export { StackModel, type AttributeSource, type StackModelOptions, type StackOutput } from "./stackModel.js";
export { MISSING_INPUT } from "./files.js";
export { PSEUDO_PARAMETERS, SUPPORTED_INTRINSICS, YAML_SHORT_FORMS } from "./names.js";
