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

  const present = new Set();   // users in this room
  let buffered = null;           // presence events that arrive while the member list loads

  function showMembers() {
    members.replaceChildren(...[...present].sort().map(name => Hotpot.el('li', {}, name)));
  }

  function applyPresence(frame) {
    if (frame.event === 'join') present.add(frame.user);
    else if (frame.event === 'leave') present.delete(frame.user);
    else if (frame.event === 'summary') {
      // A big room: the joins and leaves of the last interval, net per user.
      (frame.joined || []).forEach(user => present.add(user));
      (frame.left || []).forEach(user => present.delete(user));
    }
  }

  /** "alice, bob and 3 others joined" */
  function some(users, verb) {
    const named = users.slice(0, 3).join(', ');
    return users.length > 3 ? `${named} and ${users.length - 3} others ${verb}` : `${named} ${verb}`;
  }

  /**
   * Who is here when we (re)join: the REST API lists every room's members across replicas.
   * Events that arrive meanwhile are applied again on top of that list, so none is lost.
   */
  async function loadMembers() {
    buffered = [];
    try {
      const rooms = await Hotpot.api('/api/rooms');
      const here = rooms.find(r => r.room === room);
      present.clear();
      ((here && here.members) || []).forEach(user => present.add(user));
    } catch (err) { /* the events alone still keep the list */ }
    buffered.forEach(applyPresence);
    buffered = null;
    showMembers();
  }

  function presence(frame) {
    if (buffered) buffered.push(frame);
    applyPresence(frame);
    if (frame.event === 'join' || frame.event === 'leave') {
      addNotice(`${frame.user} ${frame.event === 'join' ? 'joined' : 'left'}`);
    } else if (frame.event === 'summary') {
      if ((frame.joined || []).length) addNotice(some(frame.joined, 'joined'));
      if ((frame.left || []).length) addNotice(some(frame.left, 'left'));
    }
    showMembers();
  }

  function handle(frame) {
    switch (frame.type) {
      case 'history':
        // history arrives as message frames; this marks its end (and where recovery resumed)
        if (frame.lastId) lastId = frame.lastId;
        break;
      case 'presence':
        presence(frame);
        break;
      case 'error':
        showError(frame.error || frame.code || 'error');
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
    open: () => { showError(''); loadMembers(); }
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
