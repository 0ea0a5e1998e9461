'use strict';

document.getElementById('room-form').addEventListener('submit', e => {
  e.preventDefault();
  const room = document.getElementById('room-name').value.trim();
  if (room) location.href = '/chat/room.html?room=' + encodeURIComponent(room);
});

(async () => {
  const list = document.getElementById('rooms');
  try {
    const rooms = await Hotpot.api('/api/rooms');
    list.replaceChildren(...(rooms.length ? rooms.map(r => Hotpot.el('li', {},
      Hotpot.el('a', { href: '/chat/room.html?room=' + encodeURIComponent(r.room || r.name) }, r.room || r.name),
      ' ', Hotpot.el('span', { class: 'muted' }, `${r.count ?? r.members?.length ?? 0} here`)))
      : [Hotpot.el('li', { class: 'muted' }, 'No one is chatting right now. Name a room to open it.')]));
  } catch (err) {
    list.replaceChildren(Hotpot.el('li', { class: 'muted' }, 'Rooms cannot be listed: ' + err.message));
  }
})();
