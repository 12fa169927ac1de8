// The cluster layout (infra/k8s): both overlays rendered by kustomize's library and validated offline
// by tools/opscheck/k8s-check.sh (client-go's types, the apiextensions-apiserver's validation against
// Strimzi's and MongoDB Community's CRDs), the built-in kinds once more against the Kubernetes OpenAPI
// schemas (kubernetes-models), then held against the services themselves: every service has its
// manifests, its ConfigMap is its own configuration and starts it in production, the topics, users and
// network paths are the ones the code uses.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { adoptionService } from "@lto/adoption-service";
import { catalogueService } from "@lto/catalogue-service";
import { DEFAULT_TOPIC_PARTITIONS } from "@lto/config";
import { DLQ_PARTITIONS, dlqTopic, topics as contractTopics } from "@lto/contracts";
import { gatewayService } from "@lto/gateway-service";
import { ideasService } from "@lto/ideas-service";
import { insightsService } from "@lto/insights-service";
import { notificationsService } from "@lto/notifications-service";
import { selfEmploymentService } from "@lto/self-employment-service";
import type { ServiceDefinition } from "@lto/service-host";
import * as core from "kubernetes-models/v1";
import * as apps from "kubernetes-models/apps/v1";
import * as autoscaling from "kubernetes-models/autoscaling/v2";
import * as networking from "kubernetes-models/networking.k8s.io/v1";
import * as policy from "kubernetes-models/policy/v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const CHECK = join(repo, "tools/opscheck/k8s-check.sh");
const OVERLAYS = ["infra/k8s/overlays/dev", "infra/k8s/overlays/prod"];

/** The kubernetes-models of the built-in API versions the manifests use (generated from the OpenAPI). */
const BUILT_IN: Record<string, Record<string, unknown>> = {
  v1: core,
  "apps/v1": apps,
  "autoscaling/v2": autoscaling,
  "networking.k8s.io/v1": networking,
  "policy/v1": policy,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const definitions: Record<string, ServiceDefinition<any>> = {
  gateway: gatewayService,
  ideas: ideasService,
  adoption: adoptionService,
  catalogue: catalogueService,
  "self-employment": selfEmploymentService,
  insights: insightsService,
  notifications: notificationsService,
};

/** What each service's `<name>-keys` Secret holds in production (infra/k8s/README.md, "Secrets"). */
const SECRET_KEYS: Record<string, string[]> = {
  gateway: ["OIDC_SIGNING_JWK", "OIDC_COOKIE_KEYS", "SMTP_URL"],
  catalogue: ["ISSUER_JWK"],
  "self-employment": ["CALENDAR_FEED_KEY", "SMTP_URL"],
  notifications: ["SMTP_URL"],
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;
interface Rendered {
  overlay: string;
  objects: Obj[];
}

function runCheck(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("bash", [CHECK, ...args], { cwd: repo, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let work: string;
let rendered: Rendered[];
let checkOutput: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "lto-k8s-"));
  const out = join(work, "rendered.json");
  // First run on a machine: Maven fetches Strimzi's generator, Go builds the checker (a minute or two).
  checkOutput = await runCheck(["-out", out, ...OVERLAYS]);
  rendered = checkOutput.code === 0 ? (JSON.parse(await readFile(out, "utf8")) as Rendered[]) : [];
}, 900_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const ofKind = (r: Rendered, kind: string) => r.objects.filter((o) => o.kind === kind);
const named = (r: Rendered, kind: string, name: string) =>
  r.objects.find((o) => o.kind === kind && o.metadata.name === name);
const configOf = (r: Rendered, service: string): Record<string, string> => {
  const deployment = named(r, "Deployment", service);
  const ref = deployment?.spec.template.spec.containers[0].envFrom.find((e: Obj) => e.configMapRef)
    ?.configMapRef.name as string | undefined;
  const configMap = ref ? named(r, "ConfigMap", ref) : undefined;
  if (!configMap) throw new Error(`${r.overlay}: no ConfigMap for ${service}'s Deployment`);
  return configMap.data as Record<string, string>;
};

/** Topics a service consumes, read from its own subscriptions list (the handlers are never called). */
async function consumedTopics(service: string): Promise<string[]> {
  const path = join(repo, "services", service, "src/infra/subscriptions.ts");
  const exists = await readFile(path).then(
    () => true,
    () => false,
  );
  if (!exists) return [];
  const anything: unknown = new Proxy(function () {}, {
    get: (_t, p) => (p === "then" ? undefined : anything),
    apply: () => anything,
  });
  const mod = (await import(path)) as { subscriptions: (...a: unknown[]) => { codec: { topic: string } }[] };
  return [...new Set(mod.subscriptions(anything, anything).map((s) => s.codec.topic))];
}

/** The service's environment schema (the zod object its config.ts exports). */
async function envVariables(service: string): Promise<Set<string>> {
  const mod = (await import(join(repo, "services", service, "src/config.ts"))) as Record<string, unknown>;
  const schema = Object.values(mod).find((v) => typeof v === "object" && v !== null && "shape" in v) as
    { shape: Record<string, unknown> } | undefined;
  if (!schema) throw new Error(`services/${service}/src/config.ts exports no environment schema`);
  return new Set(Object.keys(schema.shape));
}

describe("infra/k8s", () => {
  it("renders both overlays and every object passes the offline API validation", () => {
    expect(checkOutput.stderr + checkOutput.stdout).not.toMatch(/problems: [1-9]|kustomize build failed/);
    expect(checkOutput.code).toBe(0);
    for (const overlay of OVERLAYS) expect(checkOutput.stdout).toContain(`${overlay}: `);
    expect(checkOutput.stdout).toMatch(/overlays\/prod: \d+ objects .*, 0 problems/);
    expect(rendered.map((r) => r.overlay)).toEqual(OVERLAYS);
  });

  it("the built-in kinds satisfy the Kubernetes OpenAPI schemas (kubernetes-models)", () => {
    let checked = 0;
    for (const r of rendered) {
      for (const obj of r.objects) {
        const group = obj.apiVersion.includes("/") ? obj.apiVersion.split("/")[0] : "";
        if (group.includes(".") && !group.endsWith(".k8s.io")) continue; // custom resources: the Go check
        const Model = BUILT_IN[obj.apiVersion]?.[obj.kind] as
          (new (o: Obj) => { validate(): void }) | undefined;
        expect(Model, `${obj.apiVersion} ${obj.kind}`).toBeDefined();
        expect(
          () => new Model!(obj).validate(),
          `${r.overlay} ${obj.kind} ${obj.metadata.name}`,
        ).not.toThrow();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(80);
    // The same validation refuses what an API server would: a Deployment without its selector.
    const deployment = structuredClone(named(rendered[1]!, "Deployment", "ideas")!);
    delete deployment.spec.selector;
    expect(() => new apps.Deployment(deployment).validate()).toThrow(/selector/);
  });

  it("the check refuses broken manifests, naming each problem", async () => {
    const overlay = join(work, "broken");
    await mkdir(overlay);
    const base = relative(overlay, join(repo, "infra/k8s/base"));
    await writeFile(
      join(overlay, "kustomization.yaml"),
      `resources:
  - ${base}
patches:
  - target: { kind: Deployment, name: ideas }
    patch: |-
      - op: add
        path: /spec/template/spec/containers/0/readinessProbe/httpGet/pathh
        value: /readyz
  - target: { kind: KafkaTopic, name: lto.ideas.events.v1 }
    patch: |-
      - op: replace
        path: /spec/partitions
        value: twelve
  - target: { kind: KafkaUser, name: kafka-ideas }
    patch: |-
      - op: add
        path: /spec/authorization/acls/0/operations/-
        value: Fly
  - target: { kind: Kafka, name: lto }
    patch: |-
      - op: add
        path: /spec/kafka/listenerz
        value: []
  - target: { kind: MongoDBCommunity }
    patch: |-
      - op: replace
        path: /spec/type
        value: Standalone
`,
    );
    const result = await runCheck([overlay]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'unknown field "spec.template.spec.containers[0].readinessProbe.httpGet.pathh"',
    );
    expect(result.stdout).toMatch(
      /KafkaTopic lto.ideas.events.v1: .*spec.partitions.*must be of type integer/,
    );
    expect(result.stdout).toMatch(/KafkaUser kafka-ideas: .*Unsupported value: "Fly"/);
    expect(result.stdout).toContain("Kafka lto: unknown field spec.kafka.listenerz");
    expect(result.stdout).toMatch(
      /MongoDBCommunity lto-mongodb: .*spec.type.*Unsupported value: "Standalone"/,
    );
    expect(result.stdout).toMatch(/, 5 problems$/m);
  }, 300_000);

  it("every service in services/ (the portal is served by the gateway) has its manifests", async () => {
    const services = (await readdir(join(repo, "services"))).filter((s) => s !== "portal").sort();
    expect(services).toEqual(Object.keys(definitions).sort());
    for (const r of rendered) {
      for (const service of services) {
        const at = `${r.overlay} ${service}`;
        const deployment = named(r, "Deployment", service);
        expect(deployment, at).toBeDefined();
        const pod = deployment!.spec.template.spec;
        const container = pod.containers[0];
        expect(container.image, at).toMatch(new RegExp(`^lto/${service}:`));
        expect(container.readinessProbe.httpGet, at).toEqual({ path: "/readyz", port: "http" });
        expect(container.livenessProbe.httpGet, at).toEqual({ path: "/healthz", port: "http" });
        expect(container.resources.requests, at).toHaveProperty("memory");
        expect(container.resources.limits, at).toHaveProperty("memory");
        expect(pod.securityContext.runAsNonRoot, at).toBe(true);
        expect(container.securityContext, at).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
        });
        expect(pod.topologySpreadConstraints.length, at).toBeGreaterThan(0);
        const podLabels = deployment!.spec.template.metadata.labels;
        const selects = (selector: Obj) =>
          Object.entries(selector.matchLabels ?? selector).every(([k, v]) => podLabels[k] === v);
        for (const spread of pod.topologySpreadConstraints)
          expect(selects(spread.labelSelector), at).toBe(true);

        const config = configOf(r, service);
        const svc = named(r, "Service", service);
        expect(svc?.spec.ports.find((p: Obj) => p.name === "http")?.port, at).toBe(Number(config.HTTP_PORT));
        expect(selects(svc!.spec.selector), at).toBe(true);
        const pdb = named(r, "PodDisruptionBudget", service);
        expect(pdb && selects(pdb.spec.selector), at).toBe(true);
        const hpa = named(r, "HorizontalPodAutoscaler", service);
        expect(hpa?.spec.scaleTargetRef, at).toEqual({
          apiVersion: "apps/v1",
          kind: "Deployment",
          name: service,
        });
        const policy = named(r, "NetworkPolicy", service);
        expect(policy && selects(policy.spec.podSelector), at).toBe(true);

        // More instances than partitions would leave consumers idle.
        for (const topic of await consumedTopics(service)) {
          const kafkaTopic = ofKind(r, "KafkaTopic").find((t) => t.spec.topicName === topic);
          expect(kafkaTopic?.spec.partitions, `${at} ${topic}`).toBeGreaterThanOrEqual(hpa!.spec.maxReplicas);
        }
      }
    }
  });

  it("every event topic has the platform's partitions, the number each service creates a missing one with", () => {
    const eventTopics = new Set(Object.values(contractTopics));
    for (const r of rendered) {
      const declared = ofKind(r, "KafkaTopic").filter((t) => eventTopics.has(t.spec.topicName));
      expect(declared.map((t) => t.spec.topicName).sort(), r.overlay).toEqual([...eventTopics].sort());
      for (const t of declared)
        expect(t.spec.partitions, `${r.overlay} ${t.spec.topicName}`).toBe(DEFAULT_TOPIC_PARTITIONS);
      for (const service of Object.keys(definitions))
        expect(configOf(r, service).KAFKA_TOPIC_PARTITIONS, `${r.overlay} ${service}`).toBe(
          String(DEFAULT_TOPIC_PARTITIONS),
        );
    }
  });

  it("dead-letter topics have the one partition the consumers create them with, in compose too", async () => {
    const script = await readFile(join(repo, "infra/compose/kafka-topics.sh"), "utf8");
    expect(/ensure "lto\.dlq\.\$group" (\d+) /.exec(script)?.[1]).toBe(String(DLQ_PARTITIONS));
    for (const r of rendered)
      for (const t of ofKind(r, "KafkaTopic").filter((t) => t.spec.topicName.startsWith("lto.dlq.")))
        expect(t.spec.partitions, `${r.overlay} ${t.spec.topicName}`).toBe(DLQ_PARTITIONS);
  });

  it("the gateway's /metrics port is for Prometheus only: not behind the ingress, not open to others", () => {
    for (const r of rendered) {
      const metricsPort = Number(configOf(r, "gateway").METRICS_PORT);
      expect(metricsPort, r.overlay).toBeGreaterThan(0);
      expect(metricsPort, r.overlay).not.toBe(Number(configOf(r, "gateway").HTTP_PORT));
      const container = named(r, "Deployment", "gateway")!.spec.template.spec.containers[0];
      expect(container.ports.find((p: Obj) => p.name === "metrics")?.containerPort, r.overlay).toBe(
        metricsPort,
      );
      const svc = named(r, "Service", "gateway")!;
      expect(svc.spec.ports.find((p: Obj) => p.name === "metrics")?.targetPort, r.overlay).toBe("metrics");
      for (const ingress of ofKind(r, "Ingress"))
        for (const rule of ingress.spec.rules)
          for (const path of rule.http.paths)
            expect(path.backend.service.port, `${r.overlay} ${ingress.metadata.name}`).toEqual({
              name: "http",
            });
      const rules = named(r, "NetworkPolicy", "gateway")!.spec.ingress as Obj[];
      const opening = rules.filter((rule) =>
        rule.ports.some((p: Obj) => p.port === "metrics" || p.port === metricsPort),
      );
      expect(
        opening.map((rule) => rule.from),
        r.overlay,
      ).toEqual([
        [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observability" } } }],
      ]);
    }
  });

  it("each ConfigMap holds only the service's own settings, which start it in production", async () => {
    for (const r of rendered) {
      for (const [service, definition] of Object.entries(definitions)) {
        const config = configOf(r, service);
        const variables = await envVariables(service);
        const container = named(r, "Deployment", service)!.spec.template.spec.containers[0];
        for (const key of [...Object.keys(config), ...container.env.map((e: Obj) => e.name as string)])
          expect(variables.has(key), `${r.overlay} ${service}: ${key} is not a setting of the service`).toBe(
            true,
          );
        for (const key of SECRET_KEYS[service] ?? [])
          expect(variables.has(key), `${service}-keys: ${key} is not a setting of the service`).toBe(true);
        const secrets: Record<string, string> = {
          MONGO_URL: "mongodb://svc:password@lto-mongodb-svc:27017/admin?replicaSet=lto-mongodb",
          KAFKA_SASL_PASSWORD: "from-the-kafka-user-secret",
        };
        if (config.NODE_ENV === "production")
          for (const key of SECRET_KEYS[service] ?? [])
            secrets[key] = key === "SMTP_URL" ? "smtps://lto:pw@mail.example.org:465" : "k".repeat(40);
        expect(() => definition.config({ ...config, ...secrets }), `${r.overlay} ${service}`).not.toThrow();
      }
    }
    expect(configOf(rendered[1]!, "ideas").NODE_ENV).toBe("production");
  });

  it("declares exactly the topics the services use, and each service's user may use only its own", async () => {
    for (const r of rendered) {
      const consumers = Object.keys(definitions);
      const consumed = Object.fromEntries(
        await Promise.all(consumers.map(async (s) => [s, await consumedTopics(s)])),
      );
      const dlqs = consumers
        .filter((s) => consumed[s]!.length > 0)
        .map((s) => dlqTopic(configOf(r, s).KAFKA_CONSUMER_GROUP!));
      const declared = ofKind(r, "KafkaTopic").map((t) => t.spec.topicName as string);
      expect(declared.sort()).toEqual([...Object.values(contractTopics), ...dlqs].sort());
      for (const t of ofKind(r, "KafkaTopic").filter((t) => !t.spec.topicName.startsWith("lto.dlq.")))
        expect(t.spec.config["retention.ms"], `${t.spec.topicName}: projections rebuild from the start`).toBe(
          -1,
        );

      for (const [service, definition] of Object.entries(definitions)) {
        const at = `${r.overlay} ${service}`;
        const config = configOf(r, service);
        const user = named(r, "KafkaUser", config.KAFKA_SASL_USERNAME!);
        expect(user, at).toBeDefined();
        const container = named(r, "Deployment", service)!.spec.template.spec.containers[0];
        const passwordRef = container.env.find((e: Obj) => e.name === "KAFKA_SASL_PASSWORD").valueFrom
          .secretKeyRef;
        expect(passwordRef.name, at).toBe(user!.metadata.name);
        const allowed = (type: string, op: string) =>
          new Set(
            user!.spec.authorization.acls
              .filter((a: Obj) => a.resource.type === type && a.operations.includes(op))
              .map((a: Obj) => a.resource.name as string),
          );
        const dlq = consumed[service]!.length > 0 ? [dlqTopic(config.KAFKA_CONSUMER_GROUP!)] : [];
        expect([...allowed("topic", "Write")].sort(), at).toEqual([...definition.topics, ...dlq].sort());
        expect([...allowed("topic", "Read")].sort(), at).toEqual([...consumed[service]!, ...dlq].sort());
        if (consumed[service]!.length > 0)
          expect(allowed("group", "Read"), at).toContain(config.KAFKA_CONSUMER_GROUP);

        // Its own MongoDB user, reading and writing only its own database.
        const mongo = ofKind(r, "MongoDBCommunity")[0]!;
        const mongoUser = mongo.spec.users.find((u: Obj) => u.name === service);
        const urlRef = container.env.find((e: Obj) => e.name === "MONGO_URL").valueFrom.secretKeyRef;
        expect(mongoUser?.connectionStringSecretName, at).toBe(urlRef.name);
        expect(new Set(mongoUser.roles.map((role: Obj) => role.db)), at).toEqual(new Set([config.MONGO_DB]));
      }
    }
  });

  it("only the gateway is reachable from outside; gRPC only from the services that call it", () => {
    for (const r of rendered) {
      const deny = named(r, "NetworkPolicy", "default-deny");
      expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
      const ingress = ofKind(r, "Ingress");
      expect(ingress.flatMap((i) => i.spec.rules.flatMap((rule: Obj) => rule.http.paths))).toEqual([
        expect.objectContaining({ backend: { service: { name: "gateway", port: { name: "http" } } } }),
      ]);
      // Callers of each gRPC server, from the services' own settings (<PEER>_GRPC_ADDRESS=peer:port).
      const callers: Record<string, string[]> = {};
      for (const service of Object.keys(definitions)) {
        for (const [key, value] of Object.entries(configOf(r, service))) {
          if (!key.endsWith("_GRPC_ADDRESS")) continue;
          const peer = value.split(":")[0]!;
          (callers[peer] ??= []).push(service);
        }
      }
      expect(callers).toEqual({ adoption: ["ideas"], ideas: ["adoption"], catalogue: ["self-employment"] });
      for (const service of Object.keys(definitions)) {
        const policy = named(r, "NetworkPolicy", service)!;
        const rules = policy.spec.ingress as Obj[];
        const outside = rules
          .flatMap((rule) => rule.from)
          .filter((peer: Obj) => peer.namespaceSelector)
          .map((peer: Obj) => peer.namespaceSelector.matchLabels["kubernetes.io/metadata.name"]);
        expect(outside.sort(), `${r.overlay} ${service}`).toEqual(
          service === "gateway" ? ["ingress-nginx", "observability"] : ["observability"],
        );
        const grpcFrom = rules
          .filter((rule) => rule.ports.some((p: Obj) => p.port === "grpc"))
          .flatMap((rule) =>
            rule.from.map((peer: Obj) => peer.podSelector.matchLabels["app.kubernetes.io/name"]),
          );
        expect(grpcFrom.sort(), `${r.overlay} ${service}`).toEqual((callers[service] ?? []).sort());
        const httpFromPods = rules
          .filter((rule) => rule.ports.some((p: Obj) => p.port === "http"))
          .flatMap((rule) => rule.from.filter((peer: Obj) => peer.podSelector && !peer.namespaceSelector));
        // The services' HTTP only from the gateway; the gateway's (its JWKS) from the services.
        if (service !== "gateway")
          expect(httpFromPods, `${r.overlay} ${service}`).toEqual([
            { podSelector: { matchLabels: { "app.kubernetes.io/name": "gateway" } } },
          ]);
      }
    }
  });
});
