// Talking to the zhizhi API from the browser apps: JSON in and out with the session cookie,
// RFC 9457 problems turned into errors with a Chinese message, and an expired session (401)
// sent back to the login page with a message and a way back.

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `请求失败（${status}）`);
    this.status = status;
    this.code = problem && problem.code;
    this.field = problem && problem.field;
    this.errors = (problem && problem.errors) || []; // an import's refused rows, by line
  }
}

// The login page URL that brings the user back here afterwards.
export function loginUrl(reason) {
  const next = location.pathname + location.search;
  const q = new URLSearchParams({ next });
  if (reason) q.set('reason', reason);
  return '/login/?' + q.toString();
}

let onUnauthorized = () => location.assign(loginUrl('expired'));
// Pages without login (residents) set their own handler.
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

// This browser's own random id, kept in localStorage: the server limits residents' reports per
// device (and per address with a higher ceiling), so one estate behind one NAT is not silenced.
export function deviceId() {
  try {
    let id = localStorage.getItem('zhizhi-device');
    if (!id || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
      const b = new Uint8Array(16);
      crypto.getRandomValues(b);
      id = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
      localStorage.setItem('zhizhi-device', id);
    }
    return id;
  } catch {
    return null;
  }
}

// fetch JSON. opts: {method, body (object → JSON; Blob/File → raw), headers, quiet401}.
export async function api(path, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  if (path.startsWith('/api/v1/public/')) { const d = deviceId(); if (d) headers['X-Device-Id'] = d; }
  let body = opts.body;
  if (body !== undefined && !(body instanceof Blob) && typeof body !== 'string') {
    body = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  } else if (body instanceof Blob) {
    headers['Content-Type'] = body.type || 'application/octet-stream';
  }
  let res;
  try {
    res = await fetch(path, { method: opts.method || 'GET', headers, body, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, { detail: '网络连接失败，请检查网络后重试' });
  }
  const text = await res.text();
  let data;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (res.status === 401 && !opts.quiet401) {
    onUnauthorized();
    throw new ApiError(401, data || { detail: '登录已过期' });
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// Every item of a paged list ({items, next}), up to max items.
export async function apiAll(path, max = 5000) {
  const items = [];
  let next = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const url = path + (next ? `${sep}cursor=${encodeURIComponent(next)}` : '');
    const page = await api(url);
    const got = Array.isArray(page) ? page : (page && page.items) || [];
    items.push(...got);
    next = page && !Array.isArray(page) ? page.next : null;
  } while (next && items.length < max);
  return items;
}

// Upload one photo; resolves to its SHA-256 (the attachment id events refer to).
export async function uploadPhoto(file, path = '/api/v1/attachments') {
  const blob = await shrinkImage(file);
  const r = await api(path, { method: 'POST', body: blob });
  return r.sha256 || r.sha || r.id;
}

// Phone photos are large: scale to at most 1600 px as JPEG before sending.
export async function shrinkImage(file, max = 1600) {
  if (!file.type || !/^image\/(jpeg|png|webp)$/.test(file.type)) return file;
  try {
    const bmp = await createImageBitmap(file);
    const k = Math.min(1, max / Math.max(bmp.width, bmp.height));
    const c = document.createElement('canvas');
    c.width = Math.round(bmp.width * k);
    c.height = Math.round(bmp.height * k);
    c.getContext('2d').drawImage(bmp, 0, 0, c.width, c.height);
    const out = await new Promise((res) => c.toBlob((b) => res(b || file), 'image/jpeg', 0.8));
    return out.size < file.size ? out : file;
  } catch {
    return file;
  }
}

// The logged-in principal, or null when not logged in.
export async function currentUser() {
  try {
    const r = await api('/api/v1/sessions/current', { quiet401: true });
    const user = (r && (r.user || r.principal || r)) || null;
    if (user && r.permissions) user.permissions = r.permissions;
    return user;
  } catch (e) {
    if (e.status === 401 || e.status === 404) return null;
    throw e;
  }
}

export async function logout() {
  try { await api('/api/v1/sessions/current', { method: 'DELETE', quiet401: true }); } catch { /* gone already */ }
  location.assign('/login/?reason=logout');
}
