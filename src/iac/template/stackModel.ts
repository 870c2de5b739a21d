import { createHash } from "node:crypto";
import { emptyRecord, getOwn } from "../../nullPrototype.js";
import { IacError, type StackSource, type TemplateObject, type TemplateResource, type TemplateValue } from "../types.js";
import { dependencyOrder, referencedNames } from "./dependencies.js";
import { Evaluator, NO_VALUE, TemplateProblem, type EvaluationScope, type ResourceLookup } from "./evaluate.js";
import { MAX_RESOURCES } from "./limits.js";
import { PSEUDO_PARAMETERS } from "./names.js";
import { resolveParameters, type ParameterSlot } from "./parameters.js";
import { isTemplateObject, kindOf, preview, sectionOf } from "./values.js";

/** What the engine knows of applied resources: `Ref` and `Fn::GetAtt` values (undefined: not applied, or no such attribute). */
export interface AttributeSource {
  ref(logicalId: string): string | undefined;
  getAtt(logicalId: string, attribute: string): TemplateValue | undefined;
}

export interface StackModelOptions {
  readonly region: string;
  readonly accountId: string;
  /** `--parameter` values by parameter name. */
  readonly parameters: ReadonlyMap<string, string>;
  /** `--import` values by export name (Fn::ImportValue). */
  readonly imports: ReadonlyMap<string, string>;
}

export interface StackOutput {
  readonly name: string;
  /** The evaluated Value; undefined with `error`. */
  readonly value: TemplateValue | undefined;
  readonly error?: string;
  readonly exportName?: string;
  readonly description?: string;
}

/** `Ref` of an SSM-typed parameter whose value was not given, etc. is a problem only if something uses it. */
type Problem = (message: string, logicalId?: string) => IacError;

/**
 * One stack's template, understood: its parameters resolved, conditions evaluated, the resources that exist
 * under them in dependency order, and the evaluation of their properties and of the outputs once the
 * resources they refer to are applied.
 */
export class StackModel {
  private constructor(
    readonly stackName: string,
    readonly templateFile: string,
    /** The resources whose Condition holds (all of them when they have none), in template order. */
    readonly resources: ReadonlyMap<string, TemplateResource>,
    /** Logical ids, dependencies first (Ref, Fn::GetAtt, Fn::Sub, DependsOn). */
    readonly order: readonly string[],
    /** Names of the template's Parameters (to tell the user about a `--parameter` no stack declares). */
    readonly parameterNames: ReadonlySet<string>,
    private readonly declared: ReadonlyMap<string, string>,
    private readonly outputsSection: ReadonlyMap<string, TemplateValue>,
    private readonly scope: EvaluationScope,
    private readonly problem: Problem,
  ) {}

  static build(source: StackSource, options: StackModelOptions): StackModel {
    const { stackName, template } = source;
    const problem: Problem = (message, logicalId) => new IacError(`stack ${stackName} (${source.templateFile}): ${message}`, logicalId);
    const fail = (message: string) => problem(message);
    const sections = (name: string) => sectionOf(template, name, fail);
    const resourcesSection = sections("Resources");
    if (getOwn(template, "Resources") === undefined) throw problem("the template has no Resources section");
    if (resourcesSection.size > MAX_RESOURCES) throw problem(`${resourcesSection.size} resources; a template holds at most ${MAX_RESOURCES}`);
    const parameters = resolveParameters(sections("Parameters"), options.parameters, fail);
    const conditions = new ConditionTable(sections("Conditions"));
    const scope: EvaluationScope = {
      pseudo: pseudoParameters(stackName, options.region, options.accountId),
      parameters,
      mappings: sections("Mappings"),
      imports: options.imports,
      condition: (name, depth) => conditions.holds(name, depth),
      region: options.region,
    };
    conditions.bind(new Evaluator(scope, conditionsReferToNoResource));

    const declared = new Map<string, string>();
    const resources = new Map<string, TemplateResource>();
    for (const [logicalId, entry] of resourcesSection) {
      const resource = readResource(logicalId, entry, problem);
      if (parameters.has(logicalId)) throw problem(`${logicalId} is both a parameter and a resource; a logical id is unique within a template`, logicalId);
      declared.set(logicalId, resource.type);
      const exists = resource.condition === undefined || guard(problem, `resource ${logicalId}`, () => conditions.holds(resource.condition!, 0), logicalId);
      if (exists) resources.set(logicalId, resource);
    }
    const dependencies = dependenciesOf(resources, { declared, parameters, conditions, problem, sam: usesSamTransform(template) });
    const order = guard(problem, "Resources", () => dependencyOrder(dependencies));
    const outputs = sections("Outputs");
    return new StackModel(stackName, source.templateFile, resources, order, new Set(parameters.keys()), declared, outputs, scope, problem);
  }

  /** The resource's Properties with every intrinsic function evaluated (the resources it refers to applied). */
  resolve(logicalId: string, attributes: AttributeSource): TemplateObject {
    const resource = this.resources.get(logicalId);
    if (resource === undefined) throw this.problem(`no resource ${logicalId} (or its Condition does not hold)`);
    const evaluator = new Evaluator(this.scope, this.lookup(attributes));
    const value = guard(this.problem, `resource ${logicalId} (${resource.type})`, () => evaluator.value(resource.properties), logicalId);
    return isTemplateObject(value === NO_VALUE ? null : value) ? (value as TemplateObject) : emptyRecord<TemplateValue>();
  }

  /** The Outputs whose Condition holds, evaluated; one that cannot be evaluated carries its error instead of failing the rest. */
  outputs(attributes: AttributeSource): StackOutput[] {
    const evaluator = new Evaluator(this.scope, this.lookup(attributes));
    const results: StackOutput[] = [];
    for (const [name, entry] of this.outputsSection) {
      if (!isTemplateObject(entry)) {
        results.push({ name, value: undefined, error: `output ${name} must be an object with a Value, not ${kindOf(entry)}` });
        continue;
      }
      const description = getOwn(entry, "Description");
      const base = { name, ...(typeof description === "string" ? { description } : {}) };
      try {
        const condition = getOwn(entry, "Condition");
        if (typeof condition === "string" && !this.scope.condition(condition, 0)) continue;
        const value = evaluator.value(getOwn(entry, "Value") ?? null);
        const exportEntry = getOwn(entry, "Export");
        const exportName = isTemplateObject(exportEntry ?? null) ? evaluator.value(getOwn(exportEntry as TemplateObject, "Name") ?? null) : undefined;
        results.push({ ...base, value: value === NO_VALUE ? undefined : value, ...(typeof exportName === "string" ? { exportName } : {}) });
      } catch (error) {
        if (!(error instanceof TemplateProblem) && !(error instanceof IacError)) throw error;
        results.push({ ...base, value: undefined, error: error.message });
      }
    }
    return results;
  }

  private lookup(attributes: AttributeSource): ResourceLookup {
    const known = (logicalId: string, what: string) => {
      if (this.resources.has(logicalId)) return;
      const type = this.declared.get(logicalId);
      if (type !== undefined) throw new TemplateProblem(`${what} ${logicalId}: its Condition does not hold, so it does not exist`);
      throw new TemplateProblem(`${what} ${logicalId}: no ${what === "Ref" ? "parameter or resource" : "resource"} of that name`);
    };
    return {
      ref: (logicalId) => {
        known(logicalId, "Ref");
        const value = attributes.ref(logicalId);
        if (value === undefined) throw new TemplateProblem(`Ref ${logicalId}: it has not been applied yet`);
        return value;
      },
      getAtt: (logicalId, attribute) => {
        known(logicalId, "Fn::GetAtt");
        const value = attributes.getAtt(logicalId, attribute);
        if (value === undefined) throw new TemplateProblem(`Fn::GetAtt ${logicalId}.${attribute}: ${this.resources.get(logicalId)!.type} has no attribute ${attribute} here (or it has not been applied yet)`);
        return value;
      },
    };
  }
}

interface DependencyContext {
  readonly declared: ReadonlyMap<string, string>;
  readonly parameters: ReadonlyMap<string, ParameterSlot>;
  readonly conditions: ConditionTable;
  readonly problem: Problem;
  /** The SAM transform: names no resource declares are the resources it would generate, added to `resources`. */
  readonly sam: boolean;
}

/** What each resource waits for (Ref, Fn::GetAtt, Fn::Sub and DependsOn on other resources); names that exist nowhere are refused. */
function dependenciesOf(resources: Map<string, TemplateResource>, context: DependencyContext): Map<string, Set<string>> {
  const { declared, parameters, conditions, problem } = context;
  const dependencies = new Map<string, Set<string>>();
  const generated = new Map<string, TemplateResource>();
  /** Whether `name` is a resource to wait for; otherwise it must be a parameter or pseudo parameter. */
  const isResource = (name: string) => {
    if (resources.has(name) || generated.has(name)) return true;
    if (!context.sam || !isSamGenerated(name, parameters, declared)) return false;
    generated.set(name, samGeneratedResource(name, resources));
    return true;
  };
  for (const resource of resources.values()) {
    const found = new Set<string>();
    const { logicalId } = resource;
    const names = guard(problem, `resource ${logicalId}`, () => referencedNames(resource.properties, (name) => conditions.holds(name, 0)), logicalId);
    for (const name of names) {
      if (isResource(name)) found.add(name);
      else checkName(name, logicalId, parameters, declared, problem);
    }
    for (const name of resource.dependsOn) {
      if (isResource(name)) found.add(name);
      else if (!declared.has(name)) throw problem(`resource ${logicalId}: DependsOn ${name}, which is not a resource of this template`, logicalId);
    }
    found.delete(logicalId);
    dependencies.set(logicalId, found);
  }
  for (const [logicalId, resource] of generated) {
    resources.set(logicalId, resource);
    dependencies.set(logicalId, new Set());
  }
  return dependencies;
}

/** Conditions, evaluated once each, in any order; a condition that names itself through others is a cycle. */
class ConditionTable {
  private readonly results = new Map<string, boolean>();
  private readonly evaluating: string[] = [];
  private evaluator: Evaluator | undefined;

  constructor(private readonly declarations: ReadonlyMap<string, TemplateValue>) {}

  bind(evaluator: Evaluator): void {
    this.evaluator = evaluator;
  }

  holds(name: string, depth: number): boolean {
    const known = this.results.get(name);
    if (known !== undefined) return known;
    const declaration = this.declarations.get(name);
    if (declaration === undefined) throw new TemplateProblem(`no condition ${name} in the Conditions section`);
    if (this.evaluating.includes(name)) throw new TemplateProblem(`circular conditions: ${[...this.evaluating.slice(this.evaluating.indexOf(name)), name].join(" → ")}`);
    this.evaluating.push(name);
    try {
      const result = this.evaluator!.condition(declaration, depth + 1);
      this.results.set(name, result);
      return result;
    } catch (error) {
      // The innermost condition says what is wrong; the ones around it only pass it on.
      if (error instanceof TemplateProblem && !error.message.startsWith("condition ") && !error.message.startsWith("circular conditions")) throw new TemplateProblem(`condition ${name}: ${error.message}`);
      throw error;
    } finally {
      this.evaluating.pop();
    }
  }
}

const conditionsReferToNoResource: ResourceLookup = {
  ref: (logicalId) => {
    throw new TemplateProblem(`Ref ${logicalId}: conditions may refer to parameters, pseudo parameters and mappings only, not resources`);
  },
  getAtt: (logicalId) => {
    throw new TemplateProblem(`Fn::GetAtt ${logicalId}: conditions may refer to parameters, pseudo parameters and mappings only, not resources`);
  },
};

/** Runs `work`, turning a TemplateProblem into an IacError that says where (stack, file, resource). */
function guard<T>(problem: Problem, where: string, work: () => T, logicalId?: string): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof TemplateProblem) throw problem(`${where}: ${error.message}`, logicalId);
    throw error;
  }
}

function readResource(logicalId: string, entry: TemplateValue, problem: Problem): TemplateResource {
  if (logicalId.startsWith("Fn::ForEach")) throw problem(`${logicalId.slice(0, 80)}: Fn::ForEach (the AWS::LanguageExtensions transform) is not evaluated by edgelite up; write the resources out, or synthesize them with the CDK`);
  // "The logical ID must be alphanumeric (A-Za-z0-9) and unique within the template." (Resources section)
  if (!/^[A-Za-z0-9]{1,255}$/.test(logicalId)) throw problem(`resource ${JSON.stringify(logicalId.slice(0, 80))}: a logical id is 1 to 255 letters and digits`);
  if (!isTemplateObject(entry)) throw problem(`resource ${logicalId} must be an object with a Type, not ${kindOf(entry)}`, logicalId);
  const type = getOwn(entry, "Type");
  if (typeof type !== "string" || type === "") throw problem(`resource ${logicalId} has no Type`, logicalId);
  const properties = getOwn(entry, "Properties");
  if (properties !== undefined && properties !== null && !isTemplateObject(properties)) throw problem(`resource ${logicalId}: Properties must be an object, not ${kindOf(properties)}`, logicalId);
  const dependsOnValue = getOwn(entry, "DependsOn");
  const dependsOn = dependsOnValue === undefined ? [] : typeof dependsOnValue === "string" ? [dependsOnValue] : dependsOnValue;
  if (!Array.isArray(dependsOn) || dependsOn.some((item) => typeof item !== "string")) throw problem(`resource ${logicalId}: DependsOn is a logical id or a list of them, not ${preview(dependsOnValue)}`, logicalId);
  const condition = getOwn(entry, "Condition");
  if (condition !== undefined && typeof condition !== "string") throw problem(`resource ${logicalId}: Condition names a condition, not ${kindOf(condition)}`, logicalId);
  const metadata = getOwn(entry, "Metadata");
  return {
    logicalId,
    type,
    properties: isTemplateObject(properties ?? null) ? (properties as TemplateObject) : emptyRecord<TemplateValue>(),
    dependsOn: dependsOn as string[],
    ...(condition !== undefined ? { condition } : {}),
    ...(isTemplateObject(metadata ?? null) ? { metadata: metadata as TemplateObject } : {}),
  };
}

function checkName(name: string, logicalId: string, parameters: ReadonlyMap<string, ParameterSlot>, declared: ReadonlyMap<string, string>, problem: Problem): void {
  const where = `resource ${logicalId}`;
  if (parameters.has(name) || (PSEUDO_PARAMETERS as readonly string[]).includes(name)) return;
  // A resource whose Condition does not hold: an error only if the reference is evaluated (Fn::If branches were followed already).
  if (declared.has(name)) throw problem(`${where} refers to ${name}, whose Condition does not hold, so it does not exist`, logicalId);
  throw problem(`${where} refers to ${name}, which is no parameter, pseudo parameter or resource of this template`, logicalId);
}

/** The AWS SAM transform, which `up` does not run: its resources are not emulated, those it would generate are stood in for. */
const SAM_TRANSFORM = "AWS::Serverless-2016-10-31";

function usesSamTransform(template: TemplateObject): boolean {
  const transform = getOwn(template, "Transform");
  return transform === SAM_TRANSFORM || (Array.isArray(transform) && transform.includes(SAM_TRANSFORM));
}

/** A name a SAM template may refer to without declaring it: a resource the transform generates (ServerlessRestApi, MyFunctionRole). */
function isSamGenerated(name: string, parameters: ReadonlyMap<string, ParameterSlot>, declared: ReadonlyMap<string, string>): boolean {
  return /^[A-Za-z0-9]{1,255}$/.test(name) && !parameters.has(name) && !declared.has(name);
}

/**
 * The generated resource a SAM template refers to
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources.html),
 * typed after its documented LogicalId where the name says it, `AWS::Serverless::Generated` otherwise.
 */
function samGeneratedResource(logicalId: string, resources: ReadonlyMap<string, TemplateResource>): TemplateResource {
  const owner = (suffix: string) => logicalId.endsWith(suffix) && resources.get(logicalId.slice(0, -suffix.length))?.type.startsWith("AWS::Serverless::");
  const type =
    logicalId === "ServerlessRestApi" ? "AWS::ApiGateway::RestApi"
    : logicalId === "ServerlessHttpApi" ? "AWS::ApiGatewayV2::Api"
    : owner("Role") ? "AWS::IAM::Role"
    : owner("Stage") ? "AWS::ApiGateway::Stage"
    : "AWS::Serverless::Generated";
  return { logicalId, type, properties: emptyRecord<TemplateValue>(), dependsOn: [] };
}

/** The pseudo parameters (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html). */
export function pseudoParameters(stackName: string, region: string, accountId: string): Map<string, TemplateValue> {
  const partition = partitionOf(region);
  return new Map<string, TemplateValue>([
    ["AWS::AccountId", accountId],
    ["AWS::NotificationARNs", []],
    ["AWS::Partition", partition],
    ["AWS::Region", region],
    ["AWS::StackId", `arn:${partition}:cloudformation:${region}:${accountId}:stack/${stackName}/${stableUuid(`${partition}/${region}/${accountId}/${stackName}`)}`],
    ["AWS::StackName", stackName],
    ["AWS::URLSuffix", partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"],
  ]);
}

/** "aws-cn" for the China Regions (cn-*), "aws-us-gov" for GovCloud (us-gov-*), "aws" elsewhere. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** A UUID-shaped id that is the same on every run for the same stack (AWS makes a random one per stack creation). */
function stableUuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
