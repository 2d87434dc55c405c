/** The hashed files one page needs, as absolute paths served by the API. */
export interface PageAssets {
  script: string;
  stylesheet: string;
  icon: string;
}

/**
 * The one HTML document behind every dashboard page (`/`, `/relays`, `/relays/<url>`); the script
 * reads the path and fills `<main>`. No inline script or style: the page runs under a CSP with
 * `script-src 'self'; style-src 'self'`. The header and the heading are in the document itself,
 * so the first paint shows them before the script has fetched anything.
 */
export function renderShell({ script, stylesheet, icon }: PageAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="description" content="Live statistics of the Nostr network: relays, events by kind, users, clients and zaps.">
<title>nostr-info — Nostr network statistics</title>
<link rel="icon" href="${icon}" type="image/svg+xml">
<link rel="stylesheet" href="${stylesheet}">
<script type="module" src="${script}"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
<a class="brand" href="/"><img src="${icon}" alt="" width="28" height="28"><span>nostr-info</span></a>
<nav aria-label="Sections"><ul class="menu">
<li><a href="/" data-nav="overview">Overview</a></li>
<li><a href="/relays" data-nav="relays">Relays</a></li>
<li><a href="/api/v1/docs">API</a></li>
</ul></nav>
</header>
<main id="main" tabindex="-1">
<h1 id="page-title">Nostr network statistics</h1>
<p class="lead" id="page-lead">The Nostr network, as seen from the relays nostr-info watches.</p>
<div id="app" aria-busy="true"><p class="muted">Loading the latest statistics…</p></div>
<noscript><p>This dashboard needs JavaScript. The same figures are served as JSON: see the <a href="/api/v1/docs">API reference</a>.</p></noscript>
</main>
<footer class="site"><p>Read-only figures from the public <a href="/api/v1/docs">nostr-info API</a>; every rounded number shows its exact value on hover.</p></footer>
</body>
</html>
`;
}
