// The operator's Grafana dashboard, as code: this file writes infra/grafana/dashboards/lto.json
// (`npm run dashboard:gen`; `--check` fails when the committed JSON differs). Every query reads metrics
// the platform packages export on each service's /metrics (checked by tools/opscheck/cmd/promrules and
// the service-host observability test); `$service` is the label every series of a service carries.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import {
  BookingConfirmedEvent,
  EnrolmentConfirmedEvent,
  IdeaAdoptedEvent,
  IdeaSubmittedEvent,
} from "@lto/contracts";

export const DASHBOARD_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  "../infra/grafana/dashboards/lto.json",
);

interface Target {
  expr: string;
  legendFormat: string;
}

interface Panel {
  title: string;
  description: string;
  unit: string;
  targets: Target[];
  /** stat: one number; timeseries (default): a graph. */
  kind?: "stat" | "timeseries";
}

const DS = { type: "prometheus", uid: "${datasource}" };
const svc = 'service=~"$service"';

const rows: Array<{ title: string; panels: Panel[] }> = [
  {
    title: "HTTP (per route template)",
    panels: [
      {
        title: "Request rate",
        description: "Requests per second by service and route template.",
        unit: "reqps",
        targets: [
          {
            expr: `sum by (service, route) (rate(http_request_duration_seconds_count{${svc}}[$__rate_interval]))`,
            legendFormat: "{{service}} {{route}}",
          },
        ],
      },
      {
        title: "Errors (5xx share)",
        description: "Share of requests answered 5xx; the HighServerErrorRate alert fires above 5%.",
        unit: "percentunit",
        targets: [
          {
            expr:
              `sum by (service, route) (rate(http_request_duration_seconds_count{${svc},status=~"5.."}[$__rate_interval]))` +
              ` / sum by (service, route) (rate(http_request_duration_seconds_count{${svc}}[$__rate_interval]))`,
            legendFormat: "{{service}} {{route}}",
          },
        ],
      },
      {
        title: "Client errors (4xx rate)",
        description:
          "Refused requests per second (bad input, auth, conflicts): a client or a contract problem.",
        unit: "reqps",
        targets: [
          {
            expr: `sum by (service, route, status) (rate(http_request_duration_seconds_count{${svc},status=~"4.."}[$__rate_interval]))`,
            legendFormat: "{{service}} {{route}} {{status}}",
          },
        ],
      },
      {
        title: "Latency p50 / p99",
        description: "Request duration quantiles by service and route template.",
        unit: "s",
        targets: [0.5, 0.99].map((q) => ({
          expr: `histogram_quantile(${q}, sum by (service, route, le) (rate(http_request_duration_seconds_bucket{${svc}}[$__rate_interval])))`,
          legendFormat: `p${q * 100} {{service}} {{route}}`,
        })),
      },
    ],
  },
  {
    title: "Outbox and relay",
    panels: [
      {
        title: "Outbox backlog",
        description: "Events written and not yet published, per collection.",
        unit: "short",
        targets: [
          {
            expr: `max by (service, collection) (lto_outbox_pending_events{${svc}})`,
            legendFormat: "{{service}} {{collection}}",
          },
        ],
      },
      {
        title: "Age of the oldest pending event",
        description: "How long the oldest unpublished event has waited; OutboxBacklogAge fires above 2 min.",
        unit: "s",
        targets: [
          {
            expr: `max by (service, collection) (lto_outbox_oldest_pending_age_seconds{${svc}})`,
            legendFormat: "{{service}} {{collection}}",
          },
        ],
      },
      {
        title: "Relay publish rate",
        description: "Events the relays publish to Kafka per second, by topic.",
        unit: "ops",
        targets: [
          {
            expr: `sum by (service, topic) (rate(lto_outbox_published_total{${svc}}[$__rate_interval]))`,
            legendFormat: "{{service}} {{topic}}",
          },
        ],
      },
      {
        title: "Relay failures",
        description: "Failed relay passes per second (events kept and retried).",
        unit: "ops",
        targets: [
          {
            expr: `sum by (service) (rate(lto_outbox_publish_errors_total{${svc}}[$__rate_interval]))`,
            legendFormat: "{{service}}",
          },
        ],
      },
    ],
  },
  {
    title: "Consumers",
    panels: [
      {
        title: "Consumer lag",
        description: "Messages each group is behind, per topic (max over instances, summed over partitions).",
        unit: "short",
        targets: [
          {
            expr: `sum by (group, topic) (max by (group, topic, partition) (lto_consumer_lag{${svc}}))`,
            legendFormat: "{{group}} {{topic}}",
          },
        ],
      },
      {
        title: "Messages handled",
        description: "Messages finished per second by outcome (ok, ok_after_retry, skipped, dlq).",
        unit: "ops",
        targets: [
          {
            expr: `sum by (group, outcome) (rate(lto_consumer_messages_total{${svc}}[$__rate_interval]))`,
            legendFormat: "{{group}} {{outcome}}",
          },
        ],
      },
      {
        title: "Dead-letter topics",
        description:
          "Messages waiting on each DLQ (parked, not applied): replay them once the cause is fixed.",
        unit: "short",
        kind: "stat",
        targets: [
          {
            expr: `max by (dlq_topic) (lto_dlq_messages{${svc}})`,
            legendFormat: "{{dlq_topic}}",
          },
        ],
      },
      {
        title: "Parked per hour",
        description: "Messages parked on a DLQ in the last hour, by group and original topic.",
        unit: "short",
        targets: [
          {
            expr: `sum by (group, topic) (increase(lto_consumer_dlq_total{${svc}}[1h]))`,
            legendFormat: "{{group}} {{topic}}",
          },
        ],
      },
    ],
  },
  {
    title: "Business",
    panels: [
      ...[
        ["Ideas submitted", IdeaSubmittedEvent.type],
        ["Adoptions", IdeaAdoptedEvent.type],
        ["Enrolments", EnrolmentConfirmedEvent.type],
        ["Bookings", BookingConfirmedEvent.type],
      ].map(([title, type]): Panel => ({
        title: `${title} (24 h)`,
        description: `${type} events recorded in the last 24 hours.`,
        unit: "short",
        kind: "stat",
        targets: [
          {
            expr: `sum(increase(lto_events_recorded_total{type="${type}"}[24h]))`,
            legendFormat: title!,
          },
        ],
      })),
      {
        title: "Events recorded",
        description: "Domain events recorded per second, by type (every business fact, one hook: the store).",
        unit: "ops",
        targets: [
          {
            expr: `sum by (type) (rate(lto_events_recorded_total{${svc}}[$__rate_interval]))`,
            legendFormat: "{{type}}",
          },
        ],
      },
    ],
  },
  {
    title: "Processes",
    panels: [
      {
        title: "Up",
        description: "Scrape targets answering (1) or not (0).",
        unit: "short",
        targets: [{ expr: "up", legendFormat: "{{job}} {{instance}}" }],
      },
      {
        title: "Event loop lag p99",
        description: "Node.js event loop delay: a busy or blocked service.",
        unit: "s",
        targets: [
          {
            expr: `max by (service) (nodejs_eventloop_lag_p99_seconds{${svc}})`,
            legendFormat: "{{service}}",
          },
        ],
      },
      {
        title: "Resident memory",
        description: "Process memory by service.",
        unit: "bytes",
        targets: [
          {
            expr: `sum by (service) (process_resident_memory_bytes{${svc}})`,
            legendFormat: "{{service}}",
          },
        ],
      },
    ],
  },
];

export function dashboard(): object {
  let id = 1;
  let y = 0;
  const panels: object[] = [];
  for (const row of rows) {
    panels.push({
      id: id++,
      type: "row",
      title: row.title,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
    });
    y += 1;
    row.panels.forEach((p, i) => {
      const width = row.panels.length >= 4 ? 6 : 8;
      panels.push({
        id: id++,
        type: p.kind ?? "timeseries",
        title: p.title,
        description: p.description,
        datasource: DS,
        gridPos: { h: 8, w: width, x: (i * width) % 24, y: y + Math.floor((i * width) / 24) * 8 },
        fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
        options:
          p.kind === "stat"
            ? {
                reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
                textMode: "value_and_name",
              }
            : {
                legend: { displayMode: "list", placement: "bottom", showLegend: true },
                tooltip: { mode: "multi" },
              },
        targets: p.targets.map((t, j) => ({
          refId: String.fromCharCode(65 + j),
          datasource: DS,
          expr: t.expr,
          legendFormat: t.legendFormat,
        })),
      });
    });
    y += Math.ceil((row.panels.length * (row.panels.length >= 4 ? 6 : 8)) / 24) * 8;
  }
  return {
    uid: "lto-platform",
    title: "LTO platform",
    description: "Requests, outbox, consumers, DLQs and business events of every LTO service.",
    tags: ["lto"],
    timezone: "browser",
    schemaVersion: 39,
    version: 1,
    editable: false,
    refresh: "30s",
    time: { from: "now-6h", to: "now" },
    templating: {
      list: [
        { name: "datasource", type: "datasource", query: "prometheus", label: "Prometheus" },
        {
          name: "service",
          type: "query",
          label: "Service",
          datasource: DS,
          query: { query: "label_values(http_request_duration_seconds_count, service)", refId: "service" },
          definition: "label_values(http_request_duration_seconds_count, service)",
          includeAll: true,
          multi: true,
          allValue: ".*",
          current: { text: "All", value: "$__all" },
          refresh: 2,
        },
      ],
    },
    annotations: { list: [] },
    panels,
  };
}

/** The dashboard as committed: JSON as the repository's prettier writes it (so lint and --check agree). */
export async function dashboardJson(): Promise<string> {
  const options = (await prettier.resolveConfig(DASHBOARD_PATH)) ?? {};
  return prettier.format(JSON.stringify(dashboard()), { ...options, parser: "json" });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const want = await dashboardJson();
  if (process.argv.includes("--check")) {
    if (readFileSync(DASHBOARD_PATH, "utf8") !== want) {
      console.error(`${DASHBOARD_PATH} is not what scripts/dashboard.ts writes: run npm run dashboard:gen`);
      process.exit(1);
    }
  } else {
    writeFileSync(DASHBOARD_PATH, want);
    console.log(`wrote ${DASHBOARD_PATH}`);
  }
}
