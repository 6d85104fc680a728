// diff.js -- expected and given output side by side, for the predict exercises' verdict.
//
// diffLines(expected, given) -> one row per line number, in order:
//   { line, kind: 'same' | 'changed', expected, given }   both have this line
//   { line, kind: 'missing', expected }                   only the expected output has it
//   { line, kind: 'extra', given }                        only the answer has it
// Lines are paired by position, as wasm/grading.mjs compares them ("Line 2 is not what the
// program prints", "2 of 3 lines are right"), so the table and the feedback always agree.
// Both lists are compared as they are: grading.mjs has already normalised them.

export function diffLines(expected, given) {
  const rows = [];
  for (let i = 0; i < Math.max(expected.length, given.length); i++) {
    const row = { line: i + 1 };
    if (i < expected.length) row.expected = expected[i];
    if (i < given.length) row.given = given[i];
    row.kind = i >= given.length ? 'missing' : i >= expected.length ? 'extra'
      : expected[i] === given[i] ? 'same' : 'changed';
    rows.push(row);
  }
  return rows;
}
