# ICD-KG API server (and `icdkg` CLI). Build: docker build -t icd-kg .
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
# Everything `npm ci` reads before it runs the package's `prepare` (the TypeScript build and the
# GraphiQL and explorer bundles): the install settings live in package.json (`allowScripts`, `overrides`), so
# the image installs exactly as a local `npm install` does (test/dockerfile.test.ts checks this).
COPY package.json package-lock.json tsconfig.json tsconfig.build.json data-sources.json ./
COPY scripts/build-graphiql.mjs scripts/build-web.mjs ./scripts/
COPY web ./web
COPY tools ./tools
COPY src ./src
COPY schema ./schema
COPY graph ./graph
COPY models ./models
RUN npm ci --include=dev && npm prune --omit=dev && npm cache clean --force
ENV HOST=0.0.0.0 PORT=4000 ICDKG_DATA_DIR=/data ICDKG_MODELS_DIR=/app/models ICDKG_JOURNAL_DIR=/app/.icdkg
EXPOSE 4000
USER node
# A 64 MiB young generation (as `npm start`): short-lived request garbage dies young instead of
# growing the old generation under floods (bench:abuse: +30 MiB instead of +400 MiB).
CMD ["node", "--max-semi-space-size=64", "dist/cli/main.js", "serve"]
