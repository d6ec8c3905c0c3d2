import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig, SECRET_SUFFIX, SECRET_VARIABLES } from "@telepay/config";
import { TOPICS } from "@telepay/events";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { z } from "zod";
import { ALLOWED_UPDATES } from "../../apps/bot-gateway/src/bot.ts";
import { botEnvSchema } from "../../apps/bot-gateway/src/env.ts";
import { COMMANDS } from "../../apps/cli/src/cli.ts";
import { cliEnvSchema } from "../../apps/cli/src/env.ts";
import { notifierEnvSchema } from "../../apps/notifier/src/env.ts";
import { ingressEnvSchema } from "../../apps/webhook-ingress/src/env.ts";
import { NODE_FLAGS } from "./package.ts";

// Keeps infra/ honest against the code: every manifest parses, every env var it sets is one the
// app reads (and the rendered set passes the app's own validation), every route and topic it
// points at exists, every secret and identity it uses is created and granted by setup.sh.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const INFRA = join(ROOT, "infra");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const setupSh = read("infra/setup.sh");
const deploySh = read("infra/deploy.sh");

/** Values for the ${VARS} deploy.sh substitutes (what infra/env.sh would export). */
const SAMPLE: Record<string, string> = {
  PROJECT_ID: "demo-project",
  REGION: "europe-west1",
  SQL_INSTANCE: "telepay-pg",
  DB_NAME: "telepay",
  TAG: "abc1234",
  TELEGRAM_BOT_USERNAME: "demo_telepay_bot",
  NOWPAYMENTS_SANDBOX: "false",
  SETTLEMENT: "direct",
  DIRECT_PAY_CURRENCIES: "btc,usdttrc20",
  NOWPAYMENTS_IPN_ALLOWED_IPS: "51.89.194.21,51.75.77.69",
  WEBHOOK_INGRESS_URL: "https://telepay-webhook-ingress-123.europe-west1.run.app",
  BOT_GATEWAY_URL: "https://telepay-bot-gateway-123.europe-west1.run.app",
  NOTIFIER_URL: "https://telepay-notifier-123.europe-west1.run.app",
  VPC_NETWORK: "default",
  VPC_SUBNET: "default",
};

/** Plausible secret values by env var (secretKeyRef values are injected by Cloud Run). */
const SECRET_SAMPLES: Record<string, string> = {
  TELEGRAM_BOT_TOKEN: "123456:ABCdefGHIjkl_mno-PQR",
  TELEGRAM_WEBHOOK_SECRET: "a1".repeat(32),
  NOWPAYMENTS_API_KEY: "NP-API-KEY-123",
  NOWPAYMENTS_IPN_SECRET: "ipn-secret-123",
  NOWPAYMENTS_EMAIL: "merchant@example.com",
  NOWPAYMENTS_PASSWORD: "dashboard-password-123",
  WEBHOOK_SIGNING_SECRET: "f0".repeat(32),
};

const SCHEMAS: Record<string, z.ZodObject> = {
  "webhook-ingress": ingressEnvSchema,
  "bot-gateway": botEnvSchema,
  notifier: notifierEnvSchema,
  cli: cliEnvSchema,
};

/** Which app answers at each service URL variable. */
const URL_OWNERS: Record<string, string> = {
  WEBHOOK_INGRESS_URL: "webhook-ingress",
  BOT_GATEWAY_URL: "bot-gateway",
  NOTIFIER_URL: "notifier",
};

const VAR = /\$\{([A-Z_]+)\}/g;

function render(text: string): string {
  return text.replace(VAR, (_m, name: string) => {
    if (!(name in SAMPLE)) throw new Error(`no sample value for \${${name}}`);
    return SAMPLE[name]!;
  });
}

interface EnvEntry {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Manifest {
  file: string;
  kind: "Service" | "Job";
  component: string;
  serviceAccount: string;
  image: string;
  env: EnvEntry[];
  args: string[];
  probes: string[];
  raw: string;
}

const manifests: Manifest[] = readdirSync(join(INFRA, "cloudrun"))
  .filter((f) => f.endsWith(".yaml"))
  .map((file) => {
    const raw = readFileSync(join(INFRA, "cloudrun", file), "utf8");
    const docs = parseAllDocuments(render(raw));
    expect(docs).toHaveLength(1);
    const doc = docs[0]!;
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
    // biome-ignore lint/suspicious/noExplicitAny: a parsed manifest is walked by known paths below
    const m = doc.toJS() as any;
    const podSpec = m.kind === "Job" ? m.spec.template.spec.template.spec : m.spec.template.spec;
    const container = podSpec.containers[0];
    return {
      file,
      kind: m.kind,
      component: m.metadata.labels.component,
      serviceAccount: podSpec.serviceAccountName,
      image: container.image,
      env: container.env ?? [],
      args: container.args ?? [],
      probes: [container.startupProbe?.httpGet?.path, container.livenessProbe?.httpGet?.path].filter(Boolean),
      raw,
    };
  });

/**
 * Routes an app registers on its Hono app: `.get("/x"` / `.post(PATH_CONSTANT` in its source (tests
 * excluded), constants resolved from `const PATH_CONSTANT = "/x"` in the same app.
 */
function routesOf(app: string): Set<string> {
  const dir = join(ROOT, "apps", app, "src");
  const texts: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".test.ts")) continue;
    texts.push(readFileSync(join(entry.parentPath, entry.name), "utf8"));
  }
  const source = texts.join("\n");
  const constants = new Map(
    [...source.matchAll(/const ([A-Z][A-Z0-9_]*) = "(\/[^"]*)"/g)].map((m) => [m[1]!, m[2]!] as const),
  );
  const routes = new Set<string>();
  for (const match of source.matchAll(
    /\.(?:get|post|put|patch|delete|all)\(\s*(?:"(\/[^"]*)"|([A-Z][A-Z0-9_]*)\s*,)/g,
  )) {
    const route = match[1] ?? constants.get(match[2]!);
    if (route) routes.add(route);
  }
  return routes;
}

/** A bash array from setup.sh, e.g. TOPICS=(a b c) or a multi-line ("x" "y"). */
function bashArray(name: string): string[] {
  const match = new RegExp(`^${name}=\\(([^)]*)\\)`, "m").exec(setupSh);
  if (!match) throw new Error(`setup.sh has no ${name}=(…)`);
  return match[1]!
    .split(/\s+/)
    .map((s) => s.replace(/^"|"$/g, ""))
    .filter((s) => s && !s.startsWith("#"));
}

const saName = (email: string) => email.split("@")[0]!;

describe("infra manifests", () => {
  it("cover the three services and the four CLI jobs", () => {
    expect(
      manifests
        .filter((m) => m.kind === "Service")
        .map((m) => m.component)
        .sort(),
    ).toEqual(["bot-gateway", "notifier", "webhook-ingress"]);
    expect(
      manifests
        .filter((m) => m.kind === "Job")
        .map((m) => m.args[0])
        .sort(),
    ).toEqual(["db", "payments", "relay", "sweep"]);
  });

  it.each(manifests.map((m) => [m.file, m] as const))(
    "%s sets only variables its app reads, and they validate",
    async (_file, m) => {
      const schema = SCHEMAS[m.component]!;
      const shape = schema.shape as Record<string, unknown>;
      const unknown = m.env
        .map((e) => e.name)
        .filter((name) => {
          if (name in shape) return false;
          const base = name.endsWith(SECRET_SUFFIX) ? name.slice(0, -SECRET_SUFFIX.length) : "";
          return !(base in shape && (SECRET_VARIABLES as readonly string[]).includes(base));
        });
      expect(unknown, `${m.file}: variables ${m.component} never reads`).toEqual([]);
      expect(
        m.env.some((e) => e.name === "PORT"),
        "Cloud Run sets PORT itself",
      ).toBe(false);

      const env: Record<string, string> = { PORT: "8080" };
      for (const e of m.env) {
        if (e.valueFrom?.secretKeyRef) {
          expect(SECRET_SAMPLES, `no sample for secret ${e.name}`).toHaveProperty(e.name);
          env[e.name] = SECRET_SAMPLES[e.name]!;
        } else {
          env[e.name] = String(e.value ?? "");
        }
      }
      // The app's own start-up validation, rules included (DB target, webhook secret, OIDC settings).
      await expect(loadConfig(schema, env)).resolves.toHaveProperty("config");
    },
  );

  it("point images, probes and URLs at things that exist", () => {
    for (const m of manifests) {
      expect(m.image).toBe(`europe-west1-docker.pkg.dev/demo-project/telepay/${m.component}:abc1234`);
      for (const probe of m.probes) expect(routesOf(m.component), `${m.file} probe`).toContain(probe);
      const rendered = render(m.raw);
      for (const [variable, app] of Object.entries(URL_OWNERS)) {
        for (const match of rendered.matchAll(
          new RegExp(`${SAMPLE[variable]!.replace(/\./g, "\\.")}(/[\\w/-]*)`, "g"),
        )) {
          if (match[1]) expect(routesOf(app), `${m.file} → ${app}${match[1]}`).toContain(match[1]);
        }
      }
    }
    // The scheduled jobs call the notifier's signed job routes through CLI commands that exist.
    const cliCommands = COMMANDS.map((c) => c.path.join(" "));
    for (const job of manifests.filter((m) => m.kind === "Job")) {
      const command = job.args.filter((a) => !a.startsWith("-")).join(" ");
      expect(cliCommands, `${job.file}: telepay ${command}`).toContain(command);
      if (command === "sweep" || command === "relay")
        expect(routesOf("notifier")).toContain(`/jobs/${command}`);
    }
  });

  it("use identities and secrets that setup.sh creates and grants, least privilege", () => {
    const accounts = bashArray("SERVICE_ACCOUNTS");
    const dbIdentities = bashArray("DB_IDENTITIES");
    const secrets = new Map(
      bashArray("SECRETS").map((entry) => {
        const [name, readers] = entry.split(":");
        return [name!, readers!.split(",")];
      }),
    );
    const used = new Map<string, Set<string>>();
    for (const m of manifests) {
      const identity = saName(m.serviceAccount);
      expect(accounts, m.file).toContain(identity);
      const dbUser = m.env.find((e) => e.name === "DB_USER")?.value;
      if (dbUser) {
        // IAM database authentication: the database user IS the service account.
        expect(dbUser, m.file).toBe(`${identity}@demo-project.iam`);
        expect(dbIdentities).toContain(identity);
      }
      for (const e of m.env) {
        const secret = e.valueFrom?.secretKeyRef?.name;
        if (!secret) continue;
        expect(secrets.get(secret), `${m.file}: ${secret} granted to ${identity}`).toContain(identity);
        used.set(secret, (used.get(secret) ?? new Set()).add(identity));
      }
    }
    // No identity may read a secret none of its workloads uses.
    for (const [secret, readers] of secrets) {
      expect([...(used.get(secret) ?? [])].sort(), `readers of ${secret}`).toEqual([...readers].sort());
    }
  });
});

describe("setup.sh", () => {
  it("creates a topic, dead-letter topic and push subscription for every event topic", () => {
    expect(bashArray("TOPICS").sort()).toEqual(Object.values(TOPICS).sort());
    expect(setupSh).toContain('dlq="$topic.dlq"');
    expect(setupSh).toContain('--dead-letter-topic "$dlq"');
    expect(setupSh).toMatch(/--push-endpoint "\$NOTIFIER_URL(\/pubsub\/push)"/);
    expect(routesOf("notifier")).toContain("/pubsub/push");
    expect(setupSh).toContain("--push-auth-service-account");
  });

  it("sets the webhook bot-gateway serves, with the updates the bot needs", () => {
    const match = /^ALLOWED_UPDATES='([^']*)'/m.exec(setupSh);
    expect(JSON.parse(match![1]!)).toEqual([...ALLOWED_UPDATES]);
    expect(setupSh).toContain("$BOT_GATEWAY_URL/telegram/webhook");
    expect(routesOf("bot-gateway")).toContain("/telegram/webhook");
    expect(routesOf("webhook-ingress")).toContain("/webhooks/nowpayments");
  });

  it("schedules the sweep and relay jobs the manifests define", () => {
    for (const job of ["telepay-sweep", "telepay-relay", "telepay-reconcile"]) {
      expect(setupSh).toMatch(new RegExp(`schedule_job ${job} `));
      expect(manifests.some((m) => m.raw.includes(`name: ${job}\n`))).toBe(true);
    }
  });

  it("and deploy.sh are valid bash; deploy.sh renders every variable the manifests use", () => {
    execFileSync("bash", ["-n", join(INFRA, "setup.sh")]);
    execFileSync("bash", ["-n", join(INFRA, "deploy.sh")]);
    const renderVars = new Set([...deploySh.matchAll(VAR)].map((m) => m[1]!));
    const exported = read("infra/env.example.sh");
    for (const m of manifests) {
      for (const [, name] of m.raw.matchAll(VAR)) {
        expect(renderVars, `${relative(ROOT, join(INFRA, "cloudrun", m.file))}: \${${name}}`).toContain(name);
        expect(exported).toMatch(new RegExp(`^export ${name}=`, "m"));
      }
    }
  });
});

describe("Dockerfile", () => {
  it("builds any app on Node 24 from pnpm package:<app>, runs as non-root", () => {
    const dockerfile = read("infra/Dockerfile");
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-/m);
    expect(dockerfile).toContain("pnpm install --frozen-lockfile");
    expect(dockerfile).toContain('tooling/package/package.ts "$APP"');
    expect(dockerfile).toMatch(/^USER node$/m);
    // The flags the benchmark measured (tooling/bench/apps.bench.ts runs NODE_FLAGS).
    const entrypoint = dockerfile.match(/^ENTRYPOINT (\[.*\])$/m)?.[1];
    expect(entrypoint && JSON.parse(entrypoint)).toEqual(["node", ...NODE_FLAGS, "dist/main.js"]);
  });
});

describe("setup.sh and deploy.sh read infra/env.sh", () => {
  // A copy of infra/ with an env.sh and a stand-in `gcloud` first on PATH that records every call
  // (and keeps each manifest handed to `… replace`); nothing reaches Google.
  const GCLOUD_STUB = `#!/usr/bin/env bash
printf '%s\\n' "$*" >>"$GCLOUD_LOG"
case "$1 $2 $3" in
  "projects describe "*)
    if [ -n "\${STUB_PROJECT_NUMBER:-}" ]; then echo "$STUB_PROJECT_NUMBER"; exit 0; fi
    echo "ERROR: (gcloud.projects.describe) You do not currently have an active account selected." >&2
    exit 1 ;;
  "artifacts docker images")
    for image in \${STUB_EXISTING_IMAGES:-}; do [ "$5" = "$image" ] && exit 0; done
    exit 1 ;;
  "run services replace" | "run jobs replace") cp "$4" "$GCLOUD_LOG.$(basename "$4")" ;;
esac
exit 0
`;
  const example = read("infra/env.example.sh");

  function sandbox(envSh: string): { dir: string; log: string } {
    const dir = mkdtempSync(join(tmpdir(), "telepay-infra-"));
    cpSync(INFRA, join(dir, "infra"), { recursive: true });
    writeFileSync(join(dir, "infra", "env.sh"), envSh);
    mkdirSync(join(dir, "bin"));
    writeFileSync(join(dir, "bin", "gcloud"), GCLOUD_STUB, { mode: 0o755 });
    return { dir, log: join(dir, "gcloud.log") };
  }

  function runScript(
    box: { dir: string; log: string },
    args: string[],
    env: Record<string, string> = {},
  ): { code: number; stderr: string; calls: string[]; rendered: (file: string) => string } {
    const result = spawnSync("bash", [join(box.dir, "infra", args[0]!), ...args.slice(1)], {
      encoding: "utf8",
      env: {
        PATH: `${join(box.dir, "bin")}${delimiter}${process.env.PATH}`,
        HOME: box.dir,
        GCLOUD_LOG: box.log,
        ...env,
      },
    });
    const calls = existsSync(box.log) ? readFileSync(box.log, "utf8").trim().split("\n") : [];
    return {
      code: result.status ?? -1,
      stderr: result.stderr,
      calls,
      rendered: (file) => readFileSync(`${box.log}.${file}`, "utf8"),
    };
  }

  const boxes: string[] = [];
  const box = (envSh: string) => {
    const b = sandbox(envSh);
    boxes.push(b.dir);
    return b;
  };
  afterAll(() => {
    for (const dir of boxes) rmSync(dir, { recursive: true, force: true });
  });

  it.each(["setup.sh", "deploy.sh"])(
    "%s stops with a clear message, before touching anything, when the project number cannot be read",
    (script) => {
      const result = runScript(box(example), [script, "notifier"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("You do not currently have an active account selected"); // gcloud's reason
      expect(result.stderr).toMatch(
        /PROJECT_NUMBER is '', not the number of project my-telepay-project: `gcloud projects describe my-telepay-project` must work/,
      );
      expect(result.calls).toEqual(["projects describe my-telepay-project --format=value(projectNumber)"]);
    },
  );

  it("refuses an env.sh made from the old example, whose fallback was 000000000000", () => {
    const old = example.replace(
      /^if \[ -z "\$\{PROJECT_NUMBER:-\}" \]; then\n.*\nfi$/m,
      `PROJECT_NUMBER=\${PROJECT_NUMBER:-$(gcloud projects describe "$PROJECT_ID" --format='value(projectNumber)' 2>/dev/null || echo 000000000000)}`,
    );
    expect(old).toContain("echo 000000000000");
    const result = runScript(box(old), ["deploy.sh", "notifier"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("PROJECT_NUMBER is '000000000000'");
    expect(result.calls.filter((c) => !c.startsWith("projects describe"))).toEqual([]);
  });

  const image = (app: string, tag: string) =>
    `europe-west1-docker.pkg.dev/my-telepay-project/telepay/${app}:${tag}`;
  const built = (calls: string[]) =>
    calls.filter((c) => c.startsWith("builds submit")).map((c) => /_TAG=([^,]+)/.exec(c)?.[1]);

  it("deploy.sh builds and deploys the TAG set in env.sh, with the real project number in the URLs", () => {
    const envSh = example.replace(/^export TAG=.*$/m, "export TAG=release-7");
    const result = runScript(box(envSh), ["deploy.sh", "notifier"], { STUB_PROJECT_NUMBER: "123456789012" });
    expect(result.code, result.stderr).toBe(0);
    expect(built(result.calls)).toEqual(["release-7"]);
    const manifest = result.rendered("notifier.yaml");
    expect(manifest).toContain(`image: ${image("notifier", "release-7")}`);
    expect(manifest).toContain("https://telepay-notifier-123456789012.europe-west1.run.app/pubsub/push");
  });

  it("deploy.sh takes TAG from the environment, else names the image after the current commit", () => {
    const withEnv = runScript(box(example), ["deploy.sh", "cli"], {
      STUB_PROJECT_NUMBER: "123456789012",
      TAG: "hotfix-1",
    });
    expect(withEnv.code, withEnv.stderr).toBe(0);
    expect(built(withEnv.calls)).toEqual(["hotfix-1"]);
    for (const job of ["migrate-job.yaml", "sweep-job.yaml", "relay-job.yaml"]) {
      expect(withEnv.rendered(job)).toContain(`image: ${image("cli", "hotfix-1")}`);
    }

    const b = box(example);
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd: b.dir,
        encoding: "utf8",
      }).trim();
    git("init", "-q");
    git("add", "infra");
    git("commit", "-q", "-m", "x");
    const commit = git("rev-parse", "--short", "HEAD");
    const fromGit = runScript(b, ["deploy.sh", "webhook-ingress"], { STUB_PROJECT_NUMBER: "123456789012" });
    expect(fromGit.code, fromGit.stderr).toBe(0);
    expect(built(fromGit.calls)).toEqual([commit]);
    expect(fromGit.rendered("webhook-ingress.yaml")).toContain(`image: ${image("webhook-ingress", commit)}`);
  });

  it("deploy.sh deploys a tag that exists without rebuilding it (rollback)", () => {
    const result = runScript(box(example), ["deploy.sh", "bot-gateway"], {
      STUB_PROJECT_NUMBER: "123456789012",
      STUB_EXISTING_IMAGES: image("bot-gateway", "release-6"),
      TAG: "release-6",
    });
    expect(result.code, result.stderr).toBe(0);
    expect(built(result.calls)).toEqual([]);
    expect(result.stderr).toContain(
      `${image("bot-gateway", "release-6")} exists; deploying it without a build`,
    );
    expect(result.rendered("bot-gateway.yaml")).toContain(`image: ${image("bot-gateway", "release-6")}`);
  });
});

describe("rollback", () => {
  it("every service routes all traffic to the revision a deploy creates, so a traffic rollback ends at the next deploy", () => {
    for (const m of manifests.filter((m) => m.kind === "Service")) {
      // biome-ignore lint/suspicious/noExplicitAny: a parsed manifest is walked by known paths below
      const spec = (parseAllDocuments(render(m.raw))[0]!.toJS() as any).spec;
      expect(spec.traffic, m.file).toEqual([{ latestRevision: true, percent: 100 }]);
    }
  });
});

describe("database grants and dead-letter monitoring", () => {
  it("grants.sql hands the schema to the identity that migrates, and rows to every other database identity", () => {
    const sql = read("infra/grants.sql");
    const declared = new Map(
      [...sql.matchAll(/^\\set (\w+) '([\w-]+)@' :project '\.iam'$/gm)].map((m) => [m[1]!, m[2]!] as const),
    );
    expect([...declared.values()].sort()).toEqual(bashArray("DB_IDENTITIES").sort());
    const migrate = manifests.find((m) => m.kind === "Job" && m.args[0] === "db")!;
    expect(declared.get("jobs")).toBe(saName(migrate.serviceAccount));
    expect(sql).toContain('ALTER SCHEMA public OWNER TO :"jobs";');
    // drizzle's journal lives in its own schema, which the migrating identity creates.
    expect(sql).toContain('GRANT CREATE ON DATABASE :"DBNAME" TO :"jobs";');
    const services = manifests.filter((m) => m.kind === "Service").map((m) => saName(m.serviceAccount));
    for (const [variable, identity] of declared) {
      if (variable === "jobs") continue;
      expect(services).toContain(identity);
      expect(sql).toMatch(new RegExp(`ON TABLES TO [^;]*:"${variable}"`));
      expect(sql).toMatch(new RegExp(`ON SEQUENCES TO [^;]*:"${variable}"`));
    }
  });

  it("the alert watches every dead-letter subscription setup.sh creates, and nothing else", () => {
    const [doc] = parseAllDocuments(read("infra/monitoring/dead-letters-alert.yaml"));
    // biome-ignore lint/suspicious/noExplicitAny: a parsed policy is walked by known paths below
    const policy = doc!.toJS() as any;
    const filter = policy.conditions[0].conditionThreshold.filter as string;
    expect(filter).toContain('metric.type = "pubsub.googleapis.com/subscription/num_undelivered_messages"');
    const pattern = /subscription_id = monitoring\.regex\.full_match\("([^"]+)"\)/.exec(filter)![1]!;
    const matches = (name: string) => new RegExp(`^(?:${pattern})$`).test(name);
    for (const topic of bashArray("TOPICS")) {
      expect(matches(`${topic}.dlq`), `${topic}.dlq`).toBe(true);
      expect(matches(`notifier.${topic}`), `notifier.${topic}`).toBe(false);
    }
    expect(setupSh).toContain('gcloud pubsub subscriptions create "$dlq"');
  });

  it("the log-based metric counts log lines the notifier really writes", () => {
    const [doc] = parseAllDocuments(read("infra/monitoring/dead-lettered-metric.yaml"));
    // biome-ignore lint/suspicious/noExplicitAny: a parsed metric is walked by known paths below
    const metric = doc!.toJS() as any;
    const messages = [...(metric.filter as string).matchAll(/"([^"]+ dead-lettered)"/g)].map((m) => m[1]!);
    expect(messages.length).toBeGreaterThan(0);
    const sources = ["packages/events/src", "apps/notifier/src"]
      .flatMap((dir) =>
        readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
          .map((e) => readFileSync(join(e.parentPath, e.name), "utf8")),
      )
      .join("\n");
    for (const message of messages) expect(sources, message).toContain(`"${message}"`);
    expect(metric.labelExtractors.topic).toBe("EXTRACT(jsonPayload.topic)");
  });
});
