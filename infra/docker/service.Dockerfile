# One image recipe for every TypeScript service: docker compose builds it with SERVICE=ideas|adoption.
# Sources run as TypeScript through tsx (no build step), telemetry is preloaded before the app.
FROM node:24-slim

ARG SERVICE
RUN test -n "$SERVICE" || { echo "build arg SERVICE is required (a folder of services/, e.g. ideas, catalogue, self-employment)" >&2; exit 1; }
ENV SERVICE=${SERVICE} \
    NODE_ENV=development \
    NPM_CONFIG_UPDATE_NOTIFIER=false

WORKDIR /app

# npm ci needs every workspace's package.json, so the workspace sources come in before it (the
# generated contracts are committed: no code generation here). tsx is a dev dependency of the
# workspace and is needed at run time, hence a full `npm ci`.
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY packages ./packages
COPY services ./services
RUN test -f "services/${SERVICE}/src/main.ts" || { echo "services/${SERVICE}/src/main.ts not found" >&2; exit 1; } \
 && npm ci --no-audit --no-fund \
 && npm cache clean --force

USER node
EXPOSE 8080 50051
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["sh", "-c", "exec node --import tsx --import @lto/telemetry/register services/${SERVICE}/src/main.ts"]
