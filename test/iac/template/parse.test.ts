import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { IacError } from "../../../src/iac/types.js";
import { MAX_NESTING_DEPTH, MAX_YAML_NODES } from "../../../src/iac/template/limits.js";
import { YAML_SHORT_FORMS } from "../../../src/iac/template/names.js";
import { parseTemplateText } from "../../../src/iac/template/parse.js";
import { PROTOTYPE_NAMES, prototypeGuard } from "../../prototypeGuard.js";

/** The value as plain JSON, so that prototype-less objects compare with literals. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
const parse = (text: string) => parseTemplateText(text, "t.yaml");

describe("parseTemplateText: YAML with CloudFormation's short forms", () => {
  it("reads every short form into its long form", () => {
    const template = parse(`
Resources:
  R:
    Type: X
    Properties:
      Ref: !Ref Param
      AttDot: !GetAtt Fn.FunctionMetadata.FunctionARN
      AttList: !GetAtt [Fn, FunctionARN]
      Sub: !Sub "\${AWS::Region}-x"
      SubList: !Sub ["\${A}", { A: !Ref B }]
      Join: !Join [",", [a, !Ref B]]
      Select: !Select [0, !Split [",", "a,b"]]
      If: !If [IsProd, yes, !Ref AWS::NoValue]
      Map: !FindInMap [M, !Ref AWS::Region, Key]
      B64: !Base64 text
      Azs: !GetAZs ""
      Import: !ImportValue Shared
      Cidr: !Cidr [10.0.0.0/16, 2, 8]
      Length: !Length [1, 2]
      Json: !ToJsonString { a: 1 }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Both: !And [!Condition IsProd, !Not [!Or [!Condition IsProd, !Equals [a, b]]]]
`);
    expect(plain(template)).toEqual({
      Resources: {
        R: {
          Type: "X",
          Properties: {
            Ref: { Ref: "Param" },
            AttDot: { "Fn::GetAtt": ["Fn", "FunctionMetadata.FunctionARN"] },
            AttList: { "Fn::GetAtt": ["Fn", "FunctionARN"] },
            Sub: { "Fn::Sub": "${AWS::Region}-x" },
            SubList: { "Fn::Sub": ["${A}", { A: { Ref: "B" } }] },
            Join: { "Fn::Join": [",", ["a", { Ref: "B" }]] },
            Select: { "Fn::Select": [0, { "Fn::Split": [",", "a,b"] }] },
            If: { "Fn::If": ["IsProd", "yes", { Ref: "AWS::NoValue" }] },
            Map: { "Fn::FindInMap": ["M", { Ref: "AWS::Region" }, "Key"] },
            B64: { "Fn::Base64": "text" },
            Azs: { "Fn::GetAZs": "" },
            Import: { "Fn::ImportValue": "Shared" },
            Cidr: { "Fn::Cidr": ["10.0.0.0/16", 2, 8] },
            Length: { "Fn::Length": [1, 2] },
            Json: { "Fn::ToJsonString": { a: 1 } },
          },
        },
      },
      Conditions: {
        IsProd: { "Fn::Equals": [{ Ref: "Env" }, "prod"] },
        Both: { "Fn::And": [{ Condition: "IsProd" }, { "Fn::Not": [{ "Fn::Or": [{ Condition: "IsProd" }, { "Fn::Equals": ["a", "b"] }] }] }] },
      },
    });
  });

  it("knows the short form of every function it evaluates", () => {
    for (const name of ["Ref", "Sub", "GetAtt", "Join", "Select", "Split", "If", "Equals", "And", "Or", "Not", "Condition", "FindInMap", "Base64", "GetAZs", "ImportValue", "Cidr"]) {
      expect(YAML_SHORT_FORMS.has(name), name).toBe(true);
    }
  });

  it("keeps YAML 1.2 core scalars: a date stays a string, numbers and booleans are typed", () => {
    const template = parse("AWSTemplateFormatVersion: 2010-09-09\nResources: {}\nN: 5\nB: true\nS: '5'\n");
    expect(plain(template)).toEqual({ AWSTemplateFormatVersion: "2010-09-09", Resources: {}, N: 5, B: true, S: "5" });
  });

  it("expands aliases, and refuses a document whose aliases expand without bound", () => {
    expect(plain(parse("a: &x [1, 2]\nb: *x\n"))).toEqual({ a: [1, 2], b: [1, 2] });
    const levels = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 12; level++) levels.push(`l${level}: &l${level} [${Array(10).fill(`*l${level - 1}`).join(", ")}]`);
    expect(() => parse(levels.join("\n"))).toThrow(new RegExp(`more than ${MAX_YAML_NODES} values`));
  });

  it("refuses an unknown tag, invalid YAML, duplicate keys and a document that is not an object", () => {
    expect(() => parse("a: !Foo x\n")).toThrow(/Unresolved tag: !Foo[^]*short forms are !Ref/);
    expect(() => parse("a: [1, 2\n")).toThrow(IacError);
    expect(() => parse("a: 1\na: 2\n")).toThrow(/not valid YAML/);
    expect(() => parse("- a\n- b\n")).toThrow(/this file holds a list/);
    expect(() => parse("!GetAtt NoDot\n")).toThrow(/LogicalId.Attribute/);
  });

  it("refuses deep nesting in YAML and JSON, flow or block", () => {
    const deepFlow = `a: ${"[".repeat(MAX_NESTING_DEPTH + 5)}${"]".repeat(MAX_NESTING_DEPTH + 5)}`;
    expect(() => parse(deepFlow)).toThrow(/nested more than/);
    const hugeFlow = `a: ${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    expect(() => parse(hugeFlow)).toThrow(IacError);
    const deepJson = `{"a": ${"[".repeat(MAX_NESTING_DEPTH + 5)}${"]".repeat(MAX_NESTING_DEPTH + 5)}}`;
    expect(() => parseTemplateText(deepJson, "t.json")).toThrow(/nested more than/);
    const hugeJson = `{"a": ${"[".repeat(500_000)}${"]".repeat(500_000)}}`;
    expect(() => parseTemplateText(hugeJson, "t.json")).toThrow(IacError);
  });
});

describe("parseTemplateText: JSON", () => {
  it("reads JSON into the same values as YAML", () => {
    const text = '{"Resources": {"R": {"Type": "X", "Properties": {"A": {"Fn::GetAtt": ["B", "C"]}, "N": 1.5}}}}';
    expect(plain(parseTemplateText(text, "t.json"))).toEqual({ Resources: { R: { Type: "X", Properties: { A: { "Fn::GetAtt": ["B", "C"] }, N: 1.5 } } } });
    expect(() => parseTemplateText('{"Resources": ', "t.json")).toThrow(/t.json is not valid JSON/);
  });

  it("keeps the author's keys as plain keys, in JSON and YAML, without touching Object.prototype", () => {
    const guard = prototypeGuard();
    for (const name of PROTOTYPE_NAMES) {
      const json = parseTemplateText(`{"Mappings": {"${name}": {"${name}": {"x": 1}}}}`, "t.json");
      const yaml = parse(`Mappings:\n  ${name}:\n    ${name}: { x: 1 }\n`);
      for (const template of [json, yaml]) {
        expect(Object.getPrototypeOf(template)).toBe(null);
        const mappings = template.Mappings as Record<string, Record<string, unknown>>;
        expect(Object.keys(mappings)).toEqual([name]);
        expect(Object.getPrototypeOf(mappings[name])).toBe(null);
        expect(plain(mappings[name]![name])).toEqual({ x: 1 });
      }
    }
    guard.check();
  });
});

describe("parseTemplateText: any document", () => {
  it("reads any JSON object, written as JSON or as YAML, to the same values", () => {
    // Keys starting with "!" or holding anchors are quoted by the YAML writer; the values are data, not functions.
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })), (document) => {
        const expected = plain(document);
        expect(plain(parseTemplateText(JSON.stringify(document), "t.json"))).toEqual(expected);
        expect(plain(parseTemplateText(stringify(document), "t.yaml"))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it("reads YAML in flow style that starts with { when the file is not .json", () => {
    expect(plain(parse("{Resources: {R: {Type: X, Properties: {A: !Ref B}}}}"))).toEqual({ Resources: { R: { Type: "X", Properties: { A: { Ref: "B" } } } } });
    expect(() => parseTemplateText("{Resources: {}}", "t.json")).toThrow(/t.json is not valid JSON/);
  });
});
