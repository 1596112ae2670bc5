/* global sessionStorage, fetch, document, URLSearchParams, setTimeout */
/**
 * The API as the console uses it: every call carries the key from sessionStorage (kept for this tab only,
 * never in localStorage or a cookie), and a failure becomes an ApiError with a Vietnamese explanation.
 */
const BASE = '/api/v1';
const STORAGE = 'vaxsync.key';

export const getKey = () => sessionStorage.getItem(STORAGE);
export const setKey = (key) => sessionStorage.setItem(STORAGE, key);
export const clearKey = () => sessionStorage.removeItem(STORAGE);

const REASONS = {
  400: 'Yêu cầu không hợp lệ',
  401: 'Khóa API không hợp lệ hoặc đã bị thu hồi',
  403: 'Vai trò của bạn không được làm việc này',
  404: 'Không tìm thấy',
  409: 'Chưa thể làm việc này lúc này',
  413: 'Tệp quá lớn',
  415: 'Định dạng không được hỗ trợ',
  503: 'Dịch vụ tạm thời không sẵn sàng',
};

export class ApiError extends Error {
  constructor(status, reason, body) {
    super(`${REASONS[status] ?? `Lỗi ${status}`}${reason ? ` (${reason})` : ''}`);
    this.status = status;
    this.body = body;
  }
}

/** Called when the key is refused (401): the app signs out. */
let onUnauthorized = () => {};
export const whenUnauthorized = (f) => (onUnauthorized = f);

/** One call; `json: false` answers the Response itself (for file downloads). */
export async function api(path, { method = 'GET', body, json = true, key = getKey(), contentType } = {}) {
  let response;
  const headers = key ? { authorization: `Bearer ${key}` } : {};
  if (contentType) headers['content-type'] = contentType;
  try {
    response = await fetch(BASE + path, { method, body, headers });
  } catch {
    throw new ApiError(0, 'không kết nối được tới máy chủ');
  }
  if (!response.ok) {
    let answer = null;
    try {
      answer = await response.json();
    } catch {
      answer = null;
    }
    if (response.status === 401) onUnauthorized();
    throw new ApiError(response.status, answer?.error ?? '', answer);
  }
  return json ? response.json() : response;
}

export const query = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : '';
};

/** Downloads an API answer as a file (a plain link could not carry the key). */
export async function download(path, fallbackName) {
  const response = await api(path, { json: false });
  const disposition = response.headers.get('content-disposition') ?? '';
  // The UTF-8 name first (RFC 6266: `tháng9-danh-dau.xlsx`), the ASCII fallback otherwise.
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const name = (utf8 ? decodeURIComponent(utf8) : /filename="([^"]+)"/.exec(disposition)?.[1]) ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
