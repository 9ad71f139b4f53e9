import { expect } from "@playwright/test";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

// The test SMTP server's Maildir (playwright.config.ts), from the repository root.
const maildir = join(__dirname, "..", "..", "target", "e2e-maildir");

/** Every message delivered to `to` so far, readable (quoted-printable undone). */
function messagesTo(to: string): string[] {
  const files = ["new", "cur"].flatMap((d) => {
    try {
      return readdirSync(join(maildir, d)).map((f) => join(maildir, d, f));
    } catch {
      return [];
    }
  });
  return files
    .map((f) => readFileSync(f, "utf8"))
    .filter((m) => /^To: .*$/im.exec(m)?.[0].toLowerCase().includes(to.toLowerCase()))
    .map((m) => m.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))));
}

/** How many emails `to` has received. */
export function emailCount(to: string): number {
  return messagesTo(to).length;
}

/** Waits for the one email to `to` (whose subject contains `subject`, when given) and returns it. */
export async function emailTo(to: string, subject = ""): Promise<string> {
  const matching = () => messagesTo(to).filter((m) => /^Subject: .*$/im.exec(m)?.[0].includes(subject));
  await expect.poll(() => matching().length, { timeout: 20_000, message: `an email to ${to}` }).toBe(1);
  return matching()[0];
}

/** The first link in an email that starts with `prefix`. */
export function linkIn(email: string, prefix: string): string {
  const start = email.indexOf(prefix);
  if (start < 0) throw new Error(`no link starting ${prefix} in:\n${email}`);
  return email.slice(start).split(/[\s"<]/)[0];
}
