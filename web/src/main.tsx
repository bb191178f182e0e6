import { render } from 'preact';
import { api } from './api/client.js';
import { testNow } from './lib/test-clock.js';
import { startTheme } from './lib/theme.js';
import './styles.css';
import { App } from './ui/App.js';

// Wired here so the API client needs nothing from lib/. A queued call keeps the X-Test-Now of the
// user's action, so a header already set wins.
api.use({
  onRequest({ request }) {
    const now = testNow();
    if (now && !request.headers.has('x-test-now')) request.headers.set('x-test-now', now);
    return request;
  },
});

// The chosen theme before the first render, so the page never shows the other one first.
startTheme();

render(<App />, document.getElementById('app')!);
