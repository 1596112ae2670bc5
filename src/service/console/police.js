/* global document, FormData */
/**
 * The commune police's page (#/cong-an): the list of the commune's people the population registry could
 * not confirm, one card per person (a phone-sized screen shows a card whole, a table would scroll), a form
 * per person to record the outcome, the sign-off, and the printed list for door-to-door checks.
 */
import { api, download } from './api.js';
import { busy, cellText, h, show, status, table } from './ui.js';

const STATUS = {
  conflict: 'Sai lệch với CSDL dân cư',
  not_found: 'Số định danh không có trong CSDL dân cư',
  no_id: 'Chưa có số định danh',
  verified: 'Đã xác minh',
  corrected: 'Đã xác minh, có sửa',
  deceased: 'Đã mất',
};
const OUTCOMES = [
  ['id_confirmed', 'Xác nhận đúng số định danh'],
  ['corrected', 'Sửa thông tin (ghi giá trị đúng)'],
  ['not_resident', 'Không cư trú tại xã'],
  ['deceased', 'Đã mất'],
];
const OUTCOME_NAMES = Object.fromEntries(OUTCOMES);
const SEX = { male: 'Nam', female: 'Nữ' };
const $ = (id) => document.getElementById(id);
const sexText = (v) => (v ? (SEX[v] ?? v) : null);
const when = (iso) => new Date(iso).toLocaleString('vi-VN');

/** "1985-03-15" → "15/03/1985"; a year or a month as given. */
function dateText(v) {
  if (!v) return null;
  const [y, m, d] = v.split('-');
  return [d, m, y].filter(Boolean).join('/');
}

let failed = () => {};

/** Opens the page; `onError` shows a failure the console's way. */
export async function openPolice(onError) {
  failed = onError;
  await load();
}

async function load() {
  const out = $('police-out');
  await busy(null, out, async () => {
    try {
      render(await api('/police/list'));
    } catch (error) {
      failed(error);
    }
  });
}

function render(list) {
  const pending = list.people - list.answered;
  show(
    $('police-out'),
    h(
      'p',
      { id: 'police-summary' },
      `Xã ${list.commune}: ${list.people} người cần kiểm tra, ${list.answered} người đã có kết quả, ${pending} người chưa có; ${list.unsigned} kết quả chưa ký xác nhận.`,
    ),
    h(
      'div',
      { class: 'police-actions' },
      h('button', { type: 'button', class: 'secondary', onclick: (e) => print(e.currentTarget, 'html') }, 'Tải danh sách để in (HTML)'),
      h('button', { type: 'button', class: 'secondary', onclick: (e) => print(e.currentTarget, 'xlsx') }, 'Tải danh sách (XLSX)'),
    ),
    list.items.length === 0 ? h('p', {}, 'Không có ai cần kiểm tra.') : h('ol', { class: 'police-list' }, list.items.map(card)),
    h('h2', {}, 'Ký xác nhận danh sách'),
    h(
      'form',
      { id: 'police-sign-form', class: 'card', onsubmit: signOff },
      h('p', {}, `Ký xác nhận ${list.unsigned} kết quả đã ghi kể từ lần ký trước; danh sách được trả về trạm y tế.`),
      h('label', { class: 'inline' }, h('input', { type: 'checkbox', id: 'police-sign-check', required: true }), 'Tôi đã kiểm tra các kết quả trên với Cơ sở dữ liệu quốc gia về dân cư.'),
      h('button', { type: 'submit', id: 'police-sign', disabled: list.unsigned === 0 }, 'Ký xác nhận'),
    ),
    list.signOffs.length === 0
      ? h('p', {}, 'Chưa ký lần nào.')
      : table({
          caption: 'Các lần ký xác nhận',
          columns: ['Lần', 'Người ký', 'Thời gian', 'Số người', 'Đã có kết quả', ...OUTCOMES.map(([, name]) => name)],
          rows: list.signOffs.map((s) => [`#${s.id}`, s.officer, when(s.signedAt), s.people, s.answered, ...OUTCOMES.map(([code]) => s.outcomes[code] ?? 0)]),
        }),
  );
}

function card(item) {
  const id = item.personId;
  const facts = [
    ['Ngày sinh', dateText(item.birthDate)],
    ['Giới', sexText(item.sex)],
    ['Số định danh', item.citizenId],
    ['Điện thoại', item.phone],
    ['Thôn/xóm', item.village],
    ['Địa chỉ', item.address],
    ['Người giám hộ', [item.guardianName, item.guardianPhone].filter(Boolean).join(', ') || null],
  ];
  const r = item.registry;
  const a = item.answer;
  return h(
    'li',
    { class: `police-card${a ? ' answered' : ''}`, 'data-person': id },
    h('h3', {}, `${item.fullName ?? '(chưa có tên)'} `, h('span', { class: 'help' }, `mã ${id}`)),
    h('p', { class: 'police-status' }, STATUS[item.status] ?? 'Chưa đối chiếu'),
    h('dl', { class: 'golden' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, cellText(v))])),
    r
      ? h(
          'p',
          { class: 'sev-warning' },
          `CSDL dân cư ghi số này cho: ${[r.fullName, dateText(r.birthDate), sexText(r.sex), r.deceased ? 'đã mất' : null].filter(Boolean).join(', ') || '—'}`,
        )
      : null,
    a
      ? h(
          'p',
          { class: 'police-answer' },
          h('strong', {}, `Kết quả: ${OUTCOME_NAMES[a.outcome] ?? a.outcome}`),
          [a.citizenId, a.fullName, dateText(a.birthDate), sexText(a.sex), a.deathDate ? `mất ${dateText(a.deathDate)}` : null].filter(Boolean).length
            ? ` (${[a.citizenId, a.fullName, dateText(a.birthDate), sexText(a.sex), a.deathDate ? `mất ${dateText(a.deathDate)}` : null].filter(Boolean).join(', ')})`
            : '',
          ` — ${a.officer}, ${when(a.recordedAt)}${a.signOffId ? `, đã ký (lần #${a.signOffId})` : ', chưa ký'}`,
        )
      : null,
    answerForm(item),
  );
}

function answerForm(item) {
  const id = item.personId;
  const field = (name, label, attrs = {}) =>
    h('div', {}, h('label', { for: `pa-${name}-${id}` }, label), h('input', { id: `pa-${name}-${id}`, name, autocomplete: 'off', ...attrs }));
  return h(
    'details',
    {},
    h('summary', {}, item.answer ? 'Ghi lại kết quả' : 'Ghi kết quả'),
    h(
      'form',
      { class: 'police-form', 'data-person': id, onsubmit: (e) => submitAnswer(e, id) },
      h(
        'fieldset',
        {},
        h('legend', {}, 'Kết quả kiểm tra'),
        OUTCOMES.map(([code, name]) => h('label', { class: 'inline' }, h('input', { type: 'radio', name: 'outcome', value: code, required: true }), name)),
      ),
      h('p', { class: 'help' }, 'Xác nhận: ghi số định danh đúng. Sửa: ghi các giá trị đúng, bỏ trống giá trị không đổi.'),
      h(
        'div',
        { class: 'filters' },
        field('citizenId', 'Số định danh (12 số)', { inputmode: 'numeric', maxlength: '14', value: item.answer?.citizenId ?? item.citizenId ?? '' }),
        field('fullName', 'Họ và tên'),
        field('birthDate', 'Ngày sinh (dd/mm/yyyy)', { inputmode: 'numeric' }),
        h(
          'div',
          {},
          h('label', { for: `pa-sex-${id}` }, 'Giới'),
          h('select', { id: `pa-sex-${id}`, name: 'sex' }, h('option', { value: '' }, '—'), h('option', { value: 'male' }, 'Nam'), h('option', { value: 'female' }, 'Nữ')),
        ),
        field('deathDate', 'Ngày mất (nếu đã mất)', { inputmode: 'numeric' }),
        field('note', 'Ghi chú'),
      ),
      h('button', { type: 'submit' }, 'Lưu kết quả'),
    ),
  );
}

async function submitAnswer(event, id) {
  event.preventDefault();
  const form = event.currentTarget;
  const data = new FormData(form);
  const body = { outcome: data.get('outcome') };
  for (const name of ['citizenId', 'fullName', 'birthDate', 'sex', 'deathDate', 'note']) {
    const value = String(data.get(name) ?? '').trim();
    if (value) body[name] = value;
  }
  // Checked here as well as by the service, so the officer reads why in Vietnamese at once.
  if (body.outcome === 'id_confirmed' && !/^\d{12}$/.test((body.citizenId ?? '').replace(/[\s.-]/g, ''))) {
    return status('Xác nhận số định danh cần số định danh đúng 12 chữ số.', { error: true });
  }
  await busy(event.submitter ?? null, form, async () => {
    try {
      await api(`/police/persons/${id}/answer`, { method: 'POST', body: JSON.stringify(body), contentType: 'application/json' });
      status(`Đã ghi kết quả cho người mã ${id}: ${OUTCOME_NAMES[body.outcome]}.`);
      await load();
      document.querySelector(`li[data-person="${id}"] h3`)?.focus?.();
    } catch (error) {
      failed(error);
    }
  });
}

async function signOff(event) {
  event.preventDefault();
  await busy(event.submitter ?? null, $('police-out'), async () => {
    try {
      const s = await api('/police/sign-off', { method: 'POST' });
      await load();
      status(`Đã ký xác nhận lần #${s.id}: ${s.people} người trong danh sách, ${s.answered} người đã có kết quả.`);
    } catch (error) {
      failed(error);
    }
  });
}

async function print(button, format) {
  await busy(button, null, async () => {
    try {
      const name = await download(`/police/list/print?format=${format}`, `cong-an.${format}`);
      status(`Đã tải tệp ${name}.`);
    } catch (error) {
      failed(error);
    }
  });
}
