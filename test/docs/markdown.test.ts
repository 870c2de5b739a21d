import { describe, expect, it } from "vitest";
import { runnableSnippets } from "./markdown.js";

describe("runnable code blocks in Markdown", () => {
  it("takes blocks whose info string says runnable after the language, with their line and language", () => {
    const markdown = [
      "# Title",
      "```sh",
      "echo not marked",
      "```",
      "```sh runnable",
      "echo one",
      "echo two",
      "```",
      "text",
      "```js runnable",
      "console.log(1);",
      "```",
      "~~~python runnable",
      "print(1)",
      "~~~",
      "```bash runnable background",
      "npx edgelite serve",
      "```",
    ].join("\n");
    expect(runnableSnippets("doc.md", markdown)).toEqual([
      { file: "doc.md", line: 5, language: "sh", background: false, code: "echo one\necho two\n" },
      { file: "doc.md", line: 10, language: "js", background: false, code: "console.log(1);\n" },
      { file: "doc.md", line: 13, language: "python", background: false, code: "print(1)\n" },
      { file: "doc.md", line: 16, language: "sh", background: true, code: "npx edgelite serve\n" },
    ]);
  });

  it("does not end a block at a shorter fence or one of the other kind, and strips a list item's indentation", () => {
    const markdown = ["````md runnable-not", "```sh runnable", "inside an example", "```", "````", "1. step", "   ```sh runnable", "   echo in a list", "     indented more", "   ```", "~~~sh runnable", "```", "~~~"].join("\n");
    expect(runnableSnippets("doc.md", markdown)).toEqual([
      { file: "doc.md", line: 7, language: "sh", background: false, code: "echo in a list\n  indented more\n" },
      { file: "doc.md", line: 11, language: "sh", background: false, code: "```\n" },
    ]);
  });

  it("refuses a runnable block whose language it cannot run, naming the file and line", () => {
    expect(() => runnableSnippets("docs/x.md", "text\n```runnable\necho\n```\n")).toThrow('docs/x.md:2: a block marked runnable must say its language first (sh, js or python), not "runnable"');
    expect(() => runnableSnippets("docs/x.md", "```ruby runnable\nputs 1\n```\n")).toThrow("docs/x.md:1:");
  });

  it("attaches a text output block that directly follows a runnable block, and refuses one that follows nothing runnable", () => {
    const [snippet] = runnableSnippets("doc.md", "```sh runnable\necho hi\n```\n\n```text output\nhi\n\n```\n");
    expect(snippet?.expected).toEqual(["hi"]);
    expect(() => runnableSnippets("doc.md", "```sh\necho\n```\n```text output\nx\n```\n")).toThrow("doc.md:4: a text output block must follow a runnable block directly");
    expect(() => runnableSnippets("doc.md", "```sh runnable\necho\n```\nprose\n```text output\nx\n```\n")).toThrow("doc.md:5:");
  });
});
