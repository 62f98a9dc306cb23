// Evaluate FEEL expressions with feelin (the interpreter the browser uses for form conditions).
// stdin: a JSON list of {"expression": "...", "context": {...}}; stdout: a JSON list of
// {"value": ...} or {"error": "..."}, in the same order. Used by tests/unit/test_feel_agreement.py.
import { evaluate } from "feelin";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const cases = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const out = cases.map(({ expression, context }) => {
  try {
    const result = evaluate(String(expression).trim().replace(/^=/, ""), context);
    const value = result && typeof result === "object" && "warnings" in result ? result.value : result;
    return { value: value === undefined ? null : value };
  } catch (err) {
    return { error: String(err && err.message || err) };
  }
});
process.stdout.write(JSON.stringify(out));
