'use strict';

// Exchanges an API key for a token (POST /api/tokens {"key": "...", "roles": [...]} → {"token": "..."})
// carrying the roles ticked on the form (at most the key's; admin only when ticked), and keeps the
// token in sessionStorage for this tab's life. The key is never stored.
(() => {
  const $ = id => document.getElementById(id);
  const next = new URLSearchParams(location.search).get('next');
  // Only a path on this site, so the page cannot be used to send someone elsewhere.
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/dashboard/';

  function show() {
    const claims = Hotpot.claims();
    $('signin-result').textContent = claims
      ? `Signed in as ${claims.sub || 'unknown'} (roles: ${(claims.groups || []).join(', ') || 'none'}).`
      : 'Not signed in.';
    $('signout').hidden = !claims;
  }

  $('signin-form').addEventListener('submit', async e => {
    e.preventDefault();
    const key = $('signin-key').value.trim();
    $('signin-key').value = '';
    const roles = [...document.querySelectorAll('input[name=role]:checked')].map(box => box.value);
    sessionStorage.removeItem('hotpot.token');
    try {
      const answer = await Hotpot.api('/api/tokens', { method: 'POST', json: { key, roles } });
      sessionStorage.setItem('hotpot.token', answer.token);
      location.assign(target);
    } catch (err) {
      $('signin-result').textContent = 'Refused: ' + err.message;
    }
  });

  $('signout').addEventListener('click', () => {
    sessionStorage.removeItem('hotpot.token');
    show();
  });

  show();
})();
