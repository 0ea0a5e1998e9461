// Shared helpers for Hotpot's pages. No framework, no build step; text goes into the page as
// text (textContent), never as HTML.
'use strict';

const Hotpot = (() => {
  /**
   * A WebSocket URL on this host: wss:// when the page came over https, ws:// otherwise. The token
   * never goes into it (URLs land in access logs): see protocols().
   */
  function wsUrl(path, params) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const query = new URLSearchParams();
    Object.entries(params || {}).forEach(([k, v]) => { if (v !== undefined && v !== null && v !== '') query.set(k, v); });
    const qs = query.toString();
    return `${scheme}//${location.host}${path}${qs ? '?' + qs : ''}`;
  }

  /**
   * The subprotocols the pages offer: hotpot.v1 (Hotpot's extended frames; the server selects it)
   * and, when the tab holds a token, hotpot.bearer.<token>, which carries it in a header instead
   * of the URL.
   */
  function protocols() {
    const token = sessionStorage.getItem('hotpot.token');
    return token ? ['hotpot.v1', 'hotpot.bearer.' + token] : ['hotpot.v1'];
  }

  /** Makes an element with attributes and children; strings become text nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === undefined || v === null || v === false) return;
      if (k === 'class') node.className = v;
      else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    });
    children.flat().forEach(child => {
      if (child === undefined || child === null) return;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  /** fetch() with JSON in and out, the bearer token if there is one, and problem+json turned into an Error. */
  async function api(path, options) {
    const opts = Object.assign({ headers: {} }, options || {});
    const token = sessionStorage.getItem('hotpot.token');
    if (token) opts.headers.Authorization = 'Bearer ' + token;
    if (opts.json !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(opts.json);
    }
    const response = await fetch(path, opts);
    const type = response.headers.get('Content-Type') || '';
    const body = type.includes('json') ? await response.json() : await response.text();
    if (response.status === 401 && !location.pathname.startsWith('/signin')) signInHint();
    if (!response.ok) {
      const error = new Error(body && body.detail ? body.detail : `${response.status} ${response.statusText}`);
      error.status = response.status;
      error.problem = body;
      throw error;
    }
    return body;
  }

  /**
   * The claims of the token this tab holds, or null. Read for display only (who is signed in,
   * which buttons to show): the server checks the token on every call.
   */
  function claims() {
    const token = sessionStorage.getItem('hotpot.token');
    if (!token || token.split('.').length !== 3) return null;
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const padded = part + '='.repeat((4 - part.length % 4) % 4);
      const json = decodeURIComponent(Array.from(atob(padded), c => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
      const parsed = JSON.parse(json);
      if (parsed.exp && parsed.exp * 1000 < Date.now()) return null;
      return parsed;
    } catch (err) {
      return null;
    }
  }

  /**
   * Whether to offer admin actions: with a token, only if its groups hold `admin`; without one
   * (a local run with authentication off) they are offered, and the server refuses them if
   * authentication is on.
   */
  function mayAdmin() {
    if (!sessionStorage.getItem('hotpot.token')) return true;
    const c = claims();
    return !!(c && Array.isArray(c.groups) && c.groups.includes('admin'));
  }

  /** Once per page: a link to the sign-in page, when the API asked for credentials. */
  function signInHint() {
    if (document.getElementById('signin-hint')) return;
    const bar = document.querySelector('header.bar');
    if (!bar) return;
    const next = encodeURIComponent(location.pathname + location.search);
    bar.append(el('a', { id: 'signin-hint', class: 'pill pill-bad', href: '/signin.html?next=' + next }, 'Sign in to see data'));
  }

  function time(value) {
    if (!value) return '';
    const d = new Date(value);
    return isNaN(d) ? String(value) : d.toLocaleTimeString();
  }

  /** Shows the connection state in the header pill. */
  function connection(state, text) {
    const pill = document.getElementById('connection');
    if (!pill) return;
    pill.className = 'pill pill-' + state;
    pill.textContent = text;
  }

  /**
   * A WebSocket that reconnects with back-off. `open(url)` is asked for the URL at every
   * (re)connect, so it can carry the id of the last message seen.
   */
  function reconnecting(urlFor, handlers) {
    let socket = null;
    let delay = 500;
    let stopped = false;
    function connect() {
      connection('wait', socket ? 'reconnecting…' : 'connecting…');
      socket = new WebSocket(urlFor(), protocols());
      socket.addEventListener('open', () => { delay = 500; connection('ok', 'live'); if (handlers.open) handlers.open(); });
      socket.addEventListener('message', e => {
        let data;
        try { data = JSON.parse(e.data); } catch (err) { return; }
        handlers.message(data);
      });
      socket.addEventListener('close', e => {
        if (handlers.close) handlers.close(e);
        if (stopped || e.code === 1008 || e.code === 4401 || e.code === 4403) {
          connection('bad', e.reason ? 'closed: ' + e.reason : 'closed');
          return;
        }
        connection('wait', 'reconnecting…');
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 10000);
      });
    }
    connect();
    return {
      send(data) { if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(data)); return true; } return false; },
      stop() { stopped = true; if (socket) socket.close(); }
    };
  }

  return { wsUrl, protocols, el, api, claims, mayAdmin, time, connection, reconnecting };
})();
