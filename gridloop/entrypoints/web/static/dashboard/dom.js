// Small builders for the page's lists and tables (text only: never HTML from data).

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** A table with a caption-less header row: columns [{label, num}], rows of cells. */
export function table(target, columns, rows) {
  const head = el("tr", {}, ...columns.map((c) => el("th", { scope: "col", class: c.num ? "num" : null, text: c.label })));
  const body = rows.map((cells) => el("tr", {}, ...cells.map((cell, i) => {
    const td = el("td", { class: columns[i].num ? "num" : null });
    td.append(cell instanceof Node ? cell : String(cell ?? "–"));
    return td;
  })));
  target.replaceChildren(el("thead", {}, head), el("tbody", {}, ...body));
}
