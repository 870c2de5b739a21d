import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { generateApiModelSource, type BotocoreModel } from "./apiModelSource.js";

const BOTOCORE = "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/botocore";
const MODEL = join(BOTOCORE, "data/cloudfront/2020-05-31/service-2.json.gz");
const GENERATED = join(import.meta.dirname, "../../../src/iac/resources/apiModel.generated.ts");

describe("the committed CloudFront API model", () => {
  it.skipIf(!existsSync(MODEL))("is what botocore's cloudfront model generates", () => {
    const model = JSON.parse(gunzipSync(readFileSync(MODEL)).toString("utf8")) as BotocoreModel;
    const version = /__version__ = '([^']+)'/.exec(readFileSync(join(BOTOCORE, "__init__.py"), "utf8"))?.[1] ?? "unknown";
    const source = generateApiModelSource(model, version);
    if (process.env.EDGELITE_WRITE_API_MODEL === "1") writeFileSync(GENERATED, source);
    expect(readFileSync(GENERATED, "utf8")).toBe(source);
  });
});
