/* global document, Node, setTimeout */
/**
 * Small DOM helpers: element creation, accessible tables, inline SVG bar charts, the status message.
 * Everything is built with DOM calls (textContent, never innerHTML), so a value can never become markup.
 */

/** h('p', {class: 'x'}, 'text', child…): an element; attributes null/false are left out, `on…` are listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

export const numberFormat = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

/** A cell's text: numbers in Vietnamese notation (1.234,5), an empty value as a dash. */
export function cellText(v) {
  if (v === null || v === undefined || v === '') return '—';
  return typeof v === 'number' ? numberFormat.format(v) : String(v);
}

let ids = 0;
export const uid = (prefix) => `${prefix}-${++ids}`;

/**
 * A table with a caption, column headers (scope=col) and, when `rowHeader`, the first cell of each row
 * as its row header (scope=row). `rows` are arrays of values or of nodes; numbers are right aligned.
 */
export function table({ caption, columns, rows, rowHeader = true, rowAttrs }) {
  const head = h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c))));
  const body = h(
    'tbody',
    {},
    rows.map((r, i) =>
      h(
        'tr',
        rowAttrs ? rowAttrs(r, i) : {},
        r.map((v, j) => {
          const isNode = v instanceof Node;
          const attrs = typeof v === 'number' ? { class: 'n', 'data-value': String(v) } : {};
          const content = isNode ? v : cellText(v);
          return rowHeader && j === 0 ? h('th', { scope: 'row', ...attrs }, content) : h('td', attrs, content);
        }),
      ),
    ),
  );
  return h('div', { class: 'table-wrap' }, h('table', {}, caption ? h('caption', {}, caption) : null, head, body));
}

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * A horizontal bar chart of percentages, as inline SVG: a title and a description listing every value
 * for screen readers, one labelled bar per item. Items with no value (null) show a dash and no bar.
 */
export function barChart(title, items, { max = 100, unit = '%' } = {}) {
  const rowH = 30;
  const labelW = 120;
  const barW = 300;
  const width = labelW + barW + 70;
  const height = Math.max(1, items.length) * rowH + 6;
  const titleId = uid('chart-title');
  const descId = uid('chart-desc');
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}` });
  svg.append(s('title', { id: titleId }, title));
  svg.append(s('desc', { id: descId }, items.map((i) => `${i.label}: ${i.value === null ? 'không có số liệu' : cellText(i.value) + ' ' + unit}`).join('; ')));
  items.forEach((item, k) => {
    const y = k * rowH + 3;
    svg.append(s('text', { x: labelW - 8, y: y + rowH / 2 + 1, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, item.label));
    svg.append(s('rect', { class: 'track', x: labelW, y: y + 4, width: barW, height: rowH - 10, rx: 2 }));
    const value = item.value ?? 0;
    const w = Math.max(0, Math.min(1, value / max)) * barW;
    if (item.value !== null) svg.append(s('rect', { class: 'bar', x: labelW, y: y + 4, width: w.toFixed(1), height: rowH - 10, rx: 2 }));
    svg.append(s('text', { x: labelW + barW + 6, y: y + rowH / 2 + 1, 'dominant-baseline': 'middle' }, item.value === null ? '—' : `${cellText(item.value)} ${unit}`));
  });
  return h('figure', {}, h('figcaption', { 'aria-hidden': 'true' }, title), svg);
}

let messages = 0;

/**
 * The status line (an aria-live region): a message for everyone, read out by screen readers. Returns the
 * message's number, for `statusIfLast`.
 */
export function status(text, { error = false } = {}) {
  const el = document.getElementById('status');
  el.classList.toggle('error', error);
  // Emptied first, so the same message twice is announced twice.
  el.textContent = '';
  if (text) setTimeout(() => (el.textContent = text), 30);
  return ++messages;
}

/**
 * Says `text` only if message `number` is still the last one said: the outcome of a load nobody asked for
 * (the dashboard opening) must not replace what the user's own action said meanwhile.
 */
export function statusIfLast(number, text) {
  if (number === messages) status(text);
}

/** Sets a container's content. */
export function show(container, ...children) {
  container.replaceChildren();
  append(container, children);
}

/** Runs an async action with the button disabled and aria-busy on the region being filled. */
export async function busy(button, region, action) {
  if (button) button.disabled = true;
  if (region) region.setAttribute('aria-busy', 'true');
  try {
    return await action();
  } finally {
    if (button) button.disabled = false;
    if (region) region.removeAttribute('aria-busy');
  }
}
