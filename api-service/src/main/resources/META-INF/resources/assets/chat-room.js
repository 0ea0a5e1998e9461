'use strict';

(() => {
  const room = new URLSearchParams(location.search).get('room') || 'lobby';
  const log = document.getElementById('chat-log');
  const members = document.getElementById('members');
  const errorBox = document.getElementById('chat-error');
  const input = document.getElementById('chat-message-input');
  const seen = new Set();
  let lastId = null;

  document.title = room + ' · Hotpot chat';
  document.getElementById('room-title').textContent = room;

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  /** One chat message, as text: the Channels tutorial's {"message": …} plus Hotpot's id, user and ts. */
  function addMessage(m) {
    if (m.id) {
      if (seen.has(m.id)) return;
      seen.add(m.id);
      lastId = m.id;
    }
    log.append(Hotpot.el('li', { class: 'msg', 'data-id': m.id },
      Hotpot.el('span', { class: 'msg-user' }, m.user || 'anonymous'),
      Hotpot.el('span', { class: 'msg-text' }, m.message),
      Hotpot.el('time', { class: 'msg-time' }, Hotpot.time(m.ts))));
    log.scrollTop = log.scrollHeight;
  }

  function addNotice(text) {
    log.append(Hotpot.el('li', { class: 'notice' }, text));
  }

  function showMembers(list) {
    members.replaceChildren(...list.map(name => Hotpot.el('li', {}, name)));
  }

  function handle(frame) {
    switch (frame.type) {
      case 'history':
        (frame.messages || []).forEach(addMessage);
        break;
      case 'presence':
      case 'join':
      case 'leave':
        if (Array.isArray(frame.members)) showMembers(frame.members.map(m => (typeof m === 'string' ? m : m.user)));
        if (frame.user && (frame.event || frame.type) !== 'presence') addNotice(`${frame.user} ${frame.event === 'leave' || frame.type === 'leave' ? 'left' : 'joined'}`);
        break;
      case 'error':
        showError(frame.detail || frame.reason || frame.error || 'error');
        break;
      case 'reconnect':
        if (frame.lastId) lastId = frame.lastId;
        break;
      default:
        if (typeof frame.message === 'string') addMessage(frame);
    }
  }

  const socket = Hotpot.reconnecting(() => Hotpot.wsUrl(`/ws/chat/${encodeURIComponent(room)}/`, { lastId }), {
    message: handle,
    open: () => showError('')
  });

  document.getElementById('chat-form').addEventListener('submit', e => {
    e.preventDefault();
    const text = input.value;
    if (!text) return;
    if (socket.send({ message: text })) {
      input.value = '';
    } else {
      showError('Not connected; the message was not sent.');
    }
  });
})();
