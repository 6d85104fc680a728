// scc.js -- strongly connected components of the heap graph (Tarjan, iterative: a long
// linked list must not overflow the stack).  Used to highlight reference cycles.
//
// sccOf(ids, edgesOf) -> Map id -> component number, only for ids in a cycle: a component
// of two or more objects, or one object that refers to itself.

export function cyclesOf(ids, edgesOf) {
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const result = new Map();
  let counter = 0;
  let comp = 0;

  for (const root of ids) {
    if (index.has(root)) continue;
    const work = [[root, 0]];
    index.set(root, counter); low.set(root, counter); counter++;
    stack.push(root); onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      const succ = edgesOf(v);
      if (i < succ.length) {
        frame[1]++;
        const w = succ[i];
        if (!index.has(w)) {
          index.set(w, counter); low.set(w, counter); counter++;
          stack.push(w); onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) {
          low.set(v, Math.min(low.get(v), index.get(w)));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(v)));
      }
      if (low.get(v) === index.get(v)) {
        const members = [];
        let w;
        do {
          w = stack.pop();
          onStack.delete(w);
          members.push(w);
        } while (w !== v);
        if (members.length > 1 || succ.includes(v)) {
          for (const m of members) result.set(m, comp);
          comp++;
        }
      }
    }
  }
  return result;
}
