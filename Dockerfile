# ICD-KG API server (and `icdkg` CLI). Build: docker build -t icd-kg .
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
# Sources first: `npm ci` runs the package's `prepare` (the TypeScript build).
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY schema ./schema
COPY graph ./graph
COPY models ./models
RUN npm ci --include=dev && npm run build && npm prune --omit=dev && npm cache clean --force
ENV HOST=0.0.0.0 PORT=4000 ICDKG_DATA_DIR=/data ICDKG_MODELS_DIR=/app/models ICDKG_JOURNAL_DIR=/app/.icdkg
EXPOSE 4000
USER node
CMD ["node", "dist/cli/main.js", "serve"]
