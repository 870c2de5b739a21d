import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./session.js";

/** Relative links in README.md and docs/*.md lead to a file that exists and, with a #fragment, to one of its headings. */
const DOCUMENTS = ["README.md", ...readdirSync(join(REPO, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];


/** GitHub's anchor for a heading: lower case, punctuation dropped (hyphens and underscores kept), spaces as hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (/^ {0,3}(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = headingAnchor(heading[1] ?? "");
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

/** The links of a Markdown text outside code: `[text](target)`, without the ones to other sites. */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? "").filter((target) => !/^[a-z]+:/i.test(target));
}

describe("links between the documents", () => {
  it("computes GitHub's heading anchors", () => {
    expect(headingAnchor("What reaches the origin: policies")).toBe("what-reaches-the-origin-policies");
    expect(headingAnchor("`edgelite serve`")).toBe("edgelite-serve");
    expect(headingAnchor("End to end: a key value store, a function")).toBe("end-to-end-a-key-value-store-a-function");
  });

  it("finds the links of prose, not those in code", () => {
    expect(relativeLinks("see [a](docs/a.md) and [b](https://x.y)\n```md\n[c](c.md)\n```\n`[d](d.md)` [e](#e)")).toEqual(["docs/a.md", "#e"]);
    expect(relativeLinks(readFileSync(join(REPO, "README.md"), "utf8")).length).toBeGreaterThan(5);
  });

  for (const file of DOCUMENTS) {
    it(`${file}: every relative link resolves`, () => {
      const markdown = readFileSync(join(REPO, file), "utf8");
      const broken: string[] = [];
      for (const link of relativeLinks(markdown)) {
        const [path = "", fragment] = link.split("#");
        const target = path === "" ? file : normalize(join(dirname(file), path));
        if (!existsSync(join(REPO, target))) {
          broken.push(`${link} (no file ${target})`);
          continue;
        }
        if (fragment !== undefined && target.endsWith(".md") && !anchorsOf(readFileSync(join(REPO, target), "utf8")).has(fragment)) {
          broken.push(`${link} (no heading #${fragment} in ${target})`);
        }
      }
      expect(broken).toEqual([]);
    });
  }
});
