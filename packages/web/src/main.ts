/**
 * The dashboard's entry: one script for every page; the path picks the page. Each page asks the
 * API for its bodies (one; a relay page three), then listens to `/api/v1/stream`.
 */
import './styles/app.css';
import { overviewPage } from './pages/overview.js';
import { relayDetailPage } from './pages/relay-detail.js';
import { relaysPage } from './pages/relays.js';

const path = window.location.pathname;
if (path === '/relays') relaysPage();
else if (path.startsWith('/relays/')) relayDetailPage();
else overviewPage();
