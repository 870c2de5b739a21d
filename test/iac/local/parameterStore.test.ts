import { describe, expect, it } from "vitest";
import { CROSS_REGION_READER_TYPE, LocalParameterStore, SSM_PARAMETER_TYPE } from "../../../src/iac/local/parameterStore.js";
import { IacError, type ApplyContext, type TemplateObject } from "../../../src/iac/types.js";

const props = (values: Record<string, unknown>) => Object.assign(Object.create(null) as TemplateObject, values);
/** The handlers use nothing of the context but the stack's name. */
const context = { stackName: "Stack" } as ApplyContext;

describe("the local Parameter Store (AWS::SSM::Parameter and CDK's cross-region reader)", () => {
  it("hands a parameter's value to the reader, by name, and forgets it once deleted", async () => {
    const store = new LocalParameterStore();
    const parameter = store.handlers.get(SSM_PARAMETER_TYPE)!;
    const reader = store.handlers.get(CROSS_REGION_READER_TYPE)!;
    const written = await parameter.apply(context, "P", props({ Name: "/cdk/x", Type: "String", Value: "arn:aws:lambda:us-east-1:123456789012:function:f:1" }), undefined);
    expect(written.ref).toBe("/cdk/x");
    expect(written.attributes.get("Value")).toBe("arn:aws:lambda:us-east-1:123456789012:function:f:1");
    const read = await reader.apply(context, "R", props({ Region: "us-east-1", ParameterName: "/cdk/x" }), undefined);
    expect(read.attributes.get("FunctionArn")).toBe("arn:aws:lambda:us-east-1:123456789012:function:f:1");
    await parameter.delete(context, written);
    await expect(reader.apply(context, "R", props({ ParameterName: "/cdk/x" }), undefined)).rejects.toThrow(/no stack brought up in this run writes/);
  });

  it("refuses values that are not strings, names that are not strings, and values over Parameter Store's 8 KB", async () => {
    const parameter = new LocalParameterStore().handlers.get(SSM_PARAMETER_TYPE)!;
    for (const bad of [props({ Value: 1 }), props({ Value: "v", Name: ["x"] }), props({ Value: "x".repeat(8 * 1024 + 1) }), props({ Value: { "Fn::Sub": "x" } })]) {
      await expect(parameter.apply(context, "P", bad, undefined)).rejects.toBeInstanceOf(IacError);
    }
    // __proto__ as a name is a name like any other.
    const odd = await parameter.apply(context, "P", props({ Name: "__proto__", Value: "v" }), undefined);
    expect(odd.ref).toBe("__proto__");
    expect(({} as Record<string, unknown>).v).toBeUndefined();
  });
});
