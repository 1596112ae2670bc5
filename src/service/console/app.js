/* global document, window, sessionStorage, FormData */
/**
 * The console: sign-in, then one view per hash route (#/tong-quan, #/doi-chieu, #/nguoi, #/tai-len,
 * #/moi-tiem). Each view is a <section> of index.html, shown alone; its heading takes the focus when it
 * opens so keyboard and screen-reader users land at its top.
 */
import { ApiError, api, clearKey, download, getKey, query, setKey, whenUnauthorized } from './api.js';
import { barChart, busy, cellText, h, show, status, statusIfLast, table } from './ui.js';
import { openPolice } from './police.js';

const ROLE_NAMES = { station: 'Trạm y tế', reviewer: 'Người đối chiếu', operator: 'Vận hành', police: 'Công an xã' };
/** The view a role lands on: the police have their list only. */
const homeOf = (role) => (role === 'police' ? 'cong-an' : 'tong-quan');
const VIEWS = {
  'cong-an': { roles: ['police'], open: () => openPolice(failed) },
  'tong-quan': { roles: ['station', 'reviewer', 'operator'], open: openDashboard },
  'doi-chieu': { roles: ['reviewer', 'operator'], open: openReview },
  nguoi: { roles: ['station', 'reviewer', 'operator'], open: () => {} },
  'tai-len': { roles: ['station', 'operator'], open: () => {} },
  'moi-tiem': { roles: ['station', 'reviewer', 'operator'], open: () => {} },
};
const COLUMN_NAMES = {
  commune: 'Xã', group: 'Nhóm', people: 'Số người', '≥1 dose %': '≥1 mũi (%)', '≥2 doses %': '≥2 mũi (%)', '≥3 doses %': '≥3 mũi (%)',
  '≥4 doses %': '≥4 mũi (%)', 'đúng %': 'Đúng (%)', 'đủ %': 'Đủ (%)', 'sạch %': 'Sạch (%)', 'sống %': 'Sống (%)', day: 'Ngày',
  'batches loaded': 'Lô đã nạp', 'records added': 'Bản ghi thêm', 'records usable': 'Bản ghi dùng được', 'doses given that day': 'Mũi tiêm trong ngày',
  'people verified': 'Người đã xác minh', 'people pushed': 'Người đã gửi lên', village: 'Thôn / địa chỉ', person: 'Mã người', full_name: 'Họ tên',
  birth_date: 'Ngày sinh', phone: 'Điện thoại', sex: 'Giới', guardian_name: 'Người giám hộ', commune_code: 'Mã xã', school: 'Trường',
  vaccine_code: 'Vắc xin', dose_number: 'Mũi', due_from: 'Đến hạn từ', days_overdue: 'Số ngày quá hạn', status: 'Trạng thái',
  person_id: 'Mã người',
};
const STATES = { due: 'đến hạn', overdue: 'quá hạn', catch_up: 'tiêm bù' };
const SEVERITIES = { fix: 'đã tự sửa', warning: 'cần kiểm tra', invalid: 'không hợp lệ' };
const REGISTRY = { verified: 'đã xác minh', corrected: 'đã xác minh, có sửa', conflict: 'sai lệch với CSDL dân cư', deceased: 'đã mất', not_found: 'không có trong CSDL dân cư', no_id: 'không có số định danh' };

let me = null;
const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ sign-in and routing

whenUnauthorized(() => signOut('Khóa API không còn hợp lệ; hãy đăng nhập lại.'));

async function signIn(key) {
  me = await api('/me', { key });
  setKey(key);
  $('who-text').textContent = `${me.name} — ${ROLE_NAMES[me.role] ?? me.role}${me.commune ? `, xã ${me.commune}` : ''}`;
  $('who').hidden = false;
  $('nav').hidden = false;
  for (const li of document.querySelectorAll('#nav li[data-roles]')) li.hidden = !li.dataset.roles.split(' ').includes(me.role);
  // A station's reports are always of its own commune: the field shows it and cannot be changed.
  for (const id of ['dash-commune', 'due-commune']) {
    const input = $(id);
    input.readOnly = me.role === 'station';
    input.value = me.commune ?? '';
  }
  // Today is the service's (its configured time zone), not this browser's: a date chosen already is kept.
  for (const id of ['dash-date', 'due-date']) $(id).value ||= me.today;
}

function signOut(message) {
  clearKey();
  me = null;
  $('who').hidden = true;
  $('nav').hidden = true;
  for (const id of ['dash-out', 'review-list', 'review-pair', 'person-out', 'upload-out', 'due-out', 'police-out', 'doc-out']) show($(id));
  dashboardShown = false;
  if (message) status(message, { error: true });
  go('dang-nhap');
}

/** Opens a view: through the hash (whose change routes), or at once when the hash already names it. */
function go(name) {
  if (window.location.hash === `#/${name}`) route();
  else window.location.hash = `#/${name}`;
}

function route() {
  const hash = window.location.hash;
  // In-page anchors (the skip link) are not routes.
  if (hash && !hash.startsWith('#/')) return;
  let name = hash.slice(2) || (me ? homeOf(me.role) : 'tong-quan');
  if (!me) name = 'dang-nhap';
  else if (!VIEWS[name] || !VIEWS[name].roles.includes(me.role)) name = homeOf(me.role);
  for (const section of document.querySelectorAll('section.view')) section.hidden = section.id !== `view-${name}`;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.getAttribute('href') === `#/${name}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const heading = $(`h-${name}`);
  document.title = `${heading.textContent} — vaxsync`;
  heading.focus();
  if (me) VIEWS[name].open();
}

const failed = (error) => status(error instanceof ApiError ? error.message : `Lỗi: ${error.message}`, { error: true });

// ------------------------------------------------------------------ Tổng quan

const columnsOf = (report) => report.columns.map((c) => COLUMN_NAMES[c] ?? c);
const reportTable = (report) => table({ caption: report.title, columns: columnsOf(report), rows: report.rows });

let dashboardShown = false;
let dashboardLoading = false;
// Each load's number: only the last one asked shows its figures (an earlier one may answer after it).
let dashboardLoads = 0;
function openDashboard() {
  if (!dashboardShown && !dashboardLoading) void loadDashboard();
}

async function loadDashboard(button) {
  const out = $('dash-out');
  const params = query({ commune: $('dash-commune').value.trim(), date: $('dash-date').value });
  const load = ++dashboardLoads;
  dashboardLoading = true;
  await busy(button, out, async () => {
    const said = status('Đang tải báo cáo…');
    try {
      const [coverage, quality, progress] = await Promise.all(['coverage', 'quality', 'progress'].map((kind) => api(`/reports/${kind}${params}`)));
      if (load !== dashboardLoads) return;
      dashboardShown = true;
      const all = (r) => r[0] === 'tất cả';
      const age = (r) => parseInt(String(r[1]).replace('COVID-19 ', ''), 10);
      const covidRows = coverage.rows.filter((r) => all(r) && String(r[1]).startsWith('COVID-19')).sort((x, y) => age(x) - age(y));
      // quality is a document (title, notes, sections): its one section, the total in its last row
      const qualityTable = { ...quality.sections[0], title: quality.title };
      const overall = qualityTable.rows.find((r) => r[0] === 'Tổng cộng');
      show(
        out,
        h('h2', {}, 'Biểu đồ'),
        h(
          'div',
          { class: 'charts' },
          barChart(
            'Tỷ lệ đã tiêm ≥2 mũi COVID-19 theo nhóm tuổi',
            covidRows.map((r) => ({ label: `${String(r[1]).replace('COVID-19 ', '')} tuổi`, value: r[4] })),
          ),
          overall
            ? barChart('Dữ liệu đúng, đủ, sạch, sống (toàn bộ)', ['Đúng', 'Đủ', 'Sạch', 'Sống'].map((label, i) => ({ label, value: overall[3 + 2 * i] })))
            : h('p', {}, 'Chưa có dữ liệu người.'),
        ),
        h('h2', { id: 'h-coverage' }, 'Tỷ lệ bao phủ'),
        h('div', { id: 'coverage-table' }, reportTable(coverage)),
        h('h2', {}, 'Chất lượng dữ liệu'),
        h('div', { id: 'quality-table' }, reportTable(qualityTable)),
        h('h2', {}, 'Tiến độ 7 ngày'),
        h('div', { id: 'progress-table' }, reportTable(progress)),
      );
      // Opened with the dashboard, this load may end after the user has asked something else.
      statusIfLast(said, `Đã tải báo cáo ngày ${cellText($('dash-date').value)}.`);
    } catch (error) {
      if (load === dashboardLoads) failed(error);
    } finally {
      if (load === dashboardLoads) dashboardLoading = false;
    }
  });
}

// ------------------------------------------------------------------ Báo cáo ngày và tháng (on the dashboard)

const DOC_NAMES = { daily: 'báo cáo ngày', monthly: 'báo cáo tháng' };
const docQuery = (kind, format) => {
  const date = $('dash-date').value;
  return `/reports/${kind}${query({ commune: $('dash-commune').value.trim(), date, month: kind === 'monthly' ? date.slice(0, 7) : undefined, format })}`;
};

// As dashboardLoads: the daily and the monthly document share one place, the last asked shows there.
let documentLoads = 0;

/** A report document (title, notes, one table per section) as the API gives it in JSON. */
async function showDocument(button, kind) {
  if (!$('dash-form').reportValidity()) return;
  const out = $('doc-out');
  const load = ++documentLoads;
  await busy(button, out, async () => {
    status(`Đang tải ${DOC_NAMES[kind]}…`);
    try {
      const doc = await api(docQuery(kind));
      if (load !== documentLoads) return;
      show(
        out,
        h('h3', { id: 'doc-heading', tabindex: '-1' }, doc.title),
        doc.notes.map((n) => h('p', { class: 'help' }, n)),
        doc.sections.map((section) =>
          section.rows.length === 0
            ? h('p', {}, `${section.title}: không có số liệu.`)
            : table({ caption: section.title, columns: section.labels ?? section.columns, rows: section.rows, rowHeader: false }),
        ),
      );
      status(`Đã tải ${DOC_NAMES[kind]}: ${doc.title}.`);
      $('doc-heading').focus();
    } catch (error) {
      if (load === documentLoads) failed(error);
    }
  });
}

for (const button of document.querySelectorAll('[data-doc]')) button.addEventListener('click', () => showDocument(button, button.dataset.doc));
for (const button of document.querySelectorAll('[data-doc-download]')) {
  button.addEventListener('click', async () => {
    if (!$('dash-form').reportValidity()) return;
    const kind = button.dataset.docDownload;
    await busy(button, null, async () => {
      try {
        const name = await download(docQuery(kind, button.dataset.format), `${kind}.${button.dataset.format}`);
        status(`Đã tải tệp ${name}.`);
      } catch (error) {
        failed(error);
      }
    });
  });
}

// ------------------------------------------------------------------ Hàng chờ đối chiếu

/** Pairs decided in this session: the queue shows them until the next link run, the console does not. */
const DECIDED = 'vaxsync.decided';
const decided = () => new Set(JSON.parse(sessionStorage.getItem(DECIDED) ?? '[]'));
const pairKey = (a, b) => `${a}/${b}`;

async function openReview() {
  const list = $('review-list');
  await busy(null, list, async () => {
    try {
      const queue = await api('/review?limit=200');
      const done = decided();
      const items = queue.items.filter((i) => !done.has(pairKey(i.a, i.b)));
      const total = queue.total - (queue.items.length - items.length);
      renderQueue(items, total);
      status(total === 0 ? 'Hàng chờ trống.' : `${total} cặp cần đối chiếu.`);
    } catch (error) {
      failed(error);
    }
  });
}

function renderQueue(items, total) {
  const list = $('review-list');
  if (items.length === 0) {
    show(list, h('h2', { id: 'queue-heading', tabindex: '-1' }, 'Danh sách cặp'), h('p', {}, 'Không còn cặp nào cần đối chiếu.'));
    return;
  }
  // Pairs grouped by cluster (records joined through shared records), the clusters in the order of their
  // likeliest pair: a cluster is decided at once, each of its pairs recorded.
  const clusters = new Map();
  for (const i of items) clusters.set(i.cluster, [...(clusters.get(i.cluster) ?? []), i]);
  show(
    list,
    h('h2', { id: 'queue-heading', tabindex: '-1' }, 'Danh sách cặp'),
    h('p', { id: 'queue-count' }, `${total} cặp cần đối chiếu${total > items.length ? `, hiển thị ${items.length}` : ''}, trong ${clusters.size} nhóm.`),
    [...clusters.values()].map((pairs, n) => clusterSection(pairs, n + 1)),
  );
}

function clusterSection(pairs, n) {
  const records = new Set(pairs.flatMap((i) => [i.a, i.b])).size;
  return h(
    'section',
    { class: 'cluster', 'aria-label': `Nhóm ${n}`, 'data-cluster': String(pairs[0].cluster) },
    h('h3', {}, `Nhóm ${n}: ${records} bản ghi, ${pairs.length} cặp`),
    pairs.length > 1
      ? h(
          'div',
          { class: 'decide' },
          h('button', { type: 'button', class: 'accept', onclick: (e) => decideCluster(e.currentTarget, pairs, 'accept') }, 'Cả nhóm là một người'),
          h('button', { type: 'button', class: 'reject', onclick: (e) => decideCluster(e.currentTarget, pairs, 'reject') }, 'Cả nhóm là những người khác nhau'),
        )
      : null,
    table({
      caption: `Các cặp của nhóm ${n}`,
      columns: ['Cặp', 'Họ tên', 'Lý do', 'Xác suất', 'Thao tác'],
      rowHeader: true,
      rows: pairs.map((i) => [
        `${i.a} ↔ ${i.b}`,
        `${i.nameA ?? '—'} / ${i.nameB ?? '—'}`,
        i.reasonVi,
        `${cellText(Math.round(i.probability * 1000) / 10)} %`,
        h('button', { type: 'button', class: 'secondary', 'data-pair': pairKey(i.a, i.b), onclick: () => openPair(i.a, i.b) }, 'Xem'),
      ]),
      rowAttrs: (r, k) => ({ 'data-pair': pairKey(pairs[k].a, pairs[k].b) }),
    }),
  );
}

async function decideCluster(button, pairs, verb) {
  const section = button.closest('section.cluster');
  await busy(button, section, async () => {
    try {
      const answer = await api(`/review/cluster/${verb}`, {
        method: 'POST',
        body: JSON.stringify({ pairs: pairs.map((i) => pairKey(i.a, i.b)) }),
        contentType: 'application/json',
      });
      const done = decided();
      for (const i of pairs) done.add(pairKey(i.a, i.b));
      sessionStorage.setItem(DECIDED, JSON.stringify([...done]));
      const next = section.nextElementSibling?.querySelector('button[data-pair]');
      section.remove();
      const left = document.querySelectorAll('#review-list tbody tr').length;
      const count = $('queue-count');
      if (count) count.textContent = `Còn ${left} cặp trong danh sách.`;
      status(`Đã ghi ${answer.pairs} cặp: ${verb === 'accept' ? 'cả nhóm là cùng một người' : 'các bản ghi là những người khác nhau'}. Có hiệu lực ở lần liên kết tiếp theo.`);
      if (next) await openPair(...next.dataset.pair.split('/'));
      else {
        show($('review-pair'));
        $('queue-heading')?.focus();
      }
    } catch (error) {
      failed(error);
    }
  });
}

/** Opens a person's page from the review pane (the person view's own search, by id). */
function openPersonPage(id) {
  document.querySelector('#person-form input[name="by"][value="id"]').checked = true;
  $('person-q').value = id;
  go('nguoi');
  $('person-form').requestSubmit();
}

const COMPARISON_NAMES = {
  name: 'Họ tên', birth_date: 'Ngày sinh', citizen_id: 'CCCD/CMND', sex: 'Giới tính', phone: 'Điện thoại', commune: 'Xã', address: 'Địa chỉ', guardian: 'Người giám hộ',
};

const FIELDS = [
  ['fullName', 'Họ tên'], ['birthDate', 'Ngày sinh'], ['sex', 'Giới tính'], ['citizenId', 'CCCD/CMND'], ['phone', 'Điện thoại'],
  ['commune', 'Xã'], ['address', 'Địa chỉ'], ['vaccine', 'Vắc xin'], ['vaccinationDate', 'Ngày tiêm'], ['doseNumber', 'Mũi số'], ['personId', 'Mã người hiện tại'],
];

async function openPair(a, b) {
  const out = $('review-pair');
  await busy(null, out, async () => {
    try {
      const pair = await api(`/review/${a}/${b}`);
      const percent = (p) => `${cellText(Math.round(p * 1000) / 10)} %`;
      show(
        out,
        h('h2', { id: 'pair-heading', tabindex: '-1' }, `Cặp ${a} ↔ ${b}`),
        table({
          caption: 'Hai bản ghi cạnh nhau (các dòng khác nhau được tô màu)',
          columns: ['Trường', `Bản ghi A (${pair.a.ref})`, `Bản ghi B (${pair.b.ref})`],
          rows: FIELDS.map(([key, label]) => {
            const same = String(pair.a[key] ?? '') === String(pair.b[key] ?? '');
            const value = (side) =>
              key === 'personId' && side.personId
                ? h('button', { type: 'button', class: 'link', onclick: () => openPersonPage(side.personId) }, `Xem người P${side.personId}`)
                : key === 'sex'
                  ? (SEXES[side.sex] ?? side.sex)
                  : key === 'vaccine'
                    ? side.vaccineName
                    : side[key];
            return [same ? label : h('span', {}, label, h('span', { class: 'visually-hidden' }, ' (khác nhau)')), value(pair.a), value(pair.b)];
          }),
          rowAttrs: (_r, k) => {
            const key = FIELDS[k][0];
            return String(pair.a[key] ?? '') === String(pair.b[key] ?? '') ? {} : { class: 'diff' };
          },
        }),
        h('p', { id: 'pair-reason', class: 'reason' }, h('strong', {}, 'Lý do: '), pair.reasonVi ?? 'không có'),
        h(
          'details',
          {},
          h('summary', {}, 'Xem số liệu (trọng số từng mức so sánh)'),
          table({
            caption: 'Mức so sánh và trọng số (log₂ tỷ số khả năng)',
            columns: ['So sánh', 'Mức', 'Trọng số', 'Điều chỉnh theo tần suất'],
            rows: [
              ['Tiên nghiệm', '—', round(pair.prior), null],
              ...pair.levels.map((l) => [COMPARISON_NAMES[l.comparison] ?? l.comparison, l.labelVi ?? 'thiếu ở một bên', round(l.weight), round(l.tfAdjustment)]),
              ['Tổng', '—', round(pair.weight), null],
            ],
          }),
        ),
        pair.veto ? h('p', { class: 'sev-invalid' }, `Bị loại trừ bởi quy tắc: ${pair.veto.reasonVi ?? pair.veto.rule}`) : null,
        h('p', { class: 'probability' }, 'Xác suất là cùng một người: ', h('strong', { id: 'pair-probability' }, percent(pair.probability))),
        pair.samePerson ? h('p', {}, 'Hai bản ghi hiện đang thuộc cùng một người.') : null,
        h(
          'div',
          { class: 'decide' },
          h('button', { type: 'button', class: 'accept', onclick: (e) => decide(e.currentTarget, a, b, 'accept') }, 'Cùng một người'),
          h('button', { type: 'button', class: 'reject', onclick: (e) => decide(e.currentTarget, a, b, 'reject') }, 'Khác người'),
        ),
      );
      $('pair-heading').focus();
    } catch (error) {
      failed(error);
    }
  });
}

// `-0` (a weight rounded to nothing) reads as 0.
const round = (x) => Math.round(x * 100) / 100 + 0;
const SEXES = { male: 'Nam', female: 'Nữ' };

async function decide(button, a, b, verb) {
  await busy(button, $('review-pair'), async () => {
    try {
      await api(`/review/${a}/${b}/${verb}`, { method: 'POST' });
      const done = decided();
      done.add(pairKey(a, b));
      sessionStorage.setItem(DECIDED, JSON.stringify([...done]));
      const row = document.querySelector(`#review-list tr[data-pair="${pairKey(a, b)}"]`);
      const next = row?.nextElementSibling?.querySelector('button') ?? row?.previousElementSibling?.querySelector('button');
      row?.remove();
      const left = document.querySelectorAll('#review-list tbody tr').length;
      const count = $('queue-count');
      if (count) count.textContent = `Còn ${left} cặp trong danh sách.`;
      // On to the next pair at once: a reviewer works down the queue, not back to the list after each one.
      if (next) await openPair(...next.dataset.pair.split('/'));
      else show($('review-pair'));
      status(`Đã ghi: ${a} và ${b} ${verb === 'accept' ? 'là cùng một người' : 'là hai người khác nhau'}. Có hiệu lực ở lần liên kết tiếp theo.`);
      if (!next) $('queue-heading')?.focus();
    } catch (error) {
      failed(error);
    }
  });
}

// ------------------------------------------------------------------ Người

async function findPerson(button) {
  const out = $('person-out');
  const by = new FormData($('person-form')).get('by');
  const q = $('person-q').value.replace(/[\s.]/g, '').replace(/^P/i, '');
  await busy(button, out, async () => {
    try {
      if (by === 'citizen') {
        const { persons } = await api(`/persons${query({ citizen_id: q })}`);
        if (persons.length === 1) return showPerson(persons[0].id);
        show(
          out,
          persons.length === 0
            ? h('p', {}, 'Không tìm thấy ai với số này.')
            : h('ul', {}, persons.map((p) => h('li', {}, h('button', { type: 'button', class: 'secondary', onclick: () => showPerson(p.id) }, `P${p.id} — ${p.fullName ?? '—'}, ${p.birthDate ?? '—'}`)))),
        );
        status(persons.length === 0 ? 'Không tìm thấy.' : `Tìm thấy ${persons.length} người.`);
      } else {
        await showPerson(q);
      }
    } catch (error) {
      show(out);
      failed(error);
    }
  });
}

async function showPerson(id, date) {
  const [p, schedule] = await Promise.all([api(`/persons/${encodeURIComponent(id)}`), api(`/persons/${encodeURIComponent(id)}/schedule${query({ date })}`)]);
  const golden = [
    ['Họ tên', p.fullName], ['Ngày sinh', p.birthDate], ['Giới tính', SEXES[p.sex] ?? p.sex], ['CCCD/CMND', p.citizenId], ['Điện thoại', p.phone],
    ['Xã', p.communeCode], ['Địa chỉ', p.address],
  ];
  show(
    $('person-out'),
    h('h2', { id: 'person-heading', tabindex: '-1' }, `P${p.id} — ${p.fullName ?? '—'}`),
    h('h3', {}, 'Bản ghi chuẩn'),
    h('dl', { class: 'golden' }, golden.map(([k, v]) => [h('dt', {}, k), h('dd', {}, cellText(v))])),
    h('h3', {}, 'Trạng thái đối chiếu CSDL dân cư'),
    h(
      'p',
      {},
      p.registry
        ? `${REGISTRY[p.registry.status] ?? p.registry.status}${p.registry.fieldsVi.length ? ` (trường: ${p.registry.fieldsVi.join(', ')})` : ''}, kiểm tra lúc ${new Date(p.registry.checkedAt).toLocaleString('vi-VN')}${p.registry.noteVi ? ` — ${p.registry.noteVi}` : ''}`
        : 'Chưa đối chiếu.',
    ),
    h('h3', {}, 'Mũi tiêm'),
    p.doses.length === 0
      ? h('p', {}, 'Chưa có mũi tiêm nào.')
      : table({
          caption: 'Các mũi tiêm đã gộp',
          columns: ['Vắc xin', 'Ngày tiêm', 'Mũi số', 'Bản ghi nguồn', 'Mâu thuẫn'],
          rows: p.doses.map((d) => [d.vaccineName, d.date, d.doseNumber, d.records.join(', '), d.conflictsVi.join('; ') || null]),
        }),
    scheduleSection(schedule),
    h('h3', {}, 'Bản ghi nguồn'),
    table({
      caption: 'Các dòng từ các trạm đã gộp vào người này',
      columns: ['Bản ghi (lô:dòng)', 'Mã bản ghi', 'Trạm', 'Họ tên', 'Ngày sinh', 'CCCD/CMND', 'Điện thoại', 'Xã'],
      rows: p.sources.map((s) => [s.ref, s.recordId, s.stationCode, s.fullName, s.birthDate, s.citizenId, s.phone, s.communeCode]),
    }),
  );
  status(`Đã mở hồ sơ P${p.id}.`);
  $('person-heading').focus();
}

/**
 * The person page of `vaxsync person` (GET /persons/:id/schedule): each dose valid or not for each programme
 * dose it was weighed for, and why; then each childhood programme dose and COVID-19 on the day.
 */
function scheduleSection(s) {
  return h(
    'section',
    { id: 'person-schedule', 'aria-labelledby': 'h-person-schedule' },
    h('h3', { id: 'h-person-schedule' }, `Lịch tiêm chủng ngày ${s.date}${s.ageYears === null ? '' : ` (${s.ageYears} tuổi)`}`),
    s.deceased ? h('p', { class: 'sev-invalid' }, 'Đã mất (theo CSDL dân cư): không mời tiêm.') : null,
    s.doses.length === 0
      ? h('p', {}, 'Chưa có mũi tiêm nào.')
      : table({
          caption: 'Từng mũi đã tiêm: hợp lệ hay không, và vì sao',
          columns: ['Ngày tiêm', 'Vắc xin', 'Mã mũi', 'Đánh giá'],
          rowHeader: false,
          rows: s.doses.map((d) => [
            d.date ?? 'ngày không rõ',
            d.product,
            d.id,
            h('ul', { class: 'verdicts' }, d.verdicts.map((v) => h('li', { class: v.valid ? 'valid' : 'sev-invalid' }, `${v.valid ? '✓' : '✗'} ${v.text}`))),
          ]),
        }),
    s.childhood
      ? table({ caption: 'Tiêm chủng mở rộng', columns: ['Mũi', 'Tình trạng'], rows: s.childhood.map((d) => [d.label, d.text]) })
      : null,
    s.covid ? h('p', { id: 'person-covid' }, `COVID-19: ${s.covid}`) : null,
  );
}

/** From the call list to the person page of its day. */
async function openPersonFromList(id, date) {
  go('nguoi');
  await busy(null, $('person-out'), async () => {
    try {
      await showPerson(id, date);
    } catch (error) {
      show($('person-out'));
      failed(error);
    }
  });
}

// ------------------------------------------------------------------ Tải lên

async function upload(button) {
  const out = $('upload-out');
  const file = $('upload-file').files[0];
  if (!file) return status('Hãy chọn một tệp.', { error: true });
  const form = new FormData();
  form.append('file', file, file.name);
  await busy(button, out, async () => {
    status(`Đang tải lên ${file.name}…`);
    try {
      const answer = await api('/uploads', { method: 'POST', body: form });
      const problems = answer.problems.filter((p) => p.severity !== 'fix');
      const fixes = answer.problems.length - problems.length;
      show(
        out,
        h('h2', { id: 'upload-heading', tabindex: '-1' }, `Lô số `, h('span', { id: 'batch-id' }, String(answer.batchId))),
        h('p', {}, `${answer.rows} dòng đã nạp, ${answer.quarantined} dòng bị giữ lại để sửa; ${fixes} giá trị đã được tự động chuẩn hóa.`),
        // What the answer warns of: rows matching another commune's person, a file or rows sent before.
        ...[answer.otherCommune, answer.repeated].filter(Boolean).map((notice) => h('p', { class: 'sev-warning', role: 'note' }, notice.message)),
        problems.length === 0
          ? h('p', {}, 'Không có dòng nào có vấn đề.')
          : table({
              caption: `Các dòng có vấn đề (${problems.length})`,
              columns: ['Dòng', 'STT', 'Họ và tên', 'Cột', 'Mức', 'Vấn đề', 'Giá trị'],
              rows: problems.map((p) => [p.row, p.recordId, p.name, p.column ?? p.fieldLabel, h('span', { class: `sev-${p.severity}` }, SEVERITIES[p.severity] ?? p.severity), p.messageVi, p.value]),
            }),
        problems.length === 0 ? null : markedUpOffer(answer.batchId),
        correctionsShown(answer.corrections ?? []),
        // The automatic fixes, listed so the station can check them (folded: usually many, rarely wrong).
        fixes === 0
          ? null
          : h(
              'details',
              {},
              h('summary', {}, `Xem ${fixes} giá trị đã tự động chuẩn hóa`),
              table({
                caption: 'Giá trị đã tự động chuẩn hóa',
                columns: ['Dòng', 'STT', 'Họ và tên', 'Cột', 'Đã sửa', 'Giá trị gốc'],
                rows: answer.problems.filter((p) => p.severity === 'fix').map((p) => [p.row, p.recordId, p.name, p.column ?? p.fieldLabel, p.messageVi, p.value]),
              }),
            ),
      );
      const replaced = (answer.corrections ?? []).length;
      status(`Đã tải lên lô số ${answer.batchId}: ${problems.length} vấn đề cần xem${replaced ? `, ${replaced} dòng đã thay thế dòng gửi trước` : ''}.`);
      $('upload-heading').focus();
    } catch (error) {
      const place = error.body?.row ? ` Dòng ${error.body.row}${error.body.column ? `, cột ${error.body.column}` : ''}.` : '';
      show(out, h('p', { class: 'sev-invalid' }, `Tệp bị từ chối: ${error.message}.${place}`));
      failed(error);
    }
  });
}

/** The station's own file with the problem cells coloured and commented, to fix in place and send again. */
function markedUpOffer(batchId) {
  const button = h('button', { type: 'button', id: 'marked-up-download', class: 'secondary' }, 'Tải tệp của trạm đã đánh dấu lỗi (XLSX)');
  button.addEventListener('click', () =>
    busy(button, null, async () => {
      try {
        const name = await download(`/batches/${batchId}/marked-up.xlsx`, `lo-${batchId}-danh-dau.xlsx`);
        status(`Đã tải tệp ${name}: sửa các ô tô màu (xem ghi chú trong ô), giữ nguyên STT/mã bản ghi, lưu lại rồi tải lên lần nữa.`);
      } catch (error) {
        failed(error);
      }
    }),
  );
  return h(
    'div',
    { class: 'card', id: 'marked-up' },
    h('p', {}, 'Tệp của trạm, với các ô có vấn đề được tô màu (hồng: cần sửa, vàng: cần kiểm tra) và ghi chú bằng tiếng Việt. Sửa trực tiếp trong tệp, giữ nguyên STT/mã bản ghi rồi tải lên lại: dòng đã sửa sẽ thay thế dòng sai.'),
    button,
  );
}

/** The earlier rows this upload's rows replaced: what changed, who sent the fix and when (the old rows stay as history). */
function correctionsShown(corrections) {
  if (corrections.length === 0) return null;
  const who = (by) => (by ?? '—').replace(/^(key|cli):/, '');
  const rows = corrections.flatMap((c) =>
    c.changes.map((ch, i) => [
      i === 0 ? c.row : '',
      i === 0 ? c.recordId : '',
      i === 0 ? c.name : '',
      i === 0 ? `lô ${c.replaces.batchId}, dòng ${c.replaces.row}` : '',
      ch.column ?? ch.fieldLabel,
      ch.before || '(trống)',
      ch.after || '(trống)',
      who(c.correctedBy),
      new Date(c.correctedAt).toLocaleString('vi-VN'),
    ]),
  );
  return h(
    'section',
    { id: 'corrections', 'aria-labelledby': 'corrections-heading' },
    h('h3', { id: 'corrections-heading' }, `Dòng đã thay thế dòng gửi trước (${corrections.length})`),
    h('p', {}, 'Các dòng dưới đây có cùng STT/mã bản ghi với dòng trạm đã gửi trước và có giá trị khác: dòng mới thay thế dòng cũ trong dữ liệu tiêm chủng, dòng cũ được giữ lại làm lịch sử.'),
    table({ caption: 'Lịch sử sửa: giá trị trước và sau', columns: ['Dòng', 'STT', 'Họ và tên', 'Thay cho', 'Cột', 'Trước', 'Sau', 'Người gửi', 'Lúc'], rows }),
  );
}

// ------------------------------------------------------------------ Danh sách mời tiêm

const dueQuery = (format) => `/reports/due${query({ commune: $('due-commune').value.trim(), date: $('due-date').value, format })}`;

async function loadDue(button) {
  const out = $('due-out');
  await busy(button, out, async () => {
    try {
      const report = await api(dueQuery());
      const date = $('due-date').value;
      const rows = report.rows.map((r) =>
        r.map((v, i) => {
          if (report.columns[i] === 'status') return STATES[v] ?? v;
          // the person's page, each dose valid or not and why, on the list's day
          if (report.columns[i] === 'person_id') return h('button', { type: 'button', class: 'link', onclick: () => openPersonFromList(String(v).replace(/^P/, ''), date) }, v);
          return v;
        }),
      );
      show(out, rows.length === 0 ? h('p', {}, 'Không có ai đến hạn.') : table({ caption: report.title, columns: columnsOf(report), rows, rowHeader: false }));
      status(`${rows.length} mũi đến hạn hoặc quá hạn.`);
    } catch (error) {
      failed(error);
    }
  });
}

// ------------------------------------------------------------------ wiring

function onSubmit(id, handler) {
  $(id).addEventListener('submit', (event) => {
    event.preventDefault();
    void handler(event.submitter ?? null);
  });
}

onSubmit('sign-in-form', async (button) => {
  const key = $('key').value.trim();
  await busy(button, null, async () => {
    try {
      await signIn(key);
      $('key').value = '';
      status(`Đã đăng nhập: ${$('who-text').textContent}.`);
      go(homeOf(me.role));
    } catch (error) {
      failed(error);
    }
  });
});
onSubmit('dash-form', loadDashboard);
onSubmit('person-form', findPerson);
onSubmit('upload-form', upload);
onSubmit('due-form', loadDue);
for (const button of document.querySelectorAll('[data-download]')) {
  button.addEventListener('click', async () => {
    const format = button.dataset.download;
    if (!$('due-form').reportValidity()) return;
    await busy(button, null, async () => {
      try {
        const name = await download(dueQuery(format), `due.${format}`);
        status(`Đã tải tệp ${name}.`);
      } catch (error) {
        failed(error);
      }
    });
  });
}
$('template-download').addEventListener('click', async (event) => {
  await busy(event.currentTarget, null, async () => {
    try {
      const name = await download('/uploads/template?format=xlsx', 'mau-nhap-tiem-chung.xlsx');
      status(`Đã tải tệp mẫu ${name}: điền từ dòng 2 của trang "Mẫu nhập", xem trang "Hướng dẫn".`);
    } catch (error) {
      failed(error);
    }
  });
});
$('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(DECIDED);
  signOut();
  status('Đã đăng xuất.');
});
window.addEventListener('hashchange', route);

const saved = getKey();
if (saved) {
  signIn(saved).then(route, () => signOut());
} else {
  route();
}
