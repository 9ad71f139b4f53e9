// A real OpenID Connect provider (npm oidc-provider, a certified
// implementation) for the SSO tests, on loopback. Anyone may sign in with the
// password "provider-password"; the account is made from the email typed:
//   - `hd` (Google's hosted domain) is the email's domain,
//   - the email is verified unless its local part starts with "unverified",
//   - local parts containing "mfa" sign in with a second factor (amr: mfa).
//
//   node provider.mjs --port 4400 --redirect-uri http://127.0.0.1:3000/sso/callback
//        [--client-id hms --client-secret ...] [--clock-offset=-120 --id-token-ttl 60]
//
// --clock-offset runs the provider's clock that many seconds off; with a
// shorter --id-token-ttl its ID tokens are already expired when HMS gets them
// (while its own cookies, which live for an hour, still work).
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    port: { type: "string" },
    "redirect-uri": { type: "string", multiple: true },
    "client-id": { type: "string", default: "hms" },
    "client-secret": { type: "string", default: "hms-test-client-secret" },
    "clock-offset": { type: "string", default: "0" },
    "id-token-ttl": { type: "string", default: "3600" },
  },
});
const port = Number(args.port);
const offsetMs = Number(args["clock-offset"]) * 1000;
if (offsetMs !== 0) {
  const realNow = Date.now;
  Date.now = () => realNow() + offsetMs;
}
// Imported after the clock is set: the provider reads Date.now for every token.
const { default: Provider } = await import("oidc-provider");

const PASSWORD = "provider-password";
const issuer = `http://127.0.0.1:${port}`;

function account(email) {
  const local = email.split("@")[0];
  const domain = email.split("@")[1];
  return {
    accountId: createHash("sha256").update(email).digest("hex").slice(0, 24),
    email,
    email_verified: !local.startsWith("unverified"),
    hd: domain,
    name: local
      .split(/[._-]/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(" "),
    amr: local.includes("mfa") ? ["pwd", "mfa", "otp"] : ["pwd"],
  };
}
const accounts = new Map();

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: args["client-id"],
      client_secret: args["client-secret"],
      redirect_uris: args["redirect-uri"] ?? [],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  async findAccount(_ctx, id) {
    const a = accounts.get(id);
    if (!a) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: a.email, email_verified: a.email_verified, hd: a.hd, name: a.name };
      },
    };
  },
  // amr under openid: the ID token says how the person signed in.
  claims: { openid: ["sub", "amr"], email: ["email", "email_verified", "hd"], profile: ["name"] },
  // As Google does: the email and hd claims travel in the ID token itself.
  conformIdTokenClaims: false,
  cookies: { keys: ["hms-test-provider-cookies"] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => true },
  ttl: { IdToken: Number(args["id-token-ttl"]) },
  // HMS is a first-party client here: no consent screen.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
});

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
function page(uid, error) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Northfield Identity</title></head>
<body><main><h1>Northfield Identity</h1>
${error ? `<p role="alert">${escape(error)}</p>` : ""}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Email <input name="email" type="email" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Continue</button>
</form>
<form method="post" action="/interaction/${escape(uid)}/abort"><button type="submit">Cancel</button></form>
</main></body></html>`;
}

async function body(req) {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

const callback = provider.callback();
createServer(async (req, res) => {
  const path = new URL(req.url, issuer).pathname;
  const m = path.match(/^\/interaction\/([^/]+)(?:\/(login|abort))?$/);
  if (!m) return callback(req, res);
  try {
    const { uid } = await provider.interactionDetails(req, res);
    if (req.method === "GET") {
      res.setHeader("content-type", "text/html; charset=utf-8");
      return res.end(page(uid));
    }
    if (m[2] === "abort") {
      return await provider.interactionFinished(req, res, { error: "access_denied", error_description: "cancelled" });
    }
    const form = await body(req);
    const email = (form.get("email") ?? "").trim().toLowerCase();
    if (form.get("password") !== PASSWORD || !email.includes("@")) {
      res.statusCode = 200;
      res.setHeader("content-type", "text/html; charset=utf-8");
      return res.end(page(uid, "Wrong email or password."));
    }
    const a = account(email);
    accounts.set(a.accountId, a);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: a.accountId, amr: a.amr } },
      { mergeWithLastSubmission: false },
    );
  } catch (e) {
    res.statusCode = 400;
    res.end(`interaction failed: ${e.message}`);
  }
}).listen(port, "127.0.0.1", () => console.log(`oidc provider ready on ${issuer}`));
