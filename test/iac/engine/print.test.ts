import { describe, expect, it } from "vitest";
import { printer, type LineFields } from "../../../src/iac/engine/print.js";
import { printable } from "../../../src/cli/format.js";

const plain = { bold: (t: string) => t, dim: (t: string) => t, green: (t: string) => t, yellow: (t: string) => t, red: (t: string) => t, cyan: (t: string) => t };

function capture() {
  const lines: Array<{ level: "info" | "warn"; text: string; msg: string; fields?: LineFields }> = [];
  const report = printer({
    sink: { info: (text, msg, fields) => lines.push({ level: "info", text, msg, ...(fields ? { fields } : {}) }), warn: (text, msg, fields) => lines.push({ level: "warn", text, msg, ...(fields ? { fields } : {}) }) },
    paint: plain,
    printable,
    distributionUrls: (id, domainName) => ({ url: `http://${domainName}:4599/`, ...(id === "EWITHPORT" ? { plainUrl: "http://127.0.0.1:4600/" } : {}) }),
  });
  return { report, lines };
}

describe("up's lines", () => {
  it("says what happened to each resource, what is skipped, outputs and where distributions are served", () => {
    const { report, lines } = capture();
    report.resource({ stackName: "Site", logicalId: "Rewrite", type: "AWS::CloudFront::Function", action: "created", physicalId: "rewrite", summary: "rewrite (LIVE, cloudfront-js-2.0)" });
    report.resource({ stackName: "Site", logicalId: "Old", type: "AWS::CloudFront::Function", action: "deleted", physicalId: "old" });
    report.notEmulated({ stackName: "Site", logicalId: "Role", type: "AWS::IAM::Role" });
    report.output({ stackName: "Site", name: "Domain", value: "d1.cloudfront.localhost", exportName: "SiteDomain" });
    report.output({ stackName: "Site", name: "Broken", error: "Ref Nope: no such resource" });
    report.distribution({ stackName: "Site", logicalId: "Dist", id: "EWITHPORT", domainName: "d1.cloudfront.localhost", enabled: true });
    report.distribution({ stackName: "Site", logicalId: "Off", id: "EOFF", domainName: "d2.cloudfront.localhost", enabled: false });
    report.reloaded({ created: 0, updated: 2, replaced: 0, deleted: 1, unchanged: 3 }, 42);
    report.reloaded({ created: 0, updated: 0, replaced: 0, deleted: 0, unchanged: 3 }, 5);
    report.synthFailed("npx cdk synth", "exit status 1", "Error: boom\n    at app.mjs:3");
    expect(lines.map((line) => `${line.level} ${line.text}`)).toEqual([
      "info created  Site/Rewrite AWS::CloudFront::Function rewrite (LIVE, cloudfront-js-2.0)",
      "info deleted  Site/Old AWS::CloudFront::Function",
      "info not emulated Site/Role AWS::IAM::Role (skipped; its Ref and Fn::GetAtt are placeholders)",
      "info output Site.Domain = d1.cloudfront.localhost (export SiteDomain)",
      "warn output Site.Broken cannot be resolved: Ref Nope: no such resource",
      "info distribution EWITHPORT serving at http://d1.cloudfront.localhost:4599/ and http://127.0.0.1:4600/",
      "info distribution EOFF (Site/Off) is disabled: set Enabled: true to serve it",
      "info reloaded 2 updated, 1 deleted (42 ms)",
      "info reloaded no change (5 ms)",
      "warn synth failed npx cdk synth (exit status 1):\n  Error: boom\n      at app.mjs:3\nstill serving what was applied before",
    ]);
    // JSON lines carry the same facts as fields.
    expect(lines[0]).toMatchObject({ msg: "created", fields: { stack: "Site", logicalId: "Rewrite", type: "AWS::CloudFront::Function", physicalId: "rewrite" } });
    expect(lines[5]).toMatchObject({ msg: "distribution", fields: { id: "EWITHPORT", url: "http://d1.cloudfront.localhost:4599/", plainUrl: "http://127.0.0.1:4600/" } });
  });

  it("shows a template's control characters instead of obeying them", () => {
    const { report, lines } = capture();
    report.notEmulated({ stackName: "S", logicalId: "Evil\u001b[2J", type: "Custom::X\nforged line" });
    report.output({ stackName: "S", name: "O", value: "a\rb" });
    expect(lines.map((line) => line.text)).toEqual(["not emulated S/Evil\\x1b[2J Custom::X\\x0aforged line (skipped; its Ref and Fn::GetAtt are placeholders)", "output S.O = a\\x0db"]);
  });
});
