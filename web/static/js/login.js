// The login page: sends the credentials, then goes back where the user came from, or to the
// app of their role (grid workers to the phone app, everyone else to the command center).
import { api } from './api.js';
import { $ } from './common.js';

const REASONS = { expired: '登录已过期，请重新登录。', logout: '您已安全退出。' };

// Only paths on this server: never "//host" or "http://…".
function safeNext(n) {
  return n && n.startsWith('/') && !n.startsWith('//') && !n.startsWith('/\\') ? n : null;
}

function home(user) {
  const role = user && (user.role || (user.user && user.user.role));
  return role === 'grid_worker' || role === 'volunteer' ? '/grid/' : '/center/';
}

const params = new URLSearchParams(location.search);
const reason = REASONS[params.get('reason')];
if (reason) {
  $('#reason').textContent = reason;
  $('#reason').hidden = false;
}

$('#login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const username = $('#username').value.trim();
  const password = $('#password').value;
  const out = $('#login-error');
  out.textContent = '';
  if (!username || !password) {
    out.textContent = '请输入用户名和密码';
    return;
  }
  const btn = $('#login-submit');
  btn.disabled = true;
  btn.textContent = '登录中…';
  try {
    const r = await api('/api/v1/sessions', { method: 'POST', body: { username, password }, quiet401: true });
    location.assign(safeNext(params.get('next')) || home(r && (r.user || r.principal || r)));
  } catch (err) {
    out.textContent = err.status === 401 ? '用户名或密码错误'
      : err.status === 429 ? '尝试次数过多，请稍后再试' : err.message;
    btn.disabled = false;
    btn.textContent = '登录';
    $('#password').select();
  }
});
