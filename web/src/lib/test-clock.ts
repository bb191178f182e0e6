// The server's test clock (FOCUS_TEST_CLOCK=1): end-to-end tests fake the page's clock and set
// localStorage.focusTestClock = '1'; the client then tells the server its "now" in X-Test-Now.
// Off unless a test turns it on; a production server ignores the header anyway.
import { rfc3339 } from './format.js';

export function testClockOn(): boolean {
  try {
    return localStorage.getItem('focusTestClock') === '1';
  } catch {
    return false;
  }
}

/** The X-Test-Now value for this moment, or undefined when the test clock is off. */
export function testNow(): string | undefined {
  return testClockOn() ? rfc3339(Date.now()) : undefined;
}
