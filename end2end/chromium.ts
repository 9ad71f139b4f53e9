// How the tests start Debian's Chromium (never a downloaded browser).
export const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const args = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
