# syntax=docker/dockerfile:1.7
# One image for every role: `docker run IMAGE <all-in-one|collector|scheduler run|api|migrate>`.
# The production stage holds only the pruned bundle of `pnpm deploy --prod` (what
# scripts/bundle/check.sh builds and starts outside the workspace) and runs as a non-root user.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: install the workspace, compile the CLI and its packages, prune to production deps
FROM ${NODE_IMAGE} AS build
ENV CI=true PNPM_HOME=/pnpm PATH=/pnpm:$PATH
RUN corepack enable
# The collector's signature verifier (libsecp256k1 as a native addon, bcrypto) compiles at
# install: the build stage needs a C toolchain; the runtime stage does not.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Lockfile first: dependencies are fetched in their own layer, reused while only sources change.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm fetch
COPY . .
# Install scripts are skipped, then only the verifier's addon is compiled (better-sqlite3 is a
# test-only dependency of the relay simulator). Without it the collector falls back to the WASM
# verifier, about a fifth of the speed.
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --offline --ignore-scripts
RUN pnpm --filter @nostr-info/collector rebuild bcrypto
RUN pnpm --filter '@nostr-info/cli...' run build
RUN pnpm --filter @nostr-info/cli deploy --prod --legacy /out \
 && node /out/dist/main.js --help >/dev/null
# The census's IP databases: only the files the collector reads ship (the packages' per-family
# MaxMind DBs and numeric CSVs would add about 40 MB).
RUN find /out/node_modules -path '*@ip-location-db*' \
      \( -name '*-num.csv' -o -name 'dbip-country-ipv*.mmdb' \) -delete

# ---- runtime
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/data
# UID/GID 10001 match the chart's podSecurityContext (runAsUser/runAsGroup/fsGroup).
RUN groupadd --system --gid 10001 nostr \
 && useradd --system --uid 10001 --gid nostr --home-dir /app --no-create-home --shell /usr/sbin/nologin nostr \
 && mkdir -p /data \
 && chown nostr:nostr /data
WORKDIR /app
# Code owned by root and read-only to the service user; only /data (embedded database of the
# all-in-one mode) is writable.
COPY --from=build /out /app
USER 10001:10001
VOLUME ["/data"]
# API (PORT) and collector metrics (METRICS_PORT).
EXPOSE 3000 9464
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/dist/main.js"]
CMD ["all-in-one"]
