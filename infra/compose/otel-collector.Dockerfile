# The collector image is distroless (no shell, no wget), so a Docker healthcheck has nothing to run.
# Add a static busybox for `wget` against the health_check extension; the config is mounted by compose.
FROM busybox:1.37-musl AS busybox

FROM otel/opentelemetry-collector-contrib:0.128.0
COPY --from=busybox /bin/busybox /busybox
