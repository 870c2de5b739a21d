import { ancestor } from "acorn-walk";

/** The identifier the statement counter lives in; user code cannot name it without reading this file. */
export const METER = "__edgelite$m";
/** The function called when the counter passes the budget. */
export const METER_TRIP = "__edgelite$over";

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Inserts the statement counter: `<METER>++` (tripping past the budget) before every statement of every
 * statement list, braces around single-statement bodies so they can hold it, and a count at each
 * function entry. Insertions never add a line break, so line numbers stay the user's.
 */
export function instrument(source: string, program: any, edits: Edit[]): string {
  const tick = `if(++${METER}.n>${METER}.limit)${METER_TRIP}();`;
  const inserts: Array<{ at: number; text: string; order: number }> = [];
  let order = 0;
  const before = (at: number, text: string) => inserts.push({ at, text, order: order++ });
  const countList = (statements: any[]) => {
    for (const statement of statements) {
      if (statement.type === "ImportDeclaration" || statement.type === "FunctionDeclaration") continue;
      before(statement.start, tick);
    }
  };
  const wrapBody = (body: any) => {
    if (!body || body.type === "BlockStatement") return;
    before(body.start, `{${tick}`);
    before(body.end, "}");
  };

  ancestor(program, {
    Program: (node: any) => countList(node.body),
    BlockStatement: (node: any) => {
      countList(node.body);
      if (node.body.length === 0) before(node.start + 1, tick);
    },
    SwitchCase: (node: any) => countList(node.consequent),
    IfStatement(node: any) {
      wrapBody(node.consequent);
      wrapBody(node.alternate);
    },
    ForStatement: (node: any) => wrapBody(node.body),
    ForInStatement: (node: any) => wrapBody(node.body),
    WhileStatement: (node: any) => wrapBody(node.body),
    DoWhileStatement: (node: any) => wrapBody(node.body),
    Function(node: any) {
      if (node.body.type !== "BlockStatement") {
        // An expression-bodied arrow: count the call by turning `x => e` into `x => (tick-expression, e)`.
        before(node.body.start, `(++${METER}.n>${METER}.limit&&${METER_TRIP}(),(`);
        before(node.body.end, "))");
      }
    },
  } as any);

  // Apply replacements (imports) and insertions from the end backwards so offsets stay valid.
  const all = [
    ...edits.map((e) => ({ at: e.start, end: e.end, text: e.text, order: -1 })),
    ...inserts.map((i) => ({ at: i.at, end: i.at, text: i.text, order: i.order })),
  ].sort((a, b) => b.at - a.at || b.order - a.order);
  let out = source;
  for (const change of all) out = out.slice(0, change.at) + change.text + out.slice(change.end);
  return out;
}

