# syntax=docker/dockerfile:1
# One image recipe for every service of services/: build arg SERVICE names the workspace
# (ideas, adoption, catalogue, self-employment, insights, notifications, gateway); PORTAL=built also
# builds the portal into the image and serves it (the gateway's). From the repository root:
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=ideas -t lto/ideas .
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=gateway --build-arg PORTAL=built -t lto/gateway .
# The workspace's packages export their TypeScript sources (one workspace, no per-package build), so the
# service runs them through tsx, a production dependency of each service (type checking is CI's job,
# tsx only strips types, once per file at start-up); no compiler, test kit or dev tool is in the image.
# Checked by tools/opscheck (BuildKit's own parser and lint rules, plus the platform's rules).

ARG NODE_IMAGE=node:24-slim
# "none", or "built" for the gateway.
ARG PORTAL=none

FROM ${NODE_IMAGE} AS base
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /app

# Only the package manifests and the lock: the npm ci layers are rebuilt when a dependency changes,
# not at every source edit.
FROM base AS manifests
COPY package.json package-lock.json ./
COPY packages ./packages
COPY services ./services
RUN find packages services -type f ! -name package.json -delete \
 && find packages services -mindepth 1 -type d -empty -delete

# The service's production dependencies and the sources of the workspaces it reaches, nothing else.
FROM base AS app
ARG SERVICE
RUN test -n "${SERVICE}" || { echo "build arg SERVICE is required: a folder of services/ (ideas, gateway, ...)" >&2; exit 1; }
COPY --from=manifests /app ./
RUN test -f "services/${SERVICE}/package.json" || { echo "services/${SERVICE} is not a workspace of this repository" >&2; exit 1; }
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev --workspace "services/${SERVICE}"
COPY tsconfig.base.json tsconfig.json ./
COPY packages ./packages
COPY services ./services
COPY infra/docker/prune-workspace.mjs /tmp/prune-workspace.mjs
RUN node /tmp/prune-workspace.mjs "services/${SERVICE}" && rm /tmp/prune-workspace.mjs

# The portal's static files (vite build), for the gateway; the other images get an empty folder.
FROM base AS portal-none
RUN mkdir -p /out

FROM base AS portal-built
COPY --from=manifests /app ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --workspace services/portal
COPY tsconfig.base.json tsconfig.json ./
COPY packages ./packages
COPY services ./services
RUN npm run build --workspace services/portal && mv services/portal/dist /out

FROM portal-${PORTAL} AS portal

FROM base AS runtime
ARG SERVICE
# tini as PID 1 forwards SIGTERM/SIGINT to node (the service drains and stops) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/lto \
 && chown node:node /var/lib/lto
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    HOST=0.0.0.0 \
    HTTP_PORT=8080 \
    LTO_DATA_DIR=/var/lib/lto \
    PORTAL_DIST=/app/portal
COPY --from=app /app /app
COPY --from=portal /out /app/portal
# The service's folder, as `npm start -w` runs it: tsx and @lto/telemetry resolve from /app/node_modules.
WORKDIR /app/services/${SERVICE}
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.HTTP_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Telemetry is preloaded before the app so its instrumentation patches http, grpc, kafkajs and mongodb.
# Another entry point of the same workspace runs with the same preloads, e.g. `... insights src/rebuild.ts`.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--import", "tsx", "--import", "@lto/telemetry/register"]
CMD ["src/main.ts"]
