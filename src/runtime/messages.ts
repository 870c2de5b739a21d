import type { EngineError } from "./types.js";

/**
 * V8's error messages in njs's words, for the errors CloudFront functions commonly hit. CloudFront
 * reports what njs says (`TypeError: cannot get property "value" of undefined`), so a V8 message that
 * reached the user unchanged would not match AWS. Each rule was checked against njs 0.7.9.
 */
const RULES: Array<{ name: string; pattern: RegExp; replace: (match: RegExpExecArray) => string }> = [
  { name: "TypeError", pattern: /^Cannot read properties of (undefined|null) \(reading '(.*)'\)$/s, replace: (m) => `cannot get property "${m[2]}" of ${m[1]}` },
  { name: "TypeError", pattern: /^Cannot set properties of (undefined|null) \(setting '(.*)'\)$/s, replace: (m) => `property set on primitive ${m[1]} type` },
  { name: "TypeError", pattern: /^(?:[\w$]+|\([^)]*\))(?:\.[\w$]+|\[[^\]]*\])*\.([\w$]+) is not a function$/s, replace: (m) => `(intermediate value)["${m[1]}"] is not a function` },
  { name: "TypeError", pattern: /^(?:[\w$]+|\([^)]*\))(?:\.[\w$]+)*\[["'`]?(.*?)["'`]?\] is not a function$/s, replace: (m) => `(intermediate value)["${m[1]}"] is not a function` },
  { name: "TypeError", pattern: /^Cannot add property (.*), object is not extensible$/s, replace: (m) => `Cannot add property "${m[1]}", object is not extensible` },
  { name: "TypeError", pattern: /^Assignment to constant variable\.$/, replace: () => "assignment to constant variable" },
  { name: "TypeError", pattern: /^Cannot assign to read only property '(.*)' of (?:object|function) .*$/s, replace: (m) => `Cannot assign to read-only property "${m[1]}" of object` },
  { name: "ReferenceError", pattern: /^([^"].*) is not defined$/s, replace: (m) => `"${m[1]}" is not defined` },
  { name: "RangeError", pattern: /^Invalid string length$/, replace: () => "invalid string length" },
  { name: "SyntaxError", pattern: /^Unexpected end of JSON input$/, replace: () => "Unexpected end of input" },
];

export function njsWording(error: EngineError): EngineError {
  for (const rule of RULES) {
    if (rule.name !== error.name) continue;
    const match = rule.pattern.exec(error.message);
    if (!match) continue;
    const message = rule.replace(match);
    return { name: error.name, message, text: `${error.name}: ${message}` };
  }
  return error;
}
