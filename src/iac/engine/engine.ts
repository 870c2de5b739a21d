import { IacError, type Applied, type ApplyContext, type ResourceHandler, type StackSource, type TemplateObject, type TemplateValue } from "../types.js";
import { messageOf, resourceError } from "./errors.js";
import type { ApplySummary, ResourceAction, UpReporter } from "./report.js";
import type { AttributeSource, PlanStack, StackPlan } from "./stack.js";

export const DISTRIBUTION_TYPE = "AWS::CloudFront::Distribution";

/** Types with a word of their own in the "not emulated" line. */
const NOT_EMULATED_NOTES: ReadonlyMap<string, string> = new Map([
  ["AWS::CloudFormation::Stack", "nested stacks are not followed: run edgelite up on its template too"],
]);

export interface EngineOptions {
  /** The emulated types (CloudFront's, S3 buckets, bucket deployments). */
  readonly handlers: ReadonlyMap<string, ResourceHandler>;
  /** The placeholder for any other type, so Ref and Fn::GetAtt still resolve. */
  notEmulated(stackName: string, logicalId: string, type: string, properties: TemplateObject): Applied;
  /** What handlers are given, less the stack's name. */
  readonly context: Omit<ApplyContext, "stackName">;
  readonly planStack: PlanStack;
  /** `--import Name=Value`: they win over the exports of the stacks applied before. */
  readonly imports: ReadonlyMap<string, string>;
  readonly report: UpReporter;
}

/** What a stack holds on the server, as the engine last left it. */
interface StackState {
  readonly applied: Map<string, Applied>;
  /** Logical ids in the order they were applied: deletes go the other way. */
  order: string[];
  /** Resources replaced (or removed) whose delete is still due. */
  readonly obsolete: Applied[];
}

/**
 * Applies stacks to the server through the handlers, and again on every change: each resource whose resolved
 * properties differ from what it was applied from is created or updated, in dependency order; resources
 * removed from the template, and the old ones of replacements, are deleted last, dependants first. Applies
 * run one at a time; a failed one leaves what it did applied, and the next starts from there.
 */
export class UpEngine {
  private readonly stacks = new Map<string, StackState>();
  private readonly toldNotEmulated = new Set<string>();
  private readonly toldOutputs = new Map<string, string>();
  private readonly toldDistributions = new Map<string, boolean>();
  private queue: Promise<unknown> = Promise.resolve();
  private running = 0;

  constructor(private readonly options: EngineOptions) {}

  /** Whether an apply is under way (its own API calls are then not worth a log line each). */
  get applying(): boolean {
    return this.running > 0;
  }

  /** Brings the server to these stacks (in this order: a stack's exports are the imports of the ones after it). */
  apply(sources: readonly StackSource[]): Promise<ApplySummary> {
    const run = this.queue.then(async () => {
      this.running++;
      try {
        return await this.applyAll(sources);
      } finally {
        this.running--;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The applied state of a stack's resource (tests, and the CLI's summary). */
  applied(stackName: string, logicalId: string): Applied | undefined {
    return this.stacks.get(stackName)?.applied.get(logicalId);
  }

  private async applyAll(sources: readonly StackSource[]): Promise<ApplySummary> {
    const summary: ApplySummary = { created: 0, updated: 0, replaced: 0, deleted: 0, unchanged: 0 };
    const exports = new Map<string, string>();
    for (const source of sources) {
      const imports = new Map([...exports, ...this.options.imports]);
      const plan = this.options.planStack(source, imports);
      let state = this.stacks.get(plan.stackName);
      if (state === undefined) {
        state = { applied: new Map(), order: [], obsolete: [] };
        this.stacks.set(plan.stackName, state);
      }
      await this.applyStack(plan, state, summary);
      for (const output of plan.outputs(this.attributesOf(state))) {
        if (output.exportName !== undefined && typeof output.value === "string") exports.set(output.exportName, output.value);
      }
    }
    // A stack no longer in the assembly (or template) goes, with all it made.
    const kept = new Set(sources.map((source) => source.stackName));
    for (const [stackName, state] of this.stacks) {
      if (kept.has(stackName)) continue;
      state.obsolete.push(...[...state.applied.values()].reverse());
      state.applied.clear();
      await this.deleteObsolete(stackName, state, summary);
      this.stacks.delete(stackName);
    }
    return summary;
  }

  private attributesOf(state: StackState): AttributeSource {
    return {
      ref: (logicalId) => state.applied.get(logicalId)?.ref,
      getAtt: (logicalId, attribute) => state.applied.get(logicalId)?.attributes.get(attribute),
    };
  }

  private async applyStack(plan: StackPlan, state: StackState, summary: ApplySummary): Promise<void> {
    const { stackName } = plan;
    const attributes = this.attributesOf(state);
    const context: ApplyContext = { ...this.options.context, stackName };
    for (const logicalId of plan.order) {
      const resource = plan.resources.get(logicalId);
      if (resource === undefined) continue;
      const { type } = resource;
      const previous = state.applied.get(logicalId);
      const handler = this.options.handlers.get(type);
      if (handler === undefined) {
        this.applyNotEmulated(plan, state, logicalId, type, attributes);
        if (previous !== undefined && this.options.handlers.has(previous.type)) state.obsolete.push(previous);
        continue;
      }
      let properties: TemplateObject;
      try {
        properties = plan.resolve(logicalId, attributes);
      } catch (error) {
        throw resourceError(error, stackName, logicalId, type, "resolve");
      }
      const sameType = previous !== undefined && previous.type === type;
      if (sameType && sameValue(previous.properties, properties)) {
        summary.unchanged++;
        continue;
      }
      let applied: Applied;
      try {
        applied = await handler.apply(context, logicalId, properties, sameType ? previous : undefined);
      } catch (error) {
        throw resourceError(error, stackName, logicalId, type, sameType ? "update" : "create");
      }
      state.applied.set(logicalId, applied);
      if (!state.order.includes(logicalId)) state.order.push(logicalId);
      let action: ResourceAction = "created";
      if (previous !== undefined && this.options.handlers.has(previous.type)) {
        action = sameType && previous.physicalId === applied.physicalId ? "updated" : "replaced";
        if (action === "replaced") state.obsolete.push(previous);
      }
      summary[action]++;
      this.options.report.resource({ stackName, logicalId, type, action, physicalId: applied.physicalId, ...(applied.summary ? { summary: applied.summary } : {}) });
    }
    const present = new Set(plan.order.filter((logicalId) => plan.resources.has(logicalId)));
    // Applied state is kept in the order things were applied: removed ones go the other way.
    for (const [logicalId, gone] of [...state.applied].reverse()) {
      if (present.has(logicalId)) continue;
      state.applied.delete(logicalId);
      state.obsolete.push(gone);
    }
    await this.deleteObsolete(stackName, state, summary);
    state.order = [...present];
    this.tellOutputs(plan, attributes);
    this.tellDistributions(stackName, state);
  }

  private applyNotEmulated(plan: StackPlan, state: StackState, logicalId: string, type: string, attributes: AttributeSource): void {
    let properties: TemplateObject;
    try {
      properties = plan.resolve(logicalId, attributes);
    } catch {
      // Only its placeholder names come from its properties: one that cannot be resolved (it names a
      // parameter or an import of its own) is not the user's problem here.
      properties = Object.create(null) as TemplateObject;
    }
    state.applied.set(logicalId, this.options.notEmulated(plan.stackName, logicalId, type, properties));
    const key = `${plan.stackName}\u0000${logicalId}\u0000${type}`;
    if (this.toldNotEmulated.has(key)) return;
    this.toldNotEmulated.add(key);
    const note = NOT_EMULATED_NOTES.get(type);
    this.options.report.notEmulated({ stackName: plan.stackName, logicalId, type, ...(note ? { note } : {}) });
  }

  /** Deletes what is due, the last applied first (a distribution before the function it used). */
  private async deleteObsolete(stackName: string, state: StackState, summary: ApplySummary): Promise<void> {
    const position = (applied: Applied) => state.order.indexOf(applied.logicalId);
    const due = state.obsolete.splice(0).sort((a, b) => position(b) - position(a));
    const context: ApplyContext = { ...this.options.context, stackName };
    for (const applied of due) {
      const handler = this.options.handlers.get(applied.type);
      if (handler === undefined) continue;
      try {
        await handler.delete(context, applied);
      } catch (error) {
        const failure = resourceError(error, stackName, applied.logicalId, applied.type, "delete");
        if (!(failure instanceof IacError)) throw failure;
        this.options.report.warning(`${failure.message} (${applied.physicalId} stays on the server)`);
        continue;
      }
      summary.deleted++;
      this.toldDistributions.delete(applied.physicalId);
      this.options.report.resource({ stackName, logicalId: applied.logicalId, type: applied.type, action: "deleted", physicalId: applied.physicalId });
    }
  }

  private tellOutputs(plan: StackPlan, attributes: AttributeSource): void {
    for (const output of plan.outputs(attributes)) {
      const value = output.value === undefined ? undefined : textOf(output.value);
      const key = `${plan.stackName}\u0000${output.name}`;
      const told = output.error !== undefined ? `error:${output.error}` : `value:${value ?? ""}`;
      if (this.toldOutputs.get(key) === told) continue;
      this.toldOutputs.set(key, told);
      this.options.report.output({
        stackName: plan.stackName,
        name: output.name,
        ...(value !== undefined ? { value } : {}),
        ...(output.error !== undefined ? { error: output.error } : {}),
        ...(output.exportName !== undefined ? { exportName: output.exportName } : {}),
      });
    }
  }

  /** Each distribution's URLs, the first time it is seen and whenever it is enabled or disabled. */
  private tellDistributions(stackName: string, state: StackState): void {
    for (const applied of state.applied.values()) {
      if (applied.type !== DISTRIBUTION_TYPE) continue;
      const domainName = applied.attributes.get("DomainName");
      if (typeof domainName !== "string") continue;
      const config = applied.properties.DistributionConfig;
      const enabled = !(isObject(config) && config.Enabled === false);
      if (this.toldDistributions.get(applied.physicalId) === enabled) continue;
      this.toldDistributions.set(applied.physicalId, enabled);
      this.options.report.distribution({ stackName, logicalId: applied.logicalId, id: applied.physicalId, domainName, enabled });
    }
  }
}

function isObject(value: TemplateValue | undefined): value is TemplateObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An output's value as a line shows it: strings as they are, anything else as JSON. */
function textOf(value: TemplateValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Whether two resolved property trees are the same (key order aside: a template edit may reorder keys). */
export function sameValue(a: TemplateValue | undefined, b: TemplateValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && sameValue(a[key], b[key]));
}
