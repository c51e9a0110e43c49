/**
 * The page the printed login URL opens. It keeps the token from the URL fragment (never sent to the
 * server, so it stays out of access logs) in the browser and shows who is signed in and where to go next.
 * Served when the web UI is not built (and to API-only test servers).
 */
export function landingPage(options: { uiMissing?: boolean } = {}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Equipoise</title>
<style>
  body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}
  code{background:#f1f3f5;padding:.1rem .3rem;border-radius:4px}
  .card{border:1px solid #d0d7de;border-radius:8px;padding:1rem 1.25rem;margin:1rem 0}
  .err{color:#b3261e}
</style></head>
<body>
<h1>Equipoise</h1>
<p>Randomized experiments on your own warehouse: design, assign, notify, analyse.</p>
${options.uiMissing ? '<div class="card err">The web UI has not been built. Run <code>npm run build:web</code> (or start with <code>npm start</code>, which builds it) and reload.</div>' : ''}
<div class="card" id="who" aria-live="polite">Checking your sign-in…</div>
<ul>
  <li><a href="/docs">Interactive API documentation</a> (use your token with <em>Authorize</em>)</li>
  <li><a href="/openapi.json">OpenAPI 3.1 document</a></li>
</ul>
<script>
  const fromUrl = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromUrl) { localStorage.setItem('equipoise.token', fromUrl); history.replaceState(null, '', '/'); }
  const token = localStorage.getItem('equipoise.token');
  const who = document.getElementById('who');
  if (!token) { who.textContent = 'Not signed in: open the login link printed by the server at start-up.'; }
  else fetch('/v1/m/caller-identity', { headers: { Authorization: 'Bearer ' + token } })
    .then(async (r) => {
      if (!r.ok) throw new Error((await r.json()).detail || r.statusText);
      const me = await r.json();
      who.textContent = 'Signed in as ' + me.email + (me.is_privileged ? ' (instance admin)' : '') + '.';
    })
    .catch((e) => { who.className = 'card err'; who.textContent = 'Sign-in failed: ' + e.message + ' Restart the server for a fresh login link.'; });
</script>
</body></html>`;
}
