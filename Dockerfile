# The faultline image for `faultline k8s` (an Indexed Job of shards and a merge Job):
#   docker build -t faultline:0.1.0 .
FROM node:22-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:22-slim
WORKDIR /opt/faultline
# bin/faultline.js runs dist/ when there is no src/ beside it.
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
COPY config ./config
COPY bin ./bin
COPY schema ./schema
COPY scenarios ./scenarios
USER node
ENTRYPOINT ["node", "/opt/faultline/bin/faultline.js"]
