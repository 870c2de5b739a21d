import { describe, expect, it } from "vitest";
import { parseTemplateText } from "../../../src/iac/template/parse.js";
import { StackModel, type AttributeSource, type StackModelOptions } from "../../../src/iac/template/stackModel.js";
import { IacError, type TemplateValue } from "../../../src/iac/types.js";
import { MAX_EVALUATION_DEPTH } from "../../../src/iac/template/limits.js";
import { PROTOTYPE_NAMES, prototypeGuard } from "../../prototypeGuard.js";

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

function model(yaml: string, options: Partial<StackModelOptions> = {}): StackModel {
  const source = { stackName: "shop", templateFile: "shop.yaml", template: parseTemplateText(yaml, "shop.yaml") };
  return StackModel.build(source, { region: "eu-west-1", accountId: "111122223333", parameters: new Map(), imports: new Map(), ...options });
}

/** Applied resources answer Ref with `ref:<id>` and GetAtt with `<id>.<attribute>` (none for `Missing`). */
const applied: AttributeSource = {
  ref: (logicalId) => `ref:${logicalId}`,
  getAtt: (logicalId, attribute) => (attribute === "Missing" ? undefined : `${logicalId}.${attribute}`),
};

/** The properties of resource R of a template whose R has `properties` (YAML, indented under Properties). */
function properties(yaml: string, extra = "", options: Partial<StackModelOptions> = {}): unknown {
  const template = `${extra}\nResources:\n  Other:\n    Type: AWS::S3::Bucket\n  R:\n    Type: Test::Thing\n    Properties:\n${yaml.replace(/^/gm, "      ")}\n`;
  return plain(model(template, options).resolve("R", applied));
}

describe("StackModel: intrinsic functions", () => {
  it("Ref: resources, parameters, pseudo parameters", () => {
    const result = properties(
      "A: !Ref Other\nB: !Ref Name\nC: !Ref AWS::Region\nD: !Ref AWS::AccountId\nE: !Ref AWS::StackName\nF: !Ref AWS::Partition\nG: !Ref AWS::URLSuffix\nH: !Ref AWS::NotificationARNs",
      "Parameters:\n  Name:\n    Type: String\n    Default: web",
    );
    expect(result).toEqual({ A: "ref:Other", B: "web", C: "eu-west-1", D: "111122223333", E: "shop", F: "aws", G: "amazonaws.com", H: [] });
  });

  it("AWS::StackId: an ARN with a UUID-shaped id that is the same on every run", () => {
    const first = properties("Id: !Ref AWS::StackId") as { Id: string };
    expect(first.Id).toMatch(/^arn:aws:cloudformation:eu-west-1:111122223333:stack\/shop\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(properties("Id: !Ref AWS::StackId")).toEqual(first);
  });

  it("partition and URL suffix follow the region: aws-cn for cn-*, aws-us-gov for us-gov-*", () => {
    const at = (region: string) => properties("P: !Ref AWS::Partition\nU: !Ref AWS::URLSuffix\nS: !Ref AWS::StackId", "", { region }) as { P: string; U: string; S: string };
    expect(at("cn-north-1")).toMatchObject({ P: "aws-cn", U: "amazonaws.com.cn" });
    expect(at("cn-north-1").S).toMatch(/^arn:aws-cn:cloudformation:cn-north-1:/);
    expect(at("us-gov-west-1")).toMatchObject({ P: "aws-us-gov", U: "amazonaws.com" });
    expect(at("us-east-1")).toMatchObject({ P: "aws", U: "amazonaws.com" });
  });

  it("Fn::GetAtt in both forms, with dotted attribute names and an attribute from Ref", () => {
    const result = properties("A: !GetAtt Other.Arn\nB: !GetAtt [Other, DomainName]\nC: !GetAtt Other.FunctionMetadata.FunctionARN\nD: { 'Fn::GetAtt': [Other, !Ref Attr] }", "Parameters:\n  Attr:\n    Type: String\n    Default: RegionalDomainName");
    expect(result).toEqual({ A: "Other.Arn", B: "Other.DomainName", C: "Other.FunctionMetadata.FunctionARN", D: "Other.RegionalDomainName" });
  });

  it("Fn::Sub: parameters, pseudo parameters, resources, attributes, a variable map, and ${!Literal}", () => {
    const result = properties(
      [
        "A: !Sub '${AWS::StackName}-${Name}-${Other}-${Other.Arn}'",
        "B: !Sub ['${Host}/${Path}', { Host: !GetAtt Other.DomainName, Path: !Join ['/', [a, b]] }]",
        "C: !Sub 'literal ${!Name} and ${!AWS::Region}'",
        "D: !Sub 'no variables'",
        "E: !Sub ['${Name}', { Name: shadowed }]",
      ].join("\n"),
      "Parameters:\n  Name:\n    Type: String\n    Default: web",
    );
    expect(result).toEqual({ A: "shop-web-ref:Other-Other.Arn", B: "Other.DomainName/a/b", C: "literal ${Name} and ${AWS::Region}", D: "no variables", E: "shadowed" });
  });

  it("Fn::Join, Fn::Select, Fn::Split, Fn::Base64, Fn::GetAZs, Fn::Length, Fn::ToJsonString", () => {
    const result = properties(
      [
        "Join: !Join ['', [a, 1, true, !Ref AWS::Region]]",
        "JoinList: !Join [',', !Ref Names]",
        "Select: !Select [1, !Split [',', 'x,y,z']]",
        "SelectRef: !Select [!Ref Index, [p, q]]",
        "Base64: !Base64 héllo",
        "Azs: !GetAZs ''",
        "AzsNamed: !Select [0, !GetAZs us-west-2]",
        "Length: !Length [1, 2, 3]",
        "Json: !ToJsonString { a: [1, !Ref AWS::Region] }",
      ].join("\n"),
      "Parameters:\n  Names:\n    Type: CommaDelimitedList\n    Default: 'a, b ,c'\n  Index:\n    Type: Number\n    Default: 1",
    );
    expect(result).toEqual({
      Join: "a1trueeu-west-1",
      JoinList: "a,b,c",
      Select: "y",
      SelectRef: "q",
      Base64: Buffer.from("héllo").toString("base64"),
      Azs: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
      AzsNamed: "us-west-2a",
      Length: 3,
      Json: '{"a":[1,"eu-west-1"]}',
    });
  });

  it("Fn::If with conditions; AWS::NoValue removes the property or the list item", () => {
    const extra = [
      "Parameters:\n  Env:\n    Type: String\n    Default: prod\n    AllowedValues: [prod, dev]",
      "Conditions:",
      "  IsProd: !Equals [!Ref Env, prod]",
      "  IsDev: !Not [!Condition IsProd]",
      "  Either: !Or [!Condition IsDev, !Equals [a, a]]",
      "  Both: !And [!Condition IsProd, !Condition IsDev]",
      "  NumberEquals: !Equals [!Ref Count, 3]",
      "  Count3: !Equals ['3', !Ref Count]",
      "Mappings:\n  X: { Y: { Z: v } }",
    ].join("\n");
    const countParameter = "\n  Count:\n    Type: Number\n    Default: 3";
    const result = properties(
      [
        "A: !If [IsProd, big, small]",
        "B: !If [IsDev, present, !Ref AWS::NoValue]",
        "C: [one, !If [IsDev, two, !Ref AWS::NoValue], three]",
        "D: !If [Either, yes, no]",
        "E: !If [Both, yes, no]",
        "F: !If [NumberEquals, equal, different]",
        "G: !If [Count3, equal, different]",
        "H: { Nested: !If [IsProd, !FindInMap [X, Y, Z], other] }",
      ].join("\n"),
      extra.replace("AllowedValues: [prod, dev]", `AllowedValues: [prod, dev]${countParameter}`),
    );
    expect(result).toEqual({ A: "big", C: ["one", "three"], D: "yes", E: "no", F: "equal", G: "equal", H: { Nested: "v" } });
  });

  it("a resource whose Condition does not hold is left out, and referring to it outside an untaken branch is an error", () => {
    const template = (reference: string) => `
Conditions:
  Never: !Equals [a, b]
Resources:
  Maybe:
    Type: AWS::S3::Bucket
    Condition: Never
  User:
    Type: Test::Thing
    Properties:
      P: ${reference}
`;
    const built = model(template("!If [Never, !Ref Maybe, none]"));
    expect([...built.resources.keys()]).toEqual(["User"]);
    expect(plain(built.resolve("User", applied))).toEqual({ P: "none" });
    expect(() => model(template("!Ref Maybe"))).toThrow(/refers to Maybe, whose Condition does not hold/);
  });

  it("Fn::FindInMap with keys from Ref, a DefaultValue, and an error naming what is missing", () => {
    const mappings = "Mappings:\n  Regions:\n    eu-west-1: { Ami: ami-1 }\n    constructor: { Ami: ami-c }";
    expect(properties("A: !FindInMap [Regions, !Ref AWS::Region, Ami]\nB: !FindInMap [Regions, us-east-1, Ami, { DefaultValue: fallback }]\nC: !FindInMap [Regions, constructor, Ami]", mappings)).toEqual({ A: "ami-1", B: "fallback", C: "ami-c" });
    expect(() => properties("A: !FindInMap [Regions, us-east-1, Ami]", mappings)).toThrow(/mapping Regions has no key us-east-1/);
    expect(() => properties("A: !FindInMap [Regions, toString, Ami]", mappings)).toThrow(/mapping Regions has no key toString/);
    expect(() => properties("A: !FindInMap [Nope, a, b]", mappings)).toThrow(/no mapping Nope/);
  });

  it("Fn::ImportValue reads --import, or says which flag to add", () => {
    expect(properties("A: !ImportValue SharedBucket", "", { imports: new Map([["SharedBucket", "bucket-1"]]) })).toEqual({ A: "bucket-1" });
    expect(() => properties("A: !ImportValue SharedBucket")).toThrow(/add --import SharedBucket=<value>/);
  });

  it("Fn::Cidr for IPv4 and IPv6, and its errors", () => {
    expect(properties("A: !Cidr [192.168.0.0/24, 6, 5]\nB: !Cidr ['2001:db8::/56', 2, 64]\nC: !Cidr [10.0.0.0/16, '2', '8']")).toEqual({
      A: ["192.168.0.0/27", "192.168.0.32/27", "192.168.0.64/27", "192.168.0.96/27", "192.168.0.128/27", "192.168.0.160/27"],
      B: ["2001:db8::/64", "2001:db8:0:1::/64"],
      C: ["10.0.0.0/24", "10.0.1.0/24"],
    });
    expect(() => properties("A: !Cidr [10.0.0.0/24, 300, 5]")).toThrow(/count must be between 1 and 256/);
    expect(() => properties("A: !Cidr [10.0.0.0/24, 16, 5]")).toThrow(/holds only 8 blocks/);
    expect(() => properties("A: !Cidr [300.0.0.0/24, 1, 5]")).toThrow(/not an IPv4 or IPv6 address/);
  });

  it("says where a mistake is: stack, file, resource and function", () => {
    const attempt = (yaml: string) => {
      try {
        properties(yaml);
      } catch (error) {
        expect(error).toBeInstanceOf(IacError);
        return (error as Error).message;
      }
      throw new Error("no error");
    };
    expect(attempt("A: !Select [5, [a]]")).toMatch(/^stack shop \(shop.yaml\): resource R \(Test::Thing\): Fn::Select index 5 is not within the list of 1/);
    expect(attempt("A: !Join [',', not-a-list]")).toMatch(/Fn::Join takes a list here, not a string/);
    expect(attempt("A: !Join [',', [{ x: 1 }]]")).toMatch(/an object is not a string/);
    expect(attempt("A: { 'Fn::Transform': { Name: x } }")).toMatch(/Fn::Transform is not a function edgelite evaluates/);
    expect(attempt("A: !GetAtt Other.Missing")).toMatch(/Fn::GetAtt Other.Missing: AWS::S3::Bucket has no attribute Missing/);
    expect(attempt("A: !Sub '${Nowhere}'")).toMatch(/refers to Nowhere, which is no parameter, pseudo parameter or resource/);
    expect(attempt("A: !If [NoSuchCondition, a, b]")).toMatch(/no condition NoSuchCondition/);
    expect(attempt("A: !Split ['', abc]")).toMatch(/delimiter that is not empty/);
    const error = (() => {
      try {
        properties("A: !Select [5, [a]]");
      } catch (caught) {
        return caught as IacError;
      }
    })();
    expect(error?.logicalId).toBe("R");
  });

  it("gives copies: changing resolved properties changes neither the mappings nor the next resolution", () => {
    const built = model("Mappings:\n  M:\n    K:\n      V: { list: [1] }\nResources:\n  R:\n    Type: T\n    Properties:\n      A: !FindInMap [M, K, V]\n      N: !Ref AWS::NotificationARNs\n      S: { nested: [x] }\n");
    const first = built.resolve("R", applied) as { A: { list: number[] }; N: string[]; S: { nested: string[] } };
    first.A.list.push(2);
    first.N.push("arn");
    first.S.nested.push("y");
    expect(plain(built.resolve("R", applied))).toEqual({ A: { list: [1] }, N: [], S: { nested: ["x"] } });
  });

  it("refuses functions nested beyond the bound, and condition chains beyond it, without overflowing the stack", () => {
    let nested: TemplateValue = "x";
    for (let level = 0; level < MAX_EVALUATION_DEPTH + 10; level++) nested = { "Fn::Join": ["", [nested]] };
    const source = { stackName: "deep", templateFile: "deep.json", template: { Resources: { R: { Type: "T", Properties: { P: nested } } } } as never };
    const deep = StackModel.build(source, { region: "us-east-1", accountId: "1", parameters: new Map(), imports: new Map() });
    expect(() => deep.resolve("R", applied)).toThrow(/nested more than 256 deep/);

    const chain = Array.from({ length: 400 }, (_, index) => `  C${index}: ${index === 399 ? "!Equals [a, a]" : `!Not [!Condition C${index + 1}]`}`);
    expect(() => model(`Conditions:\n${chain.join("\n")}\nResources:\n  R:\n    Type: T\n    Condition: C0\n`)).toThrow(IacError);
  });
});

describe("StackModel: parameters", () => {
  const declare = (declaration: string) => `Parameters:\n  P:\n${declaration.replace(/^/gm, "    ")}\nResources:\n  R:\n    Type: T\n    Properties:\n      V: !Ref P\n`;
  const value = (declaration: string, given?: string) => plain(model(declare(declaration), given === undefined ? {} : { parameters: new Map([["P", given]]) }).resolve("R", applied));

  it("Number and List<Number> check numbers and give strings; CommaDelimitedList trims its items", () => {
    expect(value("Type: Number\nDefault: 42")).toEqual({ V: "42" });
    expect(value("Type: Number", "1.5")).toEqual({ V: "1.5" });
    expect(() => value("Type: Number", "ten")).toThrow(/parameter P: "ten" is not a number/);
    expect(value("Type: List<Number>", "80, 443")).toEqual({ V: ["80", "443"] });
    expect(() => value("Type: List<Number>", "80,http")).toThrow(/"http" is not a number/);
    expect(value("Type: CommaDelimitedList", " a , b,c ")).toEqual({ V: ["a", "b", "c"] });
    expect(value("Type: List<AWS::EC2::Subnet::Id>", "subnet-1,subnet-2")).toEqual({ V: ["subnet-1", "subnet-2"] });
    expect(value("Type: AWS::EC2::VPC::Id", "vpc-1")).toEqual({ V: "vpc-1" });
  });

  it("checks AllowedValues, AllowedPattern (the whole value), lengths and bounds; ConstraintDescription words the error", () => {
    expect(() => value("Type: String\nAllowedValues: [a, b]", "c")).toThrow(/"c" is not one of AllowedValues "a", "b"/);
    expect(value("Type: String\nAllowedPattern: '[a-z]+'", "abc")).toEqual({ V: "abc" });
    expect(() => value("Type: String\nAllowedPattern: '[a-z]+'", "abc1")).toThrow(/does not match AllowedPattern/);
    expect(() => value("Type: String\nMinLength: 3", "ab")).toThrow(/shorter than MinLength 3/);
    expect(() => value("Type: String\nMaxLength: 3", "abcd")).toThrow(/longer than MaxLength 3/);
    expect(() => value("Type: Number\nMinValue: 10", "9")).toThrow(/below MinValue 10/);
    expect(() => value("Type: Number\nMaxValue: 10", "11")).toThrow(/above MaxValue 10/);
    expect(() => value("Type: String\nAllowedValues: [a]\nConstraintDescription: must be a", "z")).toThrow(/parameter P: must be a$/);
    expect(() => value("Type: String\nAllowedPattern: '('", "x")).toThrow(/AllowedPattern \( is not a regular expression/);
    expect(() => value("Type: Strin", "x")).toThrow(/unknown Type Strin/);
    const started = Date.now();
    expect(() => value("Type: String\nAllowedPattern: '(a+)+'", `${"a".repeat(40)}!`)).toThrow(/AllowedPattern \(a\+\)\+ took more than 250 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(() => value("Type: String", "x".repeat(4097))).toThrow(/at most 4096 bytes/);
  });

  it("a parameter without a value is an error only when used; SSM parameter types need --parameter and say so", () => {
    expect(() => value("Type: String")).toThrow(/parameter P has no Default: give its value with --parameter P=<value>/);
    expect(() => value("Type: AWS::SSM::Parameter::Value<String>\nDefault: /my/param")).toThrow(/read from SSM Parameter Store .* --parameter P=<value>/);
    expect(value("Type: AWS::SSM::Parameter::Value<String>\nDefault: /my/param", "resolved")).toEqual({ V: "resolved" });
    expect(value("Type: AWS::SSM::Parameter::Value<List<String>>", "a,b")).toEqual({ V: ["a", "b"] });
    // CDK's BootstrapVersion: declared, read only by Rules, never a problem.
    const cdkLike = model("Parameters:\n  BootstrapVersion:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /cdk-bootstrap/hnb659fds/version\nRules:\n  Check:\n    Assertions:\n      - Assert: !Not [!Contains [['1'], !Ref BootstrapVersion]]\nResources:\n  R:\n    Type: T\n");
    expect(plain(cdkLike.resolve("R", applied))).toEqual({});
    expect([...cdkLike.parameterNames]).toEqual(["BootstrapVersion"]);
  });
});

describe("StackModel: dependency order and outputs", () => {
  it("orders resources after what they refer to (Ref, GetAtt, Sub, DependsOn), template order otherwise", () => {
    const built = model(`
Resources:
  Dist:
    Type: AWS::CloudFront::Distribution
    Properties:
      Origin: !GetAtt Bucket.RegionalDomainName
      Fn: !Sub '\${Function.FunctionARN}'
  Function:
    Type: AWS::CloudFront::Function
    Properties:
      Store: !Ref Store
  Unrelated:
    Type: AWS::SNS::Topic
  Bucket:
    Type: AWS::S3::Bucket
    DependsOn: [Unrelated]
  Store:
    Type: AWS::CloudFront::KeyValueStore
`);
    const order = built.order;
    const before = (a: string, b: string) => expect(order.indexOf(a), `${a} before ${b} in ${order.join(",")}`).toBeLessThan(order.indexOf(b));
    before("Bucket", "Dist");
    before("Function", "Dist");
    before("Store", "Function");
    before("Unrelated", "Bucket");
    expect([...order].sort()).toEqual(["Bucket", "Dist", "Function", "Store", "Unrelated"]);
  });

  it("a cycle is an IacError naming the resources on it; DependsOn an unknown resource too", () => {
    const cycle = `
Resources:
  A:
    Type: T
    Properties: { X: !Ref B }
  B:
    Type: T
    Properties: { X: !Sub '\${C.Arn}' }
  C:
    Type: T
    DependsOn: A
`;
    expect(() => model(cycle)).toThrow(/circular dependency between resources: A → B → C → A/);
    expect(() => model("Resources:\n  A:\n    Type: T\n    DependsOn: Ghost\n")).toThrow(/DependsOn Ghost, which is not a resource/);
    expect(() => model("Conditions:\n  X: !Condition Y\n  Y: !Not [!Condition X]\nResources:\n  A:\n    Type: T\n    Condition: X\n")).toThrow(/resource A: circular conditions: X → Y → X/);
    expect(() => model("Conditions:\n  X: !Condition Y\n  Y: !Equals [!Ref A, a]\nResources:\n  A:\n    Type: T\n    Condition: X\n")).toThrow(/resource A: condition Y: Ref A: conditions may refer to parameters, pseudo parameters and mappings only/);
    expect(() => model("Resources:\n  A:\n    Type: T\n    Condition: Ghost\n")).toThrow(/resource A: no condition Ghost in the Conditions section/);
    expect(() => model("Conditions:\n  X: !Equals [a]\nResources:\n  A:\n    Type: T\n    Condition: X\n")).toThrow(/condition X: Fn::Equals takes a list of 2 items/);
  });

  it("outputs: values, export names, descriptions, conditions; one that cannot be evaluated carries its error", () => {
    const built = model(`
Conditions:
  Never: !Equals [a, b]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
Outputs:
  Url:
    Description: the site
    Value: !Sub 'https://\${Bucket.DomainName}/'
    Export:
      Name: !Sub '\${AWS::StackName}-url'
  Broken:
    Value: !GetAtt Bucket.Missing
  Hidden:
    Condition: Never
    Value: x
`);
    expect(built.outputs(applied)).toEqual([
      { name: "Url", description: "the site", value: "https://Bucket.DomainName/", exportName: "shop-url" },
      { name: "Broken", value: undefined, error: expect.stringMatching(/Bucket.Missing/) as unknown },
    ]);
  });

  it("a SAM template may refer to the resources its transform generates; they are resources without properties", () => {
    const sam = (transform: string) => `
Transform: ${transform}
Resources:
  Api:
    Type: AWS::Serverless::Function
  Dist:
    Type: AWS::CloudFront::Distribution
    Properties:
      Origin: !Sub '\${ServerlessRestApi}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}'
      Role: !GetAtt ApiRole.Arn
      Other: !Ref SomethingElse
`;
    const built = model(sam("AWS::Serverless-2016-10-31"));
    expect(built.order).toEqual(["Api", "ServerlessRestApi", "ApiRole", "SomethingElse", "Dist"]);
    expect([...built.resources.values()].map((resource) => [resource.logicalId, resource.type])).toEqual([
      ["Api", "AWS::Serverless::Function"],
      ["Dist", "AWS::CloudFront::Distribution"],
      ["ServerlessRestApi", "AWS::ApiGateway::RestApi"],
      ["ApiRole", "AWS::IAM::Role"],
      ["SomethingElse", "AWS::Serverless::Generated"],
    ]);
    expect(plain(built.resolve("ServerlessRestApi", applied))).toEqual({});
    expect(plain(built.resolve("Dist", applied))).toMatchObject({ Origin: "ref:ServerlessRestApi.execute-api.eu-west-1.amazonaws.com", Role: "ApiRole.Arn" });
    expect(() => model(sam("[AWS::LanguageExtensions]"))).toThrow(/refers to ServerlessRestApi, which is no parameter/);
    const dependsOn = model("Transform: AWS::Serverless-2016-10-31\nResources:\n  Dist:\n    Type: T\n    DependsOn: ServerlessHttpApi\n");
    expect(dependsOn.order).toEqual(["ServerlessHttpApi", "Dist"]);
  });

  it("refuses templates without Resources, with too many, or with logical ids that are not alphanumeric", () => {
    expect(() => model("Parameters: {}\n")).toThrow(/no Resources section/);
    expect(() => model("Resources:\n  bad-id:\n    Type: T\n")).toThrow(/a logical id is 1 to 255 letters and digits/);
    expect(() => model("Resources:\n  A: 5\n")).toThrow(/must be an object with a Type/);
    expect(() => model("Resources:\n  'Fn::ForEach::Topics': [x, [a], {}]\n")).toThrow(/Fn::ForEach .* is not evaluated by edgelite up/);
    const many = Array.from({ length: 501 }, (_, index) => `  R${index}:\n    Type: T`).join("\n");
    expect(() => model(`Resources:\n${many}\n`)).toThrow(/501 resources; a template holds at most 500/);
  });

  it("takes hostile names as plain keys: logical ids, parameters, conditions and mapping keys", () => {
    const guard = prototypeGuard();
    const names = PROTOTYPE_NAMES.filter((candidate) => /^[A-Za-z0-9]+$/.test(candidate));
    for (const [index, name] of names.entries()) {
      const parameter = names[(index + 1) % names.length]!;
      const built = model(`
Parameters:
  ${parameter}:
    Type: String
    Default: p-${parameter}
Conditions:
  ${name}: !Equals [!Ref ${parameter}, p-${parameter}]
Mappings:
  ${name}:
    ${name}: { ${name}: m-${name} }
Resources:
  ${name}:
    Type: T
    Properties:
      A: !If [${name}, !Ref ${parameter}, no]
      B: !FindInMap [${name}, ${name}, ${name}]
      ${name}: !Sub '\${${parameter}}'
  Other:
    Type: T
    Properties:
      R: !Ref ${name}
      __proto__: { polluted: true }
`);
      expect(built.order).toEqual([name, "Other"]);
      expect(plain(built.resolve(name, applied))).toEqual({ A: `p-${parameter}`, B: `m-${name}`, [name]: `p-${parameter}` });
      const other = built.resolve("Other", applied);
      expect(Object.getPrototypeOf(other)).toBe(null);
      expect(Object.keys(other)).toEqual(["R", "__proto__"]);
      expect(other.R).toBe(`ref:${name}`);
    }
    expect(() => model("Parameters:\n  A:\n    Type: String\n    Default: x\nResources:\n  A:\n    Type: T\n")).toThrow(/A is both a parameter and a resource/);
    guard.check();
  });
});
